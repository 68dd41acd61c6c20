// `callsim serve` under SIPp load, next to a SIPp UAS under the same load: both answer the
// same call (INVITE, 180, 200, ACK, one INFO, BYE) from a SIPp UAC at a fixed rate, and the
// figure is CPU time per call of the server process (user + system, from /proc/<pid>/stat,
// counted from when the load starts to when it ends), as a ratio. Run alone:
//   node dist/bench/serve-load.js [--rate 200] [--seconds 10] [--warmup 2000] [--rounds 5]
// With --rounds R the warm ratio is measured in R pairs of runs instead (runPairedServeBench).
//
// Fairness: SIPp is compiled C++ and runs at full speed from its first call, while Node
// compiles the hot paths of `callsim serve` while the first few thousand calls go through
// (TurboFan's background threads count in the process's CPU too). A 10 s run at 200 calls/s
// is 2,000 calls, so the cold figure carries that warm-up. With --warmup N, serve first takes N
// calls at the same rate, unmeasured, and then the measured run: the steady state, which is
// what a server under load costs. Both figures are reported; the ratio is given for each, and
// `npm run bench` judges the target on the warm one (sip-bench.ts).
// Timers: SIPp's UAS wakes for its timers on a 10 ms grid (-timer_resol, default 10 ms), and
// serve coalesces its own at the same step (SERVE_TIMER_RESOLUTION in bin/commands/serve.ts), so
// that neither pays a wake-up per timer the other does not.
// It reads the real clock and spawns processes, so it lives in bench/.

import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { parseSippLog } from '../sim/sip/sipp/log-parser.js';
import { freeUdpPort, runSipp, startSipp, type SippRunResult } from '../sim/sip/sipp/run-sipp.js';
import { uacScenarioXml, uasScenarioXml, UAC_EVENTS, type CallerPath } from '../sim/sip/sipp/scenario-xml.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
/** Linux clock ticks per second of /proc/<pid>/stat (`getconf CLK_TCK`, 100 on every common kernel). */
const CLK_TCK = 100;

/** CPU seconds (user + system) a process has used so far. */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // after "pid (comm) ": state is field 3, utime 14, stime 15 (1-based over the whole line)
  return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
}


export interface ServerLoadRun {
  readonly rate: number;
  readonly calls: number;
  /** Calls SIPp counted as failed (0 is the target). */
  readonly failed: number;
  readonly completed: number;
  readonly cpuSeconds: number;
  readonly cpuPerCallMs: number;
  readonly sippExit: number | null;
  /** serve only, with a warm-up: the warm-up run's CPU per call (what a cold process costs). */
  readonly warmupCpuPerCallMs?: number;
  readonly warmupCalls?: number;
}

function summarise(rate: number, calls: number, cpu: number, r: SippRunResult, done: string): ServerLoadRun {
  const log = parseSippLog(r.logText);
  const completed = [...log.calls.values()].filter((c) => c.events.has(done)).length;
  return { rate, calls, failed: calls - completed, completed, cpuSeconds: cpu, cpuPerCallMs: (cpu / calls) * 1000, sippExit: r.exitCode };
}

const PRESS_ZERO: CallerPath = {
  digits: [{ key: '0', pauseMs: 200 }],
  holdMs: 0,
  hangup: 'system',
  from: '043188887777',
  expect: { provisional: [{ code: 180, optional: false }], final: 200 },
};

/** A `callsim serve scenarios/interop.yaml` process on a free UDP port. */
interface ServeProcess {
  readonly pid: number;
  /** Its UDP address, `127.0.0.1:40312`. */
  readonly udp: string;
  /** SIGINT, resolved once it has exited. */
  stop(): Promise<void>;
}

async function startServe(): Promise<ServeProcess> {
  const child = spawn(process.execPath, [join(root, 'dist/bin/callsim.js'), 'serve', 'scenarios/interop.yaml', '--udp', '127.0.0.1:0', '--max-calls', '20000', '--duration', '10m', '--json'], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.resume();
  const exited = new Promise<void>((r) => child.on('exit', () => r()));
  const udp = await new Promise<string>((res, rej) => {
    let err = '';
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
      const m = /listening on udp sip:12333@(\S+?)[,;]/.exec(err);
      if (m) res(m[1]!);
    });
    child.on('exit', (code) => rej(new Error(`serve exited ${code}: ${err}`)));
  });
  return {
    pid: child.pid!,
    udp,
    stop: async () => {
      child.kill('SIGINT');
      await exited;
    },
  };
}

/** `calls` calls of the SIPp UAC at `rate` against serve: SIPp's result and serve's CPU seconds meanwhile. */
async function callServe(serve: ServeProcess, rate: number, calls: number): Promise<{ cpu: number; r: SippRunResult }> {
  const before = cpuSeconds(serve.pid);
  const r = await runSipp({ scenarioXml: uacScenarioXml(PRESS_ZERO), remote: serve.udp, localPort: 0, calls, rate, timeoutS: calls / rate + 60, recvTimeoutMs: 30_000 });
  return { cpu: cpuSeconds(serve.pid) - before, r };
}

/**
 * SIPp UAC -> `callsim serve scenarios/interop.yaml` (ring 1 s, press 0, agent answers in 0.5 s,
 * talks 2 s, hangs up). With `warmupCalls`, that many calls go first at the same rate, unmeasured.
 */
