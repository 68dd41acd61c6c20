// The agents' day and the ACD's rules inside the model, on constructed scenarios: agents
// work only in their windows, holds and ring-outs are counted as they happen, callbacks
// never jump ahead of a waiting inbound call, dispatch moves calls and says so.

import test from 'ava';
import type { AgentDay } from '../agents/agent-day-types.js';
import { agentWindows, type Window } from '../agents/agent-schedule.js';
import { BusinessCalendar } from '../sim/ivr/calendar.js';
import type { IvrSpec } from '../sim/ivr/types.js';
import { RandomStreams } from '../sim/kernel/random.js';
import { Simulation } from '../sim/kernel/simulation.js';
import { DRAIN_LIMIT } from '../sim/metrics/simulate.js';
import { HotlineModel } from '../sim/scenario/hotline-model.js';
import type { Center, Scenario } from '../sim/scenario/types.js';
import { recordRun, type Recorded } from './record-run.js';
import { constant, DEFAULT_AGENT_DAY, exp, queueScenario } from './scenario-builder.js';

const H = 3600;
/** The loader's defaults: always logged in, no breaks, no holds. */
const plainDay: AgentDay = DEFAULT_AGENT_DAY;

const run = (scenario: Scenario): Recorded => recordRun(scenario);

function withDay(s: Scenario, day: Partial<AgentDay>, count = s.centers[0]!.groups[0]!.count): Scenario {
  const center = s.centers[0]!;
  return { ...s, centers: [{ ...center, groups: [{ ...center.groups[0]!, count, day: { ...plainDay, ...day } }] }] };
}

/** Agent hours 08:00-18:00 all year, Monday to Friday. */
const WEEKDAYS_8_TO_6 = {
  timeZone: 'Asia/Shanghai',
  seasons: [{ name: 'summer', from: '01-01', to: '12-31', open: 8 * H, close: 18 * H }],
  agentDays: [0, 1, 2, 3, 4],
  holidays: [],
  workdays: [],
};

const inside = (t: number, ws: readonly Window[]): boolean => ws.some((w) => t >= w.start && t < w.end);

test('no agent takes a call while logged out, at lunch or in training', (t) => {
  // A Friday in summer: agent hours 08:00-18:00, lunch 11:30-13:30 in 30-minute turns,
  // a quarter of the group in training 14:00-17:00.
  const base = queueScenario({ rate: 1 / 30, agents: 8, talk: exp(240), patience: exp(600), duration: 2 * 86400 });
  const day: Partial<AgentDay> = {
    shift: { kind: 'agent-hours' },
    lunch: { from: 11.5 * H, to: 13.5 * H, duration: 0.5 * H },
    training: { day: 4, from: 14 * H, to: 17 * H, share: 0.25 },
  };
  const s = {
    ...withDay(base, day),
    start: '2026-07-10T00:00:00+08:00',
    calendar: WEEKDAYS_8_TO_6,
  };
  const r = run(s);
  const calendar = new BusinessCalendar(s.calendar, s.start);
  const windows = new Map<string, Window[]>();
  for (let i = 0; i < 8; i++) windows.set(`c/g/${i + 1}`, agentWindows(s.centers[0]!.groups[0]!.day, i, 8, calendar, s.duration));
  const answered = r.calls.filter((c) => c.outcome === 'answered');
  t.true(answered.length > 300);
  for (const c of answered) t.true(inside(c.answered, windows.get(c.agent)!), `${c.agent} answered at ${c.answered}`);
  // Lunch and training really took agents away: on Friday 14:00-17:00 two of eight train.
  const training = [...windows.values()].filter((ws) => !inside(15 * H, ws)).length;
  t.is(training, 2);
  const atLunch = [...windows.values()].filter((ws) => !inside(12 * H + 60, ws)).length;
  t.is(atLunch, 2); // 4 turns across the window: 8 agents / 4 = 2 out at once
  // Saturday: nobody works, nobody answers.
  t.false(answered.some((c) => c.answered >= 86400));
  // Staffed time lies inside the windows too.
  for (const sp of r.staffed) t.true(inside(sp.start, windows.get(sp.agent)!) || sp.end === sp.start);
});

