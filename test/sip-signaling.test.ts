// `signaling: sip` against `signaling: direct`: the same seed must give the same call and
// agent records when the in-memory network is instantaneous and loss-free (every message is
// still built, serialized, parsed and carried by the transaction layer), and an impaired
// network must delay call set-up exactly as the RFC 3261 timers say.

import test from 'ava';
import fc from 'fast-check';
import { RandomStreams } from '../sim/kernel/random.js';
import { Simulation } from '../sim/kernel/simulation.js';
import { DRAIN_LIMIT } from '../sim/metrics/simulate.js';
import type { CallRecord } from '../sim/acd/records.js';
import { HotlineModel } from '../sim/scenario/hotline-model.js';
import { loadScenario } from '../sim/scenario/load.js';
import type { SipSignaling } from '../sim/scenario/sip-signaling.js';
import type { Scenario } from '../sim/scenario/types.js';
import { recordRun, type Recorded } from './record-run.js';
import { constant, exp, queueScenario } from './scenario-builder.js';

const DEFAULT = 'scenarios/12333-province.yaml';
/** Two busy morning hours of the default scenario: IVR, ten centers, dispatch, transfers, callbacks. */
const MORNING = ['start=2026-07-06T09:00:00+08:00', 'duration=40m', 'interval=20m'];

function sip(s: Scenario, network: Partial<Scenario['network']> = {}): Scenario {
  return { ...s, signaling: 'sip', network: { ...s.network, ...network } };
}

function runWithStats(s: Scenario): Recorded & { stats: Record<string, number> } {
  const r = recordRun(s);
  // recordRun builds its own model; run once more to read the signaling's counters
  const sim = new Simulation();
  const model = new HotlineModel(s, sim, new RandomStreams(s.seed), { call: () => {}, work: () => {}, staffed: () => {} });
  model.start();
  sim.run(s.duration + DRAIN_LIMIT);
  model.finish();
  return { ...r, stats: model.signaling.stats?.() ?? {} };
}

const variants: Record<string, (seed: number) => Scenario> = {
  'the default scenario (IVR, DTMF, transfers, dispatch)': (seed) => loadScenario(DEFAULT, { sets: [...MORNING, `seed=${seed}`] }),
  'no IVR: callers queue while ringing, abandon by CANCEL, trunks full gives 486/503': (seed) =>
    queueScenario({ rate: 1.2, agents: 5, talk: exp(200), patience: exp(60), trunks: 14, duration: 1800, seed, redialProbability: 0.5, answerDelay: constant(4) }),
  'agents who let calls ring out, silent callers, holds': (seed) =>
    queueScenario({
      rate: 0.5, agents: 4, talk: exp(180), patience: exp(120), duration: 3600, seed, answerDelay: exp(8),
      day: { ringNoAnswer: { rings: 2, notReady: 60 } },
      conversation: { silentShare: 0.1 },
    }),
};

for (const [name, make] of Object.entries(variants)) {
  test(`zero-latency, loss-free SIP gives the direct run's records, seed for seed: ${name}`, (t) => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 }), (seed) => {
        const direct = recordRun(make(seed));
        const viaSip = runWithStats(sip(make(seed)));
        t.true(direct.calls.length > 20, `${direct.calls.length} calls`);
        t.deepEqual(viaSip.calls, direct.calls);
        t.deepEqual(viaSip.work, direct.work);
        t.deepEqual(viaSip.staffed, direct.staffed);
        t.deepEqual(viaSip.callbacks, direct.callbacks);
        // and SIP really was on the wire: at least INVITE, 180 and a final per call
        t.true(viaSip.stats.messages! >= 3 * direct.calls.length, `${viaSip.stats.messages} messages for ${direct.calls.length} calls`);
        t.is(viaSip.stats.lost, 0);
      }),
      { numRuns: 2 },
    );
  });
}

test('a constant 20 ms one-way latency: every caller hears ringing and the answer 40 ms after dialling (INVITE out, 180/200 back)', (t) => {
  const s = sip(loadScenario(DEFAULT, { sets: MORNING }), { latency: { kind: 'constant', value: 0.02 } });
  const { calls } = recordRun(s);
  const answered = calls.filter((c) => !Number.isNaN(c.ivrAnswered));
  t.true(answered.length > 500);
  for (const c of answered) {
    t.is(Math.round((c.ivrAnswered - c.arrival) * 1e6), 40_000);
    t.is(Math.round((c.ringing - c.arrival) * 1e6), 40_000);
  }
});

/**
 * The set-up delay that losses add, by the timers: the INVITE goes again after T1, 2T1,
 * 4T1, ... (Timer A doubles without cap) and the 200 OK after T1, 2T1, ..., capped at T2
 * (RFC 3261 §13.3.1.4). Returns the delay after k losses in a row of each.
 */
