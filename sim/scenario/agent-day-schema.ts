// An agent group's working day in a scenario (agents/agent-day-types.ts): when the group is
// logged in (`always`, the calendar's agent hours, or explicit shifts), lunch in rotation
// within a window, the Friday-afternoon training rotation of seed 001, random not-ready
// episodes, ring-no-answer, holds (lookups) with the 30 s policy of seeds 001 and 002, the
// wrap-up limit of seed 002 and the group's skills. The keys stand in the group's map
// beside `count` and `talk`; they resolve to `AgentGroup.day`.

import type { Scalar } from 'yaml';
import type { AgentDay, HoldSpec, LunchSpec, NotReadySpec, RingNoAnswerSpec, ShiftSpec, TrainingSpec } from '../../agents/agent-day-types.js';
import { WEEKDAYS, checkNoRepeats } from './calendar-schema.js';
import { INVALID, type Checked, type Cursor } from './cursor.js';
import { distribution } from './distribution-field.js';
import type { Field } from './schema-dsl.js';
import { either, list, literal, obj, record, type Entry, type KeyRule } from './schema-shapes.js';
import { duration, num, oneOf, timeOfDay, whole } from './schema-scalars.js';
import { formatClock, formatDuration } from './units.js';

/** Skill names are queue names (the IVR's `queue:`), so they are written alike. */
export const SKILL_NAME = { re: /^[a-z0-9_-]+$/, says: 'lowercase letters, digits, `_` and `-`' };

/** The skills of a group that does not list them. */
export const DEFAULT_SKILLS = { general: 1 } as const;

/** `from` before `to`, said at `to` (both times of day). */
function checkWindow(w: { readonly from?: number; readonly to?: number }, cur: Cursor): boolean {
  if (w.from === undefined || w.to === undefined || w.from < w.to) return true;
  cur.key('to').issue(`the window ends (${formatClock(w.to)}) before it starts (${formatClock(w.from)})`, {
    expected: `a time after \`from\` (${formatClock(w.from)})`,
  });
  return false;
}

const shift = obj('A shift: the weekdays it starts on and its hours.', {
  days: list('Weekdays the shift starts on (`mon` ... `sun`).', oneOf('A weekday.', WEEKDAYS), { min: 1 }).also(checkNoRepeats),
  start: timeOfDay('Agents log in, `HH:MM`; quote it.'),
  end: timeOfDay('Agents log out; before `start` means the next day (a night shift); `"24:00"` for midnight.', { endOfDay: true }),
}).map((s, cur): Checked<{ days: number[]; start: number; end: number }> => {
  if (s.start === s.end) {
    cur.key('end').issue(`the shift ends when it starts (${formatClock(s.start)})`, {
      expected: 'a time other than `start`; for around the clock write `shift: always`',
    });
    return INVALID;
  }
  return { days: s.days.map((d) => WEEKDAYS.indexOf(d)).sort((a, b) => a - b), start: s.start, end: s.end };
});

const SHIFT: Field<ShiftSpec> = either<ShiftSpec>(
  'When the group is logged in: `always`, `agent-hours` (the calendar\'s seasons, agent days and holidays) or a list of shifts.',
  [
    literal('always', { kind: 'always' }),
    literal('agent-hours', { kind: 'agent-hours' }),
    list('Shifts; a weekday may have several (a split shift). One shift may stand alone, without the list.', shift, { min: 1, single: true }).map(
      (shifts): ShiftSpec => ({ kind: 'shifts', shifts }),
    ),
  ],
).withDefault('always');

const LUNCH: Field<LunchSpec | null> = either<LunchSpec | null>('Lunch, taken in rotation within a window (agents log out, seed 002); `none` = no lunch.', [
  literal('none', null),
  obj('The lunch window and each agent\'s lunch.', {
    from: timeOfDay('The window opens, `HH:MM`; quote it.'),
    to: timeOfDay('The window closes, after `from`.', { endOfDay: true }),
    duration: duration("Each agent's lunch; agents are staggered across the window.", { above: 0 }),
  })
    .also(checkWindow)
    .also((l, cur) => {
      if (l.from === undefined || l.to === undefined || l.duration === undefined || l.from >= l.to || l.duration <= l.to - l.from) return true;
      cur.key('duration').issue(`a lunch of ${formatDuration(l.duration)} does not fit in the window ${formatClock(l.from)}-${formatClock(l.to)}`, {
        expected: `a duration <= ${formatDuration(l.to - l.from)}`,
      });
      return false;
    })
    .map((l): LunchSpec => ({ from: l.from, to: l.to, duration: l.duration })),
]).withDefault('none');

