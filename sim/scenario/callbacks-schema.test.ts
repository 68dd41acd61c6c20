import test from 'ava';
import { join } from 'node:path';
import { DEFAULT_CALLBACKS, DEFAULT_CONVERSATION } from '../../test/scenario-builder.js';
import { ScenarioError, type ScenarioIssue } from './errors.js';
import { loadScenario, parseScenario } from './load.js';
import { repoRoot } from './reference-docs.js';
import type { Scenario } from './types.js';

// Callbacks, the conversation, the interval and routing: the top-level keys given come first.
const BASE = 'arrivals: { rate: 1/s }\ncenters:\n  - { id: c, groups: [{ id: general, count: 2 }] }\n';
const load = (top: string, sets: string[] = []): Scenario => parseScenario(`${top}${BASE}`, 's.yaml', { sets });

function issuesOf(text: string, sets: string[] = [], file = 's.yaml'): readonly ScenarioIssue[] {
  try {
    if (file === 's.yaml') parseScenario(text, file, { sets });
    else loadScenario(file, { sets });
  } catch (e) {
    if (e instanceof ScenarioError) return e.issues;
    throw e;
  }
  throw new Error('expected a ScenarioError');
}

function onlyIssue(text: string, sets: string[] = [], file?: string): ScenarioIssue {
  const issues = issuesOf(text, sets, file);
  if (issues.length !== 1) throw new Error(`expected one issue, got ${issues.length}: ${JSON.stringify(issues)}`);
  return issues[0]!;
}

const where = (i: ScenarioIssue): [string, number, number] => [i.path, i.pos!.line, i.pos!.column];

test('callbacks resolve, each key with its default', (t) => {
  t.deepEqual(load('').callbacks, DEFAULT_CALLBACKS);
  const all = load(`callbacks:
  deadline: 30m
  fromCalls: 0.05
  reach: 0.8
  attempts: 3
  retryAfter: 10m
  ringTime: 30s
  talk: { exponential: { mean: 2m } }
`).callbacks;
  t.deepEqual(all, { deadline: 1800, fromCalls: 0.05, reach: 0.8, attempts: 3, retryAfter: 600, ringTime: 30, talk: { kind: 'exponential', mean: 120 } });
  t.deepEqual(load('callbacks: { deadline: 1d, fromCalls: 1 }\n').callbacks, { ...DEFAULT_CALLBACKS, deadline: 86400, fromCalls: 1 });
});

test('callback problems are placed', (t) => {
  const share = onlyIssue(`callbacks: { fromCalls: 1.5 }\n${BASE}`);
  t.deepEqual(where(share), ['callbacks.fromCalls', 1, 25]);
  t.is(share.expected, 'a number from 0 to 1');
  t.is(onlyIssue(`callbacks: { attempts: 0 }\n${BASE}`).expected, 'a whole number >= 1');
  t.is(onlyIssue(`callbacks: { deadline: 0s }\n${BASE}`).path, 'callbacks.deadline');
  t.is(onlyIssue(`callbacks: { ringTime: 0s }\n${BASE}`).path, 'callbacks.ringTime');
  t.is(onlyIssue(`callbacks: { reech: 0.5 }\n${BASE}`).hint, 'did you mean `reach`?');
  t.is(onlyIssue(`callbacks: { talk: { expo: { mean: 1m } } }\n${BASE}`).path, 'callbacks.talk.expo');
});

test('the conversation resolves; rating weights are five, at least one above 0', (t) => {
  t.deepEqual(load('').conversation, DEFAULT_CONVERSATION);
  t.deepEqual(load('conversation: { silentShare: 0.01, greetInterval: 5s, ratingShare: 0.5, ratingWeights: [0, 0, 1, 2, 3] }\n').conversation, {
    silentShare: 0.01,
    greetInterval: 5,
    ratingShare: 0.5,
    ratingWeights: [0, 0, 1, 2, 3],
  });
  const four = onlyIssue(`conversation: { ratingWeights: [1, 1, 3, 10] }\n${BASE}`);
  t.deepEqual(where(four), ['conversation.ratingWeights', 1, 32]);
  t.is(four.message, '`ratingWeights` has 4 items, not 5');
  t.is(four.expected, 'a list of exactly 5');
  t.is(onlyIssue(`conversation: { ratingWeights: [1, 1, 3, 10, 25, 1] }\n${BASE}`).message, '`ratingWeights` has 6 items, not 5');
  const zeros = onlyIssue(`conversation: { ratingWeights: [0, 0, 0, 0, 0] }\n${BASE}`);
  t.is(zeros.message, 'every score has weight 0');
  t.is(zeros.path, 'conversation.ratingWeights');
  t.is(onlyIssue(`conversation: { ratingWeights: [1, -1, 3, 10, 25] }\n${BASE}`).path, 'conversation.ratingWeights[1]');
  t.is(onlyIssue(`conversation: { silentShare: 2 }\n${BASE}`).path, 'conversation.silentShare');
  t.is(onlyIssue(`conversation: { greetInterval: 0s }\n${BASE}`).path, 'conversation.greetInterval');
});

