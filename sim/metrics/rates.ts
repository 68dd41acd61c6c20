// The rates of DESIGN.md ("Metrics"), each as numerator / denominator so that a reader can
// check them and replications can pool them. Definitions are in docs/metrics.md.

import { serviceLevelKey } from '../scenario/metric-names.js';
import type { ServiceLevelDefinition } from '../scenario/types.js';
import type { Counters, ServiceLevelCounts } from './call-metrics.js';

export interface Ratio {
  readonly numerator: number;
  readonly denominator: number;
}

export function ratioValue(r: Ratio): number {
  return r.denominator > 0 ? r.numerator / r.denominator : NaN;
}

/** service_level(T) under one definition. */
export function serviceLevelRatio(c: Counters, sl: ServiceLevelCounts, definition: ServiceLevelDefinition): Ratio {
  switch (definition) {
    case 'strict':
      return { numerator: sl.answeredWithin, denominator: c.queued };
    case 'answered':
      return { numerator: sl.answeredWithin, denominator: c.answered };
    case 'exclude-short-abandons':
      return { numerator: sl.answeredWithin, denominator: c.queued - c.shortAbandons };
    case 'wait':
      return { numerator: sl.waitWithin, denominator: c.queued };
    case 'virtual':
      return { numerator: sl.virtualWithin, denominator: c.queued };
  }
}

/** Every rate by its summary.json name; service levels under the scenario's chosen definition. */
export function rates(
  c: Counters,
  serviceLevels: readonly ServiceLevelCounts[],
  definition: ServiceLevelDefinition,
): Record<string, Ratio> {
  const out: Record<string, Ratio> = {
    connect_rate: { numerator: c.connected, denominator: c.offered },
    agent_answer_rate: { numerator: c.answered, denominator: c.queued },
    abandon_rate: { numerator: c.abandoned, denominator: c.queued },
    block_rate: { numerator: c.blocked, denominator: c.offered },
    occupancy: { numerator: c.busyTime, denominator: c.staffedTime },
    redial_rate: { numerator: c.redials, denominator: c.offered },
    unique_caller_connect_rate: { numerator: c.uniqueConnected, denominator: c.uniqueCallers },
    unique_caller_agent_answer_rate: { numerator: c.uniqueAnswered, denominator: c.uniqueQueued },
    unique_caller_abandon_rate: { numerator: c.uniqueAbandoned, denominator: c.uniqueQueued },
    unique_caller_block_rate: { numerator: c.uniqueBlocked, denominator: c.uniqueCallers },
    hold_violation_rate: { numerator: c.holdViolationCalls, denominator: c.answered },
    wrap_up_violation_rate: { numerator: c.wrapUpViolations, denominator: c.answered },
    silent_call_rate: { numerator: c.silent, denominator: c.answered },
  };
  // Present when the run had them, like the IVR rates: callers rated, callback tasks closed.
  if (c.rated > 0) out.satisfaction = { numerator: c.satisfied, denominator: c.rated };
  if (c.callbacksClosed > 0) {
    out.callback_reach_rate = { numerator: c.callbacksReached, denominator: c.callbacksClosed };
    out.callback_on_time_rate = { numerator: c.callbacksOnTime, denominator: c.callbacksClosed };
  }
  if (c.ivrAnswered > 0) {
    out.ivr_containment_rate = { numerator: c.ivrContained, denominator: c.ivrAnswered };
    out.ivr_invalid_rate = { numerator: c.ivrInvalid, denominator: c.ivrAnswered };
    out.ivr_queue_rate = { numerator: c.ivrQueued, denominator: c.ivrAnswered };
    out.ivr_transfer_rate = { numerator: c.ivrTransferred, denominator: c.ivrAnswered };
    out.ivr_hangup_rate = { numerator: c.ivrCallerHangups, denominator: c.ivrAnswered };
  }
  for (const sl of serviceLevels) out[serviceLevelKey(sl.threshold)] = serviceLevelRatio(c, sl, definition);
  return out;
}
