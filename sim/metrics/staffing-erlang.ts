// The closed-form starting point of a staffing search. One pilot run at the scenario's own
// staffing, with dispatch between centers switched off, measures what each center's queue
// really sees per interval: the calls that reach it after the IVR (self-service, hang-ups
// and redials included) and how many of its agents are on duty (shifts, lunch, training).
// Erlang A then answers, per interval, how many agents on duty the SLAs need, and for the
// whole run, the fewest head count whose on-duty agents meet the SLAs over the day.

import { distribution } from '../kernel/distributions.js';
import { erlangA, type ErlangAMetrics, type ErlangAServiceLevelDefinition } from '../acd/erlang.js';
import type { CompiledSla } from '../scenario/sla-grammar.js';
import type { Center, Scenario, ServiceLevelDefinition } from '../scenario/types.js';
import { isoAfter } from './interval-metrics.js';
import { simulateOnce } from './simulate.js';
import { evaluateSla, resolveMetricKey, type MetricSource } from './sla.js';
import { headCount, minimumHeadCount } from './staffing-scale.js';
import { slaServiceLevelThresholds } from './summary.js';

/** What the pilot saw at one center in one interval. */
export interface IntervalLoad {
  /** Seconds from the run's start. */
  readonly offset: number;
  /** ISO instant of the interval's start. */
  readonly start: string;
  readonly length: number;
  /** Starts before the warm-up ends (left out of the day's estimate). */
  readonly warmup: boolean;
  /** Calls per second entering the center's queue. */
  readonly arrivalRate: number;
  /** Time-average agents on duty in the pilot (at the scenario's head count). */
  readonly onDuty: number;
}

/** One center's traffic as Erlang A sees it. */
export interface CenterLoad {
  readonly id: string;
  readonly headCount: number;
  /** Mean handle time: ringing + talk + hold + wrap-up (silent callers' greetings included), seconds. */
  readonly aht: number;
  /** Mean patience in seconds; Infinity when callers never hang up. */
  readonly patience: number;
  readonly intervals: readonly IntervalLoad[];
}

export interface PilotLoad {
  readonly intervalLength: number;
  readonly centers: Readonly<Record<string, CenterLoad>>;
  /** Kernel events of the pilot run. */
  readonly events: number;
}

const DEFINITIONS: Readonly<Record<ServiceLevelDefinition, ErlangAServiceLevelDefinition>> = {
  strict: 'strict',
  answered: 'answered',
  'exclude-short-abandons': 'shortAbandonsExcluded',
  wait: 'wait',
  virtual: 'virtual',
};

/** The greetings a silent caller gets before the agent hangs up (as in the model). */
const GREETINGS = 3;

/** Mean handle time of a center: its groups' handle times weighted by head count. */
export function meanHandleTime(center: Center, scenario: Scenario): number {
  const silent = scenario.conversation.silentShare;
  const greetings = GREETINGS * scenario.conversation.greetInterval;
  let sum = 0;
  let weight = 0;
  for (const g of center.groups) {
    const hold = g.day.hold;
    const talk = distribution(g.talk).mean + hold.probability * distribution(hold.duration).mean;
    const aht = distribution(g.answerDelay).mean + (1 - silent) * talk + silent * greetings + distribution(g.wrapUp).mean;
    const w = center.groups.length === 1 ? 1 : g.count;
    sum += w * aht;
    weight += w;
  }
  return weight > 0 ? sum / weight : center.groups.reduce((a, g) => a + distribution(g.talk).mean, 0) / Math.max(1, center.groups.length);
}

/**
 * Runs the pilot: the scenario at its own staffing, one replication with its seed, every
 * dispatch rule removed so that each center's queue counts its own callers only.
 */
export function pilotLoad(scenario: Scenario, intervalLength: number): PilotLoad {
  const pilot: Scenario = { ...scenario, interval: intervalLength, centers: scenario.centers.map((c) => ({ ...c, dispatch: [] })) };
  const rep = simulateOnce(pilot, scenario.seed, 0, { serviceLevelThresholds: slaServiceLevelThresholds(pilot) });
  const patience = scenario.callers.patience ? distribution(scenario.callers.patience).mean : Infinity;
  const centers: Record<string, CenterLoad> = {};
  try {
    for (const c of scenario.centers) {
      const series = rep.collector.intervals.get(c.id);
      const intervals: IntervalLoad[] = [];
      if (series) {
        for (let i = 0; i < series.count; i++) {
          const [a, b] = series.bounds(i);
          const length = b - a;
          if (!(length > 0)) continue;
          intervals.push({
            offset: a,
            start: isoAfter(scenario.start, a),
            length,
            warmup: a < scenario.warmup,
            arrivalRate: series.data.queued[i]! / length,
            onDuty: series.data.staffedTime[i]! / length,
          });
        }
      }
      centers[c.id] = { id: c.id, headCount: headCount(c), aht: meanHandleTime(c, scenario), patience, intervals };
    }
    return { intervalLength: rep.collector.intervalLength, centers, events: rep.events };
  } finally {
    rep.collector.destroy();
  }
}

