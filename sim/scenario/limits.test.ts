// The counts a scenario may not exceed (limits.ts): each is refused when the scenario loads,
// with the place and the field, rather than a run that runs out of memory minutes in.

import test from 'ava';
import { ScenarioError, type ScenarioIssue } from './errors.js';
import { MAX_AGENTS, MAX_DIGITS, MAX_INTERVAL_ROWS } from './limits.js';
import { parseScenario } from './load.js';

function issuesOf(text: string, sets: string[] = []): readonly ScenarioIssue[] {
  try {
    parseScenario(text, 'c.yaml', { sets });
  } catch (e) {
    if (e instanceof ScenarioError) return e.issues;
    throw e;
  }
  return [];
}

const where = (i: ScenarioIssue): string => `${i.pos?.file}:${i.pos?.line}:${i.pos?.column}: ${i.path}`;

const HEAD = 'arrivals: { rate: 1/s }\nduration: 1h\ncenters:\n';

test('a group of 1e9 agents is refused at its count, out of range, with the maximum', (t) => {
  const [issue, ...more] = issuesOf(`${HEAD}  - id: a\n    groups:\n      - count: 1e9\n`);
  t.deepEqual(more, []);
  t.is(where(issue!), 'c.yaml:6:16: centers[0].groups[0].count');
  t.is(issue!.message, '`1e9` is out of range');
  t.is(issue!.expected, 'a whole number from 0 to 1000000');
  t.is(MAX_AGENTS, 1_000_000);
  // the maximum itself is fine
  t.deepEqual(issuesOf(`${HEAD}  - id: a\n    groups:\n      - count: 1e6\n`), []);
});

test('agents add up across groups and centers: the group that goes past the maximum is named, with what is left for it', (t) => {
  const text = `${HEAD}  - id: a\n    groups:\n      - count: 600000\n  - id: b\n    groups:\n      - { id: x, count: 10 }\n      - { id: y, count: 400000 }\n`;
  const [issue, ...more] = issuesOf(text);
  t.deepEqual(more, []);
  t.is(where(issue!), 'c.yaml:10:25: centers[1].groups[1].count');
  t.is(issue!.message, '400000 more agents make 1,000,010 in the scenario, more than 1,000,000');
  t.is(issue!.expected, 'at most 399,990 here: 1,000,000 agents in the whole scenario');
  t.deepEqual(issuesOf(text.replace('400000', '399990')), []);
});

test('too many intervals for the results to fit: refused at `interval`, with the shortest interval that fits', (t) => {
  // 1 day at 0.1 s: 864,000 intervals x (platform + 1 center + 1 group)
  const [issue, ...more] = issuesOf(`${HEAD}  - id: a\n    groups: [{ count: 5 }]\n`, ['duration=1d', 'interval=0.1s']);
  t.deepEqual(more, []);
  t.is(where(issue!), '--set:2:10: interval');
  t.is(issue!.message, '100ms makes 864,000 intervals in 1d, each with 3 rows of results (the platform, 1 center, 1 agent group): 2,592,000, more than 2,000,000');
  t.is(issue!.expected, 'an interval of at least 130ms for this run (or a shorter `duration`)');
  t.is(MAX_INTERVAL_ROWS, 2_000_000);
  // and the interval it proposes is accepted
  t.deepEqual(issuesOf(`${HEAD}  - id: a\n    groups: [{ count: 5 }]\n`, ['duration=1d', 'interval=130ms']), []);
});

test('an ID number, a PIN or an area code of more digits than anyone keys is refused', (t) => {
  const ivr = (action: string): string => `${HEAD}  - id: a\n    groups: [{ count: 5 }]\nivr:\n  entry: m\n  menus:\n    m:\n      next: ${action}\n`;
  const account = '{ account: { idPrompt: { text: id, duration: 1s }, pinPrompt: { text: pin, duration: 1s }, resultPrompt: { text: ok, duration: 1s }, failPrompt: { text: no, duration: 1s }, then: m, idDigits: 1e9 } }';
  const [issue] = issuesOf(ivr(account));
  t.is(issue?.path, 'ivr.menus.m.next.account.idDigits');
  t.is(issue?.message, '`1e9` is out of range');
  t.is(issue?.expected, `a whole number from 1 to ${MAX_DIGITS}`);
  t.deepEqual(issuesOf(ivr(account.replace('1e9', String(MAX_DIGITS)))), []);
  const [transfer] = issuesOf(ivr('{ transfer: { prompt: { text: code, duration: 2s }, digits: 33 } }'));
  t.is(transfer?.path, 'ivr.menus.m.next.transfer.digits');
  t.is(transfer?.message, '`33` is out of range');
});

test('a seed of 20 digits is out of range (with the range), not "not a whole number"; a fraction is not a whole number', (t) => {
  const [issue] = issuesOf(`seed: 12345678901234567890\n${HEAD}  - id: a\n    groups: [{ count: 5 }]\n`);
  t.is(issue?.message, '`12345678901234567890` is out of range');
  t.is(issue?.expected, 'a whole number from 0 to 2^53-1 (9007199254740991)');
  t.is(issuesOf(`seed: 1.5\n${HEAD}  - id: a\n    groups: [{ count: 5 }]\n`)[0]?.message, '`1.5` is not a whole number >= 0');
});

test('a warm-up as long as a run whose `duration` comes from --set says where that duration was set', (t) => {
  const [issue] = issuesOf(`warmup: 2h\n${HEAD}  - id: a\n    groups: [{ count: 5 }]\n`);
  t.is(issue?.message, 'the warm-up (2h) is not shorter than the run (1h)', 'both in the file: nothing to add');
  const [set] = issuesOf(`warmup: 30m\n${HEAD}  - id: a\n    groups: [{ count: 5 }]\n`, ['duration=10m', 'interval=10m']);
  t.is(where(set!), 'c.yaml:1:9: warmup');
  t.is(set?.message, 'the warm-up (30m) is not shorter than the run (10m, `duration` at --set:1:10)');
});

test("an interval longer than a run whose `duration` comes from --set says where that duration was set, as does one making too many rows", (t) => {
  const [same] = issuesOf(`interval: 2h\n${HEAD}  - id: a\n    groups: [{ count: 5 }]\n`);
  t.is(same?.message, 'the interval (2h) is longer than the run (1h)', 'both in the file: nothing to add');
  const [set] = issuesOf(`interval: 30m\n${HEAD}  - id: a\n    groups: [{ count: 5 }]\n`, ['duration=1s']);
  t.is(where(set!), 'c.yaml:1:11: interval');
  t.is(set?.message, 'the interval (30m) is longer than the run (1s, `duration` at --set:1:10)');
  const [rows] = issuesOf(`interval: 100ms\n${HEAD}  - id: a\n    groups: [{ count: 5 }]\n`, ['duration=1d']);
  t.is(where(rows!), 'c.yaml:1:11: interval');
  t.regex(rows!.message, /^100ms makes 864,000 intervals in 1d, `duration` at --set:1:10, each with 3 rows/);
});
