import test from 'ava';
import { join } from 'node:path';
import { DEFAULT_AGENT_DAY } from '../../test/scenario-builder.js';
import { ScenarioError, type ScenarioIssue } from './errors.js';
import { loadScenario, parseScenario } from './load.js';
import { repoRoot } from './reference-docs.js';
import type { AgentDay } from './types.js';

// A center `yanbian` with one group `general` whose keys (indented by 8) follow; they start on line 7.
const groupWith = (keys: string): string => `arrivals: { rate: 1/s }
centers:
  - id: yanbian
    groups:
      - id: general
        count: 10
${keys}`;

const dayOf = (keys: string, sets: string[] = []): AgentDay => parseScenario(groupWith(keys), 'day.yaml', { sets }).centers[0]!.groups[0]!.day;

function issuesOf(text: string, sets: string[] = []): readonly ScenarioIssue[] {
  try {
    parseScenario(text, 'day.yaml', { sets });
  } catch (e) {
    if (e instanceof ScenarioError) return e.issues;
    throw e;
  }
  throw new Error('expected a ScenarioError');
}

/** The one issue of a group with these keys, as [path, line, column]. */
function onlyIssue(keys: string, sets: string[] = []): ScenarioIssue {
  const issues = issuesOf(groupWith(keys), sets);
  if (issues.length !== 1) throw new Error(`expected one issue, got ${issues.length}: ${JSON.stringify(issues)}`);
  return issues[0]!;
}

const where = (i: ScenarioIssue): [string, number, number] => [i.path, i.pos!.line, i.pos!.column];
/** The column of the last `part` in `line` (1-based). */
const col = (line: string, part: string): number => line.lastIndexOf(part) + 1;
const hours = (h: number): number => h * 3600;

test('a group that says nothing about its day works around the clock with the defaults', (t) => {
  t.deepEqual(dayOf(''), DEFAULT_AGENT_DAY);
});

test('shifts: always, agent hours, or explicit shifts (night shifts and 24:00 included)', (t) => {
  t.deepEqual(dayOf('        shift: always\n').shift, { kind: 'always' });
  t.deepEqual(dayOf('        shift: agent-hours\n').shift, { kind: 'agent-hours' });
  const shifts = dayOf(`        shift:
          - { days: [fri, mon, tue, wed, thu], start: "08:00", end: "18:00" }
          - { days: [sat, sun], start: "22:00", end: "06:00" }
          - { days: [sun], start: "00:00", end: "24:00" }
`).shift;
  t.deepEqual(dayOf('        shift: { days: [sat], start: "09:00", end: "12:00" }\n').shift, {
    kind: 'shifts',
    shifts: [{ days: [5], start: hours(9), end: hours(12) }],
  }, 'one shift may stand without its list');
  t.deepEqual(shifts, {
    kind: 'shifts',
    shifts: [
      { days: [0, 1, 2, 3, 4], start: hours(8), end: hours(18) },
      { days: [5, 6], start: hours(22), end: hours(6) },
      { days: [6], start: 0, end: hours(24) },
    ],
  });
});

test('shift problems are placed: a word, repeated days, a shift of no length, no shifts', (t) => {
  const wordLine = '        shift: alwys';
  const word = onlyIssue(`${wordLine}\n`);
  t.deepEqual(where(word), ['centers[0].groups[0].shift', 7, col(wordLine, 'alwys')]);
  t.is(word.hint, 'did you mean `always`?');
  t.regex(word.expected!, /`always`, `agent-hours` or a map or a list of them/);
  const repeatedLine = '        shift: [{ days: [mon, tue, mon], start: "08:00", end: "17:00" }]';
  const repeated = onlyIssue(`${repeatedLine}\n`);
  t.deepEqual(where(repeated), ['centers[0].groups[0].shift[0].days[2]', 7, col(repeatedLine, 'mon')]);
  t.is(repeated.message, '`mon` is listed twice');
  const emptyLine = '        shift: [{ days: [mon], start: "08:00", end: "08:00" }]';
  const empty = onlyIssue(`${emptyLine}\n`);
  t.deepEqual(where(empty), ['centers[0].groups[0].shift[0].end', 7, col(emptyLine, '"08:00"')]);
  t.regex(empty.expected!, /shift: always/);
  t.is(onlyIssue('        shift: []\n').message, '`shift` needs at least 1 item');
  t.is(onlyIssue('        shift: [{ days: [], start: "08:00", end: "17:00" }]\n').path, 'centers[0].groups[0].shift[0].days');
  t.is(onlyIssue('        shift: [{ days: [mon], start: "08:00", end: "25:00" }]\n').path, 'centers[0].groups[0].shift[0].end');
  t.is(onlyIssue('        shift: [{ days: [thur], start: "08:00", end: "17:00" }]\n').hint, 'did you mean `thu`?');
});