const TRAINING: Field<TrainingSpec | null> = either<TrainingSpec | null>(
  'A weekly training session that takes a share of the group away, in rotation (seed 001: Friday afternoon); `none` = no training.',
  [
    literal('none', null),
    obj('When the training is and how much of the group it takes.', {
      day: oneOf('Weekday of the training (`mon` ... `sun`).', WEEKDAYS).withDefault('fri'),
      from: timeOfDay('Starts, `HH:MM`; quote it.'),
      to: timeOfDay('Ends, after `from`.', { endOfDay: true }),
      share: num('Share of the group in training at once (from 0 to 1); who goes rotates week by week.', { min: 0, max: 1 }),
    })
      .also(checkWindow)
      .map((t): TrainingSpec => ({ day: WEEKDAYS.indexOf(t.day), from: t.from, to: t.to, share: t.share })),
  ],
).withDefault('none');

const NOT_READY: Field<NotReadySpec | null> = either<NotReadySpec | null>('Random not-ready episodes (示忙) between calls; `none` = never.', [
  literal('none', null),
  obj('How often and how long agents are not ready.', {
    every: distribution('From the end of one episode to the start of the next.'),
    duration: distribution('How long an episode lasts.'),
  }).map((n): NotReadySpec => ({ every: n.every, duration: n.duration })),
]).withDefault('none');

const RING_NO_ANSWER: Field<RingNoAnswerSpec | null> = either<RingNoAnswerSpec | null>(
  'An agent who lets an offered call ring out: the call goes back to the head of the queue and the agent is made not ready; `none` = agents always answer.',
  [
    literal('none', null),
    obj('When a ringing call is taken back, and for how long the agent is then not ready.', {
      rings: whole('Rings unanswered before the call goes back to the queue.', { min: 1 }),
      notReady: duration('The agent is then not ready for this long.'),
    }).map((r): RingNoAnswerSpec => ({ rings: r.rings, notReady: r.notReady })),
  ],
).withDefault('none');

const HOLD: Field<HoldSpec> = obj('Holds during a call: the agent puts the caller on hold to look something up (seeds 001, 002).', {
  probability: num('Share of answered calls with a hold in the middle.', { min: 0, max: 1 }).withDefault(0),
  duration: distribution('How long the lookup takes.').withDefault({ exponential: { mean: '30s' } }),
  limit: duration('The policy: come back to the caller within this (seeds 001, 002: 30 s).').withDefault('30s'),
  returns: num('Probability that an agent whose lookup passes the limit comes back in time (otherwise a violation).', { min: 0, max: 1 }).withDefault(0.8),
})
  .map((h): HoldSpec => ({ probability: h.probability, duration: h.duration, limit: h.limit, returns: h.returns }))
  .withDefault({});

const SKILL_KEYS: KeyRule = {
  read: (key: Scalar, written) =>
    typeof key.value === 'string' && SKILL_NAME.re.test(key.value)
      ? { key: key.value }
      : { problem: `\`${written ?? String(key.value)}\` is not a skill name`, hint: 'a skill is named like the queue it serves, e.g. `general`, `complaint`' },
  expected: `a skill name of ${SKILL_NAME.says}`,
  schema: { pattern: SKILL_NAME.re.source },
};

const SKILLS: Field<Readonly<Record<string, number>>> = record(
  'Skills with their levels, 1 (basic) to 10 (expert); a skill is named like the queue it serves. Used by `routing: { strategy: skills }`.',
  'skill name',
  whole('Level, 1 (basic) to 10 (expert).', { min: 1, max: 10 }),
  SKILL_KEYS,
)
  .map((skills: readonly Entry<number>[], cur): Checked<Record<string, number>> => {
    if (skills.length > 0) return Object.fromEntries(skills.map((s) => [s.key, s.value]));
    cur.issue('a group needs at least one skill', { expected: 'a map such as `{ general: 1 }`' });
    return INVALID;
  })
  .withDefault(DEFAULT_SKILLS);

/** The keys of an agent group that make up its day; spread into the group's map. */
export const AGENT_DAY_FIELDS = {
  shift: SHIFT,
  lunch: LUNCH,
  training: TRAINING,
  notReady: NOT_READY,
  ringNoAnswer: RING_NO_ANSWER,
  hold: HOLD,
  wrapUpLimit: duration('Wrap-up policy limit (seed 002: 30 s); longer wrap-ups are counted.').withDefault('30s'),
  skills: SKILLS,
};

/** The day of a group from its map's values. */
export function agentDay(g: { readonly [K in keyof AgentDay]: AgentDay[K] }): AgentDay {
  return {
    shift: g.shift,
    lunch: g.lunch,
    training: g.training,
    notReady: g.notReady,
    ringNoAnswer: g.ringNoAnswer,
    hold: g.hold,
    wrapUpLimit: g.wrapUpLimit,
    skills: g.skills,
  };
}

