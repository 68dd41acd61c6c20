// `callsim load TARGET`: real SIP calls at a target over UDP with callsim's own user agent
// (the native engine), on an open model: calls start at their scheduled (Poisson) instants and
// every latency counts from that instant. Bounded: --calls or --duration is required, and the
// run stops by itself. Reports post-dial delay, ivr_answer, set-up success and failures by
// status; exit 0 when every call was set up, 1 when some were not, 2 for bad input or a target
// that never answered anything (unreachable: the results are still printed and written), 3
// when the generator itself saturated (its event loop lagged), 130 on Ctrl-C (live calls are
// CANCELled or hung up first; what was measured is printed, marked partial).
//
// With a SCENARIO, the callers are the scenario's (scenario-load.ts): its arrival profile
// (or --rate), area-code mix, IVR choices with think times, patience and redials; the run
// writes the same summary.json / junit.xml as a simulation, and its SLAs decide the exit code
// (those no caller can observe, such as wrap_up, are listed as not evaluated). Against
// `callsim serve` the ACD steps come back per call and queue metrics are measured too.
// `--speed K` runs the scenario's clock K times faster than real time, as serve --speed does.

import { monitorEventLoopDelay } from 'node:perf_hooks';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CommandModule } from 'yargs';
import { formatConsoleSummary, styleFor } from '../../reports/console.js';
import { junitXml } from '../../reports/junit.js';
import { RandomStreams } from '../../sim/kernel/random.js';
import { WallClockScheduler } from '../../sim/kernel/wall-clock.js';
import { DurationMetric } from '../../sim/metrics/duration-metric.js';
import { collectorOptions, MetricsCollector } from '../../sim/metrics/collector.js';
import { LoadRun, type LoadCounters, type LoadDialer } from '../../sim/metrics/load-run.js';
import { ScenarioLoadRun, type ScenarioLoadCounters } from '../../sim/metrics/scenario-load.js';
import { unreachableBecause } from '../../sim/metrics/unreachable.js';
import { slaServiceLevelThresholds, summarize, summaryJson, type Summary } from '../../sim/metrics/summary.js';
import { loadScenario } from '../../sim/scenario/load.js';
import { ScenarioError } from '../../sim/scenario/errors.js';
import { formatDuration, parseDuration, parseRate } from '../../sim/scenario/units.js';
import { UdpTransport } from '../../sim/sip/udp-transport.js';
import { UserAgent } from '../../sim/sip/user-agent.js';
import { EXIT, UsageError } from '../exit-codes.js';
import { wholeFlag } from '../flags.js';
import { isLoopback } from '../loopback.js';
import { MAX_SIPP_PROCESSES } from '../../sim/sip/sipp/load-engine.js';
import { prepareOutDir } from '../out-dir.js';
import { scenarioSets } from './run.js';

interface LoadArgs {
  target: string;
  scenario?: string;
  engine: string;
  rate?: string;
  speed: number;
  'max-call-time': string;
  'max-lag': string;
  processes?: number;
  'local-ip'?: string;
  set?: string[];
  out?: string;
  calls?: number;
  duration?: string;
  'max-concurrent': number;
  keys: string;
  'key-gap': string;
  hold: string;
  'ring-timeout': string;
  from: string;
  remote?: boolean;
  seed?: number;
  json?: boolean;
  quiet?: boolean;
}

/**
 * The generator lagging this much by default (event-loop delay p99, or INVITEs sent late
 * after their scheduled start, p99) means its numbers describe itself, not the target.
 */
const SATURATION = '50ms';

/**
 * Metrics no caller can observe, even with serve's ACD events: what agents do after the
 * call, and callbacks. SLAs on them are listed as not evaluated by a load run.
 */
const AGENT_SIDE = new Set(['wrap_up', 'occupancy', 'wrap_up_violation_rate', 'callback_delay', 'callback_reach_rate', 'callback_on_time_rate', 'satisfaction', 'silent_call_rate']);