test('holds: every hold over the limit without return is one violation, and hold time is recorded', (t) => {
  const base = queueScenario({ rate: 1 / 60, agents: 3, talk: constant(100), duration: 6 * H });
  const never = run(withDay(base, { hold: { probability: 1, duration: constant(40), limit: 30, returns: 0 } }));
  const answered = never.calls.filter((c) => c.outcome === 'answered');
  t.true(answered.length > 100);
  t.true(answered.every((c) => c.holdTime === 40 && c.holdViolations === 1 && Math.abs(c.left - c.answered - 140) < 1e-9));
  const always = run(withDay(base, { hold: { probability: 1, duration: constant(40), limit: 30, returns: 1 } }));
  t.true(always.calls.every((c) => c.holdViolations === 0));
  const short = run(withDay(base, { hold: { probability: 1, duration: constant(30), limit: 30, returns: 0 } }));
  t.true(short.calls.every((c) => c.holdViolations === 0), 'exactly at the limit is within it');
});

test('ring-no-answer: after N rings the call goes back to the head of the queue and the agent sits out', (t) => {
  const base = queueScenario({ rate: 1 / 120, agents: 2, talk: exp(60), patience: exp(300), duration: 12 * H });
  const r = run(withDay(base, { ringNoAnswer: { rings: 2, notReady: 60 } }));
  // Answer delay 0 never rings out; now make every answer take 12 s against a 10 s limit.
  const s = withDay({ ...base, centers: [{ ...base.centers[0]!, groups: [{ ...base.centers[0]!.groups[0]!, answerDelay: constant(12) }] }] }, { ringNoAnswer: { rings: 2, notReady: 60 } });
  const rna = run(s);
  t.is(r.ringOuts, 0);
  t.true(rna.ringOuts > 50);
  t.true(rna.calls.every((c) => c.outcome !== 'answered'), 'every offer rings out, so nobody is ever answered');
  t.is(rna.calls.reduce((a, c) => a + c.ringNoAnswers, 0), rna.ringOuts);
});

test('callbacks: voice messages and promises are returned only while no inbound call waits', (t) => {
  const base = queueScenario({ rate: 1 / 40, agents: 4, talk: exp(150), patience: exp(300), duration: 86400 });
  const s: Scenario = {
    ...withDay(base, {}),
    callbacks: { deadline: 1800, fromCalls: 0.3, reach: 0.7, attempts: 3, retryAfter: 600, ringTime: 30, talk: exp(120) },
  };
  const r = run(s);
  t.true(r.callbacks.length > 200);
  const attempts = r.work.filter((w) => w.kind === 'callback');
  t.true(attempts.length >= r.callbacks.length);
  const waits = r.calls.filter((c) => !Number.isNaN(c.queued)).map((c) => ({ from: c.queued, to: c.outcome === 'answered' ? c.ringStart : c.left }));
  for (const a of attempts) t.false(waits.some((w) => a.start > w.from && a.start < w.to), `a callback started at ${a.start} while an inbound call waited`);
  const reached = r.callbacks.filter((c) => !Number.isNaN(c.reached));
  t.true(reached.length > 0 && reached.length < r.callbacks.length);
  t.true(reached.every((c) => c.onTime === c.reached <= c.due));
  t.true(r.calls.some((c) => c.callbackPromised));
});