export async function loadServe(rate: number, seconds: number, warmupCalls = 0): Promise<ServerLoadRun> {
  const calls = Math.round(rate * seconds);
  const serve = await startServe();
  let warm: { warmupCalls: number; warmupCpuPerCallMs: number } | undefined;
  if (warmupCalls > 0) {
    const w = await callServe(serve, rate, warmupCalls);
    warm = { warmupCalls, warmupCpuPerCallMs: (w.cpu / warmupCalls) * 1000 };
  }
  const { cpu, r } = await callServe(serve, rate, calls);
  await serve.stop();
  return { ...summarise(rate, calls, cpu, r, UAC_EVENTS.byeReceived), ...warm };
}

/** SIPp UAC -> SIPp UAS (ring 1 s, answer, INFO 200, caller hangs up after 2.5 s): the reference server. */
export async function loadSippUas(rate: number, seconds: number): Promise<ServerLoadRun> {
  const calls = Math.round(rate * seconds);
  const port = await freeUdpPort();
  const uas = await startSipp({ scenarioXml: uasScenarioXml({ ringMs: 1000, log: false }), localPort: port, calls, timeoutS: seconds + 60 });
  await new Promise((r) => setTimeout(r, 300));
  const before = cpuSeconds(uas.pid!);
  const path: CallerPath = { ...PRESS_ZERO, hangup: 'caller', holdMs: 2500 };
  const r = await runSipp({ scenarioXml: uacScenarioXml(path), remote: `127.0.0.1:${port}`, localPort: 0, calls, rate, timeoutS: seconds + 60, recvTimeoutMs: 30_000 });
  const cpu = cpuSeconds(uas.pid!) - before;
  uas.stop();
  await uas.done.catch(() => undefined);
  return summarise(rate, calls, cpu, r, UAC_EVENTS.byeOk);
}

export interface ServeBench {
  /** serve from a fresh process: the JIT warms up during the measured calls. */
  readonly serve: ServerLoadRun;
  readonly sippUas: ServerLoadRun;
  /** serve CPU per call / SIPp UAS CPU per call, serve measured cold (target <= 3). */
  readonly cpuRatio: number;
  /** serve measured after `warmup` calls, when asked for (see the top of this file). */
  readonly serveWarm?: ServerLoadRun;
  /** serveWarm CPU per call / SIPp UAS CPU per call. */
  readonly cpuRatioWarm?: number;
  /** serve at the high rate (target: 0 failed at 500 calls/s). */
  readonly high: ServerLoadRun;
}

/** One round of the paired bench: the SIPp UAS, then serve, under the same load. */
export interface PairedRound {
  readonly sippUas: ServerLoadRun;
  readonly serve: ServerLoadRun;
  /** serve CPU per call / SIPp UAS CPU per call in this round. */
  readonly ratio: number;
}

export interface PairedServeBench {
  readonly warmupCalls: number;
  readonly rounds: readonly PairedRound[];
  /** The median of the rounds' ratios: the figure. */
  readonly medianRatio: number;
}

/**
 * The warm ratio measured in pairs: one serve process, warmed up with `warmup` calls, then
 * `rounds` rounds of a SIPp UAS run followed by a serve run at the same rate. Each round's
 * ratio compares two runs seconds apart, so whatever else the shared machine is doing weighs on
 * both alike, where one SIPp run at the start against serve runs minutes later made the ratio
 * swing from about 2 to 3.7 between invocations on the same code; the median of the rounds
 * is the figure. Run: node dist/bench/serve-load.js --rounds 5 --warmup 2000
 */
export async function runPairedServeBench(rate = 200, seconds = 10, rounds = 5, warmup = 2000): Promise<PairedServeBench> {
  const calls = Math.round(rate * seconds);
  const serve = await startServe();
  try {
    if (warmup > 0) await callServe(serve, rate, warmup);
    const out: PairedRound[] = [];
    for (let i = 0; i < rounds; i++) {
      const sippUas = await loadSippUas(rate, seconds);
      const { cpu, r } = await callServe(serve, rate, calls);
      const run = summarise(rate, calls, cpu, r, UAC_EVENTS.byeReceived);
      out.push({ sippUas, serve: run, ratio: run.cpuPerCallMs / sippUas.cpuPerCallMs });
    }
    const sorted = out.map((x) => x.ratio).sort((a, b) => a - b);
    const mid = sorted.length >> 1;
    const medianRatio = sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
    return { warmupCalls: warmup, rounds: out, medianRatio };
  } finally {
    await serve.stop();
  }
}

export async function runServeBench(rate = 200, seconds = 10, highRate = 500, highSeconds = 6, warmup = 0): Promise<ServeBench> {
  const sippUas = await loadSippUas(rate, seconds);
  const serve = await loadServe(rate, seconds);
  const serveWarm = warmup > 0 ? await loadServe(rate, seconds, warmup) : undefined;
  const high = await loadServe(highRate, highSeconds);
  const warm = serveWarm === undefined ? {} : { serveWarm, cpuRatioWarm: serveWarm.cpuPerCallMs / sippUas.cpuPerCallMs };
  return { serve, sippUas, cpuRatio: serve.cpuPerCallMs / sippUas.cpuPerCallMs, ...warm, high };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: {
      rate: { type: 'string', default: '200' }, seconds: { type: 'string', default: '10' }, high: { type: 'string', default: '500' }, warmup: { type: 'string', default: '0' },
      rounds: { type: 'string', default: '0' },
    },
  });
  const rounds = Number(values.rounds);
  const b = rounds > 0
    ? await runPairedServeBench(Number(values.rate), Number(values.seconds), rounds, Number(values.warmup))
    : await runServeBench(Number(values.rate), Number(values.seconds), Number(values.high), 6, Number(values.warmup));
  console.log(JSON.stringify(b, null, 1));
}
