// Replications pooled as they end must give what merging every replication kept whole gave
// (the way summaries were made before: all collectors alive until the end), and a run must
// let go of each replication's collector once it is folded, whatever thread ran it.

import test from 'ava';
import { fileURLToPath } from 'node:url';
import v8 from 'node:v8';
import vm from 'node:vm';
import { loadScenario } from '../scenario/load.js';
import type { Scenario } from '../scenario/types.js';
import type { CallMetrics } from './call-metrics.js';
import { MetricsCollector, SERVICE_LEVEL_DEFINITIONS } from './collector.js';
import { confidenceInterval } from './confidence.js';
import { intervalsSummary } from './interval-metrics.js';
import { PooledReplications } from './pooled-replications.js';
import { rates, ratioValue, serviceLevelRatio } from './rates.js';
import { simulateOnWorkers } from './replication-pool.js';
import { naturalCompare, scorecardSummary } from './scorecard.js';
import { replicationSeed, simulate, simulateOnce, type Replication, type ReplicationFold } from './simulate.js';
import { percentileCurve, slaServiceLevelThresholds, summarizePooled, totalsOf, type CenterSummary } from './summary.js';
import { state } from './test-state.js';
import { serviceLevelKey } from '../scenario/metric-names.js';

const scenarioFile = (name: string): string => fileURLToPath(new URL(`../../../scenarios/${name}`, import.meta.url));
// The default scenario (IVR, ten centers, callbacks, ratings, scorecard), two hours of a busy morning.
const province = loadScenario(scenarioFile('12333-province.yaml'), { sets: ['start=2026-07-06T09:00:00+08:00', 'duration=2h', 'warmup=10m'] });
const erlangA = loadScenario(scenarioFile('validation/erlang-a.yaml'), { sets: ['duration=1d'] });
// Ten days: a replication runs in two slices, so that progress is reported while it runs, not only at its end.
const erlangA10 = loadScenario(scenarioFile('validation/erlang-a.yaml'));
const REPLICATIONS = 4;

/** The replications of a run kept whole, as simulate() handed them out before it folded them. */
function keptWhole(scenario: Scenario, n: number): Replication[] {
  const options = { serviceLevelThresholds: slaServiceLevelThresholds(scenario) };
  return Array.from({ length: n }, (_, i) => simulateOnce(scenario, replicationSeed(scenario.seed, i, n), i, options));
}

/** One scope's summary against its figures merged whole and per replication. */
function checkScope(
  t: import('ava').ExecutionContext,
  what: string,
  got: Pick<CenterSummary, 'metrics' | 'rates'>,
  merged: CallMetrics,
  perRep: readonly CallMetrics[],
  scenario: Scenario,
): void {
  for (const [name, m] of merged.durations) {
    const d = got.metrics[name]!;
    t.deepEqual([d.count, d.mean, d.min, d.p50, d.p90, d.p95, d.p99, d.max], [m.count, m.mean, m.count ? m.min : NaN, ...[50, 90, 95, 99].map((q) => m.percentile(q)), m.count ? m.max : NaN], `${what} ${name}`);
    const ci = confidenceInterval(perRep.map((r) => r.durations.get(name)!.mean));
    t.deepEqual(d.ci95, ci && { low: ci.low, high: ci.high, stderr: ci.stderr }, `${what} ${name} ci95`);
  }
  const definition = scenario.serviceLevel.definition;
  const pooled = rates(merged.counters, merged.serviceLevels, definition);
  t.deepEqual(Object.keys(got.rates), Object.keys(pooled), what);
  for (const [name, ratio] of Object.entries(pooled)) {
    const r = got.rates[name]!;
    t.deepEqual([r.value, r.numerator, r.denominator], [ratioValue(ratio), ratio.numerator, ratio.denominator], `${what} ${name}`);
    const ci = confidenceInterval(
      perRep.map((c) => {
        const x = rates(c.counters, c.serviceLevels, definition)[name];
        return x ? ratioValue(x) : NaN;
      }),
    );
    t.deepEqual(r.ci95, ci && { low: ci.low, high: ci.high, stderr: ci.stderr }, `${what} ${name} ci95`);
  }
}

