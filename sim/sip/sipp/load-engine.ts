// The sipp engine of `callsim load`: the plan of the native engine (sim/metrics/load-run.ts)
// with SIPp as the caller. One `sipp` per core shares the rate; each places its calls with
// SIPp's own pacing (evenly spaced, not Poisson: SIPp has no Poisson arrivals) and calls from
// `plan.from + n`, n = 1, 2, ... over all processes, read from an injection file. Calls start
// on SIPp's schedule whether or not earlier ones were answered (an open model), and every
// latency counts from the call's start as SIPp saw it (t0: just after its INVITE left). If
// SIPp falls behind its own schedule, that lateness is not in the latencies; it is measured
// instead (each call's start against the evenly spaced schedule: `start_lag`,
// `generator.startLagP99Ms`), and past a threshold the run is marked saturated, as the native
// engine does with its event-loop delay and start lag. SIPp starts calls in bursts on its
// clock ticks (at 2000 calls/s, a few every 4 ms), which shows as a few ms of start lag.
//
// Results come from the scenario's per-call <log> lines (load-scenario.ts) and SIPp's error
// log (load-tally.ts), never from its statistics CSV, and land in the caller's histograms
// (DurationSink: sim/metrics' DurationMetric; this layer does not import sim/metrics). The plan
// and the counters are the native engine's (../load-plan.ts).
//
// Precision: every time is SIPp's gettimeofday() when it handles the event (a <gettimeofday>
// action, microseconds), so durations are exact to the microsecond plus SIPp's own handling
// time (it reads a response when its main loop polls). What SIPp *does* in time (call
// starts, the ring timeout, key gaps, the hold) runs on its millisecond scheduler clock, which
// advances in 4 ms steps in 3.6.x (docs/sipp.md; -timer_resol 1 here): those are good to
// about 4 ms. `sipp -v` is checked and reported (generator.version).

import { createReadStream } from 'node:fs';
import { access } from 'node:fs/promises';
import { isIP } from 'node:net';
import { availableParallelism } from 'node:os';
import { createInterface } from 'node:readline';
import type { Scheduler } from '../../kernel/clock.js';
import { WallClockScheduler } from '../../kernel/wall-clock.js';
import type { DurationSink } from './log-parser.js';
import type { LoadCounters, LoadPlan } from '../load-plan.js';
import { ABORT_LINE, LoadTally, parseSippAborts, percentile, type SippLoadMetrics } from './load-tally.js';
import { loadUacScenarioXml } from './load-scenario.js';
import { sippVersion, startSipp, type SippProcess, type SippRunResult, type SippVersion } from './run-sipp.js';

export type { SippLoadMetrics } from './load-tally.js';

/** Default socket buffers of each sipp (see SippLoadOptions.bufferBytes). */
export const BUFFER_BYTES = 4 << 20;

/** sipp could not run the plan at all (every process failed before placing a call). */
export class SippLoadError extends Error {
  override name = 'SippLoadError';
}

export interface SippLoadOptions<M extends DurationSink> {
  /** A fresh histogram, e.g. `() => new DurationMetric('s')`. */
  newMetric(): M;
  /** sipp processes; default os.availableParallelism(), at most one per call. */
  processes?: number;
  /** Local address for SIPp (-i); default the loopback of the target's family. Required for a target that is not a loopback address. */
  localIp?: string;
  /** SIPp's scheduler resolution (-timer_resol, ms); default 1. */
  timerResolMs?: number;
  /**
   * Socket send and receive buffers of each sipp (-buff_size, bytes; the kernel caps them at
   * net.core.rmem_max / wmem_max); default 4 MiB. SIPp's own default, 64 KiB, holds about 130
   * messages: a few milliseconds of a busy run, after which a sipp that was not scheduled in
   * time loses datagrams and its calls fail for a reason that is not the target's.
   */
  bufferBytes?: number;
  /** Longest wait for the answer to a CANCEL or an in-dialog request, ms; default 32000. */
  transactionTimeoutMs?: number;
  /** Start lag p99 (ms) beyond which the run is marked saturated; default 50, as the native engine's --max-lag. */
  saturationMs?: number;
  sippPath?: string;
  /** The clock of SIPp's process bounds and of `wallSeconds` (real time); default a wall clock of the run's own. */
  clock?: Scheduler;
  /** Keep each process's directory (scenario, injection file, logs) in the temporary directory. */
  keepFiles?: boolean;
}

