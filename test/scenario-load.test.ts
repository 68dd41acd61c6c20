// Scenario-driven load callers against the hotline served over SIP, both in virtual time on
// the in-memory network: the load side knows nothing of the hotline but what comes over SIP
// (answers, BYEs, REFERs and the ACD events it asks for), its callers decide keys, patience
// and redials from the scenario, and what it measures must agree with a simulation of the
// same scenario within the simulation's confidence intervals. The same pieces run on real
// sockets in `callsim load` against `callsim serve` (test/load-serve.test.ts).

import test from 'ava';
import { acdEventsLine, clockStepWarning } from '../bin/commands/load.js';
import type { CallRecord } from '../sim/acd/records.js';
import type { Scheduler } from '../sim/kernel/clock.js';
import { RandomStreams } from '../sim/kernel/random.js';
import { Simulation } from '../sim/kernel/simulation.js';
import { collectorOptions, MetricsCollector } from '../sim/metrics/collector.js';
import { ScenarioLoadRun, type ScenarioLoadPlan } from '../sim/metrics/scenario-load.js';
import { DRAIN_LIMIT, simulateOnce, type Replication } from '../sim/metrics/simulate.js';
import { slaServiceLevelThresholds, summarize, type Summary } from '../sim/metrics/summary.js';
import { parseAcdEvent, formatAcdEvent } from '../sim/scenario/acd-report.js';
import type { Call } from '../sim/scenario/hotline-state.js';
import { HotlineModel } from '../sim/scenario/hotline-model.js';
import { loadScenario } from '../sim/scenario/load.js';
import { ServeSignaling } from '../sim/scenario/serve-signaling.js';
import type { Scenario } from '../sim/scenario/types.js';
import { MemoryNetwork, NO_IMPAIRMENT } from '../sim/sip/memory-transport.js';
import { UserAgent } from '../sim/sip/user-agent.js';

const DEFAULT = 'scenarios/12333-province.yaml';
/** A busy morning hour of the default scenario: IVR, ten centers, dispatch, transfers, redials. */
const MORNING = ['start=2026-07-06T09:00:00+08:00', 'duration=1h', 'interval=20m'];

interface LoadOutcome {
  readonly load: Replication;
  readonly serve: Replication;
  readonly run: ScenarioLoadRun;
  readonly records: CallRecord[];
  readonly serveStats: ServeSignaling['counts'];
}

/**
 * The simulation's clock as seen by a process started `lateBy` seconds after it: what each of
 * `callsim serve` and `callsim load` does, starting its own clock when it starts.
 */
function laterClock(sim: Simulation, lateBy: number): Scheduler {
  return {
    now: () => sim.now() - lateBy,
    at: (time, fn, arg, priority) => sim.at(time + lateBy, fn, arg, priority),
    after: (delay, fn, arg, priority) => sim.after(delay, fn, arg, priority),
    cancel: (event) => sim.cancel(event),
    place: () => sim.place(),
    atPlace: (time, place, fn, arg, priority) => sim.atPlace(time + lateBy, place, fn, arg, priority),
  };
}

/** `callsim load` against `callsim serve`, in memory and virtual time; load started `lateBy` s after serve. */
function loadAgainstServe(s: Scenario, seed: number, plan: Partial<ScenarioLoadPlan> = {}, lateBy = 0): LoadOutcome {
  const sim = new Simulation();
  const net = new MemoryNetwork(sim, NO_IMPAIRMENT);
  const thresholds = slaServiceLevelThresholds(s);
  // the hotline: the scenario's IVR and ACD in external mode, as `callsim serve` runs it
  const serveCollector = new MetricsCollector(collectorOptions(s, thresholds));
  const codes = [...new Set([...s.centers.flatMap((c) => c.areaCodes), ...Object.keys(s.callers.areaCodes)])];
  const signaling = new ServeSignaling(codes, { maxCalls: 1e6 });
  const model = new HotlineModel(s, sim, new RandomStreams(seed), serveCollector, signaling, true);
  signaling.bind((areaCode) => model.incoming(areaCode), sim);
  const hotline: UserAgent<Call> = new UserAgent<Call>(sim, net.endpoint('192.0.2.2:5060', (m, f) => hotline.receive(m, f)), { address: '192.0.2.2:5060', name: 'h' }, { invite: signaling.invite });
  signaling.add(hotline);
  // the callers, who know the scenario but not the hotline's state
  const loadCollector = new MetricsCollector(collectorOptions(s, thresholds));
  const records: CallRecord[] = [];
  const sink = { call: (r: CallRecord) => { records.push(r); loadCollector.call(r); }, work: () => {}, staffed: () => {} };
  const callers: UserAgent<never> = new UserAgent<never>(sim, net.endpoint('192.0.2.1:5060', (m, f) => callers.receive(m, f)), { address: '192.0.2.1:5060', name: 'c' });
  const run = new ScenarioLoadRun(s, lateBy === 0 ? sim : laterClock(sim, lateBy), callers as never, {
    uri: 'sip:12333@192.0.2.2', peer: '192.0.2.2:5060', duration: s.duration, calls: 1e9, maxConcurrent: 1e9,
    ringTimeout: 60, maxCallTime: 4 * 3600, askAcd: true, ...plan,
  }, new RandomStreams(seed ^ 0x5eed), sink);
  model.start();
  if (lateBy === 0) run.start();
  else sim.at(lateBy, () => run.start(), undefined);
  sim.run(s.duration + DRAIN_LIMIT + lateBy);
  model.finish();
  const rep = (collector: MetricsCollector): Replication => ({ index: 0, seed, collector, events: sim.events, endTime: sim.now(), partial: false });
  return { load: rep(loadCollector), serve: rep(serveCollector), run, records, serveStats: signaling.counts };
}

