import test from 'ava';
import { ScenarioError, type ScenarioIssue } from './errors.js';
import { parseScenario } from './load.js';
import type { Center } from './types.js';

// Three centers; the keys given (indented by 4) go into `yanbian`, from line 5 on.
const centersWith = (yanbian: string, others = true): string => `arrivals: { rate: 1/s }
centers:
  - id: yanbian
    groups: [{ id: general, count: 10 }]
${yanbian}${others ? '  - { id: province, groups: [{ count: 20 }] }\n  - { id: jilin, groups: [{ count: 5 }] }\n' : ''}`;

const yanbian = (keys: string): Center => parseScenario(centersWith(keys), 'c.yaml').centers[0]!;

function issuesOf(text: string): readonly ScenarioIssue[] {
  try {
    parseScenario(text, 'c.yaml');
  } catch (e) {
    if (e instanceof ScenarioError) return e.issues;
    throw e;
  }
  throw new Error('expected a ScenarioError');
}

function onlyIssue(text: string): ScenarioIssue {
  const issues = issuesOf(text);
  if (issues.length !== 1) throw new Error(`expected one issue, got ${issues.length}: ${JSON.stringify(issues)}`);
  return issues[0]!;
}

const where = (i: ScenarioIssue): [string, number, number] => [i.path, i.pos!.line, i.pos!.column];
const col = (line: string, part: string): number => line.lastIndexOf(part) + 1;

test('a waiting room is a whole number or unlimited (the default)', (t) => {
  t.is(yanbian('').waitingRoom, Infinity);
  t.is(yanbian('    waitingRoom: 20\n').waitingRoom, 20);
  t.is(yanbian('    waitingRoom: 0\n').waitingRoom, 0);
  t.is(yanbian('    waitingRoom: unlimited\n').waitingRoom, Infinity);
  const negative = onlyIssue(centersWith('    waitingRoom: -1\n'));
  t.deepEqual(where(negative), ['centers[0].waitingRoom', 5, 18]);
  t.is(negative.expected, '`unlimited` or a whole number >= 0');
  t.is(onlyIssue(centersWith('    waitingRoom: unlimted\n')).hint, 'did you mean `unlimited`?');
});

test('dispatch rules resolve in order, each with the conditions it gives', (t) => {
  t.deepEqual(yanbian('').dispatch, []);
  const rules = yanbian(`    dispatch:
      - { to: province, after: 60s }
      - { to: any, queueLongerThan: 10 }
      - { to: province, closed: true }
      - { to: jilin, noFreeAgent: true, closed: false }
      - { to: jilin, after: 0s, queueLongerThan: 0, closed: true, noFreeAgent: true }
`).dispatch;
  t.deepEqual(rules, [
    { to: 'province', after: 60 },
    { to: 'any', queueLongerThan: 10 },
    { to: 'province', closed: true },
    { to: 'jilin', noFreeAgent: true },
    { to: 'jilin', after: 0, queueLongerThan: 0, closed: true, noFreeAgent: true },
  ]);
});

test('a dispatch rule needs a condition', (t) => {
  const none = onlyIssue(centersWith('    dispatch: [{ to: province }]\n'));
  t.deepEqual(where(none), ['centers[0].dispatch[0]', 5, 16]);
  t.is(none.message, 'a dispatch rule needs a condition');
  t.regex(none.expected!, /`after`, `queueLongerThan`, `closed: true` or `noFreeAgent: true`/);
  t.is(onlyIssue(centersWith('    dispatch: [{ to: province, closed: false }]\n')).message, 'a dispatch rule needs a condition');
  // A wrong condition is still a condition: one issue, for the value.
  const bad = onlyIssue(centersWith('    dispatch: [{ to: province, after: soon }]\n'));
  t.is(bad.path, 'centers[0].dispatch[0].after');
  t.is(onlyIssue(centersWith('    dispatch: [{ to: province, closed: yes }]\n')).hint, 'write `true`');
  t.is(onlyIssue(centersWith('    dispatch: [{ to: province, afer: 1m }]\n')).hint, 'did you mean `after`?');
});

test('a dispatch target is another center of the scenario, or any', (t) => {
  const typoLine = '    dispatch: [{ to: jiln, after: 1m }]';
  const typo = onlyIssue(centersWith(`${typoLine}\n`));
  t.deepEqual(where(typo), ['centers[0].dispatch[0].to', 5, col(typoLine, 'jiln')]);
  t.is(typo.message, 'the scenario has no center `jiln`');
  t.is(typo.expected, '`any` or another center id: `province`, `jilin`');
  t.is(typo.hint, 'did you mean `jilin`?');
  const self = onlyIssue(centersWith('    dispatch: [{ to: yanbian, after: 1m }]\n'));
  t.is(self.message, 'the center `yanbian` cannot dispatch to itself');
  t.is(self.path, 'centers[0].dispatch[0].to');
  const alone = onlyIssue(centersWith('    dispatch: [{ to: any, after: 1m }]\n', false));
  t.is(alone.message, '`any` has no center to choose from');
  t.is(onlyIssue(centersWith('    dispatch: [{ to: Jilin, after: 1m }]\n')).path, 'centers[0].dispatch[0].to');
});

test('a dispatch target is judged even when that center is wrong elsewhere, and a later center may be named', (t) => {
  const text = `arrivals: { rate: 1/s }
centers:
  - id: yanbian
    dispatch: [{ to: jilin, after: 1m }, { to: nowhere, after: 2m }]
    groups: [{ count: 1 }]
  - id: jilin
    groups: [{ count: -1 }]
`;
  t.deepEqual(
    issuesOf(text).map((i) => [i.path, i.pos!.line]),
    [
      ['centers[0].dispatch[1].to', 4],
      ['centers[1].groups[0].count', 7],
    ],
  );
});

test('`any` and `caller` are not center ids', (t) => {
  const any = onlyIssue('arrivals: { rate: 1/s }\ncenters:\n  - { id: any, groups: [{ count: 1 }] }\n');
  t.is(any.message, '`any` is a reserved word, not a center id');
  t.is(any.path, 'centers[0].id');
  t.is(onlyIssue('arrivals: { rate: 1/s }\ncenters:\n  - { id: caller, groups: [{ count: 1 }] }\n').path, 'centers[0].id');
});
