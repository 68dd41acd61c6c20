// How many calls per second can `callsim load` place against a SIPp UAS before it saturates?
// Generators climb a ladder of rates (1000, 2000, 4000, 6000... 32000 calls/s; the sipp
// engine and bare sipp 4000, 8000, 12000, 16000, 17000... 32000, finer where they part),
// 2 s of calls per rung, each rung against a fresh SIPp UAS that rings 100 ms and answers;
// every call holds 0.5 s and hangs up. Every sipp here (UAS and UACs) gets 4 MiB socket
// buffers.
// Generators climb in pairs, taking turns at each rung, so that the machine's changing load
// hits both; a failed rung is tried once more (the machine is shared and noisy), and a second
// failure ends that generator's climb.
//   - native: `node dist/bin/callsim.js load ... --json` in a child process (its CPU is its
//     own); a rung fails on exit 3 (event-loop delay or start lag over 50 ms: saturated), on
//     any call not set up, or when it does not finish within its bound;
//   - sipp UAC / bare sipp: plain `sipp` UACs (the same call, none of callsim's logging, no
//     injection file): one process beside the native engine (also one process), and as many
//     as the sipp engine runs beside it, sharing the rate as it does. A rung fails on a failed
//     call, on calls still unfinished at its bound, or when SIPp could not keep its rate (it
//     ended over a second past its schedule);
//   - sipp engine: runSippLoad (one sipp per core, a log line per call); a rung fails as
//     bare sipp's does, or on a start lag p99 over 50 ms.
// The figures: the highest rung passed; native over one sipp UAC (target native >= 500
// calls/s), and the sipp engine over bare sipp with as many processes (target >= 90 %). The
// UAS shares the two cores with the generators, so these are rates of the pair on this
// machine, and the rungs are 10-100 % apart: the ratios are what carry over, roughly. Last,
// the CPU per call of one sipp UAC, plain and as the engine runs it, at 2000 calls/s (from
// /proc: the CPU of exited children less the UAS's), a steadier figure than the rungs.
// Run alone (2-3 minutes):
//   node dist/bench/load-rate.js [--seconds 2] [--processes N] [--json]

import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { DurationMetric } from '../sim/metrics/duration-metric.js';
import { BUFFER_BYTES, runSippLoad } from '../sim/sip/sipp/load-engine.js';
import { freeUdpPort, runSipp, startSipp } from '../sim/sip/sipp/run-sipp.js';
import { SDP, uasScenarioXml } from '../sim/sip/sipp/scenario-xml.js';

const CALLSIM = fileURLToPath(new URL('../bin/callsim.js', import.meta.url));
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The targets. */
export const TARGET_NATIVE_RATE = 500;
export const TARGET_ENGINE_SHARE = 0.9;
const RING_MS = 100;
const HOLD_S = 0.5;
/** A call with no answer this long is a failure (ring timeout, or SIPp's -recv_timeout): a failed step ends soon. */
const GIVE_UP_S = 3;

export interface LoadRateOptions {
  /** Seconds of calls per step (calls = rate x seconds); default 2. */
  readonly seconds?: number;
  /** The ladder of the native engine and one sipp UAC, calls/s; default DEFAULT_RATES. */
  readonly rates?: readonly number[];
  /** The ladder of the sipp engine and bare sipp, calls/s; default ENGINE_RATES. */
  readonly engineRates?: readonly number[];
  /** sipp processes of the sipp engine (and of the bare run it is compared with); default os.availableParallelism(). */
  readonly processes?: number;
  readonly progress?: (what: string) => void;
}

export interface StepResult {
  readonly rate: number;
  readonly calls: number;
  readonly ok: boolean;
  /** Why it failed, or how close it came. */
  readonly note: string;
  readonly wallSeconds: number;
}

export interface Climb {
  /** Highest rate passed, calls/s (0 when the first step failed). */
  readonly maxRate: number;
  /** The rung that failed (twice), or null when the climb reached the top of the ladder. */
  readonly firstFailed: number | null;
  readonly steps: readonly StepResult[];
}

/** CPU per call of one sipp UAC process, plain and as the sipp engine, at one rate. */
export interface CpuPerCall {
  readonly rate: number;
  readonly calls: number;
  /** Medians, microseconds of CPU (user + system) per call. */
  readonly bareUs: number;
  readonly engineUs: number;
  /** engine / bare. */
  readonly ratio: number;
  readonly bareRuns: readonly number[];
  readonly engineRuns: readonly number[];
}

