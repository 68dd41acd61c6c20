// The worker threads' speed-up: `callsim run --replications 8 --workers W --quiet --out DIR`
// of the default scenario (one simulated day per replication), the real command in a fresh
// process each time, with W = 1 (every replication in the main thread) and W = 2 (the main
// thread and one worker thread), and next to it what two threads can reach on this machine
// at all (parallel-ceiling.ts: a CPU-bound loop and an allocating one, on 1 thread and on 2),
// measured in the same rounds, since the machine is shared and its load drifts. Rounds
// alternate the order of the two commands (ABBA); every figure is a median of per-round
// figures.
//
// Between the two, a third measurement tells the threads' own start-up and compilation
// apart from the rest: in one process, every thread first runs replications of the scenario
// (so that V8 has compiled the hot code in each, and the worker thread is up), then the 8
// replications are timed on 1 thread and on 2 (`warm`). What the cold command loses
// beyond the warm one is what each thread pays to start: module loading, WebAssembly, JIT.
//
// Per command: the wall time from spawn to exit (what a user waits for: Node's start-up,
// module loading, the YAML, the replications, the summary, the files written), the span
// callsim reports itself in summary.json (`timing.wallSeconds`: the replications alone), and
// the CPU time of the whole process (every thread), read by a preloaded module at exit
// (exit-stats.ts) so the command runs unmodified. The CPU that other processes used during
// each command is read from /proc/stat, to tell a noisy round from a slow one.
//
// `node dist/bench/workers.js [--rounds 3] [--baseline OTHER/dist/bin/callsim.js]` runs this
// section alone; --baseline also measures another build of callsim (e.g. an earlier commit)
// in the same rounds, for a before/after comparison.

import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { simulateOnWorkers, startReplicationWorkers } from '../sim/metrics/replication-pool.js';
import { simulate } from '../sim/metrics/simulate.js';
import { slaServiceLevelThresholds } from '../sim/metrics/summary.js';
import { loadScenario } from '../sim/scenario/load.js';
import type { ExitStats } from './exit-stats.js';
import { runCeiling, type CeilingKind, type CeilingMeasure } from './parallel-ceiling.js';

export const WORKERS_REPLICATIONS = 8;
/** The issue: 8 replications on 2 workers at least 1.8x as fast as on 1. */
export const TARGET_WORKERS_SPEEDUP = 1.8;

const compiled = (file: string): string => fileURLToPath(new URL(file, import.meta.url));
const REPO_ROOT = compiled('../../');
export const CALLSIM_BIN = compiled('../bin/callsim.js');
const EXIT_STATS = pathToFileURL(compiled('./exit-stats.js')).href;

/** One `callsim run`, in one child process. */
export interface CliMeasure {
  readonly workers: number;
  /** Wall seconds from spawn to exit. */
  readonly wallSeconds: number;
  /** summary.json `timing.wallSeconds`: the replications, as callsim times them. */
  readonly runSeconds: number;
  /** CPU seconds of the child, every thread. */
  readonly cpuSeconds: number;
  /** CPU seconds other processes used while it ran (null where /proc/stat is missing). */
  readonly othersCpuSeconds: number | null;
  /** Calls offered over all the replications. */
  readonly calls: number;
  /** SHA-256 of summary.json without its timing block: equal for every W if the threads are right. */
  readonly digest: string;
}

/** The replications alone, in one process whose threads have all run the scenario before (see the top of the file). */
export interface WarmMeasure {
  readonly workers: number;
  /** Wall seconds of the 8 replications on 1 thread and on `workers`, ABBA. */
  readonly one: readonly number[];
  readonly many: readonly number[];
  readonly oneCpu: readonly number[];
  readonly manyCpu: readonly number[];
}

export interface Spread {
  readonly median: number;
  readonly min: number;
  readonly max: number;
  readonly n: number;
}

export function spread(xs: readonly number[]): Spread {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  const median = s.length === 0 ? NaN : s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
  return { median, min: s[0] ?? NaN, max: s[s.length - 1] ?? NaN, n: s.length };
}

