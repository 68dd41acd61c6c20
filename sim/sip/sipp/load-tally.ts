// Counts a sipp load run from the log lines of load-scenario.ts and SIPp's error log, the way
// the native engine (sim/metrics/load-run.ts) counts its own calls. Each call writes one line,
// when it is over: it is counted as its line is read (the file is read as a stream), so that
// memory does not grow with the length of the run. Calls that wrote no line (SIPp aborted
// them, or Ctrl-C cut them) are known from the error log and counted at the end: as started,
// with what SIPp says it did not expect, if anything.

import { newLoadCounters, type LoadCounters } from '../load-plan.js';
import { LOG_TAG } from './scenario-xml.js';
import { LOAD_EVENTS } from './load-scenario.js';
import type { DurationSink } from './log-parser.js';

export interface SippLoadMetrics<M extends DurationSink> {
  /** INVITE -> first 18x. */
  readonly post_dial_delay: M;
  /** INVITE -> 200. */
  readonly ivr_answer: M;
  /** INVITE -> our BYE or the target's, whichever came first. */
  readonly call_duration: M;
  /** How late SIPp started each call against its evenly spaced schedule (the native engine's start_lag). */
  readonly start_lag: M;
}

/** One call SIPp aborted, as its error log tells. */
export interface SippAbort {
  readonly callNumber: number;
  /** `"503"`, `"BYE"`... (what it did not expect), `"retransmission timeout"`, or `"interrupted"` (aborted at Ctrl-C). */
  readonly what: string;
}

/**
 * The calls SIPp aborted, from its error log: "Aborting call on unexpected message for
 * Call-Id '<n>-<pid>@<ip>': ... received 'SIP/2.0 <code> ...", "Aborting call on UDP
 * retransmission timeout for Call-ID '<n>-...'", and "Aborted call with Call-ID '<n>-...'"
 * (every live call when SIPp quits on our Ctrl-C). SIPp's default Call-ID starts with the call number.
 */
export function parseSippAborts(errors: string): SippAbort[] {
  const out: SippAbort[] = [];
  const re = /Abort(?:ing call on (?:unexpected message for Call-Id '(\d+)-[^']*':[^\n]*?received '(?:SIP\/2\.0 (\d{3})|([A-Za-z]+) )|UDP retransmission timeout for Call-ID '(\d+)-)|ed call with Call-ID '(\d+)-)/g;
  for (const m of errors.matchAll(re)) {
    if (m[5] !== undefined) out.push({ callNumber: Number(m[5]), what: 'interrupted' });
    else if (m[4] !== undefined) out.push({ callNumber: Number(m[4]), what: 'retransmission timeout' });
    else out.push({ callNumber: Number(m[1]), what: m[2] ?? m[3]!.toUpperCase() });
  }
  return out;
}

/** Error-log lines worth keeping for parseSippAborts. */
export const ABORT_LINE = /Abort(?:ing call on|ed call with)|timed out after/;

/** p-th percentile (0..100) of ascending values, nearest rank; NaN when empty. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/** What the log said about one call; times in µs since the epoch. */
export interface CallRecord {
  t0?: number;
  ring?: number;
  /** 200 (then `at` is the answer) or a refusal. */
  final?: { code: string; at: number };
  noAnswer?: boolean;
  ringTimeout?: boolean;
  /** The answered call's end. */
  end?: { hangup?: number; byTarget: boolean; keysSent: number; keysAcked: number };
}

// callsim <n> <event> name=value ...
const LINE = new RegExp(`^${LOG_TAG} (\\d+) (\\S+)((?: [a-z0-9]+=\\S*)*)\\s*$`);
const FINAL = /^final_(\d{3})$/;

/** SIPp prints a call variable as "%lf", an unset one as nothing: `<s>/<us>` -> µs, or undefined. */
function micros(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const [s = '', us = ''] = v.split('/');
  if (s === '') return undefined;
  return Math.round(Number(s)) * 1_000_000 + (us === '' ? 0 : Math.round(Number(us)));
}

function count(v: string | undefined): number {
  return v === undefined || v === '' ? 0 : Math.round(Number(v));
}