export interface LoadRateBench {
  readonly cpu: CpuPerCall;
  readonly native: Climb;
  /** One plain sipp UAC. */
  readonly sippUac: Climb;
  /** As many plain sipp UACs as the sipp engine runs (climbing beside it). */
  readonly bareSipp: Climb;
  readonly sippEngine: Climb;
  /** native / one sipp UAC. */
  readonly nativeOverSipp: number;
  /** sipp engine / bare sipp with as many processes (target >= 0.9). */
  readonly engineShare: number;
  readonly processes: number;
  readonly seconds: number;
  readonly ringMs: number;
  readonly holdSeconds: number;
  readonly wallSeconds: number;
}

type Step = (peer: string, rate: number, calls: number) => Promise<StepResult>;

/** The rungs of the native engine and one sipp UAC, calls/s. */
export const DEFAULT_RATES: readonly number[] = [1000, 2000, 4000, 6000, 8000, 10_000, 12_000, 16_000, 20_000, 24_000, 32_000];
/**
 * The rungs of the sipp engine and bare sipp: both pass 4000 on any machine this runs on;
 * 1000 apart (5 %) where they part on this one, so that their ratio is read to a few per
 * cent rather than to the 10 % of 2000-wide rungs.
 */
export const ENGINE_RATES: readonly number[] = [4000, 8000, 12_000, 16_000, 17_000, 18_000, 19_000, 20_000, 21_000, 22_000, 23_000, 24_000, 26_000, 28_000, 32_000];

/**
 * SIPp's own UAC, as its built-in `uac` scenario but holding the call and with the engine's
 * INVITE body (so that the messages weigh the same): no logging, no
 * timeouts of its own. (A receive timeout would not do what it says: SIPp 3.6.1 forgets it
 * once an optional 180 has matched, and a call whose 200 never comes then waits for the run's
 * -timeout, which fails the rung.)
 */
export function bareUacXml(holdMs: number): string {
  const h = (method: string, cseq: number, ruri: string, toTag = ''): string =>
    `${method} ${ruri} SIP/2.0\nVia: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]\nFrom: <sip:bare@[local_ip]:[local_port]>;tag=[pid]b[call_number]\n` +
    `To: <sip:[service]@[remote_ip]:[remote_port]>${toTag}\nCall-ID: [call_id]\nCSeq: ${cseq} ${method}\nContact: <sip:bare@[local_ip]:[local_port]>\nMax-Forwards: 70\n`;
  return `<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="bare UAC">
  <send retrans="500"><![CDATA[
${h('INVITE', 1, 'sip:[service]@[remote_ip]:[remote_port]')}User-Agent: callsim-bench-bare
Content-Type: application/sdp
Content-Length: [len]

${SDP.join('\n')}

]]></send>
  <recv response="100" optional="true"/>
  <recv response="180" optional="true"/>
  <recv response="200" rrs="true"/>
  <send><![CDATA[
${h('ACK', 1, '[next_url]', '[peer_tag_param]')}Content-Length: 0

]]></send>
  <pause milliseconds="${holdMs}"/>
  <send retrans="500"><![CDATA[
${h('BYE', 2, '[next_url]', '[peer_tag_param]')}Content-Length: 0

]]></send>
  <recv response="200" crlf="true"/>
</scenario>
`;
}

/** A fresh SIPp UAS for one step: rings RING_MS, answers, waits for the BYE. `beforeStop` sees its pid at the end. */
async function withUas<T>(f: (peer: string) => Promise<T>, beforeStop?: (pid: number) => void): Promise<T> {
  const port = await freeUdpPort();
  const uas = await startSipp({ scenarioXml: uasScenarioXml({ ringMs: RING_MS, log: false }), localPort: port, calls: 10_000_000, timeoutS: 600, timerResolMs: 1, extraArgs: ['-buff_size', String(BUFFER_BYTES)] });
  await new Promise((r) => setTimeout(r, 200));
  try {
    return await f(`127.0.0.1:${port}`);
  } finally {
    if (beforeStop && uas.pid !== undefined) beforeStop(uas.pid);
    uas.stop();
    await uas.done.catch(() => undefined);
  }
}

