import test from 'ava';
import { CalendarScan } from './calendar-scan.js';
import { checkIvr } from './check.js';
import { CENTERS, checkInput, menu, SEED_CALENDAR, sound12333, START, waits, withMenus } from './fixtures.js';
import { areaCodeClasses } from './input.js';
import { staticChecks } from './static-checks.js';
import type { Action, IvrSpec, Variant } from '../types.js';

const prompt = { text: '菜单', duration: 3 };

function run(spec: IvrSpec) {
  const scan = new CalendarScan(SEED_CALENDAR, START);
  return staticChecks(spec, CENTERS, scan.moments(), areaCodeClasses(checkInput(spec)));
}

const messages = (spec: IvrSpec, property: string): string[] =>
  run(spec)
    .violations.filter((v) => v.property === property)
    .map((v) => v.message);

test('the seed 12333 flow passes every static check', (t) => {
  const r = run(sound12333());
  t.deepEqual(r.violations, []);
  t.true(r.walkable);
});

test('a target that names no menu is reported with a suggestion, and stops the walk', (t) => {
  const spec = sound12333();
  const broken = withMenus(spec, { ...spec.menus.more!, variants: [waits(prompt, { '1': { kind: 'menu', target: 'mian' } })] });
  t.deepEqual(messages(broken, 'targets-exist'), ['menu `more` variant 1 key 1: target `mian` is not a menu (did you mean `main`?)']);
  t.false(run(broken).walkable);
  const report = checkIvr(checkInput(broken), { seed: 1, runs: 10 });
  t.true(report.stoppedAfterStatic);
  t.false(report.pass);
  t.is(report.exhaustive, undefined);
});

test('a queue for a center the scenario lacks is reported', (t) => {
  const spec = sound12333();
  const q: Action = { kind: 'queue', target: { center: 'provence', queue: 'general', priority: 0 } };
  const broken = withMenus(spec, { ...spec.menus.more!, variants: [waits(prompt, { '1': q })] });
  t.deepEqual(messages(broken, 'targets-exist'), ['menu `more` variant 1 key 1: queue center `provence` is not a center of the scenario (did you mean `province`?)']);
});

test('a key that is no DTMF key, and an option without an action, are reported', (t) => {
  const spec = sound12333();
  const options = { A: { kind: 'hangup' }, '2': undefined } as unknown as Variant['options'];
  const broken = withMenus(spec, { ...spec.menus.more!, variants: [waits(prompt, options)] });
  t.deepEqual(messages(broken, 'keys-valid'), ['menu `more` variant 1: `A` is not a DTMF key (0-9, *, #)']);
  t.deepEqual(messages(broken, 'options-have-actions'), ['menu `more` variant 1: key 2 has no action']);
});

test('an announcement without next is reported', (t) => {
  const spec = sound12333();
  const broken = withMenus(spec, { ...spec.menus.more!, variants: [{ when: null, prompts: [prompt], options: {}, next: null }] });
  t.deepEqual(messages(broken, 'announcements-continue'), ['menu `more` variant 1 has no options and no `next`: the call would stop there']);
});

test('a menu whose variants all have conditions names a caller and a moment that meets none', (t) => {
  const spec = sound12333();
  const only = waits(prompt, { '1': { kind: 'menu', target: 'main' } }, { kind: 'agent-hours', value: true });
  const broken = withMenus(spec, { ...spec.menus.more!, variants: [only] });
  t.deepEqual(messages(broken, 'variants-cover-every-context'), [
    'menu `more`: no variant holds for a caller with area code 0431 outside agent hours; make the last variant unconditional',
  ]);
  // Conditions that between them cover every moment are fine.
  const covered = withMenus(spec, { ...spec.menus.more!, variants: [only, { ...only, when: { kind: 'agent-hours', value: false } }] });
  t.deepEqual(messages(covered, 'variants-cover-every-context'), []);
});

test('a menu nothing leads to is reported', (t) => {
  const broken = withMenus(sound12333(), menu('orphan', 'main', [waits(prompt, { '1': { kind: 'hangup' } })]));
  t.deepEqual(messages(broken, 'menus-reachable'), ['menu `orphan` cannot be reached from the entry menu `welcome`']);
  t.true(run(broken).walkable, 'an unreachable menu does not stop the walk');
});
