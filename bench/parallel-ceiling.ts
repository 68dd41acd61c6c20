// What two threads can reach on this machine at all: the same work done by one thread, then
// split between two (the main thread and a worker thread, as `callsim run --workers 2` splits
// replications), timed from the start signal to the last thread done. Two kinds of work: a
// CPU-bound loop that allocates nothing (the vCPUs alone), and a loop that allocates
// short-lived objects, a share of which survives a while, as a simulation's events and
// records do (the vCPUs plus the garbage collector: V8 scavenges on helper threads, which
// a single thread gets for free on the idle core and two threads must share). Both threads
// are started and their loops compiled before any timing. The worker-pool speed-up is
// judged against these, measured in the same bench run.
//
// `runCeiling(kind)` spawns this file (`node dist/bench/parallel-ceiling.js --kind K`) in a
// fresh process; the child prints one line of JSON (a CeilingMeasure).

import { spawnSync } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';

export type CeilingKind = 'cpu' | 'alloc';
export const CEILING_KINDS: readonly CeilingKind[] = ['cpu', 'alloc'];

/** Work units of each kind: the whole is split between the threads. About 1.5 s for one thread on the 2-vCPU container. */
const UNITS = 8;
const UNIT_SIZE: Readonly<Record<CeilingKind, number>> = { cpu: 100_000_000, alloc: 800_000 };

/** One child's measurement: `pairs` paired runs in the order 1, 2, 2, 1, ... */
export interface CeilingMeasure {
  readonly kind: CeilingKind;
  /** Wall seconds per run on one thread and on two. */
  readonly oneThread: readonly number[];
  readonly twoThreads: readonly number[];
  /** Per pair: oneThread / twoThreads. */
  readonly ratios: readonly number[];
  /** Process CPU seconds over each run, one thread and two. */
  readonly oneThreadCpu: readonly number[];
  readonly twoThreadsCpu: readonly number[];
  /** The loops' results, equal for one and two threads (the work is the same). */
  readonly checksum: number;
}

function cpuUnit(seed: number): number {
  let x = seed | 0;
  let s = 0;
  for (let i = 0; i < UNIT_SIZE.cpu; i++) {
    x = (Math.imul(x, 1103515245) + 12345) & 0x7fffffff;
    s = (s + (x >>> 7)) & 0xffffff;
  }
  return s;
}

interface Item {
  readonly time: number;
  readonly id: number;
  readonly tags: readonly number[];
  next: Item | null;
}

function allocUnit(seed: number): number {
  // A ring of the last 4096 items keeps some alive past a scavenge or two, like pending events.
  const ring: (Item | null)[] = new Array<Item | null>(4096).fill(null);
  let s = seed;
  for (let i = 0; i < UNIT_SIZE.alloc; i++) {
    const item: Item = { time: i * 0.5, id: i ^ seed, tags: [i & 3, i & 5], next: ring[(i * 7) & 4095] ?? null };
    ring[i & 4095] = item;
    s = (s + (item.next?.id ?? 0)) & 0xffffff;
  }
  return s;
}

const unit = (kind: CeilingKind, seed: number): number => (kind === 'cpu' ? cpuUnit(seed) : allocUnit(seed));
const units = (kind: CeilingKind, from: number, to: number): number => {
  let s = 0;
  for (let u = from; u < to; u++) s = (s + unit(kind, u)) & 0xffffff;
  return s;
};

interface Job {
  readonly from: number;
  readonly to: number;
}

if (!isMainThread && parentPort !== null && (workerData as { ceiling?: CeilingKind } | null)?.ceiling !== undefined) {
  const kind = (workerData as { ceiling: CeilingKind }).ceiling;
  const port = parentPort;
  port.on('message', (job: Job) => port.postMessage(units(kind, job.from, job.to)));
}

const cpuNow = (): number => {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1e6;
};

async function measureKind(kind: CeilingKind, pairs: number): Promise<CeilingMeasure> {
  const worker = new Worker(fileURLToPath(import.meta.url), { workerData: { ceiling: kind } });
  const onWorker = (job: Job): Promise<number> =>
    new Promise((resolve, reject) => {
      worker.once('error', reject);
      worker.once('message', (sum: number) => {
        worker.off('error', reject);
        resolve(sum);
      });
      worker.postMessage(job);
    });
  // Compile both threads' loops before timing (V8 optimizes a loop this hot within a unit).
  await onWorker({ from: 0, to: 1 });
  units(kind, 0, 1);
  const oneThread: number[] = [];
  const twoThreads: number[] = [];
  const oneThreadCpu: number[] = [];
  const twoThreadsCpu: number[] = [];
  let checksum = NaN;
  for (let p = 0; p < pairs; p++) {
    for (const threads of p % 2 === 0 ? [1, 2] : [2, 1]) {
      const cpu = cpuNow();
      const start = performance.now();
      let sum: number;
      if (threads === 1) {
        sum = units(kind, 0, UNITS);
      } else {
        const other = onWorker({ from: UNITS / 2, to: UNITS });
        const mine = units(kind, 0, UNITS / 2);
        sum = (mine + (await other)) & 0xffffff;
      }
      const seconds = (performance.now() - start) / 1000;
      (threads === 1 ? oneThread : twoThreads).push(seconds);
      (threads === 1 ? oneThreadCpu : twoThreadsCpu).push(cpuNow() - cpu);
      if (Number.isNaN(checksum)) checksum = sum;
      else if (sum !== checksum) throw new Error(`${kind}: one and two threads computed different results (${checksum}, ${sum})`);
    }
  }
  await worker.terminate();
  return { kind, oneThread, twoThreads, ratios: oneThread.map((s, i) => s / twoThreads[i]!), oneThreadCpu, twoThreadsCpu, checksum };
}

/** One child process measuring `kind` on `pairs` paired runs; the reason instead when it failed. */
export function runCeiling(kind: CeilingKind, pairs = 2, timeoutMs = 120_000): { ok: true; run: CeilingMeasure } | { ok: false; reason: string } {
  const child = spawnSync(process.execPath, [fileURLToPath(import.meta.url), `--kind=${kind}`, `--pairs=${pairs}`], { encoding: 'utf8', timeout: timeoutMs });
  const what = `dist/bench/parallel-ceiling.js --kind=${kind}`;
  if (child.error) return { ok: false, reason: `${what}: ${child.error.message}` };
  if (child.status !== 0) return { ok: false, reason: `${what}: exit ${child.status ?? child.signal}: ${child.stderr.trim().split('\n')[0] ?? ''}` };
  try {
    return { ok: true, run: JSON.parse(child.stdout.trim().split('\n').pop() ?? '') as CeilingMeasure };
  } catch {
    return { ok: false, reason: `${what}: no JSON on stdout` };
  }
}

if (isMainThread && process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({ options: { kind: { type: 'string', default: 'cpu' }, pairs: { type: 'string', default: '2' } } });
  const kind = values.kind as CeilingKind;
  const pairs = Number(values.pairs);
  if (!CEILING_KINDS.includes(kind) || !(Number.isInteger(pairs) && pairs > 0)) {
    process.stderr.write(`parallel ceiling: --kind ${CEILING_KINDS.join('|')} --pairs N\n`);
    process.exit(2);
  }
  measureKind(kind, pairs).then(
    (m) => process.stdout.write(JSON.stringify(m) + '\n'),
    (e: unknown) => {
      process.stderr.write(`parallel ceiling: ${e instanceof Error ? e.message : String(e)}\n`);
      process.exitCode = 1;
    },
  );
}
