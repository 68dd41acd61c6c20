import test from 'ava';
import { ScenarioError, type ScenarioIssue } from './errors.js';
import { FULL_EXAMPLE, MINIMAL_EXAMPLE } from './example-scenarios.js';
import { parseScenario } from './load.js';
import type { Scenario } from './types.js';

const load = (sets: string[], text = MINIMAL_EXAMPLE): Scenario => parseScenario(text, 'x.yaml', { sets });

function issuesOf(sets: string[], text = MINIMAL_EXAMPLE): readonly ScenarioIssue[] {
  const error = (() => {
    try {
      load(sets, text);
    } catch (e) {
      return e;
    }
    throw new Error('expected a ScenarioError');
  })();
  if (!(error instanceof ScenarioError)) throw error;
  return error.issues;
}

const where = (i: ScenarioIssue): [string, number, number, string] => [i.pos!.file, i.pos!.line, i.pos!.column, i.path];

test('a number, at the top and nested', (t) => {
  const s = load(['seed=7', 'arrivals.scale=1.3']);
  t.is(s.seed, 7);
  t.is(s.arrivals.scale, 1.3);
});

test('a distribution, creating the maps on its path', (t) => {
  const s = load(['callers.patience={exponential: {mean: 2m}}', 'callers.redial.probability=0.5']);
  t.deepEqual(s.callers.patience, { kind: 'exponential', mean: 120 });
  t.is(s.callers.redial.probability, 0.5);
  t.is(s.callers.redial.maxAttempts, 5, 'the rest keeps its defaults');
});

test('list items by index and by id, default group ids included', (t) => {
  const byIndex = load(['centers[0].groups[0].count=20'], FULL_EXAMPLE);
  t.is(byIndex.centers[0]!.groups[0]!.count, 20);
  t.is(byIndex.centers[0]!.groups[1]!.count, 3);
  const byId = load(['centers.province.groups.general.count=21', 'centers.province.groups.g2.count=5', 'centers.changchun.trunks=10'], FULL_EXAMPLE);
  t.deepEqual(
    byId.centers.map((c) => [c.trunks, c.groups.map((g) => g.count)]),
    [
      [60, [21, 5]],
      [10, [8]],
    ],
  );
  const whole = load(['centers[1].groups[0]={ id: pension, count: 2, talk: 4m }'], FULL_EXAMPLE);
  t.deepEqual(whole.centers[1]!.groups[0]!.talk, { kind: 'constant', value: 240 });
});

test('an override is validated like file content and may repair it', (t) => {
  const broken = MINIMAL_EXAMPLE.replace('count: 14', 'count: -14');
  t.is(load(['centers[0].groups[0].count=14'], broken).centers[0]!.groups[0]!.count, 14);
  t.is(load(['seed='], FULL_EXAMPLE).seed, 1, 'an empty value means the default');
});

test('a bad value is placed in its flag', (t) => {
  const [count] = issuesOf(['seed=3', 'centers[0].groups[0].count=-3']);
  t.deepEqual(where(count!), ['--set', 2, 28, 'centers[0].groups[0].count']);
  t.is(count!.expected, 'a whole number from 0 to 1000000');
  const [mean] = issuesOf(['callers.patience={exponential: {mean: 3 minutes}}']);
  t.deepEqual(where(mean!), ['--set', 1, 39, 'callers.patience.exponential.mean']);
  const [syntax] = issuesOf(['callers.patience={exponential: {mean: 2m}']);
  t.is(syntax!.pos!.file, '--set');
  t.true(syntax!.pos!.column >= 18);
});

test('an unknown key through --set gets a suggestion, at the key in the flag', (t) => {
  const [top] = issuesOf(['calers.patience=none']);
  t.deepEqual(where(top!), ['--set', 1, 1, 'calers']);
  t.is(top!.hint, 'did you mean `callers`?');
  const [nested] = issuesOf(['callers.patince=none']);
  t.deepEqual(where(nested!), ['--set', 1, 9, 'callers.patince']);
  t.is(nested!.hint, 'did you mean `patience`?');
  const [id] = issuesOf(['centers.provnce.groups[0].count=3']);
  t.deepEqual(where(id!), ['--set', 1, 9, 'centers']);
  t.is(id!.hint, 'did you mean `province`?');
});

