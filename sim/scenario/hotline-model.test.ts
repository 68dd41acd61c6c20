import test from 'ava';
import fc from 'fast-check';
import type { AgentSpan, CallRecord } from '../acd/records.js';
import { recordRun, type Recorded } from '../../test/record-run.js';
import { RandomStreams } from '../kernel/random.js';
import { Simulation } from '../kernel/simulation.js';
import { HotlineModel } from './hotline-model.js';
import { constant, exp, queueScenario, type QueueScenario } from '../../test/scenario-builder.js';

const run = (q: QueueScenario, seed = q.seed ?? 1): Recorded => recordRun(queueScenario(q), seed);

const base: QueueScenario = { rate: 1 / 20, agents: 5, talk: exp(90), patience: exp(60), duration: 6 * 3600 };

test('the same seed replays the same records; another seed differs', (t) => {
  const a = run(base, 7);
  const b = run(base, 7);
  const c = run(base, 8);
  t.deepEqual(a.calls, b.calls);
  t.notDeepEqual(a.calls, c.calls);
});

test('every call offered is recorded exactly once, with a consistent timeline', (t) => {
  t.notThrows(() =>
  fc.assert(
    fc.property(
      fc.record({
        agents: fc.integer({ min: 0, max: 6 }),
        trunks: fc.oneof(fc.constant(Infinity), fc.integer({ min: 0, max: 8 })),
        patience: fc.option(fc.double({ min: 1, max: 600, noNaN: true }), { nil: undefined }),
        answerDelay: fc.double({ min: 0, max: 20, noNaN: true }),
        wrapUp: fc.double({ min: 0, max: 30, noNaN: true }),
        redial: fc.double({ min: 0, max: 1, noNaN: true }),
        seed: fc.integer({ min: 0, max: 1e6 }),
      }),
      (p) => {
        const rec = run({
          rate: 1 / 15,
          agents: p.agents,
          trunks: p.trunks,
          talk: exp(60),
          patience: p.patience === undefined ? null : exp(p.patience),
          answerDelay: constant(p.answerDelay),
          wrapUp: constant(p.wrapUp),
          redialProbability: p.redial,
          duration: 3600,
          seed: p.seed,
        });
        const ids = new Set(rec.calls.map((c) => c.id));
        if (ids.size !== rec.calls.length) return false;
        const maxId = Math.max(-1, ...rec.calls.map((c) => c.id));
        if (ids.size !== maxId + 1) return false; // no call lost
        for (const c of rec.calls) {
          if (c.arrival >= 3600) return false;
          if (c.outcome === 'blocked' && !(Number.isNaN(c.queued) && c.left === c.arrival)) return false;
          if (c.outcome === 'answered') {
            if (!(c.arrival <= c.queued && c.queued <= c.ringStart && c.ringStart <= c.answered && c.answered <= c.left && c.left <= c.wrapEnd)) return false;
            if (Math.abs(c.answered - c.ringStart - p.answerDelay) > 1e-9) return false;
            if (Math.abs(c.wrapEnd - c.left - p.wrapUp) > 1e-9) return false;
            if (c.virtualWait !== c.answered - c.queued) return false;
          }
          if (c.outcome === 'abandoned' && !c.stranded) {
            if (!(c.left >= c.queued) || !(c.virtualWait >= c.left - c.queued)) return false;
          }
          if (p.agents === 0 && c.outcome === 'answered') return false;
        }
        // Redials: attempt numbers per caller run 1, 2, 3 ... and only a failure is followed by one.
        const byCaller = new Map<number, CallRecord[]>();
        for (const c of rec.calls) byCaller.set(c.caller, [...(byCaller.get(c.caller) ?? []), c]);
        for (const attempts of byCaller.values()) {
          attempts.sort((x, y) => x.attempt - y.attempt);
          for (let i = 0; i < attempts.length; i++) {
            const a = attempts[i]!;
            if (a.attempt !== i + 1) return false;
            if (a.redialed !== i < attempts.length - 1) return false;
            if (a.redialed && a.outcome === 'answered') return false;
          }
        }
        return true;
      },
    ),
    { numRuns: 60 },
  ));
});

test('with more agents than callers could ever need, nobody waits', (t) => {
  const rec = run({ rate: 1 / 10, agents: 400, talk: exp(180), patience: exp(5), duration: 86400 });
  t.true(rec.calls.length > 8000);
  t.true(rec.calls.every((c) => c.outcome === 'answered' && c.answered === c.queued));
});

test('no agent ever holds two calls: the work spans of an agent never overlap', (t) => {
  const rec = run({ ...base, rate: 1 / 5, wrapUp: constant(10) });
  const byAgent = new Map<string, AgentSpan[]>();
  for (const w of rec.work) byAgent.set(w.agent, [...(byAgent.get(w.agent) ?? []), w]);
  t.is(byAgent.size, 5);
  for (const spans of byAgent.values()) {
    spans.sort((a, b) => a.start - b.start);
    for (let i = 1; i < spans.length; i++) t.true(spans[i]!.start >= spans[i - 1]!.end);
  }
});