// ---------------------------------------------------------------------------------------
// SLAs Erlang A can speak for

const ERLANG_RATES = new Set(['service_level', 'abandon_rate', 'agent_answer_rate', 'occupancy']);
const ERLANG_MEANS = new Set(['speed_of_answer', 'queue_wait']);

/** Whether Erlang A predicts this SLA's figure (service level, abandonment, occupancy, mean waits). */
export function erlangModels(sla: CompiledSla): boolean {
  if (sla.metric.kind === 'rate') return ERLANG_RATES.has(sla.metric.name);
  return ERLANG_MEANS.has(sla.metric.name) && sla.aggregate.kind === 'avg';
}

/** Erlang A figures over a set of intervals, keyed like summary.json. */
export interface ErlangFigures {
  /** Expected calls entering the queue. */
  readonly calls: number;
  /** service_level(T) under the scenario's definition, by summary.json key. */
  readonly serviceLevels: Readonly<Record<string, number>>;
  readonly abandonRate: number;
  readonly speedOfAnswer: number;
  readonly queueWait: number;
  readonly occupancy: number;
}

/** The thresholds T that the SLAs name (bare `service_level` is the scenario's). */
function thresholds(slas: readonly CompiledSla[], defaultT: number): Map<string, number> {
  const ts = new Map<string, number>();
  for (const s of slas) {
    if (s.metric.name !== 'service_level') continue;
    ts.set(resolveMetricKey(s, defaultT), s.metric.param ?? defaultT);
  }
  return ts;
}

/**
 * Erlang A over intervals: each interval with `agents[i]` on duty is taken as stationary;
 * rates are weighted by the interval's calls (speed of answer by its answered calls),
 * occupancy is busy over staffed time. An interval with calls and nobody on duty serves none.
 */
export function erlangFigures(
  load: CenterLoad,
  intervals: readonly IntervalLoad[],
  agents: readonly number[],
  slas: readonly CompiledSla[],
  scenario: Scenario,
): ErlangFigures {
  const definition = DEFINITIONS[scenario.serviceLevel.definition];
  const ts = thresholds(slas, scenario.serviceLevel.threshold);
  let calls = 0;
  let abandoned = 0;
  let answered = 0;
  let answerWait = 0;
  let queueWait = 0;
  let busy = 0;
  let staffed = 0;
  const within = new Map<string, number>();
  const answeredWithin = new Map<string, number>();
  intervals.forEach((iv, i) => {
    const k = agents[i] ?? 0;
    const w = iv.arrivalRate * iv.length;
    staffed += k * iv.length;
    if (!(w > 0)) return;
    calls += w;
    if (k < 1) {
      // Nobody to answer: impatient callers all give up; patient ones wait past any T.
      if (load.patience < Infinity) abandoned += w;
      else answerWait = queueWait = Infinity;
      return;
    }
    let first: ErlangAMetrics | undefined;
    for (const [key, t] of ts) {
      const m = erlangA({ arrivalRate: iv.arrivalRate, aht: load.aht, agents: k, target: t, patience: load.patience });
      first ??= m;
      within.set(key, (within.get(key) ?? 0) + w * m.serviceLevels[definition]);
      answeredWithin.set(key, (answeredWithin.get(key) ?? 0) + w * m.serviceLevels.strict);
    }
    const m = first ?? erlangA({ arrivalRate: iv.arrivalRate, aht: load.aht, agents: k, target: 0, patience: load.patience });
    abandoned += w * m.abandonProbability;
    answered += w * (1 - m.abandonProbability);
    answerWait += w * (1 - m.abandonProbability) * m.asa;
    queueWait += w * m.meanQueueWait;
    busy += k * iv.length * m.occupancy;
  });
  const serviceLevels: Record<string, number> = {};
  for (const key of ts.keys()) {
    // `answered` divides by answered calls, not by all calls: pool its numerator and denominator.
    serviceLevels[key] = definition === 'answered' ? (answeredWithin.get(key) ?? 0) / answered : (within.get(key) ?? 0) / calls;
  }
  return {
    calls,
    serviceLevels,
    abandonRate: abandoned / calls,
    speedOfAnswer: answerWait / answered,
    queueWait: queueWait / calls,
    occupancy: busy / staffed,
  };
}