/** `sip:user@host[:port]` with an IP literal host, UDP only for the native engine. */
export function parseTarget(target: string, allowRemote: boolean): { uri: string; peer: string } {
  const m = /^sip:([^@;]+)@(\[[0-9a-fA-F:]+\]|[0-9.]+)(?::(\d{1,5}))?(;.*)?$/.exec(target.trim());
  if (!m) {
    if (/^wss?:\/\//.test(target) || /;transport=wss?/i.test(target)) throw new UsageError(`${target}: a WebSocket target needs --engine jssip`);
    throw new UsageError(`${target}: expected a SIP URI with an IP address such as sip:12333@127.0.0.1:5060`);
  }
  const params = m[4] ?? '';
  if (/;transport=wss?/i.test(params)) throw new UsageError(`${target}: a WebSocket target needs --engine jssip`);
  if (params !== '' && !/^;transport=udp$/i.test(params)) throw new UsageError(`${target}: the native engine calls over UDP (got ${params})`);
  const host = m[2]!;
  const port = m[3] === undefined ? 5060 : Number(m[3]);
  if (!(port >= 1 && port <= 65535)) throw new UsageError(`${target}: port ${m[3]} is out of range`);
  const bare = host.replace(/^\[|\]$/g, '');
  if (!allowRemote && !isLoopback(bare)) throw new UsageError(`${target}: ${bare} is not a loopback address; add --remote to call another host`);
  return { uri: `sip:${m[1]}@${host}${m[3] ? `:${m[3]}` : ''}`, peer: `${host}:${port}` };
}

function seconds(flag: string, v: string): number {
  const d = parseDuration(v);
  if (d === undefined || !(d >= 0)) throw new UsageError(`--${flag} ${v}: expected a duration such as 500ms, 2s or 10m`);
  return d;
}

/** A duration that must be over zero: a ring timeout or call limit of 0 would end every call at its start. */
function positiveSeconds(flag: string, v: string): number {
  const d = seconds(flag, v);
  if (d <= 0) throw new UsageError(`--${flag} ${v}: every call would end as it starts; expected a duration over 0, such as 30s`);
  return d;
}

/** A call rate as people say it: `50 calls/s`, `12 calls/min` or `1 call/h`, in the first unit that gives at least one call. */
export function rateText(rate: number): string {
  const [n, unit] = rate >= 1 ? [Number(rate.toPrecision(6)), 's'] : rate * 60 >= 1 ? [Number((rate * 60).toPrecision(4)), 'min'] : [Number((rate * 3600).toPrecision(4)), 'h'];
  return `${n} call${n === 1 ? '' : 's'}/${unit}`;
}

/**
 * The keys and ACD events line of a scenario run. With no ACD events it says why that may be:
 * no caller's path reached an agent queue (a night with the agents gone, an IVR-only menu), or
 * callers did and the target sent nothing, which is a target that does not send them.
 */
export function acdEventsLine(c: Pick<ScenarioLoadCounters, 'keysSent' | 'keysAcked' | 'acdEvents' | 'toQueue'>, targetClockAhead?: number): string {
  const head = `keys sent ${c.keysSent}, acknowledged ${c.keysAcked}; ACD events from the target ${c.acdEvents}`;
  if (c.acdEvents > 0) {
    if (targetClockAhead === undefined) return head;
    return `${head} (its scenario clock ${targetClockAhead >= 0 ? 'ahead of' : 'behind'} the callers' by ${clockStepText(targetClockAhead)})`;
  }
  if (c.toQueue === 0) return `${head} (no caller's IVR path reached an agent queue, so none were due)`;
  return `${head}, though ${c.toQueue === 1 ? '1 call' : `${c.toQueue} calls`} left the IVR for an agent queue: ` +
    'the target does not send them (callsim serve does), and queue waits, agent answers and patience need them';
}

/** Past this many scenario seconds between the target's clock and the callers', the output warns. */
const CLOCK_STEP_WARNING = 60;

/**
 * The warning when the target's scenario clock (from its ACD events) and the callers' are out
 * of step by a minute or more; undefined otherwise.
 */
export function clockStepWarning(targetClockAhead: number | undefined, speed: number): string | undefined {
  if (targetClockAhead === undefined || !(Math.abs(targetClockAhead) >= CLOCK_STEP_WARNING)) return undefined;
  return `warning: the target's scenario clock ran ${clockStepText(targetClockAhead)} ${targetClockAhead >= 0 ? 'ahead of' : 'behind'} the callers' (the mean over its ACD events): ` +
    'its time of day (agents\' hours, breaks) and the callers\' arrival profile were out of step by as much. Start callsim load as soon as ' +
    `callsim serve listens${speed === 1 ? '' : ` (at --speed ${speed}, each real second between the two starts is ${formatDuration(speed)} of the scenario)`}.`;
}

/** `40ms`, `12.5s`, `2m52s`: two digits under a second, whole seconds from a minute on. */
function clockStepText(ahead: number): string {
  const x = Math.abs(ahead);
  return formatDuration(x >= 60 ? Math.round(x) : x >= 1 ? +x.toFixed(1) : +x.toPrecision(2));
}

/** The run's bounds for its status line: `, 500 calls for 10s`, `, 1 call`, ` for 2m`. */
function boundsText(args: Pick<LoadArgs, 'calls' | 'duration'>): string {
  return `${args.calls ? `, ${args.calls} call${args.calls === 1 ? '' : 's'}` : ''}${args.duration ? ` for ${args.duration}` : ''}`;
}

function stats(m: DurationMetric): Record<string, number> {
  return { count: m.count, mean: m.mean, min: m.count ? m.min : NaN, p50: m.percentile(50), p90: m.percentile(90), p95: m.percentile(95), p99: m.percentile(99), max: m.count ? m.max : NaN };
}

export function loadCommand(setCode: (code: number) => void): CommandModule<object, LoadArgs> {
  return {
    command: 'load <target> [scenario]',
    describe: 'Place real SIP calls at a target and measure what it does (callers from a scenario, or a fixed path)',
    builder: (y) =>
      y
        .positional('target', { type: 'string', demandOption: true, describe: 'SIP URI, e.g. sip:12333@127.0.0.1:5060' })
        .positional('scenario', { type: 'string', describe: "scenario file whose callers to play (arrivals, area codes, IVR keys, patience, redials)" })
        .option('engine', { type: 'string', default: 'native', choices: ['native', 'jssip', 'sipp'], describe: "who places the calls: callsim's own user agent over UDP (native), JsSIP user agents over WebSocket (jssip: sip:…;transport=ws or ws:// targets), or one sipp per core over UDP (sipp: fixed paths only)" })
        .option('processes', { type: 'number', describe: 'with --engine sipp: sipp processes sharing the rate (default: one per core)' })
        .option('local-ip', { type: 'string', describe: "with --engine sipp: SIPp's local address (-i); needed for a target that is not a loopback address" })
        .option('rate', { type: 'string', describe: "calls per second (Poisson), e.g. 50/s; with a scenario it replaces the scenario's arrivals and counts scenario seconds" })
        .option('calls', { type: 'number', describe: 'start at most this many calls (attempts, redials included)' })
        .option('duration', { type: 'string', describe: 'start calls for this long (scenario time with a scenario), e.g. 30s' })
        .option('speed', { type: 'number', default: 1, describe: 'with a scenario: scenario seconds per real second (match callsim serve --speed)' })
        .option('max-concurrent', { type: 'number', default: 1000, describe: 'live calls at most (a call due beyond it is not started, and counted)' })
        .option('keys', { type: 'string', default: '', describe: 'without a scenario: DTMF keys sent by INFO after the answer, e.g. 0' })
        .option('key-gap', { type: 'string', default: '500ms', describe: 'without a scenario: time between keys (and from the answer to the first key)' })
        .option('hold', { type: 'string', default: '1s', describe: 'without a scenario: time the call stays up after its last key' })
        .option('ring-timeout', { type: 'string', default: '30s', describe: 'CANCEL a call not answered this long after its scheduled start (scenario time with a scenario)' })
        .option('max-call-time', { type: 'string', default: '4h', describe: 'with a scenario: hang up a call still up this long after its start (scenario time)' })
        .option('from', { type: 'string', default: '0431', describe: 'without a scenario: calling numbers are this prefix and the call number (the area code picks the center)' })
        .option('max-lag', { type: 'string', default: SATURATION, describe: "the generator's own lag (event-loop delay p99, or INVITEs sent late, p99) past which the run is untrusted (exit 3)" })
        .option('remote', { type: 'boolean', describe: 'allow a target that is not a loopback address' })
        .option('seed', { type: 'number', describe: "seed of the callers' random streams (default 1, or the scenario's)" })
        .option('set', { type: 'string', array: true, nargs: 1, describe: 'override a scenario field: path=value (repeatable)' })
        .option('out', { type: 'string', describe: 'with a scenario: write summary.json and junit.xml into this folder' })
        .option('json', { type: 'boolean', describe: 'print the results as JSON' })
        .option('quiet', { type: 'boolean', describe: 'no status lines on stderr' }) as never,
    handler: async (args) => {
      const target = args.engine === 'jssip' ? await jssipTarget(args.target, args.remote === true) : parseTarget(args.target, args.remote === true);
      if (args.calls === undefined && args.duration === undefined) throw new UsageError('give --calls N or --duration T: a load run is always bounded');
      wholeFlag('calls', args.calls, { min: 1 });
      wholeFlag('max-concurrent', args['max-concurrent'], { min: 1 });
      wholeFlag('processes', args.processes, { min: 1, max: MAX_SIPP_PROCESSES });
      // the callers' random streams take any seed a scenario may have: 0 .. 2^53-1
      wholeFlag('seed', args.seed, { min: 0 });
      if (!(args.speed > 0 && args.speed <= 10_000)) throw new UsageError(`--speed ${args.speed}: expected a number above 0 and at most 10000`);
      let rate: number | undefined;
      if (args.rate !== undefined) {
        rate = parseRate(args.rate);
        if (rate === undefined || !(rate > 0)) throw new UsageError(`--rate ${args.rate}: expected calls per second such as 50/s, 100/m or 20`);
      }
      seconds('max-lag', args['max-lag']);
      if (args.scenario !== undefined) {
        if (args.engine === 'sipp') throw new UsageError('--engine sipp plays a fixed caller path (--rate, --keys, --hold): scenario callers, who decide as they go, need --engine native or jssip');
        return loadScenarioCallers(args, target, rate, setCode);
      }
      if (args.out !== undefined) throw new UsageError('--out writes the summary.json and junit.xml of scenario callers: give a SCENARIO, or print the fixed path\'s results with --json');
      if (rate === undefined) throw new UsageError('give --rate (calls per second), or a scenario whose arrivals to play');
      if (args.speed !== 1) throw new UsageError('--speed needs a scenario: without one, every time is real time');
      return loadFixedPath(args, target, rate, setCode);
    },
  };
}

/**
 * JsSIP is loaded only for the jssip engine: it costs every other command (and `--help`)
 * about 0.1 s of start-up otherwise.
 */
const jssip = (): Promise<typeof import('../../sim/sip/jssip/jssip-dialer.js')> => import('../../sim/sip/jssip/jssip-dialer.js');

/** `sip:U@H:P;transport=ws` or `ws://[U@]H:P[/path]` -> the Request-URI and the WebSocket URL (the peer). */
async function jssipTarget(target: string, allowRemote: boolean): Promise<{ uri: string; peer: string }> {
  const { parseWsTarget, WsTargetError } = await jssip();
  try {
    const t = parseWsTarget(target, { allowRemote, isLoopback });
    return { uri: t.uri, peer: t.wsUrl };
  } catch (e) {
    if (e instanceof WsTargetError) throw new UsageError(`${target}: ${e.message}`);
    throw e;
  }
}

/** Who places the calls, and how to close it. */
interface Engine {
  readonly dialer: LoadDialer<never>;
  readonly name: 'native' | 'jssip';
  /** Where calls come from, for the status line. */
  readonly address: string;
  close(): Promise<void>;
}

/**
 * native: a user agent on an ephemeral loopback UDP port, its SIP timers on `clock`.
 * jssip: a pool of JsSIP user agents, their WebSockets opened now so that the first calls do
 * not wait for handshakes; an unreachable target is not an error here: its calls fail, by
 * reason, and the run's end says the target is unreachable.
 */
async function engineFor(name: string, clock: WallClockScheduler, peer: string): Promise<Engine> {
  if (name === 'jssip') {
    const { JsSipDialer } = await jssip();
    const dialer = new JsSipDialer<never>();
    await dialer.ready(peer).catch(() => undefined);
    return { dialer: dialer as LoadDialer<never>, name: 'jssip', address: 'JsSIP over WebSocket', close: () => dialer.close() };
  }
  let ua: UserAgent<never> | undefined;
  const transport = await UdpTransport.bind({ onMessage: (m, f) => ua?.receive(m, f) });
  ua = new UserAgent(clock, transport, { address: transport.address, name: `l${process.pid.toString(36)}x`, product: 'callsim-load' });
  return { dialer: ua as LoadDialer<never>, name: 'native', address: transport.address, close: () => transport.close() };
}

/** A share in percent, or `-` when there was nothing to share (no call started: NaN). */
export function percentText(x: number): string {
  return Number.isFinite(x) ? `${(x * 100).toFixed(2)} %` : '- (no call started)';
}

/** Exit codes of a load run ended by a signal it does not wait out: 128 + the signal's number. */
const QUIT_CODES: Readonly<Record<'SIGINT' | 'SIGTERM' | 'SIGHUP', number>> = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 };

