// The agents' day and the ACD's rules inside the model, on constructed scenarios: agents
// work only in their windows, holds and ring-outs are counted as they happen, callbacks
// never jump ahead of a waiting inbound call, dispatch moves calls and says so.

import test from 'ava';
import type { AgentDay } from '../agents/agent-day-types.js';
import { agentWindows, type Window } from '../agents/agent-schedule.js';
import { BusinessCalendar } from '../sim/ivr/calendar.js';
import type { Center, Scenario } from '../sim/scenario/types.js';
import { recordRun, type Recorded } from './record-run.js';
import { constant, exp, queueScenario } from './scenario-builder.js';

const H = 3600;
const plainDay: AgentDay = {
  shift: { kind: 'always' },
  lunch: null,
  training: null,
  notReady: null,
  ringNoAnswer: null,
  hold: { probability: 0, duration: constant(0), limit: 30, returns: 0.8 },
  wrapUpLimit: 30,
  skills: { general: 1 },
};

const run = (scenario: Scenario): Recorded => recordRun(scenario);

function withDay(s: Scenario, day: Partial<AgentDay>, count = s.centers[0]!.groups[0]!.count): Scenario {
  const center = s.centers[0]!;
  return { ...s, centers: [{ ...center, groups: [{ ...center.groups[0]!, count, day: { ...plainDay, ...day } }] }] };
}

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
    calendar: {
      timeZone: 'Asia/Shanghai',
      seasons: [{ name: 'summer', from: '01-01', to: '12-31', open: 8 * H, close: 18 * H }],
      agentDays: [0, 1, 2, 3, 4],
      holidays: [],
      workdays: [],
    },
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
