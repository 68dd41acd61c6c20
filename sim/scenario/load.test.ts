import test from 'ava';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_AGENT_DAY, DEFAULT_CALLBACKS, DEFAULT_CONVERSATION } from '../../test/scenario-builder.js';
import { ScenarioError, type ScenarioIssue } from './errors.js';
import { FULL_EXAMPLE, MINIMAL_EXAMPLE } from './example-scenarios.js';
import { loadScenario, parseScenario } from './load.js';
import type { Scenario } from './types.js';

function issuesOf(text: string, file = 'test.yaml', sets?: string[]): readonly ScenarioIssue[] {
  try {
    parseScenario(text, file, sets ? { sets } : {});
  } catch (e) {
    if (e instanceof ScenarioError) return e.issues;
    throw e;
  }
  throw new Error('expected a ScenarioError');
}

/** The one issue of a document (fails the test when there are more or none). */
function onlyIssue(text: string): ScenarioIssue {
  const issues = issuesOf(text);
  if (issues.length !== 1) throw new Error(`expected one issue, got ${issues.length}: ${JSON.stringify(issues)}`);
  return issues[0]!;
}

const MINIMAL_CENTERS = 'centers:\n  - id: c\n    groups: [{ count: 1 }]\n';
const withArrivals = (arrivals: string): string => `arrivals:\n${arrivals}${MINIMAL_CENTERS}`;

const exp = (mean: number) => ({ kind: 'exponential', mean }) as const;
const constant = (value: number) => ({ kind: 'constant', value }) as const;

