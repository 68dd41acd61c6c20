// `npm run bench`: the kernel's speed on M/M/c+M (c = 170, 1 call/s, talk 180 s, patience
// 90 s) as ratios against references measured in the same run, a bare hand-written heap
// loop and SimPy, since absolute figures on a shared, noisy machine mean little. Also the
// wall time of one simulated day of the full callsim model, the default scenario's day
// (in-process and as `callsim run`), and the peak RSS of a 1,000,000-call run against a
// 100,000-call one, and the worker pool's speed-up (8 replications on 2 workers against 1,
// bench/workers.ts). It reports; it never fails on a missed target (tests assert,
// benchmarks report).

import os from 'node:os';
import { parseArgs } from 'node:util';
import { runBareLoop } from './bare-loop.js';
import { runCli, runDefaultDay, runMemory, type CliRun, type Outcome } from './children.js';
import type { DefaultDayRun } from './default-day.js';
import { runFullModel, type FullModelRun } from './full-model.js';
import { runKernelModel } from './kernel-model.js';
import { erlangA } from '../sim/acd/erlang.js';
import { exposeGc } from './gc.js';
import type { MemoryRun } from './million.js';
import { ISSUE_MODEL, MILLION_MODEL, type MmcParams, type MmcResult } from './mmc.js';
import { DEFAULT_PYTHON, runSimpy, type SimpyRun } from './simpy.js';
import { runCodecBench, type CodecBenchRun } from './sip-codec.js';
import { loadRateBench, loadRateLines } from './load-rate.js';
import { sipBenchLines } from './sip-bench.js';
import { runWorkersBench, TARGET_WORKERS_SPEEDUP, workersFigures, workersLines, type WorkersRun } from './workers.js';

const TARGET_KERNEL_VS_BARE = 0.5;
const TARGET_KERNEL_VS_SIMPY = 15;
const TARGET_FULL_DAY_SECONDS = 1;
/** The issue: the default scenario's day in under 10 s for `npx callsim run`, start-up included. */
const TARGET_DEFAULT_DAY_SECONDS = 10;
/** The issue: a 1,000,000-call run stays under 300 MB RSS. */
const TARGET_MILLION_RSS_MB = 300;
/** The comparison run: the same model (rate, agents, calls in the system), a tenth of the duration. */
const SMALL_RUN_FRACTION = 0.1;
/**
 * The issue asks for the codec's messages per second, with no target of its own. This floor is
 * ours: for a 1,000,000-call day with SIP signalling in under 60 s, the codec must do well over
 * 300,000 parse+serialize per second of a call's messages. Judged as a ratio to a JSON round
 * trip of the same messages measured in the same run (bench/sip-codec.ts says why): on the
 * 2-core development container that reference does about 140,000 messages per CPU second, so
 * 2.2x is about 300,000 there (measured 2.47-2.64x on 2026-11-23).
 */
const TARGET_CODEC_VS_JSON = 2.2;

interface Options {
  reps: number;
  days: number;
  simpyReps: number;
  simpyDuration: number;
  fullReps: number;
  defaultReps: number;
  seed: number;
  python: string;
  skipSimpy: boolean;
  skipMillion: boolean;
  skipWorkers: boolean;
  workersRounds: number;
  skipCodec: boolean;
  codecReps: number;
  skipSip: boolean;
  skipLoad: boolean;
  sipFraction: number;
  json: boolean;
}