/**
 * Ctrl-C stops starting calls and ends the live ones; a hard bound (ms) does the same. A
 * second Ctrl-C, SIGTERM or SIGHUP ends the process at once, through process.exit, so that
 * exit hooks run (the sipp engine's children, in process groups of their own, are killed).
 */
function stopOn(stop: () => void, boundMs: number): { interrupted: () => boolean; release: () => void } {
  let interrupted = false;
  const quit = (signal: keyof typeof QUIT_CODES): void => process.exit(QUIT_CODES[signal]);
  const onSigint = (): void => {
    interrupted = true;
    stop();
    process.once('SIGINT', quit);
  };
  process.once('SIGINT', onSigint);
  process.once('SIGTERM', quit);
  process.once('SIGHUP', quit);
  const guard = setTimeout(stop, boundMs);
  return {
    interrupted: () => interrupted,
    release: () => {
      clearTimeout(guard);
      process.removeListener('SIGINT', onSigint);
      process.removeListener('SIGINT', quit);
      process.removeListener('SIGTERM', quit);
      process.removeListener('SIGHUP', quit);
    },
  };
}

/** What {@link drive} saw of a run: interrupted or not, the generator's health, how long it took. */
interface Driven {
  readonly interrupted: boolean;
  readonly generator: GeneratorHealth;
  readonly wallSeconds: number;
}