test('lunch: a window and each agent\'s lunch, which must fit in it', (t) => {
  t.deepEqual(dayOf('        lunch: { from: "11:30", to: "13:30", duration: 30m }\n').lunch, { from: hours(11.5), to: hours(13.5), duration: 1800 });
  t.is(dayOf('        lunch: none\n').lunch, null);
  const longLine = '        lunch: { from: "11:30", to: "13:30", duration: 3h }';
  const long = onlyIssue(`${longLine}\n`);
  t.deepEqual(where(long), ['centers[0].groups[0].lunch.duration', 7, col(longLine, '3h')]);
  t.is(long.expected, 'a duration <= 2h');
  const backwardsLine = '        lunch: { from: "13:30", to: "11:30", duration: 30m }';
  const backwards = onlyIssue(`${backwardsLine}\n`);
  t.deepEqual(where(backwards), ['centers[0].groups[0].lunch.to', 7, col(backwardsLine, '"11:30"')]);
  t.is(onlyIssue('        lunch: { from: "11:30", to: "13:30" }\n').message, '`duration` is required');
  t.is(onlyIssue('        lunch: { from: "11:30", to: "13:30", duration: 0s }\n').path, 'centers[0].groups[0].lunch.duration');
  t.is(onlyIssue('        lunch: nnoe\n').hint, 'did you mean `none`?');
});

test('training: a weekday (Friday by default), a window and a share', (t) => {
  t.deepEqual(dayOf('        training: { from: "14:00", to: "17:00", share: 0.25 }\n').training, { day: 4, from: hours(14), to: hours(17), share: 0.25 });
  t.deepEqual(dayOf('        training: { day: mon, from: "14:00", to: "24:00", share: 1 }\n').training, { day: 0, from: hours(14), to: hours(24), share: 1 });
  const shareLine = '        training: { from: "14:00", to: "17:00", share: 1.5 }';
  const share = onlyIssue(`${shareLine}\n`);
  t.deepEqual(where(share), ['centers[0].groups[0].training.share', 7, col(shareLine, '1.5')]);
  t.is(share.expected, 'a number from 0 to 1');
  t.is(onlyIssue('        training: { from: "17:00", to: "14:00", share: 0.5 }\n').path, 'centers[0].groups[0].training.to');
  t.is(onlyIssue('        training: { day: fr, from: "14:00", to: "17:00", share: 0.5 }\n').hint, 'did you mean `fri`?');
});

test('not ready, ring-no-answer, hold, the wrap-up limit and skills resolve', (t) => {
  const day = dayOf(`        notReady: { every: { exponential: { mean: 1h } }, duration: { uniform: { min: 1m, max: 5m } } }
        ringNoAnswer: { rings: 4, notReady: 2m }
        hold: { probability: 0.2, duration: { lognormal: { mean: 40s, sd: 30s } }, limit: 30s, returns: 0.7 }
        wrapUpLimit: 45s
        skills: { general: 1, complaint: 5 }
`);
  t.deepEqual(day, {
    ...DEFAULT_AGENT_DAY,
    notReady: { every: { kind: 'exponential', mean: 3600 }, duration: { kind: 'uniform', min: 60, max: 300 } },
    ringNoAnswer: { rings: 4, notReady: 120 },
    hold: { probability: 0.2, duration: { kind: 'lognormal', mean: 40, sd: 30 }, limit: 30, returns: 0.7 },
    wrapUpLimit: 45,
    skills: { general: 1, complaint: 5 },
  });
  t.deepEqual(dayOf('        hold: { probability: 0.1 }\n').hold, { ...DEFAULT_AGENT_DAY.hold, probability: 0.1 }, 'the rest of `hold` keeps its defaults');
});

