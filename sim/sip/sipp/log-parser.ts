// Parses the per-call log lines written by the scenarios of scenario-xml.ts into per-call
// event times (integer microseconds since the epoch, from SIPp's [timestamp]) and then into
// durations recorded in HDR histograms (DurationMetric, microsecond resolution).

import { LOG_TAG, UAC_EVENTS } from './scenario-xml.js';

/** One call's events: event name -> time in µs since the epoch (first occurrence wins). */
export interface SippCallEvents {
  callNumber: number;
  events: Map<string, number>;
}

export interface ParsedSippLog {
  calls: Map<number, SippCallEvents>;
  /** Lines that were not ours or could not be parsed (SIPp writes its own warnings here too). */
  otherLines: string[];
}

// callsim <n> <event> YYYY-MM-DD\tHH:MM:SS.uuuuuu\tSSSSSSSSSS.uuuuuu
const LINE = new RegExp(`^${LOG_TAG} (\\d+) (\\S+) \\S+\\t\\S+\\t(\\d+)\\.(\\d{6})\\s*$`);

export function parseSippLog(text: string): ParsedSippLog {
  const calls = new Map<number, SippCallEvents>();
  const otherLines: string[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.replace(/\r$/, '');
    if (line.trim() === '') continue;
    const m = LINE.exec(line);
    if (!m) {
      otherLines.push(line);
      continue;
    }
    const n = Number(m[1]);
    const event = m[2] as string;
    const us = Number(m[3]) * 1_000_000 + Number(m[4]);
    let call = calls.get(n);
    if (!call) {
      call = { callNumber: n, events: new Map() };
      calls.set(n, call);
    }
    if (!call.events.has(event)) call.events.set(event, us);
  }
  return { calls, otherLines };
}

/**
 * Where a duration (seconds) goes: sim/metrics' DurationMetric (an HDR histogram) fits; the
 * SIP layer sits below metrics and does not import it (test/layering.test.ts).
 */
export interface DurationSink {
  record(seconds: number): void;
  destroy?(): void;
}

/** The UAC measurements, in seconds, one sink (histogram) each. */
export interface UacMetrics<M extends DurationSink = DurationSink> {
  /** INVITE sent -> 180 received. */
  post_dial_delay: M;
  /** INVITE sent -> 200 received. */
  ivr_answer: M;
  /** Each INFO sent -> its 200 received (all digits of all calls). */
  dtmf_info_rtt: M;
  /** BYE sent -> 200 received. */
  bye_rtt: M;
}

export interface UacCallSummary {
  /** Calls that logged an INVITE. */
  started: number;
  /** Calls that logged the 200 to the BYE (or, for a failure final, the expected final). */
  completed: number;
  /** started - completed: timed out, got an unexpected response, or were cut off. */
  failed: number;
  /** Call numbers of the failed calls, ascending. */
  failedCalls: number[];
}

export interface UacResults<M extends DurationSink = DurationSink> {
  metrics: UacMetrics<M>;
  calls: UacCallSummary;
}

/** Microsecond difference between two events of one call, or undefined if either is missing. */
export function eventDelta(call: SippCallEvents, from: string, to: string): number | undefined {
  const a = call.events.get(from);
  const b = call.events.get(to);
  return a === undefined || b === undefined ? undefined : b - a;
}

/**
 * Durations from a UAC log. `finalCode` is the expected final response (default 200); a call
 * is complete when it logged `bye_ok` (2xx) or the expected final (non-2xx paths have no BYE).
 */
export function uacResults<M extends DurationSink>(log: ParsedSippLog, newMetric: () => M, finalCode = 200): UacResults<M> {
  const metrics: UacMetrics<M> = {
    post_dial_delay: newMetric(),
    ivr_answer: newMetric(),
    dtmf_info_rtt: newMetric(),
    bye_rtt: newMetric(),
  };
  const rec = (m: M, us: number | undefined): void => {
    if (us !== undefined) m.record(us / 1e6);
  };
  const failedCalls: number[] = [];
  let started = 0;
  let completed = 0;
  const finalEvent = UAC_EVENTS.final(finalCode);
  for (const n of [...log.calls.keys()].sort((a, b) => a - b)) {
    const call = log.calls.get(n) as SippCallEvents;
    if (!call.events.has(UAC_EVENTS.invite)) continue;
    started++;
    rec(metrics.post_dial_delay, eventDelta(call, UAC_EVENTS.invite, UAC_EVENTS.provisional(180)));
    rec(metrics.ivr_answer, eventDelta(call, UAC_EVENTS.invite, finalEvent));
    for (let i = 0; call.events.has(UAC_EVENTS.infoSent(i)); i++) {
      rec(metrics.dtmf_info_rtt, eventDelta(call, UAC_EVENTS.infoSent(i), UAC_EVENTS.infoOk(i)));
    }
    rec(metrics.bye_rtt, eventDelta(call, UAC_EVENTS.byeSent, UAC_EVENTS.byeOk));
    const done = finalCode < 300 ? call.events.has(UAC_EVENTS.byeOk) : call.events.has(finalEvent);
    if (done) completed++;
    else failedCalls.push(n);
  }
  return { metrics, calls: { started, completed, failed: started - completed, failedCalls } };
}

/** Frees the histograms' WebAssembly memory. */
export function destroyUacMetrics(m: UacMetrics): void {
  for (const d of Object.values(m)) d.destroy?.();
}