/** The counters and histograms of a whole run, fed one process at a time. */
export class LoadTally<M extends DurationSink> {
  readonly counters: LoadCounters = newLoadCounters();
  readonly metrics: SippLoadMetrics<M>;
  private readonly lags: number[] = [];

  constructor(newMetric: () => M) {
    this.metrics = { post_dial_delay: newMetric(), ivr_answer: newMetric(), call_duration: newMetric(), start_lag: newMetric() };
  }

  /** A tally for one sipp process placing `calls` at `rate` per second. */
  process(calls: number, rate: number): ProcessTally<M> {
    return new ProcessTally(this, calls, rate);
  }

  /** Start lag of every call whose start was logged, ms, ascending (exact, for the saturation verdict). */
  startLagMs(): number[] {
    return [...this.lags].sort((a, b) => a - b);
  }

  /** @internal */
  addLag(ms: number): void {
    this.lags.push(ms);
    this.metrics.start_lag.record(ms / 1000);
  }

  /**
   * Counts one call: answered; a refusal by its status; `no answer` (and a ring timeout) when
   * nothing came back in time; a ring timeout alone when we CANCELled a ringing call (its 487
   * is ours); a call SIPp aborted by what it did not expect, or `408` when the INVITE's
   * retransmissions ran out. With no outcome at all it is `aborted`, except when it was cut
   * by Ctrl-C (`interrupted`): then, like the native engine's cancelled calls, it is not a failure.
   * @internal
   */
  count(call: CallRecord, aborted: string | undefined, interrupted: boolean): void {
    const c = this.counters;
    const since = (us: number): number | undefined => (call.t0 === undefined ? undefined : (us - call.t0) / 1e6);
    const record = (m: M, s: number | undefined): void => {
      if (s !== undefined) m.record(s);
    };
    c.started++;
    if (heardFromTarget(call, aborted)) c.responded++;
    if (call.ring !== undefined) record(this.metrics.post_dial_delay, since(call.ring));
    const answered = call.final?.code === '200';
    if (answered) {
      c.answered++;
      record(this.metrics.ivr_answer, since(call.final!.at));
    } else if (call.noAnswer) {
      c.ringTimeouts++;
      fail(c, 'no answer');
    } else if (call.ringTimeout) {
      c.ringTimeouts++;
    } else if (call.final !== undefined) {
      fail(c, call.final.code);
    } else if (aborted !== undefined && aborted !== 'interrupted') {
      // a final status counts as a refusal; a 1xx/2xx or a request SIPp did not expect, as such
      fail(c, aborted === 'retransmission timeout' ? '408' : /^[3-6]\d\d$/.test(aborted) ? aborted : `unexpected ${aborted}`);
    } else if (!interrupted && aborted !== 'interrupted') {
      fail(c, 'aborted');
    }
    if (call.end !== undefined) {
      c.keysSent += call.end.keysSent;
      c.keysAcked += call.end.keysAcked;
      if (answered && call.end.hangup !== undefined) {
        c.completed++;
        if (call.end.byTarget) c.endedByTarget++;
        record(this.metrics.call_duration, since(call.end.hangup));
      }
    }
  }
}

/**
 * Whether the target sent the call anything: a provisional (a ring, or the CANCEL that only
 * follows one), a refusal, the answer, or a message SIPp did not expect. Nothing at all is
 * `no_answer` or a retransmission timeout; a call cut at Ctrl-C or with no outcome logged is
 * not known to have heard anything.
 */
function heardFromTarget(call: CallRecord, aborted: string | undefined): boolean {
  if (call.ring !== undefined || call.final !== undefined || call.ringTimeout || call.end !== undefined) return true;
  return aborted !== undefined && aborted !== 'retransmission timeout' && aborted !== 'interrupted';
}

function fail(c: LoadCounters, reason: string): void {
  c.failed[reason] = (c.failed[reason] ?? 0) + 1;
}