const nativeStep: Step = (peer, rate, calls) =>
  new Promise((resolve) => {
    const started = performance.now();
    const args = [CALLSIM, 'load', `sip:12333@${peer}`, '--rate', String(rate), '--calls', String(calls), '--hold', `${HOLD_S}s`, '--ring-timeout', `${GIVE_UP_S}s`, '--max-concurrent', '1000000', '--json', '--quiet'];
    const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    // the step's own bound: its calls' schedule, the give-up time, and a margin
    const boundS = calls / rate + GIVE_UP_S + 10;
    let killed = false;
    const guard = setTimeout(() => {
      killed = true;
      child.kill('SIGKILL');
    }, boundS * 1000);
    child.on('close', (code) => {
      clearTimeout(guard);
      if (killed) return resolve({ rate, calls, ok: false, note: `did not finish within ${boundS.toFixed(0)} s (killed)`, wallSeconds: (performance.now() - started) / 1000 });
      const wallSeconds = (performance.now() - started) / 1000;
      try {
        const r = JSON.parse(out) as { counters: { answered: number; failed: Record<string, number> }; generator: { eventLoopDelayP99Ms: number; startLagP99Ms?: number } };
        const g = r.generator;
        const lag = `event-loop delay p99 ${g.eventLoopDelayP99Ms.toFixed(1)} ms, start lag p99 ${(g.startLagP99Ms ?? NaN).toFixed(1)} ms`;
        const note = code === 3 ? `saturated: ${lag}` : code !== 0 ? `exit ${code}: ${r.counters.answered}/${calls} set up, failed ${JSON.stringify(r.counters.failed)}` : lag;
        resolve({ rate, calls, ok: code === 0 && r.counters.answered === calls, note, wallSeconds });
      } catch {
        resolve({ rate, calls, ok: false, note: `exit ${code}, no JSON: ${err.trim().split('\n').pop() ?? ''}`, wallSeconds });
      }
    });
  });

/** `processes` plain sipp UACs sharing the rate and the calls, as the sipp engine shares them. */
function bareStep(processes: number): Step {
  return async (peer, rate, calls) => {
    const n = Math.min(processes, calls);
    const shares = Array.from({ length: n }, (_, i) => Math.floor(calls / n) + (i < calls % n ? 1 : 0));
    const ports: number[] = [];
    while (ports.length < n) {
      const p = await freeUdpPort();
      if (!ports.includes(p)) ports.push(p);
    }
    const each = rate / n;
    const runs = await Promise.all(shares.map((m, i) => runSipp({ scenarioXml: bareUacXml(HOLD_S * 1000), remote: peer, localPort: ports[i]!, calls: m, rate: each, timeoutS: calls / rate + GIVE_UP_S + 5, timerResolMs: 1, extraArgs: ['-buff_size', String(BUFFER_BYTES)] })));
    // its schedule: the last call starts (m - 1) / rate after the first and lasts ring + hold
    const late = Math.max(...runs.map((r, i) => r.wallMs / 1000 - ((shares[i]! - 1) / each + RING_MS / 1000 + HOLD_S)));
    const failed = runs.filter((r) => r.exitCode !== 0 || r.killed);
    const ok = failed.length === 0 && late <= 1;
    const why = (r: (typeof runs)[number]): string => (r.killed || r.exitCode === 255 ? 'calls unfinished at its bound' : 'calls failed');
    const note = failed.length > 0 ? `sipp exit ${failed.map((r) => r.exitCode).join(', ')}: ${why(failed[0]!)}` : `${late.toFixed(2)} s past its schedule`;
    return { rate, calls, ok, note, wallSeconds: Math.max(...runs.map((r) => r.wallMs / 1000)) };
  };
}

function engineStep(processes: number): Step {
  return async (peer, rate, calls) => {
    const plan = { uri: `sip:12333@${peer}`, peer, rate, calls, duration: Infinity, maxConcurrent: 1_000_000, keys: '', keyGap: 0.5, hold: HOLD_S, ringTimeout: GIVE_UP_S, from: '0431' };
    const r = await runSippLoad(plan, { newMetric: () => new DurationMetric('s'), processes }).done;
    for (const m of Object.values(r.metrics)) m.destroy();
    const c = r.counters;
    // as for bare sipp: each process against its schedule
    const late = Math.max(...r.generator.processes.map((p) => p.wallSeconds - ((p.calls - 1) / p.rate + RING_MS / 1000 + HOLD_S)));
    const lag = `start lag p99 ${r.generator.startLagP99Ms.toFixed(1)} ms, ${late.toFixed(2)} s past its schedule`;
    const ok = c.answered === calls && Object.keys(c.failed).length === 0 && !r.generator.saturated && !r.timedOut && late <= 1;
    const note = ok ? lag : `${c.answered}/${calls} set up, failed ${JSON.stringify(c.failed)}, ${lag}${r.generator.saturated ? ' (saturated)' : ''}`;
    return { rate, calls, ok, note, wallSeconds: r.wallSeconds };
  };
}

