// The timers of RFC 3261 section 17 (summary in its Table 4), all derived from T1 (RTT
// estimate), T2 (retransmit cap for non-INVITE requests and INVITE responses) and T4 (how
// long a message may linger in the network). Over a reliable transport the retransmit timers
// (A, E, G) are not used and the wait timers D, I, J and K are zero. Times are in seconds.

import { SipError } from './errors.js';

/** What the user may set (all optional); see {@link resolveTimers} for the defaults. */
export interface TimerOptions {
  /** RTT estimate, seconds. Default 0.5. */
  readonly t1?: number;
  /** Maximum retransmit interval for non-INVITE requests and INVITE responses, seconds. Default 4. */
  readonly t2?: number;
  /** Maximum time a message stays in the network, seconds. Default 5. */
  readonly t4?: number;
  /** Timer D over an unreliable transport, seconds; RFC 3261 says "at least 32 s". Default 32. */
  readonly timerD?: number;
  /** How long an INVITE server transaction waits for the TU before sending 100 Trying itself (§17.2.1), seconds. Default 0.2. */
  readonly tryingDelay?: number;
  /** True for TCP/TLS/WS: no retransmissions, D/I/J/K zero. Default false (UDP). */
  readonly reliable?: boolean;
}

/** The resolved, immutable timer settings. */
export interface SipTimers {
  readonly t1: number;
  readonly t2: number;
  readonly t4: number;
  readonly timerD: number;
  readonly tryingDelay: number;
  readonly reliable: boolean;
}

export class SipTimerError extends SipError {
  override name = 'SipTimerError';
}

export function resolveTimers(o: TimerOptions = {}): SipTimers {
  const t: SipTimers = {
    t1: o.t1 ?? 0.5,
    t2: o.t2 ?? 4,
    t4: o.t4 ?? 5,
    timerD: o.timerD ?? 32,
    tryingDelay: o.tryingDelay ?? 0.2,
    reliable: o.reliable ?? false,
  };
  for (const k of ['t1', 't2', 't4', 'timerD'] as const) {
    if (!(t[k] > 0) || !Number.isFinite(t[k])) throw new SipTimerError(`timer ${k} must be a positive number of seconds, got ${t[k]}`);
  }
  if (!(t.tryingDelay >= 0)) throw new SipTimerError(`tryingDelay must be >= 0 seconds, got ${t.tryingDelay}`);
  if (t.t2 < t.t1) throw new SipTimerError(`t2 (${t.t2} s) must not be below t1 (${t.t1} s)`);
  return Object.freeze(t);
}

export type TimerName = 'A' | 'B' | 'D' | 'E' | 'F' | 'G' | 'H' | 'I' | 'J' | 'K' | 'Trying';

/** Initial interval of Timer A (INVITE request retransmit, §17.1.1.2); each firing doubles it, without cap. */
export const timerA = (t: SipTimers): number => t.t1;
/** INVITE client transaction timeout, 64·T1 (§17.1.1.2). */
export const timerB = (t: SipTimers): number => 64 * t.t1;
/** Wait for response retransmissions in the INVITE client Completed state (§17.1.1.2). */
export const timerD = (t: SipTimers): number => (t.reliable ? 0 : t.timerD);
/** Initial interval of Timer E (non-INVITE request retransmit, §17.1.2.2); doubles up to T2. */
export const timerE = (t: SipTimers): number => t.t1;
/** Non-INVITE client transaction timeout, 64·T1 (§17.1.2.2). */
export const timerF = (t: SipTimers): number => 64 * t.t1;
/** Initial interval of Timer G (INVITE final response retransmit, §17.2.1); doubles up to T2. */
export const timerG = (t: SipTimers): number => t.t1;
/** Wait for ACK, 64·T1 (§17.2.1). */
export const timerH = (t: SipTimers): number => 64 * t.t1;
/** Wait for ACK retransmissions in the INVITE server Confirmed state, T4 (§17.2.1). */
export const timerI = (t: SipTimers): number => (t.reliable ? 0 : t.t4);
/** Wait for request retransmissions in the non-INVITE server Completed state, 64·T1 (§17.2.2). */
export const timerJ = (t: SipTimers): number => (t.reliable ? 0 : 64 * t.t1);
/** Wait for response retransmissions in the non-INVITE client Completed state, T4 (§17.1.2.2). */
export const timerK = (t: SipTimers): number => (t.reliable ? 0 : t.t4);
/** The next interval of a doubling retransmit timer, capped (A has no cap: pass Infinity). */
export const backoff = (interval: number, cap: number): number => Math.min(2 * interval, cap);
