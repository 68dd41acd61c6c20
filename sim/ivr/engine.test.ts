import test from 'ava';
import { initialState, holds, IvrSpecError, IvrTransitionError, playing, transition, variantFor } from './engine.js';
import { ACTIONS, CAPITAL_IN_HOURS, hotline12333, IN_HOURS, OUT_OF_HOURS, PROMPTS } from './fixtures.js';
import type { Action, IvrContext, IvrEffect, IvrEvent, IvrSpec, IvrState, Key, Menu } from './types.js';

/** A caller walking the IVR, with the moment (context) of each event. */
class Call {
  state: IvrState;
  constructor(
    readonly spec: IvrSpec = hotline12333(),
    public ctx: IvrContext = IN_HOURS,
  ) {
    this.state = initialState(spec);
  }
  send(event: IvrEvent, ctx = this.ctx): IvrEffect[] {
    const [next, effects] = transition(this.spec, this.state, event, ctx);
    this.state = next;
    return effects;
  }
  start = (): IvrEffect[] => this.send({ kind: 'start' });
  done = (ctx = this.ctx): IvrEffect[] => this.send({ kind: 'prompt-done' }, ctx);
  key = (key: Key, ctx = this.ctx): IvrEffect[] => this.send({ kind: 'key', key }, ctx);
  keys = (keys: string): IvrEffect[] => [...keys].flatMap((k) => this.key(k as Key));
  timeout = (): IvrEffect[] => this.send({ kind: 'timeout' });
  branchDone = (ok = true): IvrEffect[] => this.send({ kind: 'branch-done', ok });
  /** Listen to every prompt to its end; the effects on the way. */
  listen(ctx = this.ctx): IvrEffect[] {
    const out: IvrEffect[] = [];
    while (this.state.phase === 'prompt') out.push(...this.done(ctx));
    return out;
  }
  /** Start the call and listen until the main menu waits for a key. */
  atMain(): this {
    this.start();
    this.listen();
    return this;
  }
}

const play = (prompt: { text: string; duration: number }, bargeIn = true): IvrEffect => ({ kind: 'play', prompt, bargeIn });
const visit = (menu: string): IvrEffect => ({ kind: 'visit', menu });
const collect: IvrEffect = { kind: 'collect', timeout: 8 };
const invalid = (key: Key): IvrEffect[] => [{ kind: 'invalid', key }, play(PROMPTS.invalid, false)];

test('a call is welcomed, then hears the full main menu inside agent hours and waits for a key', (t) => {
  const call = new Call();
  t.is(call.state.phase, 'idle');
  t.deepEqual(call.start(), [visit('welcome'), play(PROMPTS.welcome, false)]);
  t.deepEqual(call.done(), [visit('main'), play(PROMPTS.main)]);
  t.deepEqual(call.done(), [collect]);
  t.like(call.state, { menu: 'main', phase: 'waiting', replays: 0 });
});

test('outside agent hours the main menu is the hours notice, then keys 1-4', (t) => {
  const call = new Call(hotline12333(), OUT_OF_HOURS);
  call.start();
  t.deepEqual(call.done(), [visit('main'), play(PROMPTS.hours)]);
  t.deepEqual(call.done(), [play(PROMPTS.mainReduced)]);
  t.deepEqual(call.done(), [collect]);
});

test('inside hours, key 1 opens the voice services, whose topics play as a branch then ask to continue', (t) => {
  const call = new Call().atMain();
  t.deepEqual(call.key('1'), [visit('voice'), play(PROMPTS.voice)]);
  call.listen();
  t.deepEqual(call.key('2'), [{ kind: 'branch', service: 'info', duration: PROMPTS.employment.duration }]);
  t.is(call.state.phase, 'branch');
  t.deepEqual(call.branchDone(), [visit('more'), play(PROMPTS.more)]);
  call.listen();
  t.deepEqual(call.key('1'), [visit('main'), play(PROMPTS.main)]);
});