/**
 * Runs a load run to its end, under a hard bound (ms) and Ctrl-C, watching the event loop;
 * then lets the last ACKs and 200s leave and closes the clocks and the engine.
 */
async function drive(
  run: { start(): void; stop(): void; readonly done: Promise<void>; readonly metrics: { readonly start_lag: DurationMetric } },
  boundMs: number,
  o: { readonly speed: number; readonly maxLag: string; readonly clocks: readonly WallClockScheduler[]; readonly engine: Engine },
): Promise<Driven> {
  const lag = monitorEventLoopDelay({ resolution: LAG_RESOLUTION_MS });
  lag.enable();
  const stopper = stopOn(() => run.stop(), boundMs);
  // the callers' clock starts with the run, not when it was built before the engine bound its
  // socket and the collector its histograms (0.2 s: at --speed 60, 12 s of the scenario's
  // window with no arrivals, and 12 s more between serve's day and the callers')
  for (const c of new Set(o.clocks)) c.restart();
  const started = performance.now();
  try {
    run.start();
    await run.done;
  } finally {
    // on an error too: an open socket or clock would keep the process alive
    stopper.release();
    lag.disable();
    await new Promise((r) => setTimeout(r, 100));
    for (const c of new Set(o.clocks)) c.close();
    await o.engine.close();
  }
  return { interrupted: stopper.interrupted(), generator: health(lag, run.metrics.start_lag, o.speed, o.maxLag), wallSeconds: (performance.now() - started) / 1000 };
}