test('trunks: calls beyond the lines get a busy signal, never queue', (t) => {
  const rec = run({ rate: 1 / 5, agents: 2, trunks: 3, talk: exp(60), duration: 7200 });
  const blocked = rec.calls.filter((c) => c.outcome === 'blocked');
  t.true(blocked.length > 0);
  // At any arrival, calls in the system (queued, not yet gone) never exceed the lines.
  const events: [number, number][] = [];
  for (const c of rec.calls) if (c.outcome !== 'blocked') events.push([c.queued, 1], [c.left, -1]);
  events.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let inSystem = 0;
  for (const [, d] of events) {
    inSystem += d;
    t.true(inSystem <= 3);
  }
});

test('a caller who hangs up while the agent\'s phone rings frees the agent and is an abandon', (t) => {
  const rec = run({ rate: 1 / 30, agents: 3, talk: exp(60), patience: constant(4), answerDelay: constant(6), duration: 3600 });
  const abandoned = rec.calls.filter((c) => c.outcome === 'abandoned');
  t.true(abandoned.length > 0);
  for (const c of abandoned) {
    t.true(Math.abs(c.left - c.queued - 4) < 1e-9);
    t.is(c.agent, '');
  }
  t.false(rec.calls.some((c) => c.outcome === 'answered'));
});

test('agents on the default shift are staffed from the start until the last call is done', (t) => {
  const rec = run(base);
  t.is(rec.staffed.length, 5);
  const lastDone = Math.max(...rec.calls.map((c) => (Number.isNaN(c.wrapEnd) ? c.left : c.wrapEnd)));
  t.true(rec.staffed.every((s) => s.start === 0 && s.end >= base.duration! && s.end >= lastDone));
});

test('a run stopped while agents wrap up (serve\'s Ctrl-C) still records those calls, their wrap-up unfinished', (t) => {
  // one agent, calls of 10 s and a wrap-up of 100 s
  const s = queueScenario({ rate: 0.05, agents: 1, talk: constant(10), wrapUp: constant(100), duration: 200, seed: 3 });
  const full = recordRun(s, 3);
  const first = full.calls.find((c) => c.outcome === 'answered')!;
  // the same run again, stopped 1 s into the first call's wrap-up
  const sim = new Simulation();
  const calls: CallRecord[] = [];
  const work: AgentSpan[] = [];
  const model = new HotlineModel(s, sim, new RandomStreams(3), { call: (r) => calls.push(r), work: (w) => work.push(w), staffed: () => {} });
  model.start();
  sim.run(first.left + 1);
  t.false(calls.some((c) => c.id === first.id), 'not recorded before its wrap-up ends');
  model.finish();
  const cut = calls.find((c) => c.id === first.id);
  t.truthy(cut, 'recorded at the stop');
  t.true(Number.isNaN(cut!.wrapEnd), 'no wrap-up time claimed');
  t.is(cut!.left, first.left);
  t.true(work.some((w) => w.kind === 'call' && w.start === first.answered && w.end === sim.now()), 'the agent was busy until the stop');
});

/** Every working day 08:00-18:00, lunch 11:00-13:00 in four 30-minute turns. */
const officeDay = {
  shift: { kind: 'shifts' as const, shifts: [{ days: [0, 1, 2, 3, 4, 5, 6], start: 8 * 3600, end: 18 * 3600 }] },
  lunch: { from: 11 * 3600, to: 13 * 3600, duration: 1800 },
};

function started(q: QueueScenario): { sim: Simulation; staffed: AgentSpan[] } {
  const sim = new Simulation();
  const staffed: AgentSpan[] = [];
  const model = new HotlineModel(queueScenario(q), sim, new RandomStreams(q.seed ?? 1), { call: () => {}, work: () => {}, staffed: (s) => staffed.push(s) });
  model.start();
  return { sim, staffed };
}

test('start() schedules each agent\'s first log-in only; the month\'s other log-ins and log-outs come a window at a time', (t) => {
  const days = 30;
  const { sim, staffed } = started({ rate: 1 / 600, agents: 20, talk: exp(120), duration: days * 86400, day: officeDay });
  // One log-in per agent and the first arrival; every window of the month up front would be
  // 20 agents x 30 days x 2 windows x (log-in + log-out) = 2,400 events.
  t.true(sim.pending <= 21, `${sim.pending} events pending at the start`);
  sim.run();
  // ... and yet every agent worked both halves of every day, the last included.
  const lastMorning = (days - 1) * 86400 + 8 * 3600;
  for (let i = 1; i <= 20; i++) {
    const mine = staffed.filter((s) => s.agent === `c/g/${i}`);
    t.true(mine.some((s) => s.start === lastMorning), `c/g/${i} logged in on the last day`);
    t.true(mine.filter((s) => s.start % 86400 === 8 * 3600).length === days);
  }
});

test('agents due to log out at one instant do so in their order in the group, whatever their lunch turns', (t) => {
  // As when every window was scheduled at the start, agent by agent: agents back from a late
  // lunch turn were scheduled last, and must still not log out last at 18:00.
  const { sim, staffed } = started({ rate: 1 / 3600, agents: 8, talk: exp(60), duration: 86400, day: officeDay });
  sim.run();
  const atSix = staffed.filter((s) => s.end === 18 * 3600).map((s) => Number(s.agent.split('/')[2]));
  const turns = new Set(atSix.map((i) => (i - 1) % 4));
  t.true(atSix.length >= 4 && turns.size >= 3, `${atSix.length} agents logged out at 18:00, ${turns.size} lunch turns among them`);
  t.deepEqual(atSix, [...atSix].sort((a, b) => a - b));
});