test('key 2 records a voice message (the caller may stop early), then asks to continue; 2 there says goodbye', (t) => {
  const call = new Call().atMain();
  t.deepEqual(call.key('2'), [play(PROMPTS.voicemail, false)]);
  t.deepEqual(call.done(), [{ kind: 'branch', service: 'voicemail', duration: 120 }]);
  t.deepEqual(call.branchDone(), [{ kind: 'voicemail-recorded' }, visit('more'), play(PROMPTS.more)]);
  call.listen();
  t.deepEqual(call.key('2'), [play(PROMPTS.goodbye, false)]);
  t.deepEqual(call.done(), [{ kind: 'hangup', reason: 'menu' }]);
  t.is(call.state.phase, 'ended');
});

test('key 3 sends a fax for the length of its prompt', (t) => {
  const call = new Call().atMain();
  t.deepEqual(call.key('3'), [{ kind: 'branch', service: 'fax', duration: PROMPTS.fax.duration }]);
  t.deepEqual(call.branchDone(), [visit('more'), play(PROMPTS.more)]);
});

test('key 5 queues a complaint for the caller\'s city center, ahead of general calls', (t) => {
  const call = new Call().atMain();
  t.deepEqual(call.key('5'), [play(PROMPTS.complaint, false)]);
  t.deepEqual(call.done(), [{ kind: 'enqueue', target: { center: 'caller', queue: 'complaint', priority: -1 } }]);
  t.is(call.state.phase, 'ended');
});

test('key 9 collects an area code digit by digit and transfers the call there', (t) => {
  const call = new Call().atMain();
  t.deepEqual(call.key('9'), [play(PROMPTS.areaCode, false)]);
  t.deepEqual(call.done(), [collect]);
  t.deepEqual(call.keys('043'), [collect, collect, collect]);
  t.is(call.state.digits, '043');
  t.deepEqual(call.key('3'), [{ kind: 'transfer', areaCode: '0433' }]);
  t.is(call.state.phase, 'ended');
});

test('key 0 from a 0432 number queues for the caller\'s own center', (t) => {
  const call = new Call().atMain();
  t.deepEqual(call.key('0'), [visit('agent'), play(PROMPTS.agent, false)]);
  t.deepEqual(call.done(), [{ kind: 'enqueue', target: { center: 'caller', queue: 'general', priority: 0 } }]);
});

test('key 0 from the capital (0431) asks province or Changchun', (t) => {
  for (const [key, center] of [['1', 'province'], ['2', 'changchun']] as const) {
    const call = new Call(hotline12333(), CAPITAL_IN_HOURS).atMain();
    t.deepEqual(call.key('0'), [visit('agent'), play(PROMPTS.capital)]);
    call.listen();
    t.deepEqual(call.key(key), [{ kind: 'enqueue', target: { center, queue: 'general', priority: 0 } }]);
  }
});

test('outside hours keys 5, 9 and 0 are invalid: the invalid prompt, then the menu again from its first prompt', (t) => {
  for (const key of ['5', '9', '0', '6', '#', '*'] as const) {
    const call = new Call(hotline12333(), OUT_OF_HOURS).atMain();
    t.deepEqual(call.key(key), invalid(key), key);
    t.is(call.state.menu, 'main');
    t.deepEqual(call.listen(), [play(PROMPTS.hours), play(PROMPTS.mainReduced), collect], key); // no new visit
  }
});

test('`*` in every submenu returns to the main menu', (t) => {
  const reach: Record<string, [IvrContext, string]> = { voice: [IN_HOURS, '1'], agent: [CAPITAL_IN_HOURS, '0'] };
  for (const [menu, [ctx, key]] of Object.entries(reach)) {
    const call = new Call(hotline12333(), ctx).atMain();
    call.key(key as Key);
    call.listen();
    t.like(call.state, { menu, phase: 'waiting' });
    t.deepEqual(call.key('*'), [visit('main'), play(PROMPTS.main)], menu);
  }
  const more = new Call().atMain();
  more.key('3');
  more.branchDone();
  more.listen();
  t.deepEqual(more.key('*'), [visit('main'), play(PROMPTS.main)], 'more');
});