function options(): Options {
  const { values } = parseArgs({
    options: {
      reps: { type: 'string', default: '9' },
      days: { type: 'string', default: '1' },
      'simpy-reps': { type: 'string', default: '3' },
      'simpy-duration': { type: 'string', default: '21600' },
      'full-reps': { type: 'string', default: '3' },
      'default-reps': { type: 'string', default: '3' },
      seed: { type: 'string', default: '1' },
      python: { type: 'string', default: process.env['SIMPY_PYTHON'] ?? DEFAULT_PYTHON },
      'skip-simpy': { type: 'boolean', default: false },
      'skip-million': { type: 'boolean', default: false },
      'skip-workers': { type: 'boolean', default: false },
      'workers-rounds': { type: 'string', default: '3' },
      'skip-codec': { type: 'boolean', default: false },
      'codec-reps': { type: 'string', default: '9' },
      'skip-sip': { type: 'boolean', default: false },
      'skip-load': { type: 'boolean', default: false },
      'sip-fraction': { type: 'string', default: '0.1' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(
      'usage: node dist/bench/run.js [--reps 9] [--days 1] [--simpy-reps 3] [--simpy-duration 21600]\n' +
        '                             [--full-reps 3] [--default-reps 3] [--seed 1] [--python /usr/bin/python3]\n' +
        '                             [--skip-simpy] [--skip-million] [--skip-workers] [--workers-rounds 3] [--skip-codec] [--codec-reps 9]\n' +
        '                             [--skip-sip] [--sip-fraction 0.1] [--skip-load]\n' +
        '                             [--json]\n',
    );
    process.exit(0);
  }
  const positive = (name: string, v: string, integer = true): number => {
    const n = Number(v);
    if (!(n > 0) || (integer && !Number.isInteger(n))) {
      process.stderr.write(`bench: --${name} must be a positive ${integer ? 'integer' : 'number'}, got "${v}"\n`);
      process.exit(2);
    }
    return n;
  };
  return {
    reps: positive('reps', values.reps),
    days: positive('days', values.days, false),
    simpyReps: positive('simpy-reps', values['simpy-reps']),
    simpyDuration: positive('simpy-duration', values['simpy-duration'], false),
    fullReps: positive('full-reps', values['full-reps']),
    defaultReps: positive('default-reps', values['default-reps']),
    seed: positive('seed', values.seed),
    python: values.python,
    skipSimpy: values['skip-simpy'],
    skipMillion: values['skip-million'],
    skipWorkers: values['skip-workers'],
    workersRounds: positive('workers-rounds', values['workers-rounds']),
    skipCodec: values['skip-codec'],
    codecReps: positive('codec-reps', values['codec-reps']),
    skipSip: values['skip-sip'],
    skipLoad: values['skip-load'],
    sipFraction: positive('sip-fraction', values['sip-fraction'], false),
    json: values.json,
  };
}

const gc = exposeGc();

function timed<R>(f: () => R): { result: R; seconds: number } {
  gc();
  const start = performance.now();
  const result = f();
  return { result, seconds: (performance.now() - start) / 1000 };
}

interface Spread {
  median: number;
  min: number;
  max: number;
  n: number;
}

function spread(xs: readonly number[]): Spread {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  const median = s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
  return { median, min: s[0]!, max: s[s.length - 1]!, n: s.length };
}

const progress = (msg: string): void => {
  process.stderr.write(`bench: ${msg}\n`);
};

interface Target {
  readonly name: string;
  readonly value: number | null;
  readonly target: string;
  /** null: not measured. */
  readonly met: boolean | null;
}

function sameModel(a: MmcResult, b: MmcResult): boolean {
  return a.calls === b.calls && a.answered === b.answered && a.abandoned === b.abandoned && a.events === b.events && a.endTime === b.endTime;
}

function main(): void {
  const o = options();
  const model: MmcParams = { ...ISSUE_MODEL, seed: o.seed, duration: o.days * 86_400 };
  const day: MmcParams = { ...ISSUE_MODEL, seed: o.seed };
  const rssBefore = process.memoryUsage.rss();

  // 1. The full model first, in a fresh process, so that its RSS is its own (plus Node's).
  const full: FullModelRun[] = [];
  for (let i = 0; i < o.fullReps; i++) {
    progress(`full callsim model, one day, run ${i + 1}/${o.fullReps}`);
    gc();
    full.push(runFullModel(day));
  }

  // 2. Kernel and bare loop, alternating (ABBA) so that drift in the machine's load hits both.
  progress('kernel and bare loop: warm-up');
  const kernelFirst = runKernelModel(model);
  const bareFirst = runBareLoop(model);
  const kernelRate: number[] = [];
  const bareRate: number[] = [];
  const paired: number[] = [];
  for (let i = 0; i < o.reps; i++) {
    progress(`kernel and bare loop, repetition ${i + 1}/${o.reps}`);
    const runK = () => timed(() => runKernelModel(model));
    const runB = () => timed(() => runBareLoop(model));
    let k: ReturnType<typeof runK>;
    let b: ReturnType<typeof runB>;
    if (i % 2 === 0) {
      k = runK();
      b = runB();
    } else {
      b = runB();
      k = runK();
    }
    const kr = k.result.events / k.seconds;
    const br = b.result.events / b.seconds;
    kernelRate.push(kr);
    bareRate.push(br);
    paired.push(kr / br);
  }

  // 3. SimPy, in a child process, on a shorter horizon (it is ~100x slower); normalised per event.
  const simpyParams: MmcParams = { ...ISSUE_MODEL, seed: o.seed, duration: o.simpyDuration };
  const simpy: SimpyRun[] = [];
  let simpyMissing: string | undefined = o.skipSimpy ? 'skipped (--skip-simpy)' : undefined;
  for (let i = 0; i < o.simpyReps && simpyMissing === undefined; i++) {
    progress(`SimPy (${o.python}), ${o.simpyDuration} s simulated, run ${i + 1}/${o.simpyReps}`);
    const r = runSimpy(simpyParams, o.python);
    if (r.ok) simpy.push(r.run);
    else simpyMissing = r.reason;
  }
  if (simpyMissing !== undefined) simpy.length = 0;

  // 4. The default scenario (IVR, ten centers), in child processes: simulateOnce in one, then `callsim run` as a user runs it.
  progress(`default scenario, simulateOnce x ${o.defaultReps}, in a child process`);
  const defaultDay = runDefaultDay(o.defaultReps);
  const cli: CliRun[] = [];
  let cliMissing: string | undefined;
  for (let i = 0; i < o.defaultReps && cliMissing === undefined; i++) {
    progress(`default scenario, callsim run --quiet, run ${i + 1}/${o.defaultReps}`);
    const r = runCli();
    if (r.ok) cli.push(r.run);
    else cliMissing = r.reason;
  }
  if (cliMissing !== undefined) cli.length = 0;

  // 5. Memory: ~1,000,000 calls, and a tenth of them on the same model, each in a fresh process.
  const millionParams: MmcParams = { ...MILLION_MODEL, seed: o.seed };
  const smallParams: MmcParams = { ...millionParams, duration: millionParams.duration * SMALL_RUN_FRACTION };
  let small: Outcome<MemoryRun> = { ok: false, reason: 'skipped (--skip-million)' };
  let million: Outcome<MemoryRun> = small;
  if (!o.skipMillion) {
    progress(`memory: full model, ~${Math.round(smallParams.rate * smallParams.duration).toLocaleString('en-US')} calls, in a child process`);
    small = runMemory(smallParams);
    progress(`memory: full model, ~${Math.round(millionParams.rate * millionParams.duration).toLocaleString('en-US')} calls, in a child process`);
    million = runMemory(millionParams);
  }

  // 6. Worker threads: `callsim run --replications 8` on 1 and on 2, with the hardware's own ceiling for two threads, in child processes.
  let workers: Outcome<WorkersRun> = { ok: false, reason: 'skipped (--skip-workers)' };
  if (!o.skipWorkers) {
    workers = runWorkersBench({ rounds: o.workersRounds, workers: 2, progress });
  }

  // 7. The SIP codec on a call's messages, against a JSON round trip of them, in a child process.
  let codec: Outcome<CodecBenchRun> = { ok: false, reason: 'skipped (--skip-codec)' };
  if (!o.skipCodec) {
    progress(`SIP codec, the messages of 100 calls, ${o.codecReps} repetitions, in a child process`);
    codec = runCodecBench(o.codecReps);
  }

  const k = spread(kernelRate);
  const b = spread(bareRate);
  const kb = spread(paired);
  const s = simpy.length > 0 ? spread(simpy.map((r) => r.events / r.wallSeconds)) : undefined;
  const f = spread(full.map((r) => r.wallSeconds));
  const fullRate = spread(full.map((r) => r.events / r.wallSeconds));
  const lastFull = full[full.length - 1]!;
  // The stationary exact value (sim/acd/erlang.ts); a day that starts empty sits a little below it.
  const exactAbandon = erlangA({ arrivalRate: model.rate, aht: model.talk, agents: model.agents, patience: model.patience, target: 20 }).abandonProbability;
  const targets: Target[] = [
    { name: 'kernel / bare loop', value: kb.median, target: `>= ${TARGET_KERNEL_VS_BARE}`, met: kb.median >= TARGET_KERNEL_VS_BARE },
    s === undefined
      ? { name: 'kernel / SimPy', value: null, target: `>= ${TARGET_KERNEL_VS_SIMPY}`, met: null }
      : { name: 'kernel / SimPy', value: k.median / s.median, target: `>= ${TARGET_KERNEL_VS_SIMPY}`, met: k.median / s.median >= TARGET_KERNEL_VS_SIMPY },
    { name: 'full model, one day (s)', value: f.median, target: `< ${TARGET_FULL_DAY_SECONDS}`, met: f.median < TARGET_FULL_DAY_SECONDS },
  ];
  const dd = defaultDay.ok ? defaultDay.run : undefined;
  const ddWall = dd === undefined ? undefined : spread(dd.wallSeconds);
  const cliWall = cli.length > 0 ? spread(cli.map((r) => r.wallSeconds)) : undefined;
  const mil = million.ok ? million.run : undefined;
  const sml = small.ok ? small.run : undefined;
  const MB = 1048576;
  targets.push(
    { name: 'default scenario, simulateOnce (s)', value: ddWall?.median ?? null, target: `< ${TARGET_DEFAULT_DAY_SECONDS}`, met: ddWall === undefined ? null : ddWall.median < TARGET_DEFAULT_DAY_SECONDS },
    { name: 'default scenario, callsim run (s)', value: cliWall?.median ?? null, target: `< ${TARGET_DEFAULT_DAY_SECONDS}`, met: cliWall === undefined ? null : cliWall.median < TARGET_DEFAULT_DAY_SECONDS },
    { name: '1,000,000 calls, peak RSS (MB)', value: mil === undefined ? null : mil.peakRss / MB, target: `< ${TARGET_MILLION_RSS_MB}`, met: mil === undefined ? null : mil.peakRss / MB < TARGET_MILLION_RSS_MB },
  );
  const wk = workers.ok ? workers.run : undefined;
  const wkFigures = wk === undefined ? undefined : workersFigures(wk);
  const workersTarget: Target = {
    name: 'workers, 2 over 1, 8 replications',
    value: wkFigures?.speedup.median ?? null,
    target: `>= ${TARGET_WORKERS_SPEEDUP}`,
    met: wkFigures?.met ?? null,
  };
  targets.push(workersTarget);
  const cd = codec.ok ? codec.run.mix : undefined;
  const codecTarget: Target = {
    name: 'SIP codec / JSON round trip',
    value: cd?.ratio.median ?? null,
    target: `>= ${TARGET_CODEC_VS_JSON}`,
    met: cd === undefined ? null : cd.ratio.median >= TARGET_CODEC_VS_JSON,
  };
  targets.push(codecTarget);
  const maxRss = process.resourceUsage().maxRSS * 1024;

  if (o.json) {
    const out = {
      model: { ...model, simpyDuration: o.simpyDuration },
      machine: { node: process.version, cpus: os.cpus().length, cpu: os.cpus()[0]?.model ?? '?', loadavg: os.loadavg() },
      kernel: { eventsPerSecond: k, result: kernelFirst },
      bare: { eventsPerSecond: b, result: bareFirst, identicalToKernel: sameModel(kernelFirst, bareFirst) },
      simpy: s === undefined ? { unavailable: simpyMissing } : { eventsPerSecond: s, result: simpy[0], python: o.python },
      full: { wallSeconds: f, coldSeconds: full[0]!.wallSeconds, eventsPerSecond: fullRate, result: lastFull },
      ratios: {
        kernelOverBare: kb,
        kernelOverSimpy: s === undefined ? null : { median: k.median / s.median, min: k.min / s.max, max: k.max / s.min },
      },
      defaultScenario:
        dd === undefined || ddWall === undefined
          ? { unavailable: defaultDay.ok ? null : defaultDay.reason }
          : {
              file: dd.file,
              name: dd.name,
              seed: dd.seed,
              calls: dd.calls,
              answered: dd.answered,
              abandoned: dd.abandoned,
              events: dd.events,
              loadSeconds: dd.loadSeconds,
              simulateOnceSeconds: ddWall,
              coldSeconds: dd.wallSeconds[0],
              callsPerSecond: dd.calls / ddWall.median,
              secondsPerSimulatedDay: ddWall.median / (dd.duration / 86_400),
            },
      callsimRun: cliWall === undefined ? { unavailable: cliMissing } : { command: 'node dist/bin/callsim.js run --quiet', wallSeconds: cliWall, exitCodes: cli.map((r) => r.status) },
      million: o.skipMillion
        ? { skipped: true }
        : {
            model: millionParams,
            smallRunDuration: smallParams.duration,
            calls1M: million.ok ? million.run : { unavailable: million.reason },
            calls100k: small.ok ? small.run : { unavailable: small.reason },
            peakGrowthBytes: mil !== undefined && sml !== undefined ? mil.peakRss - sml.peakRss : null,
          },
      workers: wk === undefined || wkFigures === undefined ? { unavailable: workers.ok ? null : workers.reason } : { ...wk, figures: wkFigures },
      sipCodec: codec.ok ? codec.run : { unavailable: codec.reason },
      erlangAAbandonment: exactAbandon,
      memory: { rssBefore, rssAfterFullModel: lastFull.rssAfter, maxRss },
      targets,
    };
    process.stdout.write(JSON.stringify(out, null, 2) + '\n');
    return;
  }

  const lines: string[] = [];
  const p = (...xs: string[]): void => void lines.push(xs.join(''));
  const hours = (sec: number): string => (sec % 86_400 === 0 ? `${sec / 86_400} d` : `${+(sec / 3600).toFixed(2)} h`);
  const rate = (x: number): string => (x >= 1e6 ? `${(x / 1e6).toFixed(2)} M` : x >= 1e3 ? `${(x / 1e3).toFixed(1)} k` : x.toFixed(0));
  const row = (name: string, horizon: string, sp: Spread) =>
    p(
      name.padEnd(24),
      horizon.padStart(7),
      String(sp.n).padStart(6),
      `${rate(sp.median)}`.padStart(13),
      `${rate(sp.min)} .. ${rate(sp.max)}`.padStart(22),
      `${(1e9 / sp.median).toFixed(0)}`.padStart(10),
    );
  const verdict = (met: boolean | null): string => (met === null ? 'not measured' : met ? 'met' : 'NOT met');

  p(`callsim bench: M/M/c+M, c = ${model.agents}, ${model.rate} call/s, talk exp ${model.talk} s, patience exp ${model.patience} s, seed ${model.seed}`);
  p(`node ${process.version}, ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? '?'}), load average ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}`);
  p('');
  p('events/s'.padEnd(24), 'horizon'.padStart(7), 'runs'.padStart(6), 'median'.padStart(13), 'spread (min .. max)'.padStart(22), 'ns/event'.padStart(10));
  row('kernel (sim/kernel)', hours(model.duration), k);
  row('bare heap loop', hours(model.duration), b);
  if (s !== undefined) row(`SimPy ${simpy[0]!.simpy} (py ${simpy[0]!.python})`, hours(o.simpyDuration), s);
  else p('SimPy'.padEnd(24), `  not measured: ${simpyMissing}`);
  row('full callsim model', '1 d', fullRate);
  p('');
  p('ratios and targets');
  p(
    '  kernel / bare loop     ',
    `${kb.median.toFixed(2)}`.padStart(8),
    `   (per-repetition pairs ${kb.min.toFixed(2)} .. ${kb.max.toFixed(2)})`.padEnd(44),
    `target >= ${TARGET_KERNEL_VS_BARE}`.padEnd(16),
    verdict(targets[0]!.met),
  );
  if (s !== undefined) {
    p(
      '  kernel / SimPy         ',
      `${(k.median / s.median).toFixed(1)}x`.padStart(8),
      `   (${(k.min / s.max).toFixed(1)}x .. ${(k.max / s.min).toFixed(1)}x)`.padEnd(44),
      `target >= ${TARGET_KERNEL_VS_SIMPY}x`.padEnd(16),
      verdict(targets[1]!.met),
    );
  } else {
    p('  kernel / SimPy         ', '       -', '   (SimPy not measured)'.padEnd(44), `target >= ${TARGET_KERNEL_VS_SIMPY}x`.padEnd(16), 'not measured');
  }
  p(
    '  full model, one day    ',
    `${f.median.toFixed(3)} s`.padStart(8),
    `   (${f.min.toFixed(3)} .. ${f.max.toFixed(3)} s; first, cold: ${full[0]!.wallSeconds.toFixed(3)} s)`.padEnd(44),
    `target < ${TARGET_FULL_DAY_SECONDS} s`.padEnd(16),
    verdict(targets[2]!.met),
  );
  p(`  full model throughput  ${rate(lastFull.calls / f.median)} calls/s of wall time (${lastFull.calls} calls in the day)`);
  const targetLine = (name: string, value: string, detail: string, target: string, met: boolean | null): void =>
    p(`  ${name}`.padEnd(25), value.padStart(8), `   (${detail})`.padEnd(43) + ' ', target.padEnd(16), verdict(met));
  const n = (x: number): string => x.toLocaleString('en-US');
  if (dd !== undefined && ddWall !== undefined) {
    targetLine(
      'default day, simulate',
      `${ddWall.median.toFixed(2)} s`,
      `${ddWall.min.toFixed(2)} .. ${ddWall.max.toFixed(2)} s; first, cold: ${dd.wallSeconds[0]!.toFixed(2)} s`,
      `target < ${TARGET_DEFAULT_DAY_SECONDS} s`,
      targets[3]!.met,
    );
  } else {
    p('  default day, simulate ', `    not measured: ${defaultDay.ok ? '?' : defaultDay.reason}`);
  }
  if (cliWall !== undefined) {
    targetLine(
      'callsim run, default',
      `${cliWall.median.toFixed(2)} s`,
      `${cliWall.min.toFixed(2)} .. ${cliWall.max.toFixed(2)} s; start-up and report in`,
      `target < ${TARGET_DEFAULT_DAY_SECONDS} s`,
      targets[4]!.met,
    );
  } else {
    p('  callsim run, default   ', `    not measured: ${cliMissing}`);
  }
  if (dd !== undefined && ddWall !== undefined) {
    p(
      `  default day throughput  ${rate(dd.calls / ddWall.median)} calls/s of wall time (${n(dd.calls)} calls), ` +
        `${(ddWall.median / (dd.duration / 86_400)).toFixed(2)} s per simulated day; loading the YAML ${dd.loadSeconds.toFixed(2)} s`,
    );
  }
  if (mil !== undefined) {
    targetLine(
      '1M calls, peak RSS',
      `${(mil.peakRss / MB).toFixed(0)} MB`,
      `${n(mil.calls)} calls${sml === undefined ? '' : `; ${n(sml.calls)} calls: ${(sml.peakRss / MB).toFixed(0)} MB`}`,
      `target < ${TARGET_MILLION_RSS_MB} MB`,
      targets[5]!.met,
    );
  } else {
    p('  1M calls, peak RSS     ', `    not measured: ${million.ok ? '?' : million.reason}`);
  }
  if (wk !== undefined && wkFigures !== undefined) {
    targetLine(
      'workers, 2 over 1',
      `${wkFigures.speedup.median.toFixed(2)}x`,
      `${wkFigures.speedup.min.toFixed(2)}x .. ${wkFigures.speedup.max.toFixed(2)}x; ${(100 * wkFigures.shareOfCeiling.cpu).toFixed(0)} % of the ceiling`,
      `target >= ${TARGET_WORKERS_SPEEDUP}x`,
      workersTarget.met,
    );
    for (const line of workersLines(wk)) p(line);
  } else {
    p('  workers, 2 over 1      ', `    not measured: ${workers.ok ? '?' : workers.reason}`);
  }
  if (cd !== undefined) {
    targetLine(
      'SIP codec / JSON',
      `${cd.ratio.median.toFixed(2)}x`,
      `${cd.ratio.min.toFixed(2)}x .. ${cd.ratio.max.toFixed(2)}x; paired with a JSON round trip`,
      `target >= ${TARGET_CODEC_VS_JSON}x`,
      codecTarget.met,
    );
    p(
      `  SIP codec: ${cd.calls} concurrent calls' ${cd.messages} messages each (${Math.round(cd.bytes / cd.messages)} bytes on average), msg/s: parse+serialize ${rate(cd.parseSerialize.median)} ` +
        `(${rate(cd.parseSerialize.min)} .. ${rate(cd.parseSerialize.max)}), parse ${rate(cd.parse.median)}, serialize ${rate(cd.serialize.median)}, ` +
        `parse+serialize+accessors ${rate(cd.parseSerializeAccessors.median)}; JSON round trip ${rate(cd.reference.median)}`,
    );
  } else {
    p('  SIP codec / JSON       ', `    not measured: ${codec.ok ? '?' : codec.reason}`);
  }
  p('');
  p('same model? (seed ' + model.seed + '; abandoned / calls; Erlang A is the stationary exact value)');
  p('                          horizon     calls  answered abandoned  abandon %    events');
  const sane = (name: string, horizon: string, r: { calls: number; answered: number; abandoned: number; events: number }) =>
    p(
      name.padEnd(24),
      horizon.padStart(9),
      String(r.calls).padStart(10),
      String(r.answered).padStart(10),
      String(r.abandoned).padStart(10),
      `${((100 * r.abandoned) / r.calls).toFixed(2)}`.padStart(11),
      String(r.events).padStart(10),
    );
  sane('kernel', hours(model.duration), kernelFirst);
  sane('bare loop', hours(model.duration), bareFirst);
  if (simpy[0] !== undefined) sane('SimPy', hours(o.simpyDuration), simpy[0]);
  sane('full callsim model', '1 d', lastFull);
  p('Erlang A (exact)'.padEnd(24), ''.padStart(39), `${(100 * exactAbandon).toFixed(2)}`.padStart(11));
  p(
    sameModel(kernelFirst, bareFirst)
      ? '  kernel and bare loop draw the same streams in the same order: identical runs (calls, abandons, events, end time).'
      : '  WARNING: kernel and bare loop differ for the same seed: they are not running the same model.',
  );
  if (simpy[0] !== undefined) p(`  SimPy needs ${(simpy[0].steps / simpy[0].calls).toFixed(2)} process resumptions per call for ${(simpy[0].events / simpy[0].calls).toFixed(2)} model events.`);
  p('');
  const mb = (x: number): string => `${(x / 1048576).toFixed(0)} MB`;
  p(`memory: RSS ${mb(rssBefore)} at start, ${mb(lastFull.rssAfter)} right after the full-model day, peak RSS of the bench ${mb(maxRss)}`);
  if (!o.skipMillion) {
    p('');
    p(
      `memory in the number of calls: the full model on ${millionParams.rate} call/s, c = ${millionParams.agents}, talk exp ${millionParams.talk} s, ` +
        `patience exp ${millionParams.patience} s, seed ${millionParams.seed}; one replication per fresh process, peak = ${mil?.peakSource ?? sml?.peakSource ?? 'VmHWM'}`,
    );
    p('                         horizon       calls   wall s    calls/s  RSS start  RSS end  peak RSS  RSS sampled over the run');
    const memRow = (name: string, duration: number, r: Outcome<MemoryRun>): void => {
      if (!r.ok) return void p(name.padEnd(24), hours(duration).padStart(8), `  not measured: ${r.reason}`);
      const m = r.run;
      const sampled = m.samples.map((x) => x.rss);
      p(
        name.padEnd(24),
        hours(m.duration).padStart(8),
        n(m.calls).padStart(12),
        m.wallSeconds.toFixed(2).padStart(9),
        rate(m.callsPerSecond).padStart(11),
        mb(m.rssStart).padStart(11),
        mb(m.rssEnd).padStart(9),
        mb(m.peakRss).padStart(10),
        `  ${(Math.min(...sampled) / MB).toFixed(0)} .. ${mb(Math.max(...sampled))} (${m.samples.length} samples)`,
      );
    };
    memRow('100,000 calls', smallParams.duration, small);
    memRow('1,000,000 calls', millionParams.duration, million);
    if (mil !== undefined && sml !== undefined) {
      const grow = (mil.peakRss - sml.peakRss) / MB;
      p(
        `  ${(mil.calls / sml.calls).toFixed(1)}x the calls, peak RSS ${grow >= 0 ? '+' : ''}${grow.toFixed(0)} MB ` +
          `(${((mil.peakRss - sml.peakRss) / (mil.calls - sml.calls)).toFixed(0)} bytes per extra call, mostly V8 sizing its heap to the allocation rate)`,
      );
      p(
        `  V8 heap in use over the 1,000,000-call run ${(Math.min(...mil.samples.map((x) => x.heapUsed)) / MB).toFixed(0)} .. ${mb(Math.max(...mil.samples.map((x) => x.heapUsed)))}; ` +
          `retained after a full GC at the end, collector alive: ${(sml.heapAfterGc / MB).toFixed(1)} MB for 100,000 calls, ${(mil.heapAfterGc / MB).toFixed(1)} MB for 1,000,000`,
      );
    }
  }
  process.stdout.write(lines.join('\n') + '\n');
}

main();

// 8. SIP end to end (asynchronous: real sockets and SIPp processes), after the rest.
{
  const o = options();
  if (o.skipSip) {
    process.stderr.write('bench: SIP section skipped (--skip-sip)\n');
  } else if (o.json) {
    process.stderr.write('bench: the SIP section prints text only; run without --json to see it\n');
  } else {
    const out = await sipBenchLines({ dayFraction: Math.min(1, o.sipFraction), serveRate: 200, serveSeconds: 10 }, (what) => process.stderr.write(`bench: ${what}\n`));
    process.stdout.write(out.join('\n') + '\n');
  }
}

// 9. callsim load: the highest sustained rate of the native engine and of the sipp engine
// against a SIPp UAS, next to SIPp's own UAC (bench/load-rate.ts; about 3 minutes).
{
  const o = options();
  if (o.skipLoad) {
    process.stderr.write('bench: load section skipped (--skip-load)\n');
  } else if (!o.json) {
    const b = await loadRateBench({ progress: (what) => process.stderr.write(`bench: ${what}\n`) });
    process.stdout.write(loadRateLines(b).join('\n') + '\n');
  }
}