test('the full example resolves to every value it states', (t) => {
  const s = parseScenario(FULL_EXAMPLE, 'scenarios/full.yaml');
  const at = (line: number, column: number) => ({ file: 'scenarios/full.yaml', line, column });
  const expected: Scenario = {
    name: 'Erlang C check',
    seed: 42,
    start: '2026-07-06T00:00:00+08:00',
    duration: 86400,
    warmup: 3600,
    interval: 1800,
    ringPeriod: 5,
    trunks: 400,
    calendar: {
      timeZone: 'Asia/Shanghai',
      seasons: [
        { name: 'summer', from: '05-01', to: '09-30', open: 8 * 3600, close: 18 * 3600 },
        { name: 'winter', from: '10-01', to: '04-30', open: 8.5 * 3600, close: 17 * 3600 },
      ],
      agentDays: [0, 1, 2, 3, 4, 5],
      holidays: ['2026-10-01', '2026-10-02'],
      workdays: ['2026-10-11'],
    },
    arrivals: {
      process: {
        kind: 'profile',
        steps: [
          { at: 0, rate: 20 / 3600 },
          { at: 8 * 3600, rate: 900 / 3600 },
          { at: 17.5 * 3600, rate: 100 / 1800 },
        ],
        dayFactors: [1, 1, 1, 1, 1, 0.6, 0.5],
      },
      scale: 1.2,
    },
    callers: {
      patience: exp(300),
      redial: { probability: 0.3, delay: { kind: 'uniform', min: 60, max: 600 }, maxAttempts: 4 },
      areaCodes: { '0431': 0.6, '0432': 0.4 },
      ivr: {
        choices: { main: { '1': 0.7, '5': 0.2, silent: 0.05, hangup: 0.05 } },
        bargeIn: 0.4,
        think: { kind: 'uniform', min: 1, max: 3 },
        mistake: 0.03,
        silent: 0.02,
        accountSuccess: 0.9,
        digitTime: 0.5,
        transferAreaCodes: { '0432': 1 },
      },
    },
    ivr: {
      entry: 'main',
      answerDelay: 2,
      queueOutsideHours: true,
      invalidPrompt: { text: '选择错误,请重新输入', duration: 2 },
      file: 'scenarios/full.yaml',
      menus: {
        main: {
          id: 'main',
          parent: null,
          timeout: 6,
          maxReplays: 1,
          onNoInput: { kind: 'queue', target: { center: 'province', queue: 'general', priority: 0 } },
          bargeIn: false,
          variants: [
            {
              when: { kind: 'any', of: [{ kind: 'holiday', value: true }, { kind: 'not', of: { kind: 'agent-hours', value: true } }] },
              prompts: [{ text: '现在是自动服务时间', duration: 3 }],
              options: {},
              next: { kind: 'menu', target: 'night' },
            },
            {
              when: null,
              prompts: [{ text: '咨询请按1,投诉请按5', duration: 4 }],
              options: {
                '1': { kind: 'queue', target: { center: 'caller', queue: 'general', priority: 0 } },
                '5': { kind: 'queue', target: { center: 'province', queue: 'complaint', priority: -1 } },
              },
              next: null,
            },
          ],
        },
        night: {
          id: 'night',
          parent: 'main',
          timeout: 8,
          maxReplays: 2,
          onNoInput: { kind: 'hangup' },
          bargeIn: true,
          variants: [
            {
              when: null,
              prompts: [{ text: '录音留言请按2,结束请按井号键', duration: 4 }],
              options: {
                '2': { kind: 'voicemail', prompt: { text: '请在提示音后留言', duration: 3 }, maxDuration: 60, then: 'main' },
                '#': { kind: 'hangup' },
              },
              next: null,
            },
          ],
        },
      },
    },
    centers: [
      {
        id: 'province',
        name: 'Jilin province 12333',
        areaCodes: ['0431', '0432'],
        trunks: 60,
        waitingRoom: 40,
        dispatch: [
          { to: 'changchun', after: 60 },
          { to: 'any', queueLongerThan: 10 },
          { to: 'changchun', closed: true, noFreeAgent: true },
        ],
        groups: [
          {
            id: 'general',
            count: 14,
            talk: { kind: 'lognormal', mean: 240, sd: 120 },
            wrapUp: { kind: 'empirical', values: [30, 45, 60], weights: [1, 1, 2] },
            answerDelay: constant(2),
            day: {
              shift: {
                kind: 'shifts',
                shifts: [
                  { days: [0, 1, 2, 3, 4], start: 8 * 3600, end: 18 * 3600 },
                  { days: [5], start: 22 * 3600, end: 6 * 3600 },
                ],
              },
              lunch: { from: 11.5 * 3600, to: 13.5 * 3600, duration: 1800 },
              training: { day: 3, from: 14 * 3600, to: 17 * 3600, share: 0.25 },
              notReady: { every: exp(3600), duration: { kind: 'uniform', min: 60, max: 300 } },
              ringNoAnswer: { rings: 4, notReady: 120 },
              hold: { probability: 0.2, duration: { kind: 'lognormal', mean: 40, sd: 30 }, limit: 45, returns: 0.9 },
              wrapUpLimit: 40,
              skills: { general: 1, complaint: 5 },
            },
          },
          {
            id: 'g2',
            count: 3,
            talk: { kind: 'gamma', mean: 240, cv: 0.8 },
            wrapUp: constant(15),
            answerDelay: constant(0),
            day: { ...DEFAULT_AGENT_DAY, shift: { kind: 'agent-hours' } },
          },
        ],
      },
      {
        id: 'changchun',
        name: 'changchun',
        areaCodes: [],
        trunks: Infinity,
        waitingRoom: Infinity,
        dispatch: [{ to: 'province', noFreeAgent: true }],
        groups: [{ id: 'pension', count: 8, talk: exp(180), wrapUp: constant(0), answerDelay: constant(0), day: DEFAULT_AGENT_DAY }],
      },
    ],
    routing: { strategy: 'skills' },
    callbacks: { deadline: 1200, fromCalls: 0.05, reach: 0.7, attempts: 2, retryAfter: 900, ringTime: 25, talk: exp(150) },
    conversation: { silentShare: 0.01, greetInterval: 4, ratingShare: 0.5, ratingWeights: [1, 2, 3, 10, 25] },
    serviceLevel: { threshold: 15, definition: 'exclude-short-abandons', shortAbandon: 3 },
    sla: [
      { metric: 'connect_rate', expr: '>= 0.95', pos: at(118, 18) },
      { metric: 'service_level(20s)', expr: '>= 0.80', pos: at(119, 24) },
      { metric: 'agent_ring_rings', expr: 'p(95) <= 3', pos: at(120, 22) },
      { metric: 'abandon_rate', expr: '<= 0.05', pos: at(121, 17) },
    ],
    signaling: 'direct',
    network: { latency: null, loss: 0, timers: { t1: 0.5, t2: 4 } },
    file: 'scenarios/full.yaml',
  };
  t.deepEqual(s, expected);
  t.true(Object.isFrozen(s) && Object.isFrozen(s.centers[0]!.groups[0]!.talk), 'the resolved scenario is immutable');
});