test('`*` while typing an account ID or an area code abandons it for the menu it was chosen in', (t) => {
  for (const key of ['4', '9'] as const) {
    const call = new Call().atMain();
    call.key(key);
    call.done();
    call.keys('12');
    t.deepEqual(call.key('*'), [visit('main'), play(PROMPTS.main)], key);
    t.like(call.state, { action: null, digits: '', failures: 0 });
  }
});

test('time-outs replay the menu maxReplays times, then take onNoInput', (t) => {
  const call = new Call().atMain();
  for (const replays of [1, 2]) {
    t.deepEqual(call.timeout(), [play(PROMPTS.main)]);
    t.is(call.state.replays, replays);
    call.listen();
  }
  t.deepEqual(call.timeout(), [{ kind: 'hangup', reason: 'no-input' }]);
  t.is(call.state.phase, 'ended');
});

test('onNoInput may queue for an agent instead of hanging up', (t) => {
  const base = hotline12333();
  const main: Menu = { ...base.menus.main!, maxReplays: 0, onNoInput: ACTIONS.agent };
  const call = new Call({ ...base, menus: { ...base.menus, main } }).atMain();
  t.deepEqual(call.timeout(), [play(PROMPTS.agent, false)]);
  t.deepEqual(call.done(), [{ kind: 'enqueue', target: ACTIONS.agent.target }]);
});

test('an invalid key does not reset the time-out count', (t) => {
  const call = new Call().atMain();
  call.timeout();
  call.listen();
  call.key('7');
  call.listen();
  t.is(call.state.replays, 1);
  call.timeout();
  call.listen();
  t.deepEqual(call.timeout(), [{ kind: 'hangup', reason: 'no-input' }]);
});

test('silence while typing an area code counts as a time-out of the menu', (t) => {
  const call = new Call().atMain();
  call.key('9');
  call.done();
  call.key('0');
  t.deepEqual(call.timeout(), [play(PROMPTS.main)]);
  t.like(call.state, { menu: 'main', replays: 1, action: null, digits: '' });
});

test('a key pressed after closing time is judged by the out-of-hours options', (t) => {
  // Heard the full menu at 17:59:58, pressed 0 at 18:00:03.
  const late = new Call().atMain();
  t.deepEqual(late.key('0', OUT_OF_HOURS), invalid('0'));
  t.is(late.state.variant, 1);
  t.deepEqual(late.listen(OUT_OF_HOURS), [play(PROMPTS.hours), play(PROMPTS.mainReduced), collect]);
  // Keys 1-4 are still there.
  const fine = new Call().atMain();
  t.deepEqual(fine.key('1', OUT_OF_HOURS), [visit('voice'), play(PROMPTS.voice)]);
  // And the other way: heard the reduced menu at 07:59, pressed 5 at 08:00.
  const early = new Call(hotline12333(), OUT_OF_HOURS).atMain();
  t.deepEqual(early.key('5', IN_HOURS), [play(PROMPTS.complaint, false)]);
});

test('an account query: ID, PIN, the lookup, the result, then "continue?"', (t) => {
  const call = new Call().atMain();
  t.deepEqual(call.key('4'), [play(PROMPTS.idNumber, false)]);
  t.like(call.state, { phase: 'prompt', step: 'id' });
  t.deepEqual(call.done(), [collect]);
  t.deepEqual(call.keys('22010419800101123'), Array(17).fill(collect));
  t.deepEqual(call.key('4'), [play(PROMPTS.pin, false)]);
  t.like(call.state, { step: 'pin', digits: '' });
  t.deepEqual(call.done(), [collect]);
  t.deepEqual(call.key('#'), [collect], '# is not a digit');
  t.is(call.state.digits, '');
  call.keys('12345');
  t.deepEqual(call.key('6'), [{ kind: 'branch', service: 'account', duration: 0 }]);
  t.like(call.state, { phase: 'branch', step: 'result' });
  t.deepEqual(call.branchDone(true), [play(PROMPTS.result, false)]);
  t.deepEqual(call.done(), [visit('more'), play(PROMPTS.more)]);
  t.like(call.state, { failures: 0, step: 'none', action: null });
});

