// A load run's target is unreachable when it never said a word: calls were started and not
// one got any SIP message back (no 100 Trying, no ringing, no refusal, no answer), every
// one of them having ended in silence: given up at the ring timeout, timed out (Timer B, or
// SIPp out of retransmissions), or failed to connect. That is bad input (DESIGN.md: exit 2,
// "unreachable target"), not a failed SLA: a target that refused or failed even some of its
// calls was reached, and its verdict stays the SLAs' (exit 1).

import { formatDuration } from '../scenario/units.js';
import type { LoadCounters } from '../sip/load-plan.js';

/** Failure keys that mean nothing came back: `no answer`, `408` (a timeout) and `408 <why>` (e.g. a connection error). */
function silent(key: string): boolean {
  return key === 'no answer' || key === '408' || key.startsWith('408 ');
}

/**
 * Why the target counts as unreachable, e.g. `none of 20 calls got any response (20 heard
 * nothing within the 30s ring timeout)`, or undefined when it answered something, or when no
 * call was started, or when a call ended some other way (cut at the end of the run, or
 * with no outcome known): then the run says nothing about reachability.
 */
export function unreachableBecause(c: LoadCounters, ringTimeout: number): string | undefined {
  if (c.started === 0 || c.responded > 0 || c.answered > 0) return undefined;
  const failures = Object.entries(c.failed).filter(([, n]) => n > 0);
  if (failures.length === 0 || !failures.every(([key]) => silent(key))) return undefined;
  const how = failures.map(([key, n]) =>
    key === 'no answer' ? `${n} heard nothing within the ${formatDuration(ringTimeout)} ring timeout`
    : key === '408' ? `${n} timed out with no response to the INVITE or its retransmissions`
    : `${n} failed: ${key.slice(4)}`,
  );
  const counted = failures.reduce((a, [, n]) => a + n, 0);
  if (counted < c.started) how.push(`${c.started - counted} cut short`);
  return `none of ${c.started} call${c.started === 1 ? '' : 's'} got any response (${how.join('; ')})`;
}
