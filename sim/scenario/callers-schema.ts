// Callers in a scenario: where they call from (the area-code mix, which decides their city
// center), how they find their way through the IVR (choices per menu, barge-in, thinking
// time, slips, silent callers, account queries), how long they wait in queue and whether
// they call again. Resolves to Callers; that `choices` names menus the IVR has is checked
// with the IVR, in ivr-checks.ts.

import type { DistributionSpec } from '../kernel/distributions.js';
import { INVALID } from './cursor.js';
import { distribution } from './distribution-field.js';
import { AREA_CODE_KEYS, CHOICE_KEYS } from './key-rules.js';
import type { Field } from './schema-dsl.js';
import { either, literal, obj, record, type Entry } from './schema-shapes.js';
import { duration, num, whole } from './schema-scalars.js';
import type { Callers } from './types.js';

const probability = (doc: string, value: number): Field<number> => num(doc, { min: 0, max: 1 }).withDefault(value);

function weights(entries: readonly Entry<number>[]): Record<string, number> {
  return Object.fromEntries(entries.map((e) => [e.key, e.value]));
}

const areaCodeMix = (doc: string): Field<Record<string, number>> =>
  record(doc, 'area code', num('Relative weight.', { above: 0 }), AREA_CODE_KEYS).map(weights).withDefault({});

const navigation = obj('How callers find their way through the IVR.', {
  choices: record(
    'Per menu id, the weights of what callers do there: a key, `silent` (wait for the time-out) or `hangup`. A menu not listed: the keys of its options in force, equally likely.',
    'menu id',
    record('Weights of the choices in this menu.', 'choice', num('Relative weight.'), CHOICE_KEYS).map((choices, cur) => {
      if (choices.some((c) => c.value > 0)) return weights(choices);
      cur.issue('no choice has a weight above 0', { expected: 'at least one choice with a weight > 0' });
      return INVALID;
    }),
  )
    .map((menus) => Object.fromEntries(menus.map((m) => [m.key, m.value])))
    .withDefault({}),
  bargeIn: probability('Probability that a caller presses during a prompt when the menu allows barge-in.', 0.3),
  think: distribution('Time from the end of the prompt (or, barging in, from its start) to the key.').withDefault({
    uniform: { min: '1s', max: '4s' },
  }),
  mistake: probability('Probability that a key press is a slip (a key with no option).', 0.02),
  silent: probability('Share of callers who never press a key.', 0.01),
  accountSuccess: probability('Probability that one account-query attempt (ID number and PIN) succeeds.', 0.85),
  digitTime: duration('Time to key one digit of an ID number, a PIN or an area code.').withDefault('0.6s'),
  transferAreaCodes: areaCodeMix("Area codes typed after the transfer key, with weights; `{}` = the centers' area codes, equally likely."),
}).withDefault({});

export const CALLERS: Field<Callers> = obj('How callers behave.', {
  patience: either<DistributionSpec | null>('How long a caller waits in queue before hanging up; `none` = forever.', [
    literal('none', null),
    distribution(''),
  ]).withDefault('none'),
  redial: obj('Callers who were blocked or abandoned trying again.', {
    probability: num('Probability that a caller tries again after each failure.', { min: 0, max: 1 }).withDefault(0),
    delay: distribution('Time from the failure to the next attempt.').withDefault({ exponential: { mean: '5m' } }),
    maxAttempts: whole('Attempts at most, the first included.', { min: 1 }).withDefault(5),
  }).withDefault({}),
  areaCodes: areaCodeMix('Area codes of the calling numbers, with weights (`{ "0431": 0.3, "0432": 0.15 }`); `{}` = unknown.'),
  ivr: navigation,
}).withDefault({});