test('a failed lookup plays the fail prompt and starts again from the ID; after maxFailures, onFailure', (t) => {
  const call = new Call().atMain();
  call.key('4');
  const attempt = (): IvrEffect[] => {
    call.done();
    call.keys('123456789012345678');
    call.done();
    call.keys('123456');
    return call.branchDone(false);
  };
  t.deepEqual(attempt(), [play(PROMPTS.fail, false)]);
  t.like(call.state, { failures: 1, step: 'id', prompt: -1 });
  t.deepEqual(playing(call.spec, call.state), PROMPTS.fail);
  t.deepEqual(call.done(), [play(PROMPTS.idNumber, false)]);
  // A time-out while typing counts as a failure too.
  t.deepEqual(call.done(), [collect]);
  call.keys('1234');
  t.deepEqual(call.timeout(), [play(PROMPTS.fail, false)]);
  t.is(call.state.failures, 2);
  call.done();
  t.deepEqual(attempt(), [play(PROMPTS.fail, false)]);
  t.is(call.state.failures, 3);
  t.deepEqual(call.done(), [play(PROMPTS.goodbye, false)]);
  t.deepEqual(call.done(), [{ kind: 'hangup', reason: 'account-failed' }]);
});

test('with barge-in a key cuts the menu prompt short; without, it is ignored and the prompt plays on', (t) => {
  const on = new Call(hotline12333({ bargeIn: true }));
  on.start();
  on.done();
  t.like(on.state, { menu: 'main', phase: 'prompt', prompt: 0 });
  t.deepEqual(on.key('3'), [{ kind: 'branch', service: 'fax', duration: PROMPTS.fax.duration }]);
  const wrong = new Call(hotline12333({ bargeIn: true }));
  wrong.start();
  wrong.done();
  t.deepEqual(wrong.key('8'), invalid('8'));

  const off = new Call(hotline12333({ bargeIn: false }));
  off.start();
  off.done();
  const before = off.state;
  t.deepEqual(off.key('3'), []);
  t.is(off.state, before);
  t.deepEqual(off.done(), [collect]);
  t.deepEqual(off.key('3'), [{ kind: 'branch', service: 'fax', duration: PROMPTS.fax.duration }]);
});

test('keys during the welcome, an action\'s prompt, the invalid prompt or a branch change nothing', (t) => {
  const call = new Call();
  call.start();
  t.deepEqual(call.key('1'), [], 'welcome');
  call.listen();
  call.key('7');
  t.deepEqual(call.key('1'), [], 'invalid prompt');
  call.listen();
  call.key('2');
  t.deepEqual(call.key('1'), [], 'voicemail prompt');
  call.done();
  t.deepEqual(call.key('#'), [], 'recording');
  t.is(call.state.phase, 'branch');
});

test('the caller may hang up in every phase; nothing is sent to an ended call', (t) => {
  const phases: [IvrState['phase'], (c: Call) => void][] = [
    ['idle', () => {}],
    ['prompt', (c) => c.start()],
    ['waiting', (c) => c.atMain()],
    ['digits', (c) => (c.atMain(), c.key('9'), c.done())],
    ['branch', (c) => (c.atMain(), c.key('3'))],
  ];
  for (const [phase, reach] of phases) {
    const call = new Call();
    reach(call);
    t.is(call.state.phase, phase);
    t.deepEqual(call.send({ kind: 'hangup' }), [], phase);
    t.is(call.state.phase, 'ended');
    for (const event of [{ kind: 'hangup' }, { kind: 'start' }, { kind: 'key', key: '1' }] as IvrEvent[]) {
      t.throws(() => call.send(event), { instanceOf: IvrTransitionError });
    }
  }
});