test('the minimal example gets every default', (t) => {
  const s = parseScenario(MINIMAL_EXAMPLE, 'dir/minimal.yaml');
  const expected: Scenario = {
    name: 'minimal',
    seed: 1,
    start: '2026-07-06T00:00:00+08:00',
    duration: 86400,
    warmup: 0,
    interval: 3600,
    ringPeriod: 5,
    trunks: Infinity,
    calendar: {
      timeZone: 'Asia/Shanghai',
      seasons: [
        { name: 'summer', from: '05-01', to: '09-30', open: 8 * 3600, close: 18 * 3600 },
        { name: 'winter', from: '10-01', to: '04-30', open: 8 * 3600, close: 17 * 3600 },
      ],
      agentDays: [0, 1, 2, 3, 4],
      holidays: [],
      workdays: [],
    },
    arrivals: { process: { kind: 'poisson', rate: 100 / 1800 }, scale: 1 },
    callers: {
      patience: null,
      redial: { probability: 0, delay: exp(300), maxAttempts: 5 },
      areaCodes: {},
      ivr: {
        choices: {},
        bargeIn: 0.3,
        think: { kind: 'uniform', min: 1, max: 4 },
        mistake: 0.02,
        silent: 0.01,
        accountSuccess: 0.85,
        digitTime: 0.6,
        transferAreaCodes: {},
      },
    },
    ivr: null,
    centers: [
      {
        id: 'province',
        name: 'province',
        areaCodes: [],
        trunks: Infinity,
        waitingRoom: Infinity,
        dispatch: [],
        groups: [{ id: 'g1', count: 14, talk: exp(180), wrapUp: constant(0), answerDelay: constant(0), day: DEFAULT_AGENT_DAY }],
      },
    ],
    routing: { strategy: 'longest-idle' },
    callbacks: DEFAULT_CALLBACKS,
    conversation: DEFAULT_CONVERSATION,
    serviceLevel: { threshold: 20, definition: 'strict', shortAbandon: 5 },
    sla: [],
    signaling: 'direct',
    network: { latency: null, loss: 0, timers: { t1: 0.5, t2: 4 } },
    file: 'dir/minimal.yaml',
  };
  t.deepEqual(s, expected);
});

test('four problems in one document come back together, in source order, each placed', (t) => {
  const text = `arrivals:
  rate: 100/30m
callers:
  patince: { exponential: { mean: 5m } }
centers:
  - id: province
    groups:
      - count: -3
        talk: { exponential: { mean: 3 minutes } }
sla:
  conect_rate: [">= 0.95"]
`;
  const issues = issuesOf(text, 'bad.yaml');
  t.is(issues.length, 4, JSON.stringify(issues, null, 1));
  const [typo, count, talk, metric] = issues as [ScenarioIssue, ScenarioIssue, ScenarioIssue, ScenarioIssue];
  t.deepEqual(typo.pos, { file: 'bad.yaml', line: 4, column: 3 });
  t.is(typo.path, 'callers.patince');
  t.is(typo.message, 'unknown key `patince`');
  t.is(typo.hint, 'did you mean `patience`?');
  t.deepEqual(count.pos, { file: 'bad.yaml', line: 8, column: 16 });
  t.is(count.path, 'centers[0].groups[0].count');
  t.is(count.expected, 'a whole number from 0 to 1000000');
  t.deepEqual(talk.pos, { file: 'bad.yaml', line: 9, column: 38 });
  t.is(talk.path, 'centers[0].groups[0].talk.exponential.mean');
  t.is(talk.message, '`3 minutes` is not a duration');
  t.deepEqual(metric.pos, { file: 'bad.yaml', line: 11, column: 3 });
  t.is(metric.path, 'sla.conect_rate');
  t.regex(metric.message, /conect_rate/);
});

test('a file that cannot be read is an issue naming the file', (t) => {
  const error = t.throws(() => loadScenario('/no/such/dir/scenario.yaml'), { instanceOf: ScenarioError });
  t.is(error.issues.length, 1);
  t.regex(error.issues[0]!.message, /\/no\/such\/dir\/scenario\.yaml/);
});