test('malformed flags and paths that cannot be followed are issues', (t) => {
  const issues = issuesOf(['seed', '=5', 'centers[x].id=a', 'centers[0]groups=1', 'arrivals.rate.x=1', 'centers[4].id=a', 'centers.0.id=a', 'a..b=1']);
  t.deepEqual(
    issues.map((i) => [i.pos!.line, i.pos!.column]),
    [
      [1, 1],
      [2, 1],
      [3, 8],
      [4, 11],
      [5, 15],
      [6, 8],
      [7, 9],
      [8, 3],
    ],
  );
  t.regex(issues[0]!.message, /no `=`/);
  t.regex(issues[4]!.message, /`arrivals.rate` is a single value/);
  t.regex(issues[5]!.message, /past the end/);
  t.is(issues[6]!.hint, 'for the item at index 0, write `[0]`');
  const [only] = issuesOf(['callers.extra[0]=1']);
  t.regex(only!.message, /`callers.extra` is a map, not a list/);
  t.is(issuesOf(['callers.extra[0]=1']).length, 1, 'a failed path leaves the document as it was');
});

test('SLAs through --set, quoted or not; their problems point into the flag', (t) => {
  const s = load(['sla.connect_rate=>= 0.9', 'sla.abandon_rate="<= 0.05"', 'sla.service_level(1.5s)=[">= 0.8"]']);
  t.deepEqual(
    s.sla.map((x) => [x.metric, x.expr, x.pos?.file, x.pos?.line, x.pos?.column]),
    [
      ['connect_rate', '>= 0.9', '--set', 1, 18],
      ['abandon_rate', '<= 0.05', '--set', 2, 18],
      ['service_level(1.5s)', '>= 0.8', '--set', 3, 26],
    ],
  );
  const [metric] = issuesOf(['sla.conect_rate=>= 0.9']);
  t.deepEqual(where(metric!), ['--set', 1, 5, 'sla.conect_rate']);
  t.is(metric!.hint?.includes('connect_rate'), true);
});

test('an override changes only the place its path names, never an alias elsewhere', (t) => {
  const text = `arrivals: { rate: 1/s }
centers:
  - id: a
    groups:
      - { count: 2, talk: &talk { lognormal: { mean: 4m, sd: 1m } } }
      - { count: 3, talk: *talk }
`;
  const means = (sets: string[]) => load(sets, text).centers[0]!.groups.map((g) => (g.talk.kind === 'lognormal' ? g.talk.mean : NaN));
  t.deepEqual(means([]), [240, 240]);
  t.deepEqual(means(['centers[0].groups[0].talk.lognormal.mean=5m']), [300, 240]);
  t.deepEqual(means(['centers[0].groups[1].talk.lognormal.mean=6m']), [240, 360]);
});

test('file issues come first, then --set issues by flag', (t) => {
  const issues = issuesOf(['seed=-1', 'trunks=lots'], MINIMAL_EXAMPLE.replace('count: 14', 'count: x'));
  t.deepEqual(
    issues.map((i) => [i.pos!.file, i.pos!.line]),
    [
      ['x.yaml', 6],
      ['--set', 1],
      ['--set', 2],
    ],
  );
});

test('the calendar, callers and IVR through --set', (t) => {
  const s = load([
    'callers.ivr.bargeIn=0.5',
    'callers.ivr.choices.main.0=0.4',
    'callers.areaCodes={ "0431": 2 }',
    'calendar.agentDays=[mon, sat]',
    'calendar.seasons[1].agentHours.close=17:30',
    'ivr.menus.main.timeout=10s',
  ], FULL_EXAMPLE);
  t.is(s.callers.ivr.bargeIn, 0.5);
  t.deepEqual(s.callers.ivr.choices['main'], { '0': 0.4, '1': 0.7, '5': 0.2, silent: 0.05, hangup: 0.05 });
  t.deepEqual(s.callers.areaCodes, { '0431': 2 });
  t.deepEqual(s.calendar.agentDays, [0, 5]);
  t.is(s.calendar.seasons[1]!.close, 17.5 * 3600);
  t.is(s.ivr?.menus['main']!.timeout, 10);
  t.is(load(['ivr=none'], FULL_EXAMPLE).ivr, null, 'the same hotline without its IVR');
  t.deepEqual(load(['callers.ivr.choices.main.1=0'], FULL_EXAMPLE).callers.ivr.choices['main']?.['1'], 0);
});

test('problems of the new fields in a flag point into the flag', (t) => {
  const [barge, menu, key, hours] = issuesOf(
    ['callers.ivr.bargeIn=1.5', 'callers.ivr.choices.mian.1=1', 'ivr.menus.main.variants[1].options.10={ menu: main }', 'calendar.seasons[0].agentHours.close=07:00'],
    FULL_EXAMPLE,
  );
  t.deepEqual(where(barge!), ['--set', 1, 21, 'callers.ivr.bargeIn']);
  t.deepEqual(where(menu!), ['--set', 2, 21, 'callers.ivr.choices.mian']);
  t.is(menu!.hint, 'did you mean `main`?');
  t.deepEqual(where(key!), ['--set', 3, 36, 'ivr.menus.main.variants[1].options']);
  t.deepEqual(where(hours!), ['--set', 4, 38, 'calendar.seasons[0].agentHours.close']);
});