interface Climber {
  readonly name: string;
  readonly step: Step;
}

/**
 * Two generators climb the ladder together, taking turns at each rung (which one goes first
 * alternates), so that a change in the machine's load over the minutes hits both. A rung is
 * tried twice before a generator stops there.
 */
async function climbTogether(climbers: readonly Climber[], rates: readonly number[], o: Required<LoadRateOptions>): Promise<Climb[]> {
  const state = climbers.map(() => ({ maxRate: 0, firstFailed: null as number | null, steps: [] as StepResult[] }));
  for (const [rung, rate] of rates.entries()) {
    const calls = Math.round(rate * o.seconds);
    const order = climbers.map((_, i) => i);
    if (rung % 2 === 1) order.reverse();
    for (const i of order) {
      const st = state[i]!;
      if (st.firstFailed !== null) continue;
      let ok = false;
      for (let attempt = 0; attempt < 2 && !ok; attempt++) {
        const r = await withUas((peer) => climbers[i]!.step(peer, rate, calls));
        st.steps.push(r);
        ok = r.ok;
        o.progress(`${climbers[i]!.name} at ${rate} calls/s${attempt > 0 ? ', again' : ''}: ${r.ok ? 'ok' : 'FAILED'} (${r.note})`);
      }
      if (ok) st.maxRate = rate;
      else st.firstFailed = rate;
    }
    if (state.every((st) => st.firstFailed !== null)) break;
  }
  return state;
}

/** Linux clock ticks per second of /proc/<pid>/stat (`getconf CLK_TCK`: 100 on every common kernel). */
const CLK_TCK = 100;

/** Fields of /proc/<pid>/stat after "pid (comm) ": utime, stime at 11, 12; cutime, cstime at 13, 14. */
function statFields(pid: number | 'self'): string[] {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
}

/**
 * CPU microseconds per call of one sipp UAC, plain and as the sipp engine runs it (one process
 * each), at a moderate fixed rate: the CPU (user + system) of this process's exited children,
 * less the UAS's, over the calls. Alternated and repeated; medians.
 */
async function cpuPerCall(rate: number, seconds: number, reps: number, progress: (what: string) => void): Promise<CpuPerCall> {
  const calls = Math.round(rate * seconds);
  const measure = async (step: Step): Promise<number> => {
    const before = statFields('self');
    const children = (f: string[]): number => (Number(f[13]) + Number(f[14])) / CLK_TCK;
    let uas = 0;
    const r = await withUas((peer) => step(peer, rate, calls), (pid) => {
      const f = statFields(pid);
      uas = (Number(f[11]) + Number(f[12])) / CLK_TCK;
    });
    // a step late on its schedule (the machine busy) still did its calls: its CPU per call counts
    if (!r.ok) progress(`(CPU per call: ${r.note})`);
    return ((children(statFields('self')) - children(before) - uas) / calls) * 1e6;
  };
  const bare: number[] = [];
  const engine: number[] = [];
  for (let i = 0; i < reps; i++) {
    const order: [number[], Step][] = [[bare, bareStep(1)], [engine, engineStep(1)]];
    if (i % 2 === 1) order.reverse();
    for (const [into, step] of order) into.push(await measure(step));
    progress(`CPU per call at ${rate} calls/s, ${i + 1}/${reps}: bare sipp ${bare[i]!.toFixed(1)} us, sipp engine ${engine[i]!.toFixed(1)} us`);
  }
  const median = (xs: number[]): number => {
    const a = [...xs].sort((x, y) => x - y);
    return a.length % 2 === 1 ? a[a.length >> 1]! : (a[a.length / 2 - 1]! + a[a.length / 2]!) / 2;
  };
  return { rate, calls, bareUs: median(bare), engineUs: median(engine), ratio: median(engine) / median(bare), bareRuns: bare, engineRuns: engine };
}