test('ACD event bodies round-trip, and anything else is not one', (t) => {
  const e = { event: 'agent-answered', t: 12.5, center: 'c0431', agent: 'c0431/general/3', group: 'general', ringNoAnswers: 1 } as const;
  t.deepEqual(parseAcdEvent(formatAcdEvent(e)), e);
  t.is(parseAcdEvent('event=queued\r\n'), undefined, 'no time');
  t.is(parseAcdEvent('event=lunch\r\nt=1\r\n'), undefined, 'unknown event');
  t.is(parseAcdEvent('event=queued\r\nt=soon\r\n'), undefined, 'bad time');
  t.is(parseAcdEvent('Signal=5\r\nDuration=100\r\n'), undefined, 'DTMF is not an ACD event');
  t.throws(() => formatAcdEvent({ event: 'queued', t: 1, center: 'a\r\nevent=blocked' }));
});

test('load callers against the served hotline: every call accounted for on both sides, with the ACD steps reported', (t) => {
  // overloaded (x1.6), so that callers abandon and redial
  const s = loadScenario(DEFAULT, { sets: [...MORNING, 'duration=20m', 'arrivals.scale=1.6'] });
  const o = loadAgainstServe(s, 7);
  const c = o.run.counters;
  t.true(c.started > 600, `${c.started} attempts`);
  t.is(c.notStarted, 0);
  const outcomes: Record<string, number> = {};
  for (const r of o.records) outcomes[`${r.outcome}${r.redialed ? '+redial' : ''}`] = (outcomes[`${r.outcome}${r.redialed ? '+redial' : ''}`] ?? 0) + 1;
  t.log(JSON.stringify(outcomes));
  t.true(c.redials > 0, 'blocked or abandoned callers redial');
  // every attempt the callers made, the hotline took as a call, and both recorded it
  t.is(o.serveStats.accepted, c.started);
  t.is(o.records.length, c.started);
  t.is(c.responded, c.started, 'the hotline answered every attempt with something (a 100 Trying at least)');
  t.is(o.serve.collector.counters.offered, o.load.collector.counters.offered);
  // outcomes agree call by call in total: answered, abandoned, blocked, IVR-only, transferred
  const lc = o.load.collector.counters;
  const sc = o.serve.collector.counters;
  t.is(lc.answered, sc.answered, 'answered by an agent');
  t.is(lc.abandoned, sc.abandoned, 'abandoned in queue');
  t.is(lc.blocked, sc.blocked, 'blocked');
  t.is(lc.queued, sc.queued, 'queued');
  // the caller's measured waits are the hotline's own, to rounding (serve's clock, no jitter here)
  const lw = o.load.collector.durations.get('speed_of_answer')!;
  const sw = o.serve.collector.durations.get('speed_of_answer')!;
  t.is(lw.count, sw.count);
  t.true(Math.abs(lw.mean - sw.mean) < 1e-6, `${lw.mean} vs ${sw.mean}`);
  const lr = o.load.collector.durations.get('agent_ring')!;
  t.true(Math.abs(lr.mean - o.serve.collector.durations.get('agent_ring')!.mean) < 1e-6);
  t.true(c.acdEvents > 3 * lc.answered, `${c.acdEvents} ACD events for ${lc.answered} answered calls`);
  // the callers' IVR mirror sent to an agent queue exactly the calls the hotline queued (none
  // was turned away for want of room here, which would be a `blocked` after the IVR)
  t.is(sc.blocked, 0);
  t.is(c.toQueue, sc.queued, 'calls that left the IVR for a queue, on the callers\' side');
  t.is(o.run.targetClockAhead(), 0, 'one clock for both, and no network delay');
  // the caller's IVR mirror pressed what the hotline heard
  t.true(c.keysSent > 0 && c.keysAcked === c.keysSent, `${c.keysAcked} of ${c.keysSent} keys acknowledged`);
  t.deepEqual([...o.load.collector.paths.entries()].sort(), [...o.serve.collector.paths.entries()].sort(), 'the same IVR paths');
});