test('the interval: default 1h, above 0 and no longer than the run', (t) => {
  t.is(load('').interval, 3600);
  t.is(load('interval: 30m\n').interval, 1800);
  t.is(load('duration: 2h\ninterval: 2h\n').interval, 7200);
  const long = onlyIssue(`duration: 2h\ninterval: 3h\n${BASE}`);
  t.deepEqual(where(long), ['interval', 2, 11]);
  t.is(long.message, 'the interval (3h) is longer than the run (2h)');
  t.is(onlyIssue(`interval: 0s\n${BASE}`).expected, 'a duration > 0');
});

test('routing strategies', (t) => {
  t.is(load('').routing.strategy, 'longest-idle');
  for (const strategy of ['longest-idle', 'round-robin', 'fewest-calls', 'skills'] as const) {
    t.is(load(`routing: { strategy: ${strategy} }\n`).routing.strategy, strategy);
  }
  t.is(onlyIssue(`routing: { strategy: round-robbin }\n${BASE}`).hint, 'did you mean `round-robin`?');
});

const WITH_IVR = `routing: { strategy: skills }
ivr:
  entry: main
  menus:
    main:
      options:
        "1": { queue: { center: c } }
        "5": { queue: { center: c, queue: complaint } }
        "6": { queue: { center: c, queue: complaint, priority: -1 } }
arrivals: { rate: 1/s }
centers:
  - id: c
    groups:
      - { id: general, count: 2 }
`;

test('skills routing: a queue needs a group somewhere with its skill', (t) => {
  const missing = onlyIssue(WITH_IVR);
  t.deepEqual(where(missing), ['ivr.menus.main.options.5.queue.queue', 8, 43]);
  t.is(missing.message, 'queue `complaint` needs skill `complaint`, which no group has');
  t.is(missing.expected, 'a queue named like a skill some group has: `general`');
  t.is(missing.hint, 'give a group `skills: { complaint: 1 }`, or choose another routing strategy');
  const withSkill = `${WITH_IVR}      - { id: complaints, count: 1, skills: { complaint: 3 } }\n`;
  t.is(parseScenario(withSkill, 's.yaml').centers[0]!.groups[1]!.day.skills['complaint'], 3);
  // Any other strategy takes every queue as it comes.
  t.notThrows(() => parseScenario(WITH_IVR.replace('strategy: skills', 'strategy: longest-idle'), 's.yaml'));
  // A default queue (`general`) needs its skill too.
  const general = issuesOf(`${WITH_IVR.replace('{ id: general, count: 2 }', '{ id: g, count: 2, skills: { complaint: 1 } }')}`);
  t.deepEqual(
    general.map((i) => [i.path, i.pos!.line]),
    [['ivr.menus.main.options.1.queue.queue', 7]],
  );
  t.is(general[0]!.message, 'queue `general` needs skill `general`, which no group has');
});

test('skills routing without an IVR: calls join `general`', (t) => {
  const issue = onlyIssue(`routing: { strategy: skills }\narrivals: { rate: 1/s }\ncenters:\n  - { id: c, groups: [{ count: 2, skills: { pension: 1 } }] }\n`);
  t.deepEqual(where(issue), ['routing.strategy', 1, 22]);
  t.regex(issue.message, /`ivr: none`.*`general`/);
  t.notThrows(() => load('routing: { strategy: skills }\n'), 'groups have `general` by default');
});

test('skills routing on the 12333 scenario: complaints need their skill, and --set can give it', (t) => {
  const file = join(repoRoot(), 'scenarios/12333-province.yaml');
  const issue = onlyIssue('', ['routing.strategy=skills'], file);
  t.is(issue.pos!.file, join(repoRoot(), 'scenarios/ivr/12333.yaml'));
  t.is(issue.message, 'queue `complaint` needs skill `complaint`, which no group has');
  const s = loadScenario(file, { sets: ['routing.strategy=skills', 'centers.province.groups.general.skills={ general: 1, complaint: 8 }'] });
  t.is(s.routing.strategy, 'skills');
  t.deepEqual(s.centers[0]!.groups[0]!.day.skills, { general: 1, complaint: 8 });
});