export interface WorkersRun {
  readonly command: string;
  readonly replications: number;
  readonly workers: number;
  readonly calls: number;
  /** Per round, in round order: W = 1 and W = `workers`. */
  readonly one: readonly CliMeasure[];
  readonly many: readonly CliMeasure[];
  /** Per round: the wall-time speed-up, whole command and replications alone. */
  readonly ratios: readonly number[];
  readonly runRatios: readonly number[];
  /** The warm replications, one child per round. */
  readonly warm: readonly WarmMeasure[];
  /** The ceilings measured in the same rounds, per kind (one child per kind per round). */
  readonly ceilings: Readonly<Record<CeilingKind, readonly CeilingMeasure[]>>;
  /** Another build measured in the same rounds (--baseline), W = 1 and W = `workers`. */
  readonly baseline?: { readonly bin: string; readonly one: readonly CliMeasure[]; readonly many: readonly CliMeasure[] };
  /** Every command gave the same summary (timing aside), the baseline's included. */
  readonly identical: boolean;
}

let clockTicks: number | undefined;
/** Busy CPU seconds of the whole machine so far (all but idle and iowait), from /proc/stat; null off Linux. */
function machineBusySeconds(): number | null {
  try {
    const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
    clockTicks ??= Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout) || 100;
    const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = cpu;
    return (user + nice + system + irq + softirq + steal) / clockTicks;
  } catch {
    return null;
  }
}

function digestOf(summaryJson: string): { digest: string; calls: number; runSeconds: number } {
  const summary = JSON.parse(summaryJson) as { timing: { wallSeconds: number }; totals: { offered: number } };
  const runSeconds = summary.timing.wallSeconds;
  const digest = createHash('sha256').update(JSON.stringify({ ...summary, timing: null })).digest('hex');
  return { digest, calls: summary.totals.offered, runSeconds };
}