test('without ACD events the load line says why: nobody reached a queue at night, or a target that does not send them', (t) => {
  // 00:00-00:30: the agents are gone, keys 0, 5 and 9 are invalid, nobody reaches a queue
  const night = loadAgainstServe(loadScenario(DEFAULT, { sets: ['duration=30m', 'interval=30m'] }), 3);
  const n = night.run.counters;
  t.true(n.started > 0 && n.keysSent > 0, `${n.started} calls, ${n.keysSent} keys`);
  t.is(n.toQueue, 0);
  t.is(n.acdEvents, 0);
  t.regex(acdEventsLine(n), /ACD events from the target 0 \(no caller's IVR path reached an agent queue, so none were due\)$/);
  // the morning, callers not asking for ACD events: a target that sends none
  const quiet = loadAgainstServe(loadScenario(DEFAULT, { sets: [...MORNING, 'duration=10m', 'interval=10m'] }), 5, { askAcd: false });
  const q = quiet.run.counters;
  t.is(q.acdEvents, 0);
  t.is(q.toQueue, quiet.serve.collector.counters.queued, 'the mirror counts the calls the hotline queued');
  t.true(q.toQueue > 50, `${q.toQueue} calls left the IVR for a queue`);
  t.regex(acdEventsLine(q), new RegExp(`ACD events from the target 0, though ${q.toQueue} calls left the IVR for an agent queue: the target does not send them`));
  // and with events the line is the counts alone
  t.is(acdEventsLine({ keysSent: 3, keysAcked: 3, acdEvents: 4, toQueue: 1 }), 'keys sent 3, acknowledged 3; ACD events from the target 4');
});

test('a load run started after serve measures how far serve\'s scenario clock runs ahead, and warns from a minute on', (t) => {
  // load started 2 minutes of the scenario after serve (2.4 s apart at --speed 50)
  const o = loadAgainstServe(loadScenario(DEFAULT, { sets: [...MORNING, 'duration=10m', 'interval=10m'] }), 9, {}, 120);
  const ahead = o.run.targetClockAhead()!;
  t.true(o.run.counters.acdEvents > 100, `${o.run.counters.acdEvents} ACD events`);
  t.true(Math.abs(ahead - 120) < 1e-6, `${ahead} s ahead`);
  t.regex(acdEventsLine(o.run.counters, ahead), /ACD events from the target \d+ \(its scenario clock ahead of the callers' by 2m\)$/);
  t.regex(clockStepWarning(ahead, 50)!, /^warning: the target's scenario clock ran 2m ahead of the callers' .*out of step by as much\. Start callsim load as soon as callsim serve listens \(at --speed 50, each real second between the two starts is 50s of the scenario\)\.$/);
  t.regex(clockStepWarning(-75.4, 1)!, /ran 1m15s behind the callers' .*serve listens\.$/);
  // under a minute: only the figure, no warning
  t.is(clockStepWarning(59.9, 50), undefined);
  t.is(clockStepWarning(undefined, 50), undefined);
  t.regex(acdEventsLine(o.run.counters, 0.04), /\(its scenario clock ahead of the callers' by 40ms\)$/);
  // waits measured from serve's instants stay serve's own: the two clocks are never mixed
  const lw = o.load.collector.durations.get('speed_of_answer')!;
  const sw = o.serve.collector.durations.get('speed_of_answer')!;
  t.true(lw.count > 50 && lw.count === sw.count, `${lw.count} answered`);
  t.true(Math.abs(lw.mean - sw.mean) < 1e-6, `${lw.mean} vs ${sw.mean}`);
});

test('a load run against the served hotline agrees with a simulation of the scenario within its confidence intervals', (t) => {
  const s = loadScenario(DEFAULT, { sets: MORNING });
  const R = 6;
  const sims: Replication[] = [];
  const loads: Replication[] = [];
  for (let i = 0; i < R; i++) {
    sims.push(simulateOnce(s, 1000 + i, i));
    const o = loadAgainstServe(s, 2000 + i);
    loads.push({ ...o.load, index: i });
  }
  const simSummary = summarize(s, sims);
  const loadSummary = summarize(s, loads);
  const compare = (name: string, a: Summary, b: Summary): void => {
    const x = a.rates[name]!;
    const y = b.rates[name]!;
    // two means of R replications each: their difference within 4 standard errors
    const se = Math.hypot(x.ci95!.stderr, y.ci95!.stderr);
    const text = `${name}: simulated ${x.value.toFixed(4)} ± ${x.ci95!.stderr.toFixed(4)} (s.e.), load ${y.value.toFixed(4)} ± ${y.ci95!.stderr.toFixed(4)}`;
    t.true(Math.abs(x.value - y.value) <= 4 * se + 1e-9, text);
    t.log(text);
  };
  for (const name of ['connect_rate', 'abandon_rate', 'agent_answer_rate', `service_level(20s)`]) compare(name, simSummary, loadSummary);
  // and the SLAs a caller can see come out the same way
  for (const sla of loadSummary.slas) {
    if (sla.metric === 'wrap_up') continue; // agent-side: no caller sees it
    const sim = simSummary.slas.find((x) => x.key === sla.key)!;
    t.is(sla.pass, sim.pass, `${sla.key}: load ${sla.observed}, simulated ${sim.observed}`);
  }
});