test('loadScenario reads the file and keeps its path', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'callsim-'));
  const file = join(dir, 'jilin.yaml');
  writeFileSync(file, MINIMAL_EXAMPLE);
  const s = loadScenario(file);
  t.is(s.file, file);
  t.is(s.name, 'jilin');
});

test('YAML syntax errors are positioned issues', (t) => {
  const issue = onlyIssue('arrivals: { rate: 1/s\ncenters: []\n');
  t.is(issue.pos?.file, 'test.yaml');
  t.true(issue.pos!.line >= 1 && issue.pos!.column >= 1);
  t.is(issue.expected, 'valid YAML');
});

test('duplicate keys are reported where the second one stands, and the rest is still checked', (t) => {
  const issues = issuesOf(`seed: 1\nseed: 2\n${withArrivals('  rate: 1/s\n').replace('count: 1', 'count: -1')}`);
  t.is(issues.length, 2);
  t.deepEqual(issues[0]!.pos, { file: 'test.yaml', line: 2, column: 1 });
  t.regex(issues[0]!.message, /unique/);
  t.is(issues[1]!.path, 'centers[0].groups[0].count');
});

test('a top level that is not a map is a positioned issue', (t) => {
  for (const text of ['- 1\n- 2\n', 'just words\n', '  42\n']) {
    const issue = onlyIssue(text);
    t.is(issue.message.endsWith('is not a map'), true, issue.message);
    t.is(issue.pos!.line, 1);
  }
  const empty = issuesOf('# nothing here\n');
  t.deepEqual(
    empty.map((i) => i.message),
    ['`arrivals` is required', '`centers` is required'],
  );
  t.true(empty.every((i) => i.pos!.line === 1 && i.pos!.column === 1));
});

test('several YAML documents in one file are an issue', (t) => {
  t.regex(onlyIssue(`${MINIMAL_EXAMPLE}---\nseed: 2\n`).message, /multiple documents/);
});

test('anchors and aliases are followed; an alias to nothing is a positioned issue', (t) => {
  const reuse = `arrivals: { rate: 1/s }
centers:
  - id: a
    groups:
      - { count: 2, talk: &talk { lognormal: { mean: 4m, sd: 1m } } }
      - { count: 3, talk: *talk }
`;
  const s = parseScenario(reuse, 'x.yaml');
  t.deepEqual(s.centers[0]!.groups[1]!.talk, { kind: 'lognormal', mean: 240, sd: 60 });

  const dangling = onlyIssue(reuse.replace('*talk', '*tlak'));
  t.deepEqual(dangling.pos, { file: 'test.yaml', line: 6, column: 27 });
  t.is(dangling.path, 'centers[0].groups[1].talk');
  t.regex(dangling.message, /alias `\*tlak`/);

  // A bad anchored value is reported where it is written, with the path it was used at.
  const bad = issuesOf(reuse.replace('mean: 4m', 'mean: -4m'));
  t.deepEqual(
    bad.map((i) => [i.path, i.pos?.line, i.pos?.column]),
    [
      ['centers[0].groups[0].talk.lognormal.mean', 5, 54],
      ['centers[0].groups[1].talk.lognormal.mean', 5, 54],
    ],
  );
});

test('a self-referencing alias ends in an issue, not a hang', (t) => {
  const issues = issuesOf(`arrivals: { rate: 1/s }\ncenters: &c [*c]\n`);
  t.true(issues.length >= 1);
  t.true(issues.every((i) => i.pos!.line === 2));
});

test('an alias bomb is refused with an issue: expansion stops at the alias budget', (t) => {
  const many = (alias: string): string => `[${Array.from({ length: 60 }, () => alias).join(', ')}]`;
  const text = `e: &e 30s
g: &g { count: 1, talk: { empirical: ${many('*e')} } }
c: &c { id: a, groups: ${many('*g')} }
arrivals: { rate: 1/s }
centers: ${many('*c')}
`;
  const issues = issuesOf(text);
  t.true(issues.some((i) => i.message === 'too many alias expansions'));
  t.true(issues.every((i) => i.pos!.line >= 1));
});