test('an event the phase cannot take names the menu, the phase, the event and what is legal', (t) => {
  const call = new Call().atMain();
  const error = t.throws(() => call.done(), { instanceOf: IvrTransitionError });
  t.regex(error!.message, /"prompt-done".*phase "waiting" of menu "main".*legal here: key, timeout, hangup/);
  t.is(error!.state, call.state);
  t.throws(() => new Call().done(), { instanceOf: IvrTransitionError, message: /phase "idle"/ });
  t.throws(() => call.branchDone(), { instanceOf: IvrTransitionError });
  t.throws(() => call.start(), { instanceOf: IvrTransitionError });
});

test('conditions and the variant they pick', (t) => {
  const ctx: IvrContext = { agentHours: true, holiday: true, areaCode: '0431' };
  t.true(holds(null, ctx));
  t.true(holds({ kind: 'holiday', value: true }, ctx));
  t.false(holds({ kind: 'agent-hours', value: false }, ctx));
  t.true(holds({ kind: 'area-code', codes: ['0432', '0431'] }, ctx));
  t.false(holds({ kind: 'area-code', codes: ['043'] }, ctx));
  t.true(holds({ kind: 'all', of: [] }, ctx));
  t.false(holds({ kind: 'any', of: [] }, ctx));
  t.true(holds({ kind: 'any', of: [{ kind: 'holiday', value: false }, { kind: 'not', of: { kind: 'area-code', codes: ['0433'] } }] }, ctx));
  t.false(holds({ kind: 'all', of: [{ kind: 'holiday', value: true }, { kind: 'agent-hours', value: false }] }, ctx));
  const spec = hotline12333();
  t.is(variantFor(spec.menus.agent!, CAPITAL_IN_HOURS), 0);
  t.is(variantFor(spec.menus.agent!, IN_HOURS), 1);
  const noFallback: Menu = { ...spec.menus.agent!, variants: spec.menus.agent!.variants.slice(0, 1) };
  t.throws(() => variantFor(noFallback, IN_HOURS), { instanceOf: IvrSpecError, message: /menu "agent".*when: null/ });
});

test('a broken menu is carried out as written, not repaired', (t) => {
  // Queueing outside agent hours: `callsim check` must find this, so the engine does it.
  const base = hotline12333();
  const main = base.menus.main!;
  const night = { ...main.variants[1]!, options: { ...main.variants[1]!.options, '0': ACTIONS.agent as Action } };
  const broken: IvrSpec = { ...base, menus: { ...base.menus, main: { ...main, variants: [main.variants[0]!, night] } } };
  const call = new Call(broken, OUT_OF_HOURS).atMain();
  call.key('0');
  t.deepEqual(call.done(), [{ kind: 'enqueue', target: ACTIONS.agent.target }]);

  const lost: IvrSpec = { ...base, entry: 'nowhere' };
  t.throws(() => new Call(lost).start(), { instanceOf: IvrSpecError, message: /unknown menu "nowhere"/ });

  const loop = (id: string, target: string): Menu => ({ ...main, id, variants: [{ when: null, prompts: [], options: {}, next: { kind: 'menu', target } }] });
  const circular: IvrSpec = { ...base, entry: 'a', menus: { a: loop('a', 'b'), b: loop('b', 'a') } };
  t.throws(() => new Call(circular).start(), { instanceOf: IvrSpecError, message: /loop/ });
});

test('playing() names the prompt the world is playing', (t) => {
  const call = new Call();
  t.is(playing(call.spec, call.state), null);
  call.start();
  t.is(playing(call.spec, call.state), PROMPTS.welcome);
  call.listen();
  t.is(playing(call.spec, call.state), null);
  call.key('8');
  t.is(playing(call.spec, call.state), PROMPTS.invalid);
  call.listen();
  call.key('4');
  t.is(playing(call.spec, call.state), PROMPTS.idNumber);
});