/** One process's share of the tally: its log lines as they come, then its end. */
export class ProcessTally<M extends DurationSink> {
  /** Calls counted (call numbers from 1), so that an error-log entry or a repeated line does not count one twice. */
  private readonly counted: Uint8Array;
  /** (call number, INVITE time in µs) of every call whose start was logged, for the start lag. */
  private readonly starts: number[] = [];
  /** Lines that were not ours (SIPp writes some of its own to the log). */
  otherLines = 0;
  /** Calls counted so far. */
  started = 0;

  constructor(private readonly tally: LoadTally<M>, readonly calls: number, readonly rate: number) {
    this.counted = new Uint8Array(calls + 1);
  }

  /** One line of the call log: one call's whole story. */
  line(raw: string): void {
    const m = LINE.exec(raw.replace(/\r$/, ''));
    if (!m) {
      if (raw.trim() !== '') this.otherLines++;
      return;
    }
    const n = Number(m[1]);
    if (this.counted[n] === 1) return;
    const event = m[2]!;
    const f = new Map<string, string>();
    for (const kv of m[3]!.trim().split(' ')) {
      const eq = kv.indexOf('=');
      if (eq > 0) f.set(kv.slice(0, eq), kv.slice(eq + 1));
    }
    const call: CallRecord = {};
    const t0 = micros(f.get('t0'));
    if (t0 !== undefined) call.t0 = t0;
    const ring = micros(f.get('r'));
    if (ring !== undefined) call.ring = ring;
    const at = micros(f.get('at'));
    const refusal = FINAL.exec(event);
    if (refusal && at !== undefined) call.final = { code: refusal[1]!, at };
    else if (event === LOAD_EVENTS.noAnswer) call.noAnswer = true;
    else if (event === LOAD_EVENTS.ringTimeout) call.ringTimeout = true;
    else if (event === LOAD_EVENTS.end) {
      const answer = micros(f.get('a'));
      if (answer !== undefined) call.final = { code: '200', at: answer };
      const hangup = micros(f.get('h'));
      call.end = { ...(hangup !== undefined ? { hangup } : {}), byTarget: count(f.get('by')) === 1, keysSent: count(f.get('ks')), keysAcked: count(f.get('ka')) };
    } else {
      this.otherLines++;
      return;
    }
    this.count(n, call, undefined, false);
  }

  private count(n: number, call: CallRecord, aborted: string | undefined, interrupted: boolean): void {
    if (n < this.counted.length) this.counted[n] = 1;
    if (call.t0 !== undefined) this.starts.push(n, call.t0);
    this.started++;
    this.tally.count(call, aborted, interrupted);
  }

  /**
   * The process has ended: counts the calls that wrote no line, as its error log names them
   * (with what SIPp did not expect, or cut at Ctrl-C), and the calls it should have placed:
   * all of them, or `due` when it ended early (after Ctrl-C, 0: only those it started).
   */
  end(aborts: readonly SippAbort[], interrupted: boolean, due?: number): void {
    const why = new Map<number, string>();
    for (const a of aborts) {
      if (this.counted[a.callNumber] === 1) continue;
      if (!why.has(a.callNumber) || why.get(a.callNumber) === 'interrupted') why.set(a.callNumber, a.what);
    }
    for (const [n, what] of why) this.count(n, {}, what, interrupted);
    // Start lag: call k is due (k - 1) / rate after the process's first due instant, taken as
    // the earliest that puts no call ahead of its schedule (SIPp never starts one early);
    // times relative to the first start, in ms, to keep the epoch's magnitude out of the sums.
    const base = this.starts[1] ?? 0;
    const slot = (i: number): number => (this.starts[i + 1]! - base) / 1000 - ((this.starts[i]! - 1) / this.rate) * 1000;
    let anchor = Infinity;
    for (let i = 0; i < this.starts.length; i += 2) anchor = Math.min(anchor, slot(i));
    for (let i = 0; i < this.starts.length; i += 2) this.tally.addLag(slot(i) - anchor);
    const c = this.tally.counters;
    c.scheduled += Math.max(this.started, due ?? this.calls);
    c.notStarted = Math.max(0, c.scheduled - c.started);
  }
}