const jsonNumbers = (_k: string, v: unknown): unknown => (typeof v === 'number' && !Number.isFinite(v) ? null : v);

async function loadFixedPath(args: LoadArgs, target: { uri: string; peer: string }, rate: number, setCode: (code: number) => void): Promise<void> {
  if (!/^[0-9*#A-D]*$/.test(args.keys)) throw new UsageError(`--keys ${args.keys}: expected DTMF keys 0-9, *, #, A-D`);
  if (!/^[0-9+]*$/.test(args.from)) throw new UsageError(`--from ${args.from}: expected digits`);
  const duration = args.duration === undefined ? Infinity : seconds('duration', args.duration);
  // a run that starts no call would pass with nothing measured
  if (rate * duration < 1) throw new UsageError(`--duration ${args.duration} at ${rateText(rate)} starts less than one call on average; expected --rate x --duration of 1 or more`);
  const plan = {
    ...target,
    rate,
    calls: args.calls ?? Number.MAX_SAFE_INTEGER,
    duration: Number.isFinite(duration) ? duration : (args.calls! / rate) * 10 + 60,
    maxConcurrent: args['max-concurrent'],
    keys: args.keys,
    keyGap: seconds('key-gap', args['key-gap']),
    hold: seconds('hold', args.hold),
    ringTimeout: positiveSeconds('ring-timeout', args['ring-timeout']),
    from: args.from,
  };

  if (args.engine === 'sipp') return loadWithSipp(args, plan, setCode);
  const clock = new WallClockScheduler();
  const dialer = await engineFor(args.engine, clock, target.peer);
  const run = new LoadRun(clock, dialer.dialer as never, plan, new RandomStreams(args.seed ?? 1).stream('load:arrivals'));
  if (!args.quiet) process.stderr.write(`callsim load: ${plan.uri} from ${dialer.address}, ${rateText(rate)}${boundsText(args)}\n`);
  // the hard bound: starts stop at plan.duration; every call then has its own timers
  const { interrupted, generator, wallSeconds } = await drive(run, (plan.duration + plan.ringTimeout + plan.keys.length * plan.keyGap + plan.hold + 40) * 1000, {
    speed: 1, maxLag: args['max-lag'], clocks: [clock], engine: dialer,
  });
  const c = run.counters;
  const failedCalls = Object.values(c.failed).reduce((a, b) => a + b, 0);
  const saturated = generator.saturated;
  const result = {
    target: plan.uri,
    engine: dialer.name,
    partial: interrupted,
    wallSeconds,
    counters: c,
    setupSuccess: c.started > 0 ? c.answered / c.started : NaN,
    unreachable: unreachable(c, plan.ringTimeout, interrupted),
    metrics: Object.fromEntries(Object.entries(run.metrics).map(([k, m]) => [k, stats(m)])),
    generator,
  };
  run.destroy();
  if (args.json) {
    process.stdout.write(JSON.stringify(result, jsonNumbers, 2) + '\n');
  } else {
    const lines = [
      `${plan.uri}: ${c.started} calls started of ${c.scheduled} scheduled (${c.notStarted} not started: --max-concurrent), ${c.answered} answered, ` +
        `set-up success ${percentText(result.setupSuccess)}`,
      `failures by status: ${failedCalls === 0 ? 'none' : Object.entries(c.failed).map(([s, n]) => `${s} x${n}`).join(', ')}; ring timeouts (CANCEL): ${c.ringTimeouts}`,
      `keys sent ${c.keysSent}, acknowledged ${c.keysAcked}; ended by the target ${c.endedByTarget} of ${c.completed}`,
      '',
      ...metricTable(result.metrics),
      '',
      generatorLine(generator),
      ...unreachableLine(result.unreachable),
      ...(interrupted ? ['PARTIAL: interrupted by Ctrl-C'] : []),
    ];
    process.stdout.write(lines.join('\n') + '\n');
  }
  finish({ interrupted, saturated, unreachable: result.unreachable, target: args.target, ok: c.answered === c.started && c.notStarted === 0 }, setCode);
}

/** Why the target is unreachable (unreachable.ts), or null; an interrupted run concludes nothing. */
function unreachable(c: LoadCounters, ringTimeout: number, interrupted: boolean): string | null {
  return interrupted ? null : (unreachableBecause(c, ringTimeout) ?? null);
}

function unreachableLine(why: string | null): string[] {
  return why === null ? [] : [`UNREACHABLE: ${why}`];
}

/**
 * The exit code of a load run, in this order: Ctrl-C (130); a generator too late to trust
 * (3: its own lag may be what the target's silence is made of); a target that never
 * answered (2, with a message naming it as typed); then the verdict (0 or 1).
 */
function finish(o: { interrupted: boolean; saturated: boolean; unreachable: string | null; target: string; ok: boolean }, setCode: (code: number) => void): void {
  if (o.interrupted) return setCode(EXIT.interrupted);
  if (o.saturated) return setCode(EXIT.untrusted);
  if (o.unreachable !== null) {
    process.stderr.write(`callsim: target ${o.target} is unreachable: ${o.unreachable}\n`);
    return setCode(EXIT.invalid);
  }
  setCode(o.ok ? EXIT.ok : EXIT.slaFailed);
}

/** The fixed path with SIPp as the caller: one sipp per core, per-call log lines into histograms. */
async function loadWithSipp(args: LoadArgs, plan: Parameters<typeof import('../../sim/sip/sipp/load-engine.js').runSippLoad>[0], setCode: (code: number) => void): Promise<void> {
  const { runSippLoad, sippLoadOptions, SippLoadError } = await import('../../sim/sip/sipp/load-engine.js');
  const { SippMissingError } = await import('../../sim/sip/sipp/run-sipp.js');
  let options;
  try {
    options = sippLoadOptions({
      ...(args.processes !== undefined && { processes: args.processes }),
      ...(args['local-ip'] !== undefined && { localIp: args['local-ip'] }),
    }, () => new DurationMetric('s'));
  } catch (e) {
    throw new UsageError(`--processes/--local-ip: ${(e as Error).message}`);
  }
  if (args['local-ip'] === undefined && !isLoopback(plan.peer.replace(/:\d+$/, '').replace(/^\[|\]$/g, ''))) {
    throw new UsageError(`${plan.uri}: a target that is not a loopback address needs --local-ip (the address SIPp sends from)`);
  }
  const run = runSippLoad(plan, { ...options, saturationMs: seconds('max-lag', args['max-lag']) * 1000 });
  const stopper = stopOn(() => run.stop(), (plan.duration + plan.ringTimeout + plan.keys.length * plan.keyGap + plan.hold + 60) * 1000);
  if (!args.quiet) process.stderr.write(`callsim load: ${plan.uri} with sipp, ${rateText(plan.rate)}${boundsText(args)}\n`);
  let r;
  try {
    r = await run.done;
  } catch (e) {
    stopper.release();
    if (e instanceof SippMissingError || e instanceof SippLoadError) throw new UsageError(e.message);
    throw e;
  }
  stopper.release();
  const c = r.counters;
  const interrupted = stopper.interrupted() || r.partial;
  const result = {
    target: plan.uri,
    engine: 'sipp',
    partial: interrupted,
    wallSeconds: r.wallSeconds,
    counters: c,
    setupSuccess: c.started > 0 ? c.answered / c.started : NaN,
    unreachable: unreachable(c, plan.ringTimeout, interrupted),
    metrics: Object.fromEntries(Object.entries(r.metrics).map(([k, m]) => [k, stats(m as DurationMetric)])),
    generator: r.generator,
  };
  for (const m of Object.values(r.metrics)) (m as DurationMetric).destroy();
  if (args.json) {
    process.stdout.write(JSON.stringify(result, jsonNumbers, 2) + '\n');
  } else {
    const failed = Object.entries(c.failed);
    process.stdout.write([
      `${plan.uri}: ${c.started} calls started by ${r.generator.processes.length} sipp (${r.generator.version.version}), ${c.answered} answered, set-up success ${percentText(result.setupSuccess)}`,
      `failures by status: ${failed.length === 0 ? 'none' : failed.map(([k, n]) => `${k} x${n}`).join(', ')}; ring timeouts (CANCEL): ${c.ringTimeouts}`,
      `keys sent ${c.keysSent}, acknowledged ${c.keysAcked}; ended by the target ${c.endedByTarget} of ${c.completed}`,
      '',
      ...metricTable(result.metrics, 'from the INVITE sipp sent'),
      '',
      `generator: sipp started calls late by ${Number.isFinite(r.generator.startLagP99Ms) ? `${r.generator.startLagP99Ms.toFixed(1)} ms (p99)` : '- (no call logged its start)'}${r.generator.saturated ? ` — SATURATED (over ${r.generator.thresholdMs} ms): these numbers describe the generator, not the target` : ''}${r.timedOut ? '; a sipp hit its time bound' : ''}`,
      ...unreachableLine(result.unreachable),
      ...(interrupted ? ['PARTIAL: interrupted by Ctrl-C'] : []),
    ].join('\n') + '\n');
  }
  finish({ interrupted, saturated: r.generator.saturated, unreachable: result.unreachable, target: args.target, ok: c.answered === c.started && c.notStarted === 0 && c.started > 0 }, setCode);
}

function metricTable(metrics: Record<string, Record<string, number>>, from = 'from the scheduled start'): string[] {
  const f = (x: number): string => (Number.isFinite(x) ? x.toFixed(3) : '-');
  return [
    `${`metric (s, ${from})`.padEnd(36)}   count     p50     p90     p95     p99     max`,
    ...Object.entries(metrics).map(([k, m]) => `${k.padEnd(36)} ${String(m['count']).padStart(6)} ${f(m['p50']!).padStart(7)} ${f(m['p90']!).padStart(7)} ${f(m['p95']!).padStart(7)} ${f(m['p99']!).padStart(7)} ${f(m['max']!).padStart(7)}`),
  ];
}

/** The generator's health: its event-loop delay and how late it sent INVITEs (ms of real time, p99). */
interface GeneratorHealth {
  readonly eventLoopDelayP99Ms: number;
  readonly startLagP99Ms: number;
  readonly thresholdMs: number;
  readonly saturated: boolean;
}

/** Resolution of the event-loop delay monitor (ms): its samples are whole timer intervals, this included. */
const LAG_RESOLUTION_MS = 10;

function health(lag: ReturnType<typeof monitorEventLoopDelay>, startLag: DurationMetric, speed: number, maxLag: string): GeneratorHealth {
  const eventLoopDelayP99Ms = Math.max(0, lag.percentile(99) / 1e6 - LAG_RESOLUTION_MS);
  const startLagP99Ms = startLag.count > 0 ? (startLag.percentile(99) / speed) * 1000 : 0;
  const thresholdMs = seconds('max-lag', maxLag) * 1000;
  return { eventLoopDelayP99Ms, startLagP99Ms, thresholdMs, saturated: eventLoopDelayP99Ms > thresholdMs || startLagP99Ms > thresholdMs };
}

function generatorLine(h: GeneratorHealth): string {
  return `generator: event-loop delay p99 ${h.eventLoopDelayP99Ms.toFixed(1)} ms, INVITEs sent late by ${h.startLagP99Ms.toFixed(1)} ms (p99)` +
    (h.saturated ? ` — SATURATED (over ${h.thresholdMs} ms): these numbers describe the generator, not the target` : '');
}

/** The summary of a load run: SLAs no caller can observe move to `notEvaluated`; `pass` is over the rest. */
export function loadSummary(summary: Summary): Summary & { notEvaluated: { key: string; expr: string; why: string }[] } {
  const agentSide = (r: Summary['slas'][number]): boolean => AGENT_SIDE.has(r.metric.replace(/\(.*$/, ''));
  const slas = summary.slas.filter((r) => !agentSide(r));
  const notEvaluated = summary.slas
    .filter(agentSide)
    .map((r) => ({ key: r.key, expr: r.expr, why: 'agent-side: no caller observes it (see the target\'s own report, e.g. callsim serve --out)' }));
  return { ...summary, slas, pass: slas.every((r) => r.pass), notEvaluated };
}

async function loadScenarioCallers(args: LoadArgs, target: { uri: string; peer: string }, rate: number | undefined, setCode: (code: number) => void): Promise<void> {
  const sets = scenarioSets(args);
  // the run's length is the summary's: per-interval tables and rates cover what was played
  let scenario = loadScenario(args.scenario!, { sets });
  if (args.duration !== undefined) {
    const played = seconds('duration', args.duration);
    sets.push(`duration=${args.duration}`);
    if (scenario.interval > played) sets.push(`interval=${args.duration}`);
    const warmup = scenario.warmup;
    try {
      scenario = loadScenario(args.scenario!, { sets });
    } catch (e) {
      // --duration goes in as a --set the user never typed: say it is the flag that clashes
      if (!(e instanceof ScenarioError) || warmup < played) throw e;
      throw new ScenarioError(e.issues.map((i) => (i.path !== 'warmup' ? i : {
        ...i,
        message: `the scenario's warm-up (${formatDuration(warmup)}) is ${warmup > played ? 'longer than' : 'as long as'} --duration ${args.duration}: no call would be measured`,
        expected: `a --duration longer than ${formatDuration(warmup)}, or a shorter warm-up (e.g. --set warmup=0s)`,
      })));
    }
  }
  const speed = args.speed;
  const duration = scenario.duration;
  const ringTimeout = positiveSeconds('ring-timeout', args['ring-timeout']);
  const maxCallTime = positiveSeconds('max-call-time', args['max-call-time']);
  if (args.out !== undefined) prepareOutDir(args.out);
  // the callers live on the scenario's clock; SIP's own timers on real time
  const clock = new WallClockScheduler({ speed });
  const sipClock = speed === 1 ? clock : new WallClockScheduler();
  const dialer = await engineFor(args.engine, sipClock, target.peer);
  const collector = new MetricsCollector(collectorOptions(scenario, slaServiceLevelThresholds(scenario)));
  const run = new ScenarioLoadRun(scenario, clock, dialer.dialer as never, {
    ...target,
    duration,
    calls: args.calls ?? Number.MAX_SAFE_INTEGER,
    maxConcurrent: args['max-concurrent'],
    ringTimeout,
    maxCallTime,
    ...(rate !== undefined && { rate }),
    askAcd: true,
  }, new RandomStreams(args.seed ?? scenario.seed), collector);
  if (!args.quiet) {
    process.stderr.write(`callsim load: ${scenario.name} callers at ${target.uri} from ${dialer.address}${speed === 1 ? '' : `, ${speed}x real time`}; ` +
      `${args.duration ? `starts calls for ${args.duration} of the scenario` : ''}${args.calls ? `${args.duration ? ', ' : ''}at most ${args.calls} calls` : ''}\n`);
  }
  const { interrupted, generator, wallSeconds } = await drive(run, ((duration + maxCallTime) / speed + 30) * 1000, {
    speed, maxLag: args['max-lag'], clocks: [clock, sipClock], engine: dialer,
  });
  const saturated = generator.saturated;
  const rep = { index: 0, seed: args.seed ?? scenario.seed, collector, events: 0, endTime: clock.now(), partial: interrupted };
  const c = run.counters;
  const ahead = run.targetClockAhead();
  const summary = {
    ...loadSummary(summarize(scenario, [rep], { partial: interrupted, covered: rep.endTime, wallSeconds, now: new Date() })),
    load: {
      target: target.uri,
      engine: dialer.name,
      speed,
      counters: c,
      setupSuccess: c.started > 0 ? c.answered / c.started : NaN,
      /** Why the target counts as unreachable (it never answered anything: exit 2), or null. */
      unreachable: unreachable(c, ringTimeout, interrupted),
      /** The caller's own measurements, from each call's scheduled start, in scenario seconds. */
      measured: Object.fromEntries(Object.entries(run.metrics).map(([k, m]) => [k, stats(m)])),
      /** Queue metrics need the target's ACD events (callsim serve sends them). */
      acdReported: c.acdEvents > 0,
      /** Scenario seconds the target's clock ran ahead of the callers' (its ACD events' mean), or null. */
      targetClockAhead: ahead ?? null,
      generator: { ...generator, scenarioSecondsOfLag: (generator.eventLoopDelayP99Ms / 1000) * speed },
    },
  };
  run.destroy();
  collector.destroy();
  if (args.out) {
    writeFileSync(join(args.out, 'summary.json'), summaryJson(summary as Summary));
    writeFileSync(join(args.out, 'junit.xml'), junitXml(summary));
  }
  if (args.json) {
    process.stdout.write(summaryJson(summary as Summary));
  } else {
    const failed = Object.entries(c.failed);
    const lines = [
      formatConsoleSummary(summary, styleFor(process.stdout)).trimEnd(),
      '',
      `load: ${c.started} attempts (${c.redials} redials) at ${target.uri}, ${c.answered} answered by the target, set-up success ${percentText(summary.load.setupSuccess)}; ` +
        `failures by status: ${failed.length === 0 ? 'none' : failed.map(([k, n]) => `${k} x${n}`).join(', ')}; ring timeouts ${c.ringTimeouts}; not started (--max-concurrent/--calls) ${c.notStarted}`,
      acdEventsLine(c, ahead),
      ...[clockStepWarning(ahead, speed)].filter((w) => w !== undefined),
      ...summary.notEvaluated.map((n) => `not evaluated: ${n.key} ${n.expr}: ${n.why}`),
      ...metricTable(summary.load.measured),
      generatorLine(generator),
      ...unreachableLine(summary.load.unreachable),
      ...(interrupted ? ['PARTIAL: interrupted by Ctrl-C'] : []),
    ];
    process.stdout.write(lines.join('\n') + '\n');
  }
  finish({ interrupted, saturated, unreachable: summary.load.unreachable, target: args.target, ok: summary.pass && c.answered > 0 }, setCode);
}
