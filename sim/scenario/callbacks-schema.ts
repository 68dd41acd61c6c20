// Outbound callbacks that return voice messages and promised answers (seed 003: within
// 20-30 minutes, inbound calls first), and the agent's side of the conversation with
// callers: silent callers greeted three times (seed 003) and the rating after the call
// (seed 000 art. 21). Resolve to Scenario.callbacks and Scenario.conversation.

import { INVALID, type Checked } from './cursor.js';
import { distribution } from './distribution-field.js';
import type { Field } from './schema-dsl.js';
import { list, obj } from './schema-shapes.js';
import { duration, num, whole } from './schema-scalars.js';
import type { CallerConversation, Callbacks } from './types.js';

const share = (doc: string, value: number): Field<number> => num(doc, { min: 0, max: 1 }).withDefault(value);

export const CALLBACKS: Field<Callbacks> = obj('Outbound callbacks for voice messages and promised answers (seed 003); inbound calls come first.', {
  deadline: duration('A task is due this long after it is created (seed 003: 20-30 min).', { above: 0 }).withDefault('30m'),
  fromCalls: share('Share of agent-answered calls that end with "we will call you back".', 0),
  reach: share('Probability that the callee answers an attempt.', 0.8),
  attempts: whole('Attempts per task.', { min: 1 }).withDefault(3),
  retryAfter: duration('Time between attempts.').withDefault('10m'),
  ringTime: duration("The callee's phone rings this long before an unanswered attempt is given up.", { above: 0 }).withDefault('30s'),
  talk: distribution('Talk time of a callback.').withDefault({ exponential: { mean: '120s' } }),
})
  .map(
    (c): Callbacks => ({
      deadline: c.deadline,
      fromCalls: c.fromCalls,
      reach: c.reach,
      attempts: c.attempts,
      retryAfter: c.retryAfter,
      ringTime: c.ringTime,
      talk: c.talk,
    }),
  )
  .withDefault({});

const SCORES = 5;

export const CONVERSATION: Field<CallerConversation> = obj("The agent's side of callers: silent callers and the rating after the call.", {
  silentShare: share('Share of agent-answered callers who say nothing: the agent greets three times, then hangs up (seed 003).', 0),
  greetInterval: duration('Time between greetings to a silent caller.', { above: 0 }).withDefault('5s'),
  ratingShare: share('Share of callers who rate the call after it (seed 000 art. 21).', 0),
  ratingWeights: list(
    `Weights of the scores 1 to ${SCORES}, in order (\`[1, 1, 3, 10, 25]\`: most callers are satisfied); not all 0.`,
    num('Relative weight of a score.'),
    { min: SCORES, max: SCORES },
  )
    .map((weights, cur): Checked<number[]> => {
      if (weights.some((w) => w > 0)) return weights;
      cur.issue('every score has weight 0', { expected: 'at least one weight > 0' });
      return INVALID;
    })
    .withDefault([1, 1, 3, 10, 25]),
})
  .map(
    (c): CallerConversation => ({
      silentShare: c.silentShare,
      greetInterval: c.greetInterval,
      ratingShare: c.ratingShare,
      ratingWeights: c.ratingWeights,
    }),
  )
  .withDefault({});