/** Erlang figures as an SLA reads them. */
function erlangSource(f: ErlangFigures): MetricSource {
  const rate = (value: number) => ({ value, numerator: value, denominator: Number.isFinite(value) ? 1 : 0 });
  const mean = (value: number) => ({ count: 1, mean: value, min: NaN, max: NaN, percentile: () => NaN });
  return {
    rate: (key) => {
      if (key.startsWith('service_level')) return key in f.serviceLevels ? rate(f.serviceLevels[key]!) : undefined;
      if (key === 'abandon_rate') return rate(f.abandonRate);
      if (key === 'agent_answer_rate') return rate(1 - f.abandonRate);
      if (key === 'occupancy') return rate(f.occupancy);
      return undefined;
    },
    duration: (key) => (key === 'speed_of_answer' ? mean(f.speedOfAnswer) : key === 'queue_wait' ? mean(f.queueWait) : undefined),
  };
}

/** Whether Erlang A figures meet every modelled SLA (none modelled: trivially). */
export function erlangMeets(f: ErlangFigures, slas: readonly CompiledSla[], scenario: Scenario): boolean {
  if (!(f.calls > 0)) return true;
  const src = erlangSource(f);
  return slas.filter(erlangModels).every((s) => evaluateSla(s, src, scenario.serviceLevel.threshold).pass);
}

/** Share of the head count on duty in each interval (from the pilot); 1 throughout when the center had nobody. */
export function availability(load: CenterLoad, intervals: readonly IntervalLoad[]): number[] {
  return intervals.map((iv) => (load.headCount > 0 ? iv.onDuty / load.headCount : 1));
}

/** Agents on duty per interval for a head count: its share on duty, rounded, at least 1 where anyone works. */
export function onDutyFor(headCount: number, shares: readonly number[]): number[] {
  return shares.map((a) => (a > 1e-9 ? Math.max(1, Math.round(headCount * a)) : 0));
}

export interface DayEstimate {
  /** The fewest head count meeting every modelled SLA over the run; undefined if none up to the limit does. */
  readonly agents?: number;
  /** Erlang A figures at that head count (or at the limit when none met). */
  readonly figures: ErlangFigures;
  /** Peak offered load (Erlangs) over the counted intervals. */
  readonly peakLoad: number;
  /** Mean calls per hour entering the queue over the counted intervals. */
  readonly callsPerHour: number;
}

/** The fewest head count at `center` whose on-duty agents meet the modelled SLAs over the counted intervals. */
export function dayEstimate(center: Center, load: CenterLoad, slas: readonly CompiledSla[], scenario: Scenario, limit: number): DayEstimate {
  const counted = load.intervals.filter((iv) => !iv.warmup);
  const shares = availability(load, counted);
  const seconds = counted.reduce((a, iv) => a + iv.length, 0);
  const calls = counted.reduce((a, iv) => a + iv.arrivalRate * iv.length, 0);
  const peakLoad = counted.reduce((a, iv) => Math.max(a, iv.arrivalRate * load.aht), 0);
  const base = { peakLoad, callsPerHour: seconds > 0 ? (calls / seconds) * 3600 : 0 };
  const from = minimumHeadCount(center);
  let figures = erlangFigures(load, counted, onDutyFor(from, shares), slas, scenario);
  for (let n = from; n <= Math.max(from, limit); n++) {
    figures = erlangFigures(load, counted, onDutyFor(n, shares), slas, scenario);
    if (erlangMeets(figures, slas, scenario)) return { agents: n, figures, ...base };
  }
  return { figures, ...base };
}

/** One interval's Erlang A answer at one center. */
export interface IntervalNeed {
  readonly offset: number;
  readonly start: string;
  readonly length: number;
  readonly warmup: boolean;
  readonly callsPerHour: number;
  /** Offered load in Erlangs. */
  readonly load: number;
  /** Agents on duty in the pilot. */
  readonly onDuty: number;
  /** Fewest agents on duty meeting the modelled SLAs in this interval alone; undefined if none up to the limit. */
  readonly needed?: number;
}

/** Per interval: the fewest agents on duty meeting the modelled SLAs, each interval judged alone. */
export function intervalNeeds(load: CenterLoad, slas: readonly CompiledSla[], scenario: Scenario): IntervalNeed[] {
  return load.intervals.map((iv) => {
    const offered = iv.arrivalRate * load.aht;
    const base = {
      offset: iv.offset,
      start: iv.start,
      length: iv.length,
      warmup: iv.warmup,
      callsPerHour: iv.arrivalRate * 3600,
      load: offered,
      onDuty: iv.onDuty,
    };
    if (!(iv.arrivalRate > 0)) return { ...base, needed: 0 };
    const limit = Math.ceil(10 * offered) + 100;
    for (let k = 1; k <= limit; k++) {
      if (erlangMeets(erlangFigures(load, [iv], [k], slas, scenario), slas, scenario)) return { ...base, needed: k };
    }
    return base;
  });
}