test('dispatch: a Yanbian call is answered in Yanbian unless dispatch moved it, and the record says so', (t) => {
  const base = queueScenario({ rate: 1 / 20, agents: 3, talk: exp(120), patience: exp(900), duration: 6 * H });
  const group = (count: number) => ({ ...base.centers[0]!.groups[0]!, count, day: plainDay });
  const centers: Center[] = [
    { id: 'province', name: 'province', areaCodes: [], trunks: Infinity, waitingRoom: Infinity, dispatch: [], groups: [group(6)] },
    { id: 'yanbian', name: 'Yanbian', areaCodes: ['0433'], trunks: Infinity, waitingRoom: Infinity, dispatch: [{ to: 'province', after: 30 }], groups: [group(2)] },
  ];
  const s: Scenario = { ...base, centers, callers: { ...base.callers, areaCodes: { '0433': 1 } } };
  const r = run(s);
  const answered = r.calls.filter((c) => c.outcome === 'answered');
  const moved = answered.filter((c) => c.dispatchedFrom === 'yanbian');
  t.true(moved.length > 20);
  t.true(answered.length - moved.length > 20);
  for (const c of answered) {
    t.is(c.areaCode, '0433');
    if (c.dispatchedFrom === 'yanbian') {
      t.is(c.center, 'province');
      t.true(c.agent.startsWith('province/'));
      t.true(c.answered - c.queued >= 30 - 1e-9, 'moved only after waiting 30 s');
    } else {
      t.is(c.center, 'yanbian');
      t.true(c.agent.startsWith('yanbian/'));
    }
  }
});

test('random not-ready episodes: an agent answers only while staffed (not ready is not staffed)', (t) => {
  const base = queueScenario({ rate: 1 / 25, agents: 4, talk: exp(120), patience: exp(600), duration: 86400 });
  const r = run(withDay(base, { notReady: { every: exp(1200), duration: constant(300) } }));
  const spans = new Map<string, { start: number; end: number }[]>();
  for (const s of r.staffed) spans.set(s.agent, [...(spans.get(s.agent) ?? []), s]);
  t.true(r.staffed.length > 4 * 30, 'agents went not ready and came back many times');
  const answered = r.calls.filter((c) => c.outcome === 'answered');
  t.true(answered.length > 2000);
  for (const c of answered) t.true(inside(c.ringStart, spans.get(c.agent)!), `${c.agent} offered a call at ${c.ringStart} while not staffed`);
});

test('silent callers are greeted three times, then the agent hangs up; ratings follow their weights', (t) => {
  const base = queueScenario({ rate: 1 / 30, agents: 5, talk: exp(120), duration: 86400 });
  const silent = run({ ...withDay(base, {}), conversation: { silentShare: 1, greetInterval: 5, ratingShare: 1, ratingWeights: [1, 1, 1, 1, 1] } });
  const answered = silent.calls.filter((c) => c.outcome === 'answered');
  t.true(answered.length > 1000);
  t.true(answered.every((c) => c.silent && Math.abs(c.left - c.answered - 15) < 1e-9 && Number.isNaN(c.rating)));
  const rated = run({ ...withDay(base, {}), conversation: { silentShare: 0, greetInterval: 5, ratingShare: 0.5, ratingWeights: [0, 0, 0, 1, 3] } });
  const ratings = rated.calls.filter((c) => !Number.isNaN(c.rating)).map((c) => c.rating);
  const share = ratings.length / rated.calls.filter((c) => c.outcome === 'answered').length;
  t.true(Math.abs(share - 0.5) < 0.05, `rated share ${share}`);
  t.true(ratings.every((x) => x === 4 || x === 5));
  const fives = ratings.filter((x) => x === 5).length / ratings.length;
  t.true(Math.abs(fives - 0.75) < 0.05, `share of 5s ${fives}`);
});

