// The worker pool's speed-up: 8 replications of the default scenario (one simulated day
// each, about a second of wall time) run as `callsim run --workers 1` runs them (one after
// the other in the main thread) and as `--workers 2` does (a piscina pool of two threads,
// snapshots merged back), each followed by the summary. Every measurement runs in a fresh
// process, as every `callsim run` does, so neither side inherits a warm JIT; the pool's
// start-up (threads, module loading, a cold JIT in each worker) is inside its timing,
// Node's start-up and the YAML are outside both. Rounds alternate the order (ABBA) so that
// drift in the machine's load hits both; the figure is the median of per-round ratios.
//
// `runWorkersBench()` spawns this file (`node dist/bench/workers.js --workers W`) once per
// measurement; the child prints one line of JSON (a WorkersMeasure).

import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { simulateOnWorkers } from '../sim/metrics/replication-pool.js';
import { simulate, type Replication } from '../sim/metrics/simulate.js';
import { slaServiceLevelThresholds, summarize } from '../sim/metrics/summary.js';
import { loadScenario } from '../sim/scenario/load.js';
import type { Scenario } from '../sim/scenario/types.js';

const SELF = fileURLToPath(import.meta.url);
export const WORKERS_SCENARIO_FILE = fileURLToPath(new URL('../../scenarios/12333-province.yaml', import.meta.url));
/** One simulated day per replication: about a second of wall time here. */
export const WORKERS_DURATION = '1d';
export const WORKERS_REPLICATIONS = 8;

/** One measurement, in one child process. */
export interface WorkersMeasure {
  readonly workers: number;
  readonly replications: number;
  /** Wall seconds of the replications and the summary. */
  readonly seconds: number;
  /** CPU seconds (user + system) of the process over the same span, worker threads included. */
  readonly cpuSeconds: number;
  /** Calls offered over all the replications. */
  readonly calls: number;
  /** SHA-256 of the summary without its timing block: equal for every W if the pool is right. */
  readonly digest: string;
}

export interface WorkersRun {
  readonly file: string;
  readonly duration: string;
  readonly replications: number;
  readonly workers: number;
  readonly calls: number;
  /** Wall seconds per round, one worker (in the main thread) and `workers` workers. */
  readonly oneWorker: readonly number[];
  readonly manyWorkers: readonly number[];
  /** Per round: oneWorker / manyWorkers. */
  readonly ratios: readonly number[];
  /** CPU seconds per round, one worker and `workers` workers: what the pool costs on top, whatever the machine's load. */
  readonly oneWorkerCpu: readonly number[];
  readonly manyWorkersCpu: readonly number[];
  /** Every measurement gave the same summary (timing aside). */
  readonly identical: boolean;
}

function summaryDigest(scenario: Scenario, reps: readonly Replication[]): string {
  const summary = summarize(scenario, reps);
  for (const r of reps) r.collector.destroy();
  return createHash('sha256').update(JSON.stringify({ ...summary, timing: null })).digest('hex');
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      workers: { type: 'string', default: '1' },
      replications: { type: 'string', default: String(WORKERS_REPLICATIONS) },
      duration: { type: 'string', default: WORKERS_DURATION },
    },
  });
  const workers = Number(values.workers);
  const replications = Number(values.replications);
  for (const [name, n] of [['workers', workers], ['replications', replications]] as const) {
    if (!(Number.isInteger(n) && n > 0)) throw new RangeError(`--${name} must be a positive integer`);
  }
  const scenario = loadScenario(WORKERS_SCENARIO_FILE, { sets: [`duration=${values.duration}`] });
  const options = { serviceLevelThresholds: slaServiceLevelThresholds(scenario) };
  const start = performance.now();
  const cpuStart = process.cpuUsage();
  // What `callsim run --workers W` does: W = 1 in this thread, else on a pool.
  const reps = workers === 1 ? await simulate(scenario, replications, options) : await simulateOnWorkers(scenario, replications, { ...options, workers });
  const calls = reps.reduce((a, r) => a + r.collector.counters.offered, 0);
  const digest = summaryDigest(scenario, reps);
  const seconds = (performance.now() - start) / 1000;
  const cpu = process.cpuUsage(cpuStart);
  const measure: WorkersMeasure = { workers, replications, seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, calls, digest };
  process.stdout.write(JSON.stringify(measure) + '\n');
}

function measure(workers: number, timeoutMs: number): WorkersMeasure | string {
  const child = spawnSync(process.execPath, [SELF, `--workers=${workers}`], { encoding: 'utf8', timeout: timeoutMs, stdio: ['ignore', 'pipe', 'pipe'] });
  if (child.error) return `dist/bench/workers.js: ${child.error.message}`;
  if (child.status !== 0) return `dist/bench/workers.js --workers=${workers}: exit ${child.status ?? child.signal}: ${child.stderr.trim().split('\n')[0] ?? ''}`;
  try {
    return JSON.parse(child.stdout.trim().split('\n').pop() ?? '') as WorkersMeasure;
  } catch {
    return 'dist/bench/workers.js: no JSON on stdout';
  }
}

/** `rounds` paired measurements of 1 and `workers` workers, each in a fresh process; the reason instead when one failed. */
export function runWorkersBench(
  rounds = 3,
  workers = 2,
  progress: (msg: string) => void = () => {},
  timeoutMs = 600_000,
): { ok: true; run: WorkersRun } | { ok: false; reason: string } {
  const one: WorkersMeasure[] = [];
  const many: WorkersMeasure[] = [];
  for (let i = 0; i < rounds; i++) {
    for (const w of i % 2 === 0 ? [1, workers] : [workers, 1]) {
      progress(`workers: ${WORKERS_REPLICATIONS} replications on ${w} worker${w > 1 ? 's' : ''}, round ${i + 1}/${rounds}, in a child process`);
      const m = measure(w, timeoutMs);
      if (typeof m === 'string') return { ok: false, reason: m };
      (w === 1 ? one : many).push(m);
    }
  }
  const all = [...one, ...many];
  return {
    ok: true,
    run: {
      file: WORKERS_SCENARIO_FILE,
      duration: WORKERS_DURATION,
      replications: WORKERS_REPLICATIONS,
      workers,
      calls: one[0]?.calls ?? NaN,
      oneWorker: one.map((m) => m.seconds),
      manyWorkers: many.map((m) => m.seconds),
      ratios: one.map((m, i) => m.seconds / many[i]!.seconds),
      oneWorkerCpu: one.map((m) => m.cpuSeconds),
      manyWorkersCpu: many.map((m) => m.cpuSeconds),
      identical: all.every((m) => m.digest === all[0]!.digest && m.calls === all[0]!.calls),
    },
  };
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((e: unknown) => {
    process.stderr.write(`workers bench: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  });
}
