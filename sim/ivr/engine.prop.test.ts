import test from 'ava';
import fc from 'fast-check';
import { initialState, isAnnouncement, IvrTransitionError, LEGAL_EVENTS, menuOf, playing, transition, variantFor } from './engine.js';
import { hotline12333 } from './fixtures.js';
import { KEYS, type Action, type Condition, type IvrContext, type IvrEffect, type IvrEvent, type IvrSpec, type IvrState, type Key, type Menu, type Prompt, type Variant } from './types.js';

// Menus drawn at random (well-formed: every target exists, the last variant has no
// condition, an announcement has a prompt, so no loop passes control without one), the
// seed's 12333 flow, and events and moments drawn at random.

const prompt: fc.Arbitrary<Prompt> = fc.record({ text: fc.constantFrom('a', 'b', 'c'), duration: fc.integer({ min: 0, max: 30 }) });

const condition: fc.Arbitrary<Condition> = fc.letrec<{ c: Condition }>((tie) => ({
  c: fc.oneof(
    { maxDepth: 3, depthSize: 'small' },
    fc.record({ kind: fc.constant('agent-hours' as const), value: fc.boolean() }),
    fc.record({ kind: fc.constant('holiday' as const), value: fc.boolean() }),
    fc.record({ kind: fc.constant('area-code' as const), codes: fc.subarray(['0431', '0432', '0433']) }),
    fc.record({ kind: fc.constant('all' as const), of: fc.array(tie('c'), { maxLength: 2 }) }),
    fc.record({ kind: fc.constant('any' as const), of: fc.array(tie('c'), { maxLength: 2 }) }),
    fc.record({ kind: fc.constant('not' as const), of: tie('c') }),
  ),
})).c;

function action(ids: readonly string[], depth = 1): fc.Arbitrary<Action> {
  const menu = fc.constantFrom(...ids);
  const target = fc.record({ center: fc.constantFrom('caller', 'x'), queue: fc.constant('general'), priority: fc.integer({ min: -1, max: 0 }) });
  const simple: fc.Arbitrary<Action>[] = [
    fc.record({ kind: fc.constant('menu' as const), target: menu }),
    fc.record({ kind: fc.constant('info' as const), prompt, then: menu }),
    fc.record({ kind: fc.constant('fax' as const), prompt, then: menu }),
    fc.record({ kind: fc.constant('voicemail' as const), prompt, maxDuration: fc.integer({ min: 0, max: 120 }), then: menu }),
    fc.record({ kind: fc.constant('queue' as const), target, prompt }, { requiredKeys: ['kind', 'target'] }),
    fc.record({ kind: fc.constant('transfer' as const), prompt, digits: fc.integer({ min: 0, max: 4 }) }),
    fc.record({ kind: fc.constant('hangup' as const), prompt }, { requiredKeys: ['kind'] }),
  ];
  if (depth === 0) return fc.oneof(...simple);
  const account: fc.Arbitrary<Action> = fc.record({
    kind: fc.constant('account' as const),
    idPrompt: prompt,
    pinPrompt: prompt,
    resultPrompt: prompt,
    failPrompt: prompt,
    idDigits: fc.integer({ min: 0, max: 4 }),
    pinDigits: fc.integer({ min: 0, max: 3 }),
    maxFailures: fc.integer({ min: 1, max: 3 }), // 0 would still allow one attempt
    then: menu,
    onFailure: action(ids, depth - 1),
  });
  return fc.oneof(...simple, account);
}

function variant(ids: readonly string[], last: boolean): fc.Arbitrary<Variant> {
  return fc
    .record({
      when: last ? fc.constant(null) : condition,
      prompts: fc.array(prompt, { maxLength: 2 }),
      options: fc.dictionary(fc.constantFrom(...KEYS), action(ids), { maxKeys: 4 }) as fc.Arbitrary<Partial<Record<Key, Action>>>,
      next: fc.option(action(ids), { nil: null, freq: 3 }),
    })
    .map((v) => (isAnnouncement(v) && v.prompts.length === 0 ? { ...v, prompts: [{ text: 'notice', duration: 1 }] } : v));
}