/** What one sipp process did. */
export interface SippProcessReport {
  readonly pid: number | undefined;
  readonly localPort: number;
  readonly calls: number;
  readonly rate: number;
  readonly exitCode: number | null;
  readonly signal: string | null;
  /** Ended by SIGTERM/SIGKILL: after Ctrl-C (expected), or at its hard bound. */
  readonly killed: boolean;
  readonly wallSeconds: number;
  readonly args: readonly string[];
  /** Lines in its log that were not ours (SIPp's own warnings). */
  readonly otherLines: number;
  /** The end of sipp's own output, when it did not exit 0 or 1. */
  readonly output?: string;
  /** The first lines of its error log (SIPp's own complaints, not the calls it aborted). */
  readonly errors: readonly string[];
}

export interface SippLoadResults<M extends DurationSink> {
  readonly engine: 'sipp';
  /** Stopped (Ctrl-C) before the end: the calls in flight were aborted by SIPp and are not counted as failures. */
  readonly partial: boolean;
  /** A sipp process hit its time bound: the calls it had in flight count as failed (`aborted`). */
  readonly timedOut: boolean;
  readonly counters: LoadCounters;
  readonly metrics: SippLoadMetrics<M>;
  readonly generator: {
    /** SIPp's own pacing: evenly spaced starts at rate / processes in each process. */
    readonly pacing: 'uniform';
    readonly processes: readonly SippProcessReport[];
    /** How late calls started against their process's evenly spaced schedule (ms), p99 and max: the native engine's start lag. */
    readonly startLagP99Ms: number;
    readonly startLagMaxMs: number;
    /** startLagP99Ms over thresholdMs: the numbers describe SIPp (or this machine), not the target. */
    readonly saturated: boolean;
    readonly thresholdMs: number;
    readonly version: SippVersion;
  };
  readonly wallSeconds: number;
}

export interface SippLoadRun<M extends DurationSink> {
  /** Settles when every sipp process has exited and its logs were read. */
  readonly done: Promise<SippLoadResults<M>>;
  /**
   * Ctrl-C: SIPp starts no more calls; the answered ones may finish their keys and hold (at
   * most 5 s), then the live calls are CANCELled or BYEd and SIPp exits; `done` then gives
   * what was logged, marked partial. A call cut short logged nothing (each call writes one line,
   * at its end): it counts as started, with no timings.
   */
  stop(): void;
}

/** The share of one process: its calls, its rate, and which call numbers it dials. */
export interface ProcessShare {
  readonly calls: number;
  readonly rate: number;
  readonly index: number;
  readonly processes: number;
}

/** Calls the plan starts at most: its `calls`, or what its rate fills in its `duration`. */
export function plannedCalls(plan: Pick<LoadPlan, 'calls' | 'rate' | 'duration'>): number {
  const byDuration = Number.isFinite(plan.duration) ? Math.ceil(plan.rate * plan.duration - 1e-9) : Infinity;
  return Math.max(0, Math.min(plan.calls, byDuration));
}

/** Splits `calls` at `rate` between `processes` sipp processes (at most one per call), call numbers interleaved. */
export function splitPlan(calls: number, rate: number, processes: number): ProcessShare[] {
  const n = Math.max(1, Math.min(Math.floor(processes), calls));
  return Array.from({ length: n }, (_, i) => ({ calls: Math.floor(calls / n) + (i < calls % n ? 1 : 0), rate: rate / n, index: i, processes: n }));
}

/** The run-wide number (from 1) of a process's k-th call (k from 1, SIPp's [call_number]). */
export function globalCallNumber(share: ProcessShare, k: number): number {
  return share.index + 1 + (k - 1) * share.processes;
}

/** The most sipp processes one run starts (each one a process, a port and its own injection file). */
export const MAX_SIPP_PROCESSES = 256;

/** Lines of the injection file per chunk written: a day's run is more than one string can hold. */
export const INJECTION_CHUNK_LINES = 65_536;

/**
 * The calls one sipp process may be given: SIPp holds its whole injection file in memory,
 * about 53 bytes a line (530 MB of RSS for 10,000,000 lines, SIPp 3.6.1, measured).
 */