test('arrivals: exactly one of rate and profile', (t) => {
  const both = onlyIssue(withArrivals('  rate: 1/s\n  profile: [{ at: "00:00", rate: 1/s }]\n'));
  t.is(both.path, 'arrivals.profile');
  t.deepEqual(both.pos, { file: 'test.yaml', line: 3, column: 3 });
  t.regex(onlyIssue(withArrivals('  scale: 2\n')).message, /needs `rate` or `profile`/);
});

test('a profile starts at midnight and goes forward', (t) => {
  const late = onlyIssue(withArrivals('  profile:\n    - { at: "01:00", rate: 1/s }\n'));
  t.is(late.path, 'arrivals.profile[0].at');
  t.deepEqual(late.pos, { file: 'test.yaml', line: 3, column: 13 });
  const back = onlyIssue(withArrivals('  profile:\n    - { at: "00:00", rate: 1/s }\n    - { at: "09:00", rate: 2/s }\n    - { at: "08:30", rate: 1/s }\n'));
  t.is(back.path, 'arrivals.profile[2].at');
  t.is(back.expected, 'a time after the step before (09:00)');
  const unquoted = onlyIssue(withArrivals('  profile:\n    - { at: 25:00, rate: 1/s }\n'));
  t.is(unquoted.path, 'arrivals.profile[0].at');
});

test('a constant rate with day factors becomes a one-step profile', (t) => {
  const s = parseScenario(withArrivals('  rate: 36/h\n  days: { sun: 0.5 }\n'), 'x.yaml');
  t.deepEqual(s.arrivals.process, { kind: 'profile', steps: [{ at: 0, rate: 0.01 }], dayFactors: [1, 1, 1, 1, 1, 1, 0.5] });
});

test('the warm-up must end before the run does', (t) => {
  const issue = onlyIssue(`duration: 2h\nwarmup: 2h\n${withArrivals('  rate: 1/s\n')}`);
  t.is(issue.path, 'warmup');
  t.deepEqual(issue.pos, { file: 'test.yaml', line: 2, column: 9 });
});

test('ids are unique: centers, and groups within a center (default ids included)', (t) => {
  const text = `arrivals: { rate: 1/s }
centers:
  - id: a
    groups: [{ count: 1 }, { id: g1, count: 2 }]
  - id: a
    groups: [{ count: 1 }]
`;
  const issues = issuesOf(text);
  t.deepEqual(
    issues.map((i) => [i.path, i.pos?.line, i.pos?.column]),
    [
      ['centers[0].groups[1].id', 4, 34],
      ['centers[1].id', 5, 9],
    ],
  );
  t.is(issues[1]!.hint, '`centers[0]` has it');
});

test('distributions: families, parameters and their constraints', (t) => {
  const talk = (d: string): string => `arrivals: { rate: 1/s }\ncenters:\n  - id: a\n    groups:\n      - count: 1\n        talk: ${d}\n`;
  const resolved = (d: string) => parseScenario(talk(d), 'x.yaml').centers[0]!.groups[0]!.talk;
  t.deepEqual(resolved('90s'), constant(90));
  t.deepEqual(resolved('45'), constant(45));
  t.deepEqual(resolved('{ constant: 1m30s }'), constant(90));
  t.deepEqual(resolved('{ uniform: { min: 10s, max: 30s } }'), { kind: 'uniform', min: 10, max: 30 });
  t.deepEqual(resolved('{ empirical: [1m] }'), { kind: 'empirical', values: [60], weights: [1] });

  const problem = (d: string) => onlyIssue(talk(d));
  t.is(problem('{ expo: { mean: 1m } }').hint, 'did you mean `exponential`?');
  t.regex(problem('{ exponential: { mean: 1m }, gamma: { mean: 1m, cv: 1 } }').message, /exactly one key/);
  t.is(problem('{ exponential: { mean: 0s } }').path, 'centers[0].groups[0].talk.exponential.mean');
  t.is(problem('{ exponential: {} }').message, '`mean` is required');
  t.is(problem('{ uniform: { min: 30s, max: 10s } }').path, 'centers[0].groups[0].talk.uniform.max');
  t.is(problem('{ empirical: [] }').path, 'centers[0].groups[0].talk.empirical');
  t.is(problem('{ empirical: [1m, { value: 2m, weight: 0 }] }').path, 'centers[0].groups[0].talk.empirical[1].weight');
  t.is(problem('{ lognormal: { mean: 1m, sd: 1m, cv: 2 } }').hint, undefined);
  t.is(problem('[1m]').message, 'a list is not a distribution');
});