/** Native against one sipp UAC, then the sipp engine against as many bare sipp processes. */
export async function loadRateBench(opts: LoadRateOptions = {}): Promise<LoadRateBench> {
  const o: Required<LoadRateOptions> = {
    seconds: opts.seconds ?? 2,
    rates: opts.rates ?? DEFAULT_RATES,
    engineRates: opts.engineRates ?? ENGINE_RATES,
    processes: opts.processes ?? availableParallelism(),
    progress: opts.progress ?? (() => undefined),
  };
  const started = performance.now();
  const [native, sippUac] = await climbTogether([{ name: 'native', step: nativeStep }, { name: 'sipp UAC, 1 process', step: bareStep(1) }], o.rates, o);
  const [sippEngine, bareSipp] = await climbTogether(
    [{ name: `sipp engine, ${o.processes} processes`, step: engineStep(o.processes) }, { name: `bare sipp, ${o.processes} processes`, step: bareStep(o.processes) }],
    o.engineRates,
    o,
  );
  const cpu = await cpuPerCall(2000, o.seconds, 3, o.progress);
  return {
    cpu,
    native: native!,
    sippUac: sippUac!,
    bareSipp: bareSipp!,
    sippEngine: sippEngine!,
    nativeOverSipp: native!.maxRate / sippUac!.maxRate,
    engineShare: sippEngine!.maxRate / bareSipp!.maxRate,
    processes: o.processes,
    seconds: o.seconds,
    ringMs: RING_MS,
    holdSeconds: HOLD_S,
    wallSeconds: (performance.now() - started) / 1000,
  };
}

/** The table for the console. */
export function loadRateLines(b: LoadRateBench): string[] {
  const range = (c: Climb): string => (c.firstFailed === null ? `>= ${c.maxRate}` : c.maxRate === 0 ? `< ${c.firstFailed}` : `${c.maxRate}`);
  const failedAt = (c: Climb): string => (c.firstFailed === null ? 'never failed' : `failed at ${c.firstFailed}`);
  const verdict = (met: boolean): string => (met ? 'met' : 'NOT met');
  const row = (name: string, c: Climb, ratio: string, target: string): string => `  ${name.padEnd(30)} ${range(c).padStart(8)} ${failedAt(c).padStart(17)}   ${ratio.padStart(8)}   ${target}`;
  return [
    `callsim load against a SIPp UAS (rings ${b.ringMs} ms; calls hold ${b.holdSeconds} s), ${b.seconds} s of calls per step, ${b.wallSeconds.toFixed(0)} s in all:`,
    '  highest rate with every call set up and the generator on schedule',
    `  ${'generator'.padEnd(30)} ${'calls/s'.padStart(8)} ${''.padStart(17)}   ${'ratio'.padStart(8)}   target`,
    row('native (callsim load)', b.native, `${b.nativeOverSipp.toFixed(2)}x`, `>= ${TARGET_NATIVE_RATE} calls/s: ${verdict(b.native.maxRate >= TARGET_NATIVE_RATE)} (ratio: over one sipp UAC)`),
    row("sipp's own UAC, 1 process", b.sippUac, '', ''),
    row(`bare sipp, ${b.processes} processes`, b.bareSipp, '', ''),
    row(`sipp engine, ${b.processes} processes`, b.sippEngine, `${(b.engineShare * 100).toFixed(0)} %`, `>= ${TARGET_ENGINE_SHARE * 100} % of bare sipp (${b.processes} processes): ${verdict(b.engineShare >= TARGET_ENGINE_SHARE)}`),
    `  CPU per call of one sipp UAC at ${b.cpu.rate} calls/s (medians of ${b.cpu.bareRuns.length}): bare ${b.cpu.bareUs.toFixed(0)} us, as the sipp engine ${b.cpu.engineUs.toFixed(0)} us (${b.cpu.ratio.toFixed(2)}x)`,
    ...[['native', b.native], ['sipp UAC', b.sippUac], ['bare sipp', b.bareSipp], ['sipp engine', b.sippEngine]].flatMap(([name, c]) => {
      const last = (c as Climb).steps.filter((s) => !s.ok).pop();
      return last === undefined ? [] : [`  ${name as string} failed at ${last.rate} calls/s: ${last.note}`];
    }),
  ];
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { seconds: { type: 'string', default: '2' }, processes: { type: 'string' }, json: { type: 'boolean', default: false } } });
  const b = await loadRateBench({
    seconds: Number(values.seconds),
    ...(values.processes !== undefined ? { processes: Number(values.processes) } : {}),
    progress: (w) => process.stderr.write(`bench: ${w}\n`),
  });
  process.stdout.write(values.json ? `${JSON.stringify(b, null, 1)}\n` : `${loadRateLines(b).join('\n')}\n`);
}