function retransmitDelays(t1: number, t2: number, cap: boolean, n = 12): number[] {
  const out = [0];
  let interval = t1;
  for (let k = 1; k < n; k++) {
    out.push(out[k - 1]! + interval);
    interval = cap ? Math.min(2 * interval, t2) : 2 * interval;
  }
  return out;
}

test('10 % loss raises ivr_answer as Timer A and the 2xx retransmissions say it must', (t) => {
  const p = 0.1;
  const s = sip(loadScenario(DEFAULT, { sets: ['start=2026-07-06T09:00:00+08:00', 'duration=2h'] }), { loss: p });
  const { calls } = recordRun(s);
  const delays = calls.filter((c) => !Number.isNaN(c.ivrAnswered)).map((c) => c.ivrAnswered - c.arrival);
  const n = delays.length;
  t.true(n > 3000, `${n} answered calls`);
  // Each leg fails k times in a row with probability p^k (1 - p).
  const invite = retransmitDelays(0.5, 4, false);
  const ok = retransmitDelays(0.5, 4, true);
  const legMean = (d: number[]): number => d.reduce((a, x, k) => a + x * p ** k * (1 - p), 0);
  const legSecond = (d: number[]): number => d.reduce((a, x, k) => a + x * x * p ** k * (1 - p), 0);
  const mean = legMean(invite) + legMean(ok);
  const variance = legSecond(invite) - legMean(invite) ** 2 + legSecond(ok) - legMean(ok) ** 2;
  const observed = delays.reduce((a, b) => a + b, 0) / n;
  const se = Math.sqrt(variance / n);
  t.log(`ivr_answer mean ${observed.toFixed(4)} s; the timers say ${mean.toFixed(4)} s ± ${se.toFixed(4)} (s.e.), n = ${n}`);
  t.true(Math.abs(observed - mean) < 4 * se, `mean ${observed} vs ${mean} ± ${se}`);
  // no loss on either leg: answered at once, with probability (1 - p)^2
  const immediate = delays.filter((d) => d === 0).length / n;
  t.true(Math.abs(immediate - (1 - p) ** 2) < 4 * Math.sqrt(0.81 * 0.19 / n), `share answered at once ${immediate}`);
  // every delay is a sum of retransmission offsets: multiples of T1 = 0.5 s
  t.true(delays.every((d) => Math.abs(d * 2 - Math.round(d * 2)) < 1e-9), 'delays are whole multiples of T1');
  // and without loss the same calls are answered at once
  const clean = recordRun(sip(loadScenario(DEFAULT, { sets: ['start=2026-07-06T09:00:00+08:00', 'duration=2h'] })));
  t.true(clean.calls.every((c) => Number.isNaN(c.ivrAnswered) || c.ivrAnswered === c.arrival));
});

test('a 200 OK never acknowledged: the hotline hangs up at 64·T1 and the call ends there, recorded (a system hang-up in the IVR)', (t) => {
  const s = sip(loadScenario(DEFAULT, { sets: [...MORNING, 'seed=5'] }));
  const calls: CallRecord[] = [];
  const sim = new Simulation();
  const model = new HotlineModel(s, sim, new RandomStreams(s.seed), { call: (c) => calls.push(c), work: () => {}, staffed: () => {} });
  // every ACK is lost: the hotline retransmits each 200 OK until 64·T1 (32 s), then gives up with a BYE
  (model.signaling as SipSignaling).network.drop = (m) => m.kind === 'request' && m.method === 'ACK';
  model.start();
  sim.run(s.duration + DRAIN_LIMIT);
  model.finish();
  const answered = calls.filter((c) => !Number.isNaN(c.ivrAnswered));
  t.true(answered.length > 300, `${answered.length} calls answered by the IVR`);
  const end = (c: CallRecord): number => Math.max(Number.isNaN(c.left) ? -Infinity : c.left, Number.isNaN(c.ivrLeft) ? -Infinity : c.ivrLeft);
  const outlived = answered.filter((c) => !(end(c) <= c.ivrAnswered + 32 + 1e-9));
  t.is(outlived.length, 0, `calls going on after their dialog ended, e.g. ${JSON.stringify(outlived[0])}`);
  const cut = answered.filter((c) => c.ivrExit === 'system-hangup' && Math.abs(c.ivrLeft - c.ivrAnswered - 32) < 1e-9);
  t.true(cut.length > 0, 'calls still in the IVR at 32 s: the system hung up');
  t.is(calls.filter((c) => c.ivrExit === 'caller-hangup' && Math.abs(c.ivrLeft - c.ivrAnswered - 32) < 1e-9).length, 0, 'none of them counted as a caller hanging up');
});
