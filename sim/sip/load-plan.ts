// What a load run at a SIP target places and what it counts, whichever engine places the calls:
// callsim's own user agent (sim/metrics/load-run.ts), JsSIP, or SIPp processes
// (sim/sip/sipp/load-engine.ts). One shape, so that the CLI hands either engine the same plan
// and reads the same counters back. It lives here, below sim/metrics, because the SIPp engine
// (sim/sip) may not reach up to metrics.

export interface LoadPlan {
  /** Request-URI of every INVITE, e.g. `sip:12333@127.0.0.1:5060`. */
  readonly uri: string;
  /** Transport address of the target, e.g. `127.0.0.1:5060` or `[::1]:5060`. */
  readonly peer: string;
  /** Calls per second: Poisson arrivals (native engine); evenly spaced over all processes (SIPp). */
  readonly rate: number;
  /** Calls to start at most. */
  readonly calls: number;
  /** Seconds during which calls are started at most. */
  readonly duration: number;
  /**
   * Live calls at most. Native engine: a call due when the limit is reached is not started and
   * counts as `notStarted`. SIPp (-l, shared between its processes): the call waits, and the
   * wait shows as start lag.
   */
  readonly maxConcurrent: number;
  /** Keys sent by INFO after the answer, one every `keyGap` seconds. */
  readonly keys: string;
  readonly keyGap: number;
  /** Seconds the call stays up after its last key before the caller hangs up. */
  readonly hold: number;
  /** A call with no final answer after this many seconds is CANCELled (counted as a timeout). */
  readonly ringTimeout: number;
  /** Calling numbers: `from` followed by the call's number. */
  readonly from: string;
}

export interface LoadCounters {
  scheduled: number;
  started: number;
  notStarted: number;
  answered: number;
  /**
   * Calls that got at least one SIP message back from the target: a provisional (100 Trying
   * included), a refusal, the answer. 0 with calls started means the target never said a
   * word (an unreachable target: exit 2). A 408 that an engine made up itself (Timer B, a
   * connection that failed) is not a response; one the target sent is.
   */
  responded: number;
  /**
   * Failed set-up by final status (`486`, `503`...; `408` when Timer B fired or SIPp ran out of
   * INVITE retransmissions). The SIPp engine adds `no answer` (nothing came back within the
   * ring timeout), `unexpected <status or method>` (SIPp aborted the call on it) and `aborted`
   * (a call logged with no outcome).
   */
  failed: Record<string, number>;
  /** Set-up abandoned by our ring timeout (CANCEL sent). */
  ringTimeouts: number;
  keysSent: number;
  keysAcked: number;
  /** Calls that ended (either side) after being answered. */
  completed: number;
  endedByTarget: number;
}

/** Counters at zero. */
export function newLoadCounters(): LoadCounters {
  return { scheduled: 0, started: 0, notStarted: 0, answered: 0, responded: 0, failed: {}, ringTimeouts: 0, keysSent: 0, keysAcked: 0, completed: 0, endedByTarget: 0 };
}