test('problems with not ready, ring-no-answer, hold and skills are placed', (t) => {
  t.is(onlyIssue('        notReady: { every: 1h }\n').message, '`duration` is required');
  const ringsLine = '        ringNoAnswer: { rings: 0, notReady: 2m }';
  const rings = onlyIssue(`${ringsLine}\n`);
  t.deepEqual(where(rings), ['centers[0].groups[0].ringNoAnswer.rings', 7, col(ringsLine, '0')]);
  t.is(rings.expected, 'a whole number >= 1');
  t.is(onlyIssue('        hold: { probability: 2 }\n').path, 'centers[0].groups[0].hold.probability');
  t.is(onlyIssue('        hold: { returns: -0.1 }\n').path, 'centers[0].groups[0].hold.returns');
  t.is(onlyIssue('        hold: { probabilty: 0.2 }\n').hint, 'did you mean `probability`?');
  t.is(onlyIssue('        wrapUpLimit: soon\n').path, 'centers[0].groups[0].wrapUpLimit');
  const levelLine = '        skills: { general: 1, complaint: 11 }';
  const level = onlyIssue(`${levelLine}\n`);
  t.deepEqual(where(level), ['centers[0].groups[0].skills.complaint', 7, col(levelLine, '11')]);
  t.is(level.expected, 'a whole number from 1 to 10');
  t.is(onlyIssue('        skills: { Complaint: 2 }\n').message, '`Complaint` is not a skill name');
  t.is(onlyIssue('        skills: {}\n').message, 'a group needs at least one skill');
});

test('several problems in one group come back together, in source order', (t) => {
  const issues = issuesOf(
    groupWith(`        lunch: { from: "11:30", to: "12:00", duration: 45m }
        training: { from: "14:00", to: "17:00", share: 2 }
        ringNoAnswer: { rings: 0, notReady: 1m }
`),
  );
  t.deepEqual(
    issues.map((i) => [i.path, i.pos!.line]),
    [
      ['centers[0].groups[0].lunch.duration', 7],
      ['centers[0].groups[0].training.share', 8],
      ['centers[0].groups[0].ringNoAnswer.rings', 9],
    ],
  );
});

test('--set reaches into a group\'s day by center and group id', (t) => {
  const lunch = '        lunch: { from: "11:30", to: "13:30", duration: 30m }\n';
  t.is(dayOf(lunch, ['centers.yanbian.groups.general.lunch.duration=45m']).lunch!.duration, 2700);
  const tooLong = onlyIssue(lunch, ['centers.yanbian.groups.general.lunch.duration=3h']);
  t.deepEqual([tooLong.pos, tooLong.path], [{ file: '--set', line: 1, column: 47 }, 'centers[0].groups[0].lunch.duration']);
  // A group without lunch gets one from its flag, checked like any other.
  const created = issuesOf(groupWith(''), ['centers.yanbian.groups.general.lunch.duration=45m']);
  t.deepEqual(
    created.map((i) => i.message),
    ['`from` is required', '`to` is required'],
  );
  t.true(created.every((i) => i.pos!.file === '--set'));
});

test('the 12333 default scenario takes a lunch rotation from --set', (t) => {
  const file = join(repoRoot(), 'scenarios/12333-province.yaml');
  const s = loadScenario(file, {
    sets: ['centers.yanbian.groups.general.lunch={ from: "11:30", to: "13:30", duration: 30m }', 'centers.yanbian.groups.general.lunch.duration=45m'],
  });
  const yanbian = s.centers.find((c) => c.id === 'yanbian')!;
  t.deepEqual(yanbian.groups[0]!.day.lunch, { from: hours(11.5), to: hours(13.5), duration: 2700 });
  // The file shares one lunch among all groups through a YAML alias; the override must not leak.
  t.deepEqual(s.centers.find((c) => c.id === 'jilin')!.groups[0]!.day.lunch, { from: hours(11), to: hours(13.5), duration: 1800 }, 'only the named group changes');
});
