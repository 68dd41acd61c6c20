import test from 'ava';
import { agentsForErlangA, agentsForErlangC, erlangA, erlangCMetrics } from '../acd/erlang.js';
import { agentGroup, queueScenario } from '../../test/scenario-builder.js';
import { compileSla } from '../scenario/sla-grammar.js';
import type { Scenario } from '../scenario/types.js';
import { availability, dayEstimate, erlangFigures, erlangMeets, onDutyFor, erlangModels, intervalNeeds, meanHandleTime, pilotLoad, type CenterLoad } from './staffing-erlang.js';

const HOUR = 3600;
const rate = 100 / 1800; // the published Erlang C example: 10 Erlangs at 180 s
const slas = [compileSla('service_level(20s)', '>= 0.85'), compileSla('speed_of_answer', 'avg <= 10s'), compileSla('occupancy', '<= 0.75')];
const scenario: Scenario = queueScenario({ rate, agents: 14, talk: { kind: 'exponential', mean: 180 } });

function steady(patience: number, hours = 4, headCount = 14): CenterLoad {
  const intervals = Array.from({ length: hours }, (_, i) => ({
    offset: i * HOUR,
    start: '',
    length: HOUR,
    warmup: false,
    arrivalRate: rate,
    onDuty: headCount,
  }));
  return { id: 'c', headCount, aht: 180, patience, intervals };
}

test('one steady interval gives exactly the Erlang C (and A) figures', (t) => {
  const f = erlangFigures(steady(Infinity, 1), steady(Infinity, 1).intervals, [14], slas, scenario);
  const c = erlangCMetrics({ arrivalRate: rate, aht: 180, agents: 14, target: 20 });
  t.true(Math.abs(f.serviceLevels['service_level(20s)']! - c.serviceLevel) < 1e-12);
  t.true(Math.abs(f.speedOfAnswer - c.asa) < 1e-9);
  t.true(Math.abs(f.occupancy - c.occupancy) < 1e-12);
  const a = erlangA({ arrivalRate: rate, aht: 180, agents: 14, target: 20, patience: 300 });
  const fa = erlangFigures(steady(300, 1), steady(300, 1).intervals, [14], slas, scenario);
  t.true(Math.abs(fa.abandonRate - a.abandonProbability) < 1e-12);
  t.true(Math.abs(fa.serviceLevels['service_level(20s)']! - a.serviceLevel) < 1e-12);
});

test('the day estimate on a steady load is the closed-form minimum, occupancy SLA included', (t) => {
  const c = scenario.centers[0]!;
  const closed = Math.max(agentsForErlangC({ arrivalRate: rate, aht: 180, target: 20 }, { serviceLevel: 0.85, maxAsa: 10 }), Math.ceil(10 / 0.75));
  t.is(dayEstimate(c, steady(Infinity), slas, scenario, 100).agents, closed);
  const goalA = { serviceLevel: 0.85, maxAsa: 10 };
  const withA = agentsForErlangA({ arrivalRate: rate, aht: 180, target: 20, patience: 300 }, goalA);
  const occupancyFloor = (n: number): boolean => erlangA({ arrivalRate: rate, aht: 180, agents: n, target: 20, patience: 300 }).occupancy <= 0.75;
  let expected = withA;
  while (!occupancyFloor(expected)) expected++;
  t.is(dayEstimate(c, steady(300), slas, scenario, 100).agents, expected);
});

test('a head count works in shifts: with half the group on duty half the time, the day needs more heads, and no fewer than the estimate', (t) => {
  const c = scenario.centers[0]!;
  const load = steady(Infinity, 4);
  const half: CenterLoad = { ...load, intervals: load.intervals.map((iv, i) => ({ ...iv, onDuty: i % 2 ? 14 : 7 })) };
  const full = dayEstimate(c, load, slas, scenario, 200).agents!;
  const n = dayEstimate(c, half, slas, scenario, 200).agents!;
  t.true(n > full && n <= 2 * full, `${n} vs ${full}`);
  const shares = availability(half, half.intervals);
  t.deepEqual(shares, [0.5, 1, 0.5, 1]);
  const meets = (heads: number): boolean => erlangMeets(erlangFigures(half, half.intervals, onDutyFor(heads, shares), slas, scenario), slas, scenario);
  t.true(meets(n));
  t.false(meets(n - 1));
});

test('intervals are judged alone; an interval without calls needs nobody', (t) => {
  const load = steady(Infinity, 2);
  const quiet: CenterLoad = { ...load, intervals: [load.intervals[0]!, { ...load.intervals[1]!, arrivalRate: 0 }] };
  const needs = intervalNeeds(quiet, slas, scenario);
  t.is(needs[0]!.needed, 14);
  t.is(needs[1]!.needed, 0);
  t.true(Math.abs(needs[0]!.load - 10) < 1e-9);
});

test('Erlang A speaks for service level, abandonment, occupancy and mean waits; not for rings or wrap-up', (t) => {
  t.true(erlangModels(compileSla('abandon_rate', '<= 0.05')));
  t.true(erlangModels(compileSla('queue_wait', 'avg <= 30s')));
  t.false(erlangModels(compileSla('queue_wait', 'p(95) <= 30s')));
  t.false(erlangModels(compileSla('agent_ring_rings', 'p(95) <= 3')));
  t.false(erlangModels(compileSla('wrap_up', 'max <= 30s')));
  t.false(erlangModels(compileSla('connect_rate', '>= 0.95')));
});

test('handle time adds ringing, holds, wrap-up and silent callers to talk', (t) => {
  const s: Scenario = {
    ...scenario,
    conversation: { ...scenario.conversation, silentShare: 0.1, greetInterval: 5 },
    centers: [
      {
        ...scenario.centers[0]!,
        groups: [
          agentGroup('g', 3, {
            talk: { kind: 'constant', value: 200 },
            answerDelay: { kind: 'uniform', min: 2, max: 8 },
            wrapUp: { kind: 'uniform', min: 10, max: 30 },
            day: { hold: { probability: 0.25, duration: { kind: 'constant', value: 20 }, limit: 30, returns: 0.8 } },
          }),
        ],
      },
    ],
  };
  t.true(Math.abs(meanHandleTime(s.centers[0]!, s) - (5 + 0.9 * 205 + 0.1 * 15 + 20)) < 1e-9);
});

test('the pilot sees the calls that reach each queue and the agents on duty', (t) => {
  const s = { ...scenario, duration: 6 * HOUR };
  const p = pilotLoad(s, HOUR);
  const load = p.centers.c!;
  t.is(load.intervals.length, 6);
  const calls = load.intervals.reduce((a, iv) => a + iv.arrivalRate * iv.length, 0);
  // 1200 calls expected; a Poisson count is within 4 standard deviations.
  t.true(Math.abs(calls - 1200) < 4 * Math.sqrt(1200), String(calls));
  for (const iv of load.intervals) t.true(Math.abs(iv.onDuty - 14) < 1e-6);
  t.is(load.aht, 180);
  t.is(load.patience, Infinity);
});