test('replications pooled as they end give what merging them all kept whole gives: the same collector, every interval from the per-replication values', async (t) => {
  const scenario = province;
  const pooled = new PooledReplications(scenario.serviceLevel.definition);
  try {
    await simulate(scenario, REPLICATIONS, (r) => pooled.add(r), { serviceLevelThresholds: slaServiceLevelThresholds(scenario) });
    const s = summarizePooled(scenario, pooled);
    const kept = keptWhole(scenario, REPLICATIONS);
    const full = new MetricsCollector(kept[0]!.collector.options);
    try {
      for (const r of kept) full.merge(r.collector);
      t.true(full.counters.offered > 1000 && full.centers.size === 10 && full.counters.rated > 0);
      // The pooled collector is the full merge, to the last histogram count and interval sum.
      t.deepEqual(state(pooled.collector), state(full));
      t.deepEqual(s.scenario.seeds, kept.map((r) => r.seed));
      t.is(s.timing.events, kept.reduce((a, r) => a + r.events, 0));
      t.deepEqual(s.totals, totalsOf(full.counters));
      checkScope(t, 'platform', s, full.platform, kept.map((r) => r.collector.platform), scenario);
      for (const [id, m] of full.centers) {
        t.deepEqual(s.centers[id]!.totals, totalsOf(m.counters), id);
        checkScope(t, id, s.centers[id]!, m, kept.map((r) => r.collector.centers.get(id)!), scenario);
      }
      full.serviceLevels.forEach((sl, i) => {
        for (const def of SERVICE_LEVEL_DEFINITIONS) {
          const ci = confidenceInterval(kept.map((r) => ratioValue(serviceLevelRatio(r.collector.counters, r.collector.serviceLevels[i]!, def))));
          const got = s.serviceLevels[serviceLevelKey(sl.threshold)]![def];
          t.is(got.value, ratioValue(serviceLevelRatio(full.counters, sl, def)));
          t.deepEqual(got.ci95, ci && { low: ci.low, high: ci.high, stderr: ci.stderr }, `${sl.threshold} ${def}`);
        }
      });
      const centerIds = [...full.centers.keys()].sort(naturalCompare);
      t.deepEqual(
        s.intervals,
        intervalsSummary(full.intervals, centerIds, {
          start: scenario.start,
          warmup: scenario.warmup,
          definition: scenario.serviceLevel.definition,
          replications: REPLICATIONS,
          length: full.intervalLength,
          duration: full.options.duration,
          threshold: full.intervalThreshold,
          shortAbandon: full.options.shortAbandon,
        }),
      );
      t.deepEqual(s.groupIntervals, full.groupIntervals.figures(REPLICATIONS));
      t.deepEqual(s.scorecard, scorecardSummary(full.scorecard, (c, g) => full.wrapUpLimit(c, g)));
      t.deepEqual(s.distributions!.queue_wait, percentileCurve(full.durations.get('queue_wait')!));
    } finally {
      full.destroy();
      for (const r of kept) r.collector.destroy();
    }
  } finally {
    pooled.destroy();
  }
});

/** A full garbage collection (the tests run without --expose-gc), as sim/kernel's tests do. */
function exposedGc(): () => void {
  v8.setFlagsFromString('--expose-gc');
  return vm.runInNewContext('gc') as () => void;
}

/**
 * A fold that pools the replications and holds a WeakRef to each collector it was given, and
 * a progress callback that collects garbage and counts the collectors still alive that were
 * folded before the previous progress report (a WeakRef's target is kept until the job that
 * made it ends; a job always ends between two reports).
 */
function watched(scenario: Scenario): { fold: ReplicationFold; onProgress: () => void; pooled: PooledReplications; checked: () => number; alive: () => number[]; histograms: unknown[] } {
  const gc = exposedGc();
  const pooled = new PooledReplications(scenario.serviceLevel.definition);
  const refs: { index: number; ref: WeakRef<MetricsCollector>; at: number }[] = [];
  const histograms: unknown[] = [];
  let reports = 0;
  let checked = 0;
  const alive = new Set<number>();
  return {
    pooled,
    histograms,
    fold: (r) => {
      pooled.add(r);
      refs.push({ index: r.index, ref: new WeakRef(r.collector), at: reports });
      histograms.push(r.collector.durations.get('queue_wait')!.histogram);
    },
    onProgress: () => {
      reports++;
      const old = refs.filter((r) => r.at < reports - 1);
      if (old.length === 0) return;
      gc();
      for (const r of old) {
        checked++;
        if (r.ref.deref() !== undefined) alive.add(r.index);
      }
    },
    checked: () => checked,
    alive: () => [...alive].sort((a, b) => a - b),
  };
}

test('in this thread, a finished replication\'s collector is let go as soon as it is folded, its histograms freed', async (t) => {
  const w = watched(erlangA10);
  try {
    await simulate(erlangA10, 4, w.fold, { serviceLevelThresholds: slaServiceLevelThresholds(erlangA10), onProgress: w.onProgress });
    t.is(w.pooled.replications.length, 4);
    t.true(w.checked() >= 3, `${w.checked()} checks`);
    t.deepEqual(w.alive(), [], 'collectors still alive while the run went on');
    // The WebAssembly memory of every histogram was given back (a destroyed histogram refuses to be read).
    t.is(w.histograms.length, 4);
    for (const h of w.histograms) t.throws(() => (h as { totalCount: number }).totalCount, { message: /destroyed/ });
  } finally {
    w.pooled.destroy();
  }
});

test('on worker threads, a replication\'s collector, restored or run here, is let go once folded', async (t) => {
  const w = watched(erlangA);
  try {
    await simulateOnWorkers(erlangA, 8, w.fold, { workers: 2, serviceLevelThresholds: slaServiceLevelThresholds(erlangA), onProgress: w.onProgress });
    t.deepEqual(w.pooled.replications.map((r) => r.index), [0, 1, 2, 3, 4, 5, 6, 7]);
    t.true(w.checked() >= 4, `${w.checked()} checks`);
    t.deepEqual(w.alive(), [], 'collectors still alive while the run went on');
    for (const h of w.histograms) t.throws(() => (h as { totalCount: number }).totalCount, { message: /destroyed/ });
  } finally {
    w.pooled.destroy();
  }
});