test('routing strategies: round robin goes round the roster, fewest-calls evens the counts, skills lets anyone take a general call', (t) => {
  // A quiet line (one short call at a time) shows the strategy's own order.
  const base = queueScenario({ rate: 1 / 600, agents: 6, talk: constant(10), duration: 7 * 86400 });
  const answeredOf = (r: Recorded) => r.calls.filter((c) => c.outcome === 'answered').sort((a, b) => a.ringStart - b.ringStart);
  const indexOf = (agent: string) => Number(agent.split('/').at(-1)) - 1;
  const rr = answeredOf(run({ ...withDay(base, {}), routing: { strategy: 'round-robin' } }));
  t.true(rr.length > 900);
  let checked = 0;
  for (let i = 1; i < rr.length; i++) {
    if (rr[i - 1]!.wrapEnd > rr[i]!.ringStart) continue; // the previous agent was still busy
    t.is(indexOf(rr[i]!.agent), (indexOf(rr[i - 1]!.agent) + 1) % 6);
    checked++;
  }
  t.true(checked > 900);
  const counts = (calls: { agent: string }[]) => [...calls.reduce((m, c) => m.set(c.agent, (m.get(c.agent) ?? 0) + 1), new Map<string, number>()).values()];
  const fewest = counts(answeredOf(run({ ...withDay(base, {}), routing: { strategy: 'fewest-calls' } })));
  t.is(fewest.length, 6);
  t.true(Math.max(...fewest) - Math.min(...fewest) <= 1, `fewest-calls counts ${fewest}`);
  // Skills: two groups, only the second has the `complaint` skill; complaints queue as `complaint`.
  const g = base.centers[0]!.groups[0]!;
  const busy = queueScenario({ rate: 1 / 30, agents: 6, talk: exp(60), duration: 86400 });
  const s: Scenario = {
    ...busy,
    routing: { strategy: 'skills' },
    ivr: null,
    centers: [
      {
        ...busy.centers[0]!,
        groups: [
          { ...g, id: 'general', count: 4, day: { ...plainDay, skills: { general: 1 } } },
          { ...g, id: 'complaints', count: 2, day: { ...plainDay, skills: { general: 1, complaint: 5 } } },
        ],
      },
    ],
  };
  const all = run(s);
  // With ivr: none every call queues as `general`: anyone may take it, both groups do.
  const groups = new Set(all.calls.filter((c) => c.outcome === 'answered').map((c) => c.group));
  t.deepEqual([...groups].sort(), ['complaints', 'general']);
  // An IVR that sends every call to the `complaint` queue: only the skilled group answers.
  const complaintsOnly: IvrSpec = {
    entry: 'q',
    menus: {
      q: {
        id: 'q',
        parent: null,
        variants: [{ when: null, prompts: [], options: {}, next: { kind: 'queue', target: { center: 'caller', queue: 'complaint', priority: -1 } } }],
        timeout: 8,
        maxReplays: 2,
        onNoInput: { kind: 'hangup' },
        bargeIn: true,
      },
    },
    invalidPrompt: { text: '选择错误,请重新输入', duration: 2 },
    answerDelay: 0,
    file: '<test>',
    queueOutsideHours: true,
  };
  const skilled = run({ ...s, ivr: complaintsOnly });
  const answered = skilled.calls.filter((c) => c.outcome === 'answered');
  t.true(answered.length > 1000);
  t.true(answered.every((c) => c.group === 'complaints' && c.queue === 'complaint'));
});

test('a logged-out agent has no not-ready episode pending: the next log-in arms one anew', (t) => {
  // Agents on agent hours (08:00-18:00) with an episode armed at log-in and after each one;
  // whatever is still armed at 18:00 goes with the log-out (it used to come due in the
  // evening and do nothing). No calls, so at 20:00 only the next arrival is pending.
  const base = queueScenario({ rate: 1e-9, agents: 20, talk: exp(60), patience: exp(600), duration: 86400 });
  const scenario = (notReady: boolean): Scenario => ({
    ...withDay(base, { shift: { kind: 'agent-hours' }, ...(notReady ? { notReady: { every: exp(4 * H), duration: constant(300) } } : {}) }),
    start: '2026-07-06T00:00:00+08:00',
    calendar: WEEKDAYS_8_TO_6,
  });
  const pendingAt8pm = (s: Scenario): { pending: number; staffed: number } => {
    const sim = new Simulation();
    let staffed = 0;
    const model = new HotlineModel(s, sim, new RandomStreams(s.seed), { call: () => {}, work: () => {}, staffed: () => staffed++, callback: () => {}, agentEvent: () => {} });
    let pending = -1;
    sim.at(20 * H, () => { pending = sim.pending; }, null);
    model.start();
    sim.run(s.duration + DRAIN_LIMIT);
    model.finish();
    return { pending, staffed };
  };
  const plain = pendingAt8pm(scenario(false));
  const withEpisodes = pendingAt8pm(scenario(true));
  t.true(withEpisodes.staffed > plain.staffed + 20, 'agents went not ready during the day');
  t.is(withEpisodes.pending, plain.pending);
});