function menu(id: string, ids: readonly string[]): fc.Arbitrary<Menu> {
  return fc.record({
    id: fc.constant(id),
    parent: fc.option(fc.constantFrom(...ids), { nil: null }),
    variants: fc.tuple(fc.array(variant(ids, false), { maxLength: 2 }), variant(ids, true)).map(([first, last]) => [...first, last]),
    timeout: fc.integer({ min: 1, max: 10 }),
    maxReplays: fc.integer({ min: 0, max: 3 }),
    onNoInput: action(ids),
    bargeIn: fc.boolean(),
  });
}

const randomSpec: fc.Arbitrary<IvrSpec> = fc.integer({ min: 1, max: 4 }).chain((n) => {
  const ids = Array.from({ length: n }, (_, i) => `m${i}`);
  return fc.record({
    entry: fc.constantFrom(...ids),
    menus: fc.tuple(...ids.map((id) => menu(id, ids))).map((ms) => Object.fromEntries(ms.map((m) => [m.id, m]))),
    invalidPrompt: prompt,
    answerDelay: fc.constant(0),
    file: fc.constant('random.yaml'),
    queueOutsideHours: fc.boolean(),
  });
});

const spec: fc.Arbitrary<IvrSpec> = fc.oneof(fc.constant(hotline12333()), fc.constant(hotline12333({ bargeIn: false })), randomSpec, randomSpec);

const ctx: fc.Arbitrary<IvrContext> = fc.record({ agentHours: fc.boolean(), holiday: fc.boolean(), areaCode: fc.constantFrom('0431', '0432', '') });
const key = fc.constantFrom(...KEYS);

const event: fc.Arbitrary<IvrEvent> = fc.oneof(
  { weight: 2, arbitrary: fc.constant({ kind: 'start' as const }) },
  { weight: 5, arbitrary: fc.constant({ kind: 'prompt-done' as const }) },
  { weight: 6, arbitrary: key.map((k) => ({ kind: 'key' as const, key: k })) },
  { weight: 2, arbitrary: fc.constant({ kind: 'timeout' as const }) },
  { weight: 2, arbitrary: fc.boolean().map((ok) => ({ kind: 'branch-done' as const, ok })) },
  { weight: 1, arbitrary: fc.constant({ kind: 'hangup' as const }) },
);

function deepFreeze<T>(x: T): T {
  if (typeof x === 'object' && x !== null && !Object.isFrozen(x)) {
    Object.freeze(x);
    for (const v of Object.values(x)) deepFreeze(v);
  }
  return x;
}

const WAITS = new Set(['play', 'collect', 'branch']);
const EXITS = new Set(['enqueue', 'transfer', 'hangup']);
/** The effect that leaves the world waiting in each phase. */
const WAIT_FOR: Partial<Record<IvrState['phase'], IvrEffect['kind']>> = { prompt: 'play', waiting: 'collect', digits: 'collect', branch: 'branch' };

/** Why a state is not well-formed, or null. */
function malformed(spec: IvrSpec, s: IvrState): string | null {
  if (s.phase === 'idle') return JSON.stringify(s) === JSON.stringify(initialState(spec)) ? null : 'idle but not initial';
  if (s.phase === 'ended') return null;
  const m = spec.menus[s.menu];
  if (m === undefined) return 'unknown menu';
  if (m.variants[s.variant] === undefined) return 'no such variant';
  const a = s.action;
  // Past maxReplays only once onNoInput is taken (and again, if that is a transfer the caller leaves silent).
  if (s.replays < 0 || (a === null && s.replays > m.maxReplays)) return 'replays out of range';
  if ((a?.kind === 'account') !== (s.step !== 'none')) return 'step outside an account query';
  if (a?.kind === 'account' && s.failures > a.maxFailures) return 'failures past maxFailures';
  if (s.phase !== 'digits' && s.digits !== '') return 'digits outside the digits phase';
  switch (s.phase) {
    case 'prompt':
      if (a === null && !(s.prompt >= -1 && s.prompt < m.variants[s.variant]!.prompts.length)) return 'menu prompt out of range';
      return playing(spec, s) === null ? 'nothing plays' : null;
    case 'waiting':
      return a === null && s.step === 'none' && s.prompt === 0 ? null : 'waiting with an action';
    case 'digits': {
      const need = a?.kind === 'transfer' ? a.digits : a?.kind === 'account' ? (s.step === 'id' ? a.idDigits : s.step === 'pin' ? a.pinDigits : -1) : -1;
      return /^[0-9]*$/.test(s.digits) && s.digits.length < need ? null : 'bad digits';
    }
    case 'branch':
      return a !== null && ['info', 'fax', 'voicemail'].includes(a.kind) ? null : a?.kind === 'account' && s.step === 'result' ? null : 'branch without a service';
  }
}