test('near-miss words get a suggestion', (t) => {
  t.is(onlyIssue(`trunks: unlimted\n${withArrivals('  rate: 1/s\n')}`).hint, 'did you mean `unlimited`?');
  t.is(onlyIssue(`calendar: { timeZone: Asia/Shangai }\n${withArrivals('  rate: 1/s\n')}`).hint, 'did you mean `Asia/Shanghai`?');
  t.is(onlyIssue(`serviceLevel: { definition: stric }\n${withArrivals('  rate: 1/s\n')}`).hint, 'did you mean `strict`?');
  t.is(onlyIssue(`ring_period: 5s\n${withArrivals('  rate: 1/s\n')}`).hint, 'did you mean `ringPeriod`?');
  t.is(onlyIssue(`callers: { patience: nnoe }\n${withArrivals('  rate: 1/s\n')}`).hint, 'did you mean `none`?');
});

test('values of the wrong kind say what was expected', (t) => {
  const area = onlyIssue(`arrivals: { rate: 1/s }\ncenters:\n  - id: a\n    areaCodes: [0431]\n    groups: [{ count: 1 }]\n`);
  t.is(area.path, 'centers[0].areaCodes[0]');
  t.is(area.hint, 'quote it: "0431"');
  t.is(onlyIssue(`start: 2026-02-30T00:00:00Z\n${withArrivals('  rate: 1/s\n')}`).path, 'start');
  t.is(onlyIssue(`start: 2026-07-06T00:00:00\n${withArrivals('  rate: 1/s\n')}`).path, 'start');
  t.is(onlyIssue(`seed: 1.5\n${withArrivals('  rate: 1/s\n')}`).expected, 'a whole number >= 0');
  const ivr = onlyIssue(`ivr: [menu.yaml]\n${withArrivals('  rate: 1/s\n')}`);
  t.is(ivr.expected, '`none`, the path of a menu file, or the menus inline');
  t.is(onlyIssue(`duration: 0s\n${withArrivals('  rate: 1/s\n')}`).expected, 'a duration > 0');
  t.is(onlyIssue(withArrivals('  rate: lots\n')).path, 'arrivals.rate');
  t.is(onlyIssue(`arrivals: { rate: 1/s }\ncenters: []\n`).message, '`centers` needs at least 1 item');
  t.is(onlyIssue(`arrivals: { rate: 1/s }\ncenters:\n  - groups: [{ count: 1 }]\n`).message, '`id` is required');
  t.is(onlyIssue(`arrivals: { rate: 1/s }\ncenters:\n  - id: Big\n    groups: [{ count: 1 }]\n`).path, 'centers[0].id');
});

test('SLA problems point into the expression or the metric name', (t) => {
  const doc = (sla: string): string => `${withArrivals('  rate: 1/s\n')}sla:\n${sla}`;
  const expr = onlyIssue(doc('  agent_ring_rings: ["p(95) <= 3 x"]\n'));
  t.is(expr.path, 'sla.agent_ring_rings[0]');
  t.is(expr.pos!.line, 7);
  t.true(expr.pos!.column > 23, `column ${expr.pos!.column} is inside the string`);
  const plain = onlyIssue(doc('  agent_ring_rings: p(95) <= 3 x\n'));
  t.is(plain.path, 'sla.agent_ring_rings');
  t.is(plain.pos!.column - 21, expr.pos!.column - 23, 'the same character, quoted or not');
  const unquoted = issuesOf(doc('  connect_rate: >= 0.95\n'))[0]!;
  t.deepEqual(unquoted.pos, { file: 'test.yaml', line: 7, column: 18 });
  t.is(unquoted.hint, 'quote the expression: ">= 0.95"');
  const metric = onlyIssue(doc('  service_levle(20s): [">= 0.8"]\n  connect_rate: ">= 0.9"\n'));
  t.deepEqual([metric.path, metric.pos?.line, metric.pos?.column], ['sla.service_levle(20s)', 7, 3]);
  t.is(onlyIssue(doc('  connect_rate: []\n')).message, '`connect_rate` needs at least 1 item');
  t.is(onlyIssue(doc('  connect_rate: [0.95]\n')).path, 'sla.connect_rate[0]');
});