export const MAX_SIPP_CALLS_PER_PROCESS = 10_000_000;

/**
 * The injection file of one process, in chunks of at most INJECTION_CHUNK_LINES lines (for
 * writeFile): `SEQUENTIAL`, then one calling number per call, in call order.
 */
export function injectionCsv(from: string, share: ProcessShare): Iterable<string> {
  if (!/^[0-9+]*$/.test(from)) throw new RangeError(`calling-number prefix must be digits, got ${JSON.stringify(from)}`);
  return injectionChunks(from, share);
}

function* injectionChunks(from: string, share: ProcessShare): Generator<string> {
  let chunk = 'SEQUENTIAL\n';
  let lines = 1;
  for (let k = 1; k <= share.calls; k++) {
    chunk += `${from}${globalCallNumber(share, k)};\n`;
    if (++lines === INJECTION_CHUNK_LINES) {
      yield chunk;
      chunk = '';
      lines = 0;
    }
  }
  if (chunk !== '') yield chunk;
}

/** Why `shares` cannot be given to sipp (a process over MAX_SIPP_CALLS_PER_PROCESS), or undefined. */
export function sippSharesProblem(shares: readonly ProcessShare[]): string | undefined {
  const most = Math.max(...shares.map((s) => s.calls));
  if (most <= MAX_SIPP_CALLS_PER_PROCESS) return undefined;
  const total = shares.reduce((n, s) => n + s.calls, 0);
  const needed = Math.ceil(total / MAX_SIPP_CALLS_PER_PROCESS);
  const more = needed <= MAX_SIPP_PROCESSES ? `--processes ${needed} or more, ` : '';
  return `${total} calls on ${shares.length} sipp process${shares.length === 1 ? '' : 'es'} is ${most} for one, over the ${MAX_SIPP_CALLS_PER_PROCESS} a sipp can be given ` +
    `(it holds a line per call in memory, about 53 bytes each): use ${more}fewer calls or a shorter --duration, or --engine native`;
}

/** `127.0.0.1:5060` / `[::1]:5060` -> host and address family. */
export function peerHost(peer: string): { host: string; family: 4 | 6 } {
  const m = /^\[([0-9a-fA-F:.]+)\]:(\d{1,5})$/.exec(peer) ?? /^([0-9.]+):(\d{1,5})$/.exec(peer);
  const family = m ? isIP(m[1]!) : 0;
  if (!m || (family !== 4 && family !== 6)) throw new RangeError(`peer must be ip:port or [ipv6]:port, got ${JSON.stringify(peer)}`);
  return { host: m[1]!, family };
}

/**
 * The request URI as SIPp must be given it: an IPv6 literal (`sip:12333@[::1]:5070`) reads to
 * SIPp as an unknown keyword `[::1]`, so a host (and port) equal to the peer's become SIPp's
 * [remote_ip] (which SIPp writes with brackets) and [remote_port].
 */
export function sippUri(uri: string, peer: string): string {
  const m = /^(sips?:[^@]+@)\[([0-9a-fA-F:.]+)\](?::(\d{1,5}))?(.*)$/.exec(uri);
  if (!m) return uri;
  const p = /^\[([0-9a-fA-F:.]+)\]:(\d{1,5})$/.exec(peer);
  if (!p || p[1]!.toLowerCase() !== m[2]!.toLowerCase()) throw new RangeError(`${uri}: an IPv6 host in the URI must be the peer's (${peer})`);
  const port = m[3] === undefined ? '' : m[3] === p[2] ? ':[remote_port]' : `:${m[3]}`;
  return `${m[1]}[remote_ip]${port}${m[4]}`;
}