/** What must hold of one accepted transition. Returns a complaint, or null. */
function complaint(spec: IvrSpec, before: IvrState, e: IvrEvent, c: IvrContext, after: IvrState, fx: readonly IvrEffect[]): string | null {
  const bad = malformed(spec, after);
  if (bad) return bad;
  if (e.kind === 'hangup') return after.phase === 'ended' && fx.length === 0 ? null : 'hangup is not quiet';
  if (fx.length === 0) {
    // Only a key the phase ignores changes nothing; the world's pending prompt or branch goes on.
    const ignorable = e.kind === 'key' && (before.phase === 'branch' || (before.phase === 'prompt' && !playsBargeIn(spec, before)));
    return ignorable && after === before ? null : 'no effects, yet not an ignored key';
  }
  if (e.kind === 'key' && before.phase === 'prompt' && !playsBargeIn(spec, before)) return 'a key cut short a prompt played without barge-in';
  for (const f of fx) if (f.kind === 'visit' && spec.menus[f.menu] === undefined) return 'visit to an unknown menu';
  const waits = fx.filter((f) => WAITS.has(f.kind));
  const last = fx[fx.length - 1]!;
  if (after.phase === 'ended') return waits.length === 0 && EXITS.has(last.kind) ? null : 'ended without an exit effect';
  if (waits.length !== 1 || waits[0] !== last) return 'not exactly one thing to wait for, last';
  const expected = WAIT_FOR[after.phase];
  if (last.kind !== expected) return `phase ${after.phase} after a ${last.kind}`;
  if (last.kind === 'play' && (last.prompt !== playing(spec, after) || last.bargeIn !== playsBargeIn(spec, after))) return 'play does not match the state';
  if (e.kind === 'key' && (before.phase === 'waiting' || (before.phase === 'prompt' && playsBargeIn(spec, before)))) {
    // The menu laws: an option is taken; `*` goes to the parent; any other key replays the menu.
    const m = menuOf(spec, before.menu);
    const v = m.variants[variantFor(m, c)]!;
    const option = v.options[e.key];
    if (option !== undefined) return fx[0]?.kind === firstEffect(option) ? null : `option ${e.key} was not taken`;
    if (e.key === '*' && m.parent !== null) return fx[0]?.kind === 'visit' && fx[0].menu === m.parent ? null : '`*` did not return to the parent';
    const replays = fx[0]?.kind === 'invalid' && after.menu === before.menu && after.prompt === -1 && after.replays === before.replays;
    return replays ? null : 'an invalid key did not replay the menu';
  }
  return null;
}

/** The first thing an action does. */
function firstEffect(a: Action): IvrEffect['kind'] {
  switch (a.kind) {
    case 'menu':
      return 'visit';
    case 'info':
    case 'fax':
      return 'branch';
    case 'queue':
      return a.prompt ? 'play' : 'enqueue';
    case 'hangup':
      return a.prompt ? 'play' : 'hangup';
    default:
      return 'play';
  }
}

function playsBargeIn(spec: IvrSpec, s: IvrState): boolean {
  return s.phase === 'prompt' && s.action === null && s.prompt >= 0 && menuOf(spec, s.menu).bargeIn;
}