/** `callsim run --replications N --workers W --quiet --out TMP` with `bin`, in a fresh process. */
export function measureCli(workers: number, bin = CALLSIM_BIN, replications = WORKERS_REPLICATIONS, timeoutMs = 600_000): CliMeasure | string {
  const dir = mkdtempSync(join(tmpdir(), 'callsim-bench-workers-'));
  const statsFile = join(dir, 'exit-stats.json');
  const out = join(dir, 'out');
  try {
    const busy = machineBusySeconds();
    const start = performance.now();
    const child = spawnSync(process.execPath, ['--import', EXIT_STATS, bin, 'run', '--replications', String(replications), '--workers', String(workers), '--quiet', '--out', out], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
      timeout: timeoutMs,
      env: { ...process.env, CALLSIM_BENCH_STATS: statsFile, NO_COLOR: '1' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const wallSeconds = (performance.now() - start) / 1000;
    const busyAfter = machineBusySeconds();
    const what = `callsim run --workers ${workers}${bin === CALLSIM_BIN ? '' : ` (${bin})`}`;
    if (child.error) return `${what}: ${child.error.message}`;
    // 1 is a completed run with an SLA failed.
    if (child.status !== 0 && child.status !== 1) return `${what}: exit ${child.status ?? child.signal}: ${child.stderr.trim().split('\n')[0] ?? ''}`;
    const stats = JSON.parse(readFileSync(statsFile, 'utf8')) as ExitStats;
    const { digest, calls, runSeconds } = digestOf(readFileSync(join(out, 'summary.json'), 'utf8'));
    const othersCpuSeconds = busy === null || busyAfter === null ? null : Math.max(0, busyAfter - busy - stats.cpuSeconds);
    return { workers, wallSeconds, runSeconds, cpuSeconds: stats.cpuSeconds, othersCpuSeconds, calls, digest };
  } catch (e) {
    return `callsim run --workers ${workers}: ${e instanceof Error ? e.message : String(e)}`;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const DEFAULT_SCENARIO_FILE = join(REPO_ROOT, 'scenarios/12333-province.yaml');

/** The child of `runWarm`: `pairs` paired timings of the replications on 1 thread and on `workers`, every thread warmed first. */
async function warmChild(workers: number, pairs: number): Promise<WarmMeasure> {
  const scenario = loadScenario(DEFAULT_SCENARIO_FILE);
  const options = { serviceLevelThresholds: slaServiceLevelThresholds(scenario) };
  // The runners destroy every collector once it is folded: these timings keep nothing.
  const drop = (): void => {};
  const pool = startReplicationWorkers(workers - 1);
  const cpu = (): number => {
    const c = process.cpuUsage();
    return (c.user + c.system) / 1e6;
  };
  try {
    // Two replications in this thread, then two on each worker thread, before any timing.
    await simulate(scenario, 2, drop, options);
    await simulateOnWorkers(scenario, 2 * (workers - 1), drop, { ...options, workers: workers - 1, thisThread: false, pool });
    const out = { one: [] as number[], many: [] as number[], oneCpu: [] as number[], manyCpu: [] as number[] };
    for (let p = 0; p < pairs; p++) {
      for (const w of p % 2 === 0 ? [1, workers] : [workers, 1]) {
        const c0 = cpu();
        const start = performance.now();
        if (w === 1) await simulate(scenario, WORKERS_REPLICATIONS, drop, options);
        else await simulateOnWorkers(scenario, WORKERS_REPLICATIONS, drop, { ...options, workers: w, pool });
        (w === 1 ? out.one : out.many).push((performance.now() - start) / 1000);
        (w === 1 ? out.oneCpu : out.manyCpu).push(cpu() - c0);
      }
    }
    return { workers, ...out };
  } finally {
    await pool.destroy();
  }
}

/** The warm measurement in a fresh process; the reason instead when it failed. */
export function runWarm(workers: number, pairs = 1, timeoutMs = 600_000): WarmMeasure | string {
  const child = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--warm-child', `--workers=${workers}`, `--pairs=${pairs}`], { encoding: 'utf8', timeout: timeoutMs });
  const what = 'dist/bench/workers.js --warm-child';
  if (child.error) return `${what}: ${child.error.message}`;
  if (child.status !== 0) return `${what}: exit ${child.status ?? child.signal}: ${child.stderr.trim().split('\n')[0] ?? ''}`;
  try {
    return JSON.parse(child.stdout.trim().split('\n').pop() ?? '') as WarmMeasure;
  } catch {
    return `${what}: no JSON on stdout`;
  }
}

export interface WorkersBenchOptions {
  readonly rounds?: number;
  readonly workers?: number;
  /** Another build's dist/bin/callsim.js, measured in the same rounds. */
  readonly baseline?: string;
  /** Paired runs per ceiling child (1 thread, 2 threads, then 2, 1, ...). */
  readonly ceilingPairs?: number;
  readonly progress?: (msg: string) => void;
}

/** `rounds` rounds of: `callsim run` on 1 and `workers` threads (ABBA), then each ceiling; the reason instead when one failed. */
export function runWorkersBench(o: WorkersBenchOptions = {}): { ok: true; run: WorkersRun } | { ok: false; reason: string } {
  const rounds = o.rounds ?? 3;
  const workers = o.workers ?? 2;
  const progress = o.progress ?? (() => {});
  const one: CliMeasure[] = [];
  const many: CliMeasure[] = [];
  const baseOne: CliMeasure[] = [];
  const baseMany: CliMeasure[] = [];
  const ceilings: Record<CeilingKind, CeilingMeasure[]> = { cpu: [], alloc: [] };
  const warm: WarmMeasure[] = [];
  const bins = o.baseline === undefined ? [CALLSIM_BIN] : [CALLSIM_BIN, o.baseline];
  for (let i = 0; i < rounds; i++) {
    const order = i % 2 === 0 ? [1, workers] : [workers, 1];
    for (const bin of i % 2 === 0 ? bins : [...bins].reverse()) {
      for (const w of order) {
        const label = bin === CALLSIM_BIN ? '' : ' (baseline build)';
        progress(`workers: callsim run --replications ${WORKERS_REPLICATIONS} --workers ${w}${label}, round ${i + 1}/${rounds}, in a child process`);
        const m = measureCli(w, bin);
        if (typeof m === 'string') return { ok: false, reason: m };
        if (bin === CALLSIM_BIN) (w === 1 ? one : many).push(m);
        else (w === 1 ? baseOne : baseMany).push(m);
      }
    }
    progress(`workers: the replications with every thread warmed up first, 1 and ${workers} threads, round ${i + 1}/${rounds}, in a child process`);
    const wm = runWarm(workers);
    if (typeof wm === 'string') return { ok: false, reason: wm };
    warm.push(wm);
    for (const kind of ['cpu', 'alloc'] as const) {
      progress(`workers: hardware ceiling, ${kind === 'cpu' ? 'a CPU-bound' : 'an allocating'} loop on 1 and 2 threads, round ${i + 1}/${rounds}, in a child process`);
      const c = runCeiling(kind, o.ceilingPairs ?? 2);
      if (!c.ok) return { ok: false, reason: c.reason };
      ceilings[kind].push(c.run);
    }
  }
  const all = [...one, ...many, ...baseOne, ...baseMany];
  return {
    ok: true,
    run: {
      command: `callsim run --replications ${WORKERS_REPLICATIONS} --workers W --quiet --out DIR`,
      replications: WORKERS_REPLICATIONS,
      workers,
      calls: one[0]?.calls ?? NaN,
      one,
      many,
      ratios: one.map((m, i) => m.wallSeconds / many[i]!.wallSeconds),
      runRatios: one.map((m, i) => m.runSeconds / many[i]!.runSeconds),
      warm,
      ceilings,
      ...(o.baseline !== undefined && { baseline: { bin: o.baseline, one: baseOne, many: baseMany } }),
      identical: all.every((m) => m.digest === all[0]!.digest && m.calls === all[0]!.calls),
    },
  };
}

/** The figures the bench judges and prints, from a run. */
export interface WorkersFigures {
  /** Whole command, W over 1: the figure held against the target. */
  readonly speedup: Spread;
  /** The replications alone (summary.json timing). */
  readonly runSpeedup: Spread;
  /** The replications alone, every thread warmed up first. */
  readonly warmSpeedup: Spread;
  /** What two threads reach on a CPU-bound loop and on an allocating one (medians of every pair of the rounds). */
  readonly ceiling: Readonly<Record<CeilingKind, Spread>>;
  /** speedup / ceiling: the share of the reachable speed-up we get. */
  readonly shareOfCeiling: Readonly<Record<CeilingKind, number>>;
  /**
   * Amdahl's bound on the whole command's speed-up, per round: the 1-worker command's serial
   * part (wall time outside the replications: Node's start, the modules, the YAML, the
   * summary and files) stays, and only its replications speed up, by the CPU-bound loop's
   * ceiling (`cpu`) or by what warmed-up threads reached on them (`warm`).
   */
  readonly bound: { readonly serialSeconds: Spread; readonly cpu: Spread; readonly warm: Spread };
  readonly met: boolean;
}

/** Amdahl: `serial` seconds stay, `parallel` seconds go `speedup` times faster. */
export function amdahl(serial: number, parallel: number, speedup: number): number {
  return (serial + parallel) / (serial + parallel / speedup);
}

export function workersFigures(run: WorkersRun): WorkersFigures {
  const speedup = spread(run.ratios);
  const ceiling = { cpu: spread(run.ceilings.cpu.flatMap((c) => c.ratios)), alloc: spread(run.ceilings.alloc.flatMap((c) => c.ratios)) };
  const warmSpeedup = spread(run.warm.flatMap((m) => m.one.map((s, i) => s / m.many[i]!)));
  const serial = run.one.map((m) => Math.max(0, m.wallSeconds - m.runSeconds));
  return {
    speedup,
    runSpeedup: spread(run.runRatios),
    warmSpeedup,
    ceiling,
    shareOfCeiling: { cpu: speedup.median / ceiling.cpu.median, alloc: speedup.median / ceiling.alloc.median },
    bound: {
      serialSeconds: spread(serial),
      cpu: spread(run.one.map((m, i) => amdahl(serial[i]!, m.runSeconds, ceiling.cpu.median))),
      warm: spread(run.one.map((m, i) => amdahl(serial[i]!, m.runSeconds, warmSpeedup.median))),
    },
    met: speedup.median >= TARGET_WORKERS_SPEEDUP,
  };
}

/** The lines the bench prints under its targets, after the target line itself. */
export function workersLines(run: WorkersRun): string[] {
  const f = workersFigures(run);
  const s = (xs: readonly number[]): string => spread(xs).median.toFixed(2);
  const range = (sp: Spread): string => `${sp.median.toFixed(2)}x (${sp.min.toFixed(2)} .. ${sp.max.toFixed(2)})`;
  const pct = (x: number): string => `${(100 * x).toFixed(0)} %`;
  const others = (ms: readonly CliMeasure[]): string => {
    const per = ms.filter((m) => m.othersCpuSeconds !== null).map((m) => m.othersCpuSeconds! / m.wallSeconds);
    return per.length === 0 ? '?' : spread(per).median.toFixed(2);
  };
  const w = run.workers;
  const lines = [
    `  workers: \`${run.command}\` on the default scenario (${run.calls.toLocaleString('en-US')} calls), ${run.one.length} round${run.one.length === 1 ? '' : 's'}, medians:`,
    `    1 worker ${s(run.one.map((m) => m.wallSeconds))} s, ${w} workers ${s(run.many.map((m) => m.wallSeconds))} s: speed-up ${range(f.speedup)}, whole command`,
    `    replications alone (summary.json timing): ${s(run.one.map((m) => m.runSeconds))} s and ${s(run.many.map((m) => m.runSeconds))} s: ${range(f.runSpeedup)}`,
    `    the same replications with every thread warmed up first (no start-up, no compiling): ${s(run.warm.flatMap((m) => m.one))} s and ${s(run.warm.flatMap((m) => m.many))} s: ${range(f.warmSpeedup)}; ` +
      `CPU ${s(run.warm.flatMap((m) => m.oneCpu))} s and ${s(run.warm.flatMap((m) => m.manyCpu))} s`,
    `    CPU ${s(run.one.map((m) => m.cpuSeconds))} s and ${s(run.many.map((m) => m.cpuSeconds))} s (${w} workers spend ${pct(spread(run.many.map((m, i) => m.cpuSeconds / run.one[i]!.cpuSeconds)).median - 1)} more); ` +
      `other processes used ${others(run.one)} and ${others(run.many)} CPUs meanwhile`,
    `    hardware ceiling in the same rounds, 2 threads over 1: CPU-bound loop ${range(f.ceiling.cpu)}, allocating loop ${range(f.ceiling.alloc)}; ` +
      `our speed-up is ${pct(f.shareOfCeiling.cpu)} of the first, ${pct(f.shareOfCeiling.alloc)} of the second`,
    `    the most the whole command can gain here (Amdahl: its ${f.bound.serialSeconds.median.toFixed(2)} s outside the replications stay): ` +
      `${range(f.bound.cpu)} if the replications scaled as the CPU-bound loop, ${range(f.bound.warm)} as warmed-up threads ran them`,
  ];
  if (run.baseline !== undefined) {
    const b = run.baseline;
    const bs = spread(b.one.map((m, i) => m.wallSeconds / b.many[i]!.wallSeconds));
    lines.push(
      `    baseline build (${b.bin}): 1 worker ${s(b.one.map((m) => m.wallSeconds))} s, ${w} workers ${s(b.many.map((m) => m.wallSeconds))} s: ${range(bs)}; ` +
        `CPU ${s(b.one.map((m) => m.cpuSeconds))} s and ${s(b.many.map((m) => m.cpuSeconds))} s; ` +
        `this build's ${w} workers over the baseline's: ${range(spread(b.many.map((m, i) => m.wallSeconds / run.many[i]!.wallSeconds)))}`,
    );
  }
  lines.push(run.identical ? '    every command wrote the same summary.json (timing aside)' : '    WARNING: the summaries differ between commands');
  return lines;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({
    options: {
      rounds: { type: 'string', default: '3' },
      workers: { type: 'string', default: '2' },
      baseline: { type: 'string' },
      json: { type: 'boolean', default: false },
      'warm-child': { type: 'boolean', default: false },
      pairs: { type: 'string', default: '1' },
    },
  });
  if (values['warm-child']) {
    const m = await warmChild(Number(values.workers), Number(values.pairs));
    process.stdout.write(JSON.stringify(m) + '\n');
    process.exit(0);
  }
  const rounds = Number(values.rounds);
  const workers = Number(values.workers);
  if (!(Number.isInteger(rounds) && rounds > 0 && Number.isInteger(workers) && workers > 1)) {
    process.stderr.write('usage: node dist/bench/workers.js [--rounds 3] [--workers 2] [--baseline OTHER/dist/bin/callsim.js] [--json]\n');
    process.exit(2);
  }
  const r = runWorkersBench({ rounds, workers, ...(values.baseline !== undefined && { baseline: values.baseline }), progress: (m) => process.stderr.write(`bench: ${m}\n`) });
  if (!r.ok) {
    process.stderr.write(`workers bench: ${r.reason}\n`);
    process.exitCode = 1;
  } else if (values.json) {
    process.stdout.write(JSON.stringify({ ...r.run, figures: workersFigures(r.run) }, null, 2) + '\n');
  } else {
    const f = workersFigures(r.run);
    process.stdout.write(
      [`workers, ${workers} over 1: ${f.speedup.median.toFixed(2)}x, target >= ${TARGET_WORKERS_SPEEDUP}x: ${f.met ? 'met' : 'NOT met'}`, ...workersLines(r.run)].join('\n') + '\n',
    );
  }
}
