import test from 'ava';
import { CalendarScan } from './calendar-scan.js';
import { agentWithoutHours, deadEnd, loopNoExit, queueOutOfHours, SEED_CALENDAR, sound12333, START, starWrongParent } from './fixtures.js';
import { modelBasedCheck, type ModelBasedOptions, ReplayError, SimulatedCall } from './model-based.js';
import { type DynamicProperty, PER_CALL_PROPERTIES } from './properties.js';
import { keysOf } from './trace.js';
import type { IvrSpec } from '../types.js';

const scan = new CalendarScan(SEED_CALENDAR, START);
const options = (extra: Partial<ModelBasedOptions> = {}): ModelBasedOptions => ({
  seed: 42,
  runs: 300,
  areaCodes: ['0431', '0432', ''],
  properties: new Set(PER_CALL_PROPERTIES),
  ...extra,
});

test('random calls through the seed 12333 flow break nothing', (t) => {
  const r = modelBasedCheck(sound12333(), scan, options());
  t.is(r.failure, undefined);
  t.is(r.runs, 300);
  t.true(r.longestCall > 60, 'some calls go through a self-service branch');
});

const broken: readonly [string, () => IvrSpec, DynamicProperty][] = [
  ['a `*` option to the wrong menu', starWrongParent, 'star-returns-to-parent'],
  ['an option that queues outside hours', queueOutOfHours, 'no-queue-outside-hours'],
  ['a dead end', deadEnd, 'every-path-ends'],
  ['a loop with no exit', loopNoExit, 'every-path-ends'],
];

for (const [name, spec, property] of broken) {
  test(`${name} is found, shrunk, and replays from seed, path and replayPath`, (t) => {
    const r = modelBasedCheck(spec(), scan, options({ runs: 2000 }));
    const f = r.failure!;
    t.truthy(f, 'found');
    t.is(f.property, property);
    t.not(f.replayPath, undefined);
    const again = modelBasedCheck(spec(), scan, options({ seed: f.seed, path: f.path, replayPath: f.replayPath! }));
    t.is(again.failure?.property, f.property);
    t.is(again.failure?.message, f.message);
    t.deepEqual(again.failure?.trace, f.trace);
  });
}

test('the shrunk counterexample is small: one key for a queue outside hours', (t) => {
  const f = modelBasedCheck(queueOutOfHours(), scan, options()).failure!;
  t.is(keysOf(f.trace), '0');
  t.false(scan.moment(f.trace.start!).agentHours);
});

test('the same seed finds the same counterexample', (t) => {
  const a = modelBasedCheck(starWrongParent(), scan, options()).failure!;
  const b = modelBasedCheck(starWrongParent(), scan, options()).failure!;
  t.is(a.path, b.path);
  t.deepEqual(a.trace, b.trace);
});

test('a path that belongs to no run is a ReplayError', (t) => {
  t.throws(() => modelBasedCheck(starWrongParent(), scan, options({ path: '9999:3:7' })), { instanceOf: ReplayError });
});

test('a call that hears the in-hours menu and presses 0 after closing meets the reduced menu', (t) => {
  // Monday 17:59:50: the welcome (5 s) ends in hours, the full main menu starts; 0 comes at 18:00:01.
  const t0 = scan.midnight(0) + 18 * 3600 - 10;
  const call = new SimulatedCall(sound12333(), scan, '0432', t0, new Set(PER_CALL_PROPERTIES));
  call.wait(true);
  t.is(call.point.state.menu, 'main');
  t.true(scan.moment(t0 + call.now).agentHours);
  call.press('0', 6);
  const last = call.trace().steps.at(-1)!;
  t.false(last.moment.agentHours);
  t.deepEqual(last.effects[0], { kind: 'invalid', key: '0' });
  call.drain(100);
  t.true(call.ended);
});

test('agent hours closing between choosing the agent menu and choosing a center is found by random calls too', (t) => {
  const r = modelBasedCheck(agentWithoutHours(), scan, options({ runs: 20000 }));
  t.is(r.failure?.property, 'no-queue-outside-hours');
  t.is(r.failure?.trace.areaCode, '0431');
});