test('random events: only events illegal in the phase throw (IvrTransitionError), states stay well-formed, ended absorbs', (t) => {
  t.notThrows(() =>
    fc.assert(
      fc.property(spec, fc.array(fc.tuple(event, ctx), { maxLength: 80 }), (spec, steps) => {
        deepFreeze(spec); // the engine mutates nothing
        let s = deepFreeze(initialState(spec));
        for (const [e, c] of steps) {
          const legal = LEGAL_EVENTS[s.phase].includes(e.kind);
          let result: [IvrState, IvrEffect[]];
          try {
            result = transition(spec, s, e, c);
          } catch (error) {
            if (legal || !(error instanceof IvrTransitionError)) throw error;
            continue;
          }
          if (!legal) throw new Error(`accepted ${e.kind} in ${s.phase}`);
          const problem = complaint(spec, s, e, c, result[0], result[1]);
          if (problem) throw new Error(`${problem}: ${JSON.stringify({ before: s, event: e, ctx: c, after: result[0], effects: result[1] })}`);
          s = deepFreeze(result[0]);
        }
      }),
      { numRuns: 400, includeErrorInReport: true },
    ),
  );
});

/** The events a world may send while it carries out `pending` (the last play, collect or branch). */
function worldEvents(pending: IvrEffect | null): IvrEvent['kind'][] {
  switch (pending?.kind) {
    case undefined:
      return ['start'];
    case 'play':
      return ['prompt-done', 'key', 'hangup'];
    case 'collect':
      return ['key', 'timeout', 'hangup'];
    default:
      return ['branch-done', 'key', 'hangup'];
  }
}

test('a world that sends only what the effects call for never meets an IvrTransitionError', (t) => {
  t.notThrows(() =>
    fc.assert(
      fc.property(spec, fc.array(fc.tuple(fc.nat(), key, fc.boolean(), ctx), { maxLength: 120 }), (spec, steps) => {
        let s = initialState(spec);
        let pending: IvrEffect | null = null;
        for (const [pick, k, ok, c] of steps) {
          if (s.phase === 'ended') break;
          const kinds = worldEvents(pending);
          const kind = kinds[pick % kinds.length]!;
          const e: IvrEvent = kind === 'key' ? { kind, key: k } : kind === 'branch-done' ? { kind, ok } : ({ kind } as IvrEvent);
          const [next, fx] = transition(spec, s, e, c);
          const problem = complaint(spec, s, e, c, next, fx);
          if (problem) throw new Error(`${problem}: ${JSON.stringify({ before: s, event: e, after: next, effects: fx })}`);
          pending = [...fx].reverse().find((f) => WAITS.has(f.kind)) ?? pending;
          s = next;
        }
      }),
      { numRuns: 400, includeErrorInReport: true },
    ),
  );
});

test('in the 12333 flow a caller who never presses a key is hung up after the replays, whatever the hour', (t) => {
  t.notThrows(() =>
    fc.assert(
      fc.property(fc.boolean(), fc.infiniteStream(ctx), (bargeIn, moments) => {
        const spec = hotline12333({ bargeIn });
        let [s, fx] = transition(spec, initialState(spec), { kind: 'start' }, moments.next().value);
        for (let n = 0; n < 50 && s.phase !== 'ended'; n++) {
          const e: IvrEvent = s.phase === 'prompt' ? { kind: 'prompt-done' } : { kind: 'timeout' };
          [s, fx] = transition(spec, s, e, moments.next().value);
        }
        return s.phase === 'ended' && JSON.stringify(fx) === JSON.stringify([{ kind: 'hangup', reason: 'no-input' }]);
      }),
      { numRuns: 200, includeErrorInReport: true },
    ),
  );
});

test('the engine is deterministic: the same spec, events and moments give the same states, effects and errors', (t) => {
  const runOnce = (spec: IvrSpec, steps: readonly [IvrEvent, IvrContext][]): string[] => {
    let s = initialState(spec);
    return steps.map(([e, c]) => {
      try {
        const [next, fx] = transition(spec, s, e, c);
        s = next;
        return JSON.stringify([next, fx]);
      } catch (error) {
        return String(error);
      }
    });
  };
  t.notThrows(() =>
    fc.assert(
      fc.property(spec, fc.array(fc.tuple(event, ctx), { maxLength: 60 }), (spec, steps) => {
        const copy = structuredClone(spec); // equal data, not the same objects
        return JSON.stringify(runOnce(spec, steps)) === JSON.stringify(runOnce(copy, steps));
      }),
      { numRuns: 200, includeErrorInReport: true },
    ),
  );
});
