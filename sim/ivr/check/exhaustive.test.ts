import test from 'ava';
import { checkIvr, type Violation } from './check.js';
import {
  agentWithoutHours,
  checkInput,
  deadEnd,
  loopNoExit,
  parentNotPrevious,
  queueOutOfHours,
  sound12333,
  starWrongParent,
} from './fixtures.js';
import { transitionFindings } from './invariants.js';
import { keysOf } from './trace.js';
import { initialState } from '../engine.js';
import type { IvrSpec } from '../types.js';

const exhaustive = (spec: IvrSpec, extra = {}) =>
  checkIvr(checkInput(spec, extra), { seed: 1, runs: 1 }).violations.filter((v) => v.layer === 'exhaustive');

const only = (vs: readonly Violation[]): Violation => {
  if (vs.length !== 1) throw new Error(`expected one violation, got ${vs.map((v) => `${v.property}: ${v.message}`).join('; ')}`);
  return vs[0]!;
};

test('the seed 12333 flow holds every exhaustive property, and every center is reached', (t) => {
  const r = checkIvr(checkInput(sound12333()), { seed: 1, runs: 50 });
  t.deepEqual(r.violations, []);
  t.true(r.pass);
  t.true(r.exhaustive!.states > 1000);
  t.false(r.exhaustive!.truncated);
  t.deepEqual([...r.exhaustive!.centersReached].sort(), ['changchun', 'jilin-city', 'province']);
  t.true(r.exhaustive!.silentBound > 5);
  t.deepEqual(r.checked.exhaustive.length, 6);
});

test('an agent submenu without an hours test queues a call that chose it just before closing', (t) => {
  const v = only(exhaustive(agentWithoutHours()));
  t.is(v.property, 'no-queue-outside-hours');
  t.is(v.message, "menu `agent` sends the call to the agent queue `general` of center `province` outside agent hours");
  const trace = v.trace!;
  t.is(trace.areaCode, '0431');
  t.is(keysOf(trace), '0 1');
  t.true(trace.moment.agentHours, 'the call starts inside agent hours');
  t.true(trace.steps.some((s) => s.event === null && !s.moment.agentHours), 'and the hours close during it');
  t.false(trace.steps[trace.steps.length - 1]!.moment.agentHours);
});

test('a `*` option to the wrong menu: keys 1 *', (t) => {
  const v = only(exhaustive(starWrongParent()));
  t.is(v.property, 'star-returns-to-parent');
  t.is(v.message, '`*` in `policy` is an option that goes to `records`, not back to its parent `main`');
  t.is(keysOf(v.trace!), '1 *');
  t.deepEqual(v.replay, { property: 'star-returns-to-parent' });
});

test('a parent the caller never comes from', (t) => {
  const v = only(exhaustive(parentNotPrevious()));
  t.is(v.property, 'star-returns-to-parent');
  t.is(v.message, '`*` in `policy` returns to its parent `records`, but callers reach `policy` only from `main`');
  t.is(keysOf(v.trace!), '1 *');
});

test('an option that queues outside agent hours: key 0 at night', (t) => {
  const v = only(exhaustive(queueOutOfHours()));
  t.is(v.property, 'no-queue-outside-hours');
  t.is(keysOf(v.trace!), '0');
  t.false(v.trace!.moment.agentHours);
  t.false(v.trace!.steps.some((s) => s.event === null), 'no change of hours is needed');
  // A scenario that keeps a night desk allows it.
  const allowed = { ...queueOutOfHours(), queueOutsideHours: true };
  t.deepEqual(exhaustive(allowed), []);
});

test('a dead end: after key 2 nothing ends the call', (t) => {
  const v = only(exhaustive(deadEnd()));
  t.is(v.property, 'every-path-ends');
  t.is(v.message, 'from here the call can never end: no key, time-out or branch result leads out of `records`');
  t.is(keysOf(v.trace!), '2');
});

test('a loop with no exit for a silent caller: main and help time out into each other', (t) => {
  const v = only(exhaustive(loopNoExit()));
  t.is(v.property, 'every-path-ends');
  t.is(v.message, 'a caller who presses nothing is never let go: `main` → `help` → … again and again');
  t.is(keysOf(v.trace!), 'none');
  t.not(v.trace!.loopFrom, undefined);
  const loop = v.trace!.steps.slice(v.trace!.loopFrom);
  t.true(loop.every((s) => s.event?.kind === 'timeout' || s.event?.kind === 'prompt-done'));
});

test('a center no caller reaches inside hours', (t) => {
  const centers = [...checkInput(sound12333()).centers, { id: 'yanbian', areaCodes: [] }];
  const v = only(exhaustive(sound12333(), { centers }));
  t.is(v.property, 'centers-reachable');
  t.regex(v.message, /^no caller reaches an agent of center `yanbian` inside agent hours; queues reached: /);
  t.is(v.trace, undefined);
});

test('a walk too large for the limit says what it could not prove', (t) => {
  const r = checkIvr(checkInput(agentWithoutHours()), { seed: 1, runs: 1, maxStates: 200 });
  t.true(r.exhaustive!.truncated);
  t.false(r.checked.exhaustive.includes('every-path-ends'));
  t.false(r.checked.exhaustive.includes('centers-reachable'));
});

test('a key without an option that does not replay the menu breaks invalid-key-replays', (t) => {
  const spec = sound12333();
  const ctx = { agentHours: true, holiday: false, areaCode: '0432' };
  const waiting = { state: { ...initialState(spec), menu: 'more', phase: 'waiting' as const }, pending: { kind: 'timeout' as const, duration: 8 }, fresh: false };
  const elsewhere = { ...waiting, state: { ...waiting.state, menu: 'main' } };
  const [f] = transitionFindings(spec, waiting, { kind: 'key', key: '7' }, ctx, elsewhere, [{ kind: 'visit', menu: 'main' }]);
  t.deepEqual(f, { property: 'invalid-key-replays', message: 'key 7 has no option in `more` and does not say the key is invalid' });
  const said = transitionFindings(spec, waiting, { kind: 'key', key: '7' }, ctx, elsewhere, [{ kind: 'invalid', key: '7' }, { kind: 'visit', menu: 'main' }]);
  t.is(said[0]!.message, 'key 7 has no option in `more` and enters `main` instead of replaying it');
});
