// Records built by hand for the metrics tests: a call with every field defaulted to "never
// happened", and helpers for the usual shapes (answered, abandoned, blocked).

import type { AgentSpan, CallbackRecord, CallRecord } from '../acd/records.js';

let nextId = 0;

/** A call record: offered at `arrival` (default 0), nothing else happened unless given. */
export function callRecord(fields: Partial<CallRecord> = {}): CallRecord {
  const id = nextId++;
  const arrival = fields.arrival ?? 0;
  return {
    id,
    caller: id,
    attempt: 1,
    firstArrival: arrival,
    arrival,
    areaCode: '',
    center: 'c',
    queue: 'general',
    priority: 0,
    outcome: 'ivr',
    ringing: NaN,
    ivrAnswered: NaN,
    ivrLeft: NaN,
    ivrExit: '',
    ivrPath: '',
    invalidKeys: 0,
    selfService: 0,
    voicemails: 0,
    queued: NaN,
    ringStart: NaN,
    answered: NaN,
    left: arrival,
    wrapEnd: NaN,
    virtualWait: NaN,
    agent: '',
    group: '',
    redialed: false,
    stranded: false,
    dispatchedFrom: '',
    ringNoAnswers: 0,
    holdTime: 0,
    holdViolations: 0,
    silent: false,
    rating: NaN,
    callbackPromised: false,
    ...fields,
  };
}

/** Queued at `queued`, answered at `answered` (ringing from then, or from `ringStart`), talk until `left`, wrap-up until `wrapEnd`. */
export function answeredCall(
  t: { queued: number; answered: number; left: number; wrapEnd?: number; ringStart?: number; arrival?: number },
  fields: Partial<CallRecord> = {},
): CallRecord {
  return callRecord({
    arrival: t.arrival ?? t.queued,
    outcome: 'answered',
    queued: t.queued,
    ringStart: t.ringStart ?? t.answered,
    answered: t.answered,
    left: t.left,
    wrapEnd: t.wrapEnd ?? t.left,
    virtualWait: t.answered - t.queued,
    agent: 'c/g/1',
    group: 'g',
    ...fields,
  });
}

export function abandonedCall(t: { queued: number; left: number; arrival?: number }, fields: Partial<CallRecord> = {}): CallRecord {
  return callRecord({
    arrival: t.arrival ?? t.queued,
    outcome: 'abandoned',
    queued: t.queued,
    left: t.left,
    virtualWait: Infinity,
    ...fields,
  });
}

export function blockedCall(arrival: number, fields: Partial<CallRecord> = {}): CallRecord {
  return callRecord({ arrival, outcome: 'blocked', left: arrival, ...fields });
}

export function span(start: number, end: number, fields: Partial<AgentSpan> = {}): AgentSpan {
  return { agent: 'c/g/1', group: 'g', center: 'c', start, end, ...fields };
}

export function callbackRecord(fields: Partial<CallbackRecord> = {}): CallbackRecord {
  return {
    id: nextId++,
    caller: 0,
    center: 'c',
    reason: 'voicemail',
    created: 0,
    due: 1800,
    attempts: 1,
    reached: NaN,
    ended: NaN,
    agent: 'c/g/1',
    onTime: false,
    ...fields,
  };
}