/** The `--processes` and `--local-ip` flags of `callsim load --engine sipp`, checked, as options. */
export function sippLoadOptions<M extends DurationSink>(flags: { processes?: number; localIp?: string; timerResolMs?: number }, newMetric: () => M): SippLoadOptions<M> {
  if (flags.processes !== undefined && !(Number.isSafeInteger(flags.processes) && flags.processes >= 1 && flags.processes <= MAX_SIPP_PROCESSES)) {
    throw new RangeError(`processes: expected a whole number from 1 to ${MAX_SIPP_PROCESSES}, got ${flags.processes}`);
  }
  if (flags.localIp !== undefined && isIP(flags.localIp) === 0) throw new RangeError(`local IP: expected an IP address, got ${JSON.stringify(flags.localIp)}`);
  if (flags.timerResolMs !== undefined && !(Number.isSafeInteger(flags.timerResolMs) && flags.timerResolMs >= 1)) throw new RangeError(`timer resolution: expected whole milliseconds >= 1, got ${flags.timerResolMs}`);
  return {
    newMetric,
    ...(flags.processes !== undefined ? { processes: flags.processes } : {}),
    ...(flags.localIp !== undefined ? { localIp: flags.localIp } : {}),
    ...(flags.timerResolMs !== undefined ? { timerResolMs: flags.timerResolMs } : {}),
  };
}

async function eachLine(path: string, f: (line: string) => void): Promise<void> {
  try {
    await access(path);
  } catch {
    return; // a log SIPp never wrote (it failed at once) reads as empty
  }
  for await (const line of createInterface({ input: createReadStream(path, { encoding: 'latin1' }), crlfDelay: Infinity })) f(line);
}

/**
 * Runs `plan` with SIPp as the caller. `done` rejects when sipp is missing, the plan cannot
 * run, or every sipp failed before a call (SippLoadError); a run that started resolves with
 * what was logged.
 */
export function runSippLoad<M extends DurationSink>(plan: LoadPlan, options: SippLoadOptions<M>): SippLoadRun<M> {
  let stopped = false;
  const running: SippProcess[] = [];
  // SIPp is a real process: the run's times are read from a wall-clock Scheduler, like its bounds
  const own = options.clock === undefined ? new WallClockScheduler({ unref: true }) : undefined;
  const clock = options.clock ?? own!;
  // Ctrl-C: SIPp places no more calls, and the answered ones get this long to finish their
  // keys and hold and log themselves (at most 5 s); then the live calls are CANCELled or BYEd
  const finishMs = Math.min(5000, (plan.keys.length * plan.keyGap + plan.hold) * 1000 + 500);
  const stop = (): void => {
    if (stopped) return;
    stopped = true;
    for (const p of running) p.interrupt(finishMs);
  };
  const done = (async (): Promise<SippLoadResults<M>> => {
    const version = await sippVersion(options.sippPath);
    const { host, family } = peerHost(plan.peer);
    const loopback = family === 4 ? host.startsWith('127.') : host === '::1';
    const localIp = options.localIp ?? (loopback ? (family === 4 ? '127.0.0.1' : '::1') : undefined);
    if (localIp === undefined) throw new RangeError(`the target ${plan.peer} is not a loopback address: give localIp, the local address SIPp should call from`);
    if (!(plan.rate > 0 && Number.isFinite(plan.rate))) throw new RangeError(`rate must be a positive number of calls per second, got ${plan.rate}`);
    const total = plannedCalls(plan);
    if (total < 1) throw new RangeError('the plan starts no call (calls, or rate x duration, below 1)');
    const shares = splitPlan(total, plan.rate, options.processes ?? availableParallelism());
    const tooMany = sippSharesProblem(shares);
    if (tooMany !== undefined) throw new SippLoadError(tooMany);
    const txMs = options.transactionTimeoutMs ?? 32_000;
    const scenarioXml = loadUacScenarioXml({ uri: sippUri(plan.uri, plan.peer), keys: plan.keys, keyGapMs: plan.keyGap * 1000, holdMs: plan.hold * 1000, ringTimeoutMs: plan.ringTimeout * 1000, transactionTimeoutMs: txMs });
    // -l is per process: a call due beyond it waits (SIPp defers it), and shows as start lag
    const limit = Math.max(1, Math.ceil(plan.maxConcurrent / shares.length));
    // One call at most: ring timeout, CANCEL; or each key and its answer, the hold, the BYE.
    const longestCall = plan.ringTimeout + Math.max(txMs / 1000, plan.keys.length * (plan.keyGap + txMs / 1000) + plan.hold + txMs / 1000);
    const tally = new LoadTally(options.newMetric);
    const started = clock.now();

    const one = async (share: (typeof shares)[number]): Promise<{ report?: SippProcessReport; placed: number; hitBound: boolean }> => {
      const t = tally.process(share.calls, share.rate);
      if (stopped) {
        t.end([], true, 0);
        return { placed: 0, hitBound: false };
      }
      let errors = '';
      // SIPp's first complaints (why it could not run at all, when it could not)
      const firstErrors: string[] = [];
      const proc = await startSipp({
        scenarioXml,
        remote: plan.peer,
        localIp,
        // its own: chosen, and chosen again should someone take it before SIPp binds it
        localPort: 'free',
        calls: share.calls,
        rate: share.rate,
        // its own bound: the last start, the longest call, a margin; -timeout_error makes it an error exit
        timeoutS: share.calls / share.rate + longestCall + 10,
        timerResolMs: options.timerResolMs ?? 1,
        injectionCsv: injectionCsv(plan.from, share),
        extraArgs: ['-l', String(limit), '-aa', '-buff_size', String(options.bufferBytes ?? BUFFER_BYTES)],
        // read as streams: a long run's log is more than one string can hold
        readFiles: async ({ log, errors: errorFile }) => {
          await eachLine(log, (line) => t.line(line));
          let text = '';
          await eachLine(errorFile, (line) => {
            if (ABORT_LINE.test(line)) text += `${line}\n`;
            else if (firstErrors.length < 3 && /^\S+\t\S+\t[\d.]+: /.test(line)) firstErrors.push(line.replace(/^\S+\t\S+\t[\d.]+: /, ''));
          });
          errors = text;
        },
        ...(options.sippPath !== undefined ? { sippPath: options.sippPath } : {}),
        ...(options.clock !== undefined ? { clock: options.clock } : {}),
        ...(options.keepFiles ? { keepFiles: true } : {}),
      });
      running.push(proc);
      if (stopped) proc.interrupt(finishMs);
      const r: SippRunResult = await proc.done;
      // -timeout_error: "<scenario> timed out after 'N' seconds", then an error exit
      const hitBound = !stopped && (r.killed || /timed out after/.test(`${errors}\n${r.output}`));
      const fatal = r.exitCode !== 0 && r.exitCode !== 1;
      // Calls it never placed: after Ctrl-C they were never due (the native engine schedules
      // nothing more either); when sipp ended early otherwise, those whose time had come were.
      const due = stopped ? 0 : hitBound || fatal ? Math.min(share.calls, Math.floor((r.wallMs / 1000) * share.rate) + 1) : undefined;
      t.end(parseSippAborts(errors), stopped, due);
      const report: SippProcessReport = {
        pid: proc.pid, localPort: r.localPort, calls: share.calls, rate: share.rate, exitCode: r.exitCode, signal: r.signal, killed: r.killed,
        wallSeconds: r.wallMs / 1000, args: r.args, otherLines: t.otherLines, errors: firstErrors, ...(fatal ? { output: r.output.slice(-2000) } : {}),
      };
      return { report, placed: t.started, hitBound };
    };

    const outcomes = await Promise.all(shares.map((s) => one(s)));
    const wallSeconds = clock.now() - started;
    const reports = outcomes.flatMap((o) => (o.report ? [o.report] : []));
    const fatal = reports.filter((r) => r.exitCode !== 0 && r.exitCode !== 1 && !r.killed);
    if (!stopped && reports.length > 0 && fatal.length === reports.length && outcomes.every((o) => o.placed === 0)) {
      // nothing ran: sipp refused its arguments, could not bind, or the like
      const why = fatal[0]!.errors.length > 0 ? fatal[0]!.errors.join(' / ') : (fatal[0]!.output ?? '').trim().split('\n').slice(-3).join(' / ');
      throw new SippLoadError(`sipp exited ${fatal[0]!.exitCode} before placing a call: ${why}`);
    }
    const lags = tally.startLagMs();
    const threshold = options.saturationMs ?? 50;
    const p99 = percentile(lags, 99);
    return {
      engine: 'sipp',
      partial: stopped,
      timedOut: outcomes.some((o) => o.hitBound),
      counters: tally.counters,
      metrics: tally.metrics,
      generator: {
        pacing: 'uniform',
        processes: reports,
        startLagP99Ms: p99,
        startLagMaxMs: lags.length > 0 ? lags[lags.length - 1]! : NaN,
        saturated: p99 > threshold,
        thresholdMs: threshold,
        version,
      },
      wallSeconds,
    };
  })().finally(() => own?.close());
  return { done, stop };
}
