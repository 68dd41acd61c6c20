import test, { type ExecutionContext } from 'ava';
import { agentsForErlangC, erlangCMetrics } from '../acd/erlang.js';
import { parseScenario } from '../scenario/load.js';
import { startReplicationWorkers } from './replication-pool.js';
import { findStaffing, headCountLimit, type CenterStaffing } from './staffing.js';

// Two M/M/c pools fed by one Poisson stream split by area code: 200/h and 100/h at 180 s.
const TWO_POOLS = `
name: two pools
seed: 3
duration: 2d
warmup: 2h
arrivals: { rate: 300/h }
callers:
  patience: none
  areaCodes: { "010": 2, "020": 1 }
centers:
  - id: big
    areaCodes: ["010"]
    groups:
      - { id: a, count: 12, talk: { exponential: { mean: 180s } } }
      - { id: b, count: 6, talk: { exponential: { mean: 180s } } }
  - id: small
    areaCodes: ["020"]
    groups:
      - { id: agents, count: 6, talk: { exponential: { mean: 180s } } }
serviceLevel: { threshold: 20s, definition: strict }
sla:
  service_level(20s): [">= 0.80"]
  speed_of_answer: ["avg <= 15s"]
`;

/** The fewest agents by Erlang C for the SLAs above. */
function erlangC(perHour: number): number {
  return agentsForErlangC({ arrivalRate: perHour / 3600, aht: 180, target: 20 }, { serviceLevel: 0.8, maxAsa: 15 });
}

/**
 * The simulated answer is the Erlang C minimum, or one off it only where simulation cannot
 * tell: one more when one fewer failed only by margins whose interval contains 0, one fewer
 * when the SLAs Erlang C says fail there passed only by such margins.
 */
function agrees(t: ExecutionContext, c: CenterStaffing, exact: number, perHour: number): void {
  const n = c.needed!;
  t.true(Math.abs(n - exact) <= 1, `${c.id}: ${n} agents, Erlang C ${exact}`);
  const within = (m: { ci95?: { low: number; high: number } }): boolean => m.ci95 !== undefined && m.ci95.low <= 0 && m.ci95.high >= 0;
  if (n === exact + 1) {
    t.is(c.verdict, 'minimal-within-noise', c.id);
    t.true(c.below!.margins.slas.filter((m) => !m.pass).every(within), c.id);
  }
  if (n === exact - 1) {
    const m = erlangCMetrics({ arrivalRate: perHour / 3600, aht: 180, agents: n, target: 20 });
    const failsInTheory = [m.serviceLevel < 0.8, m.asa > 15];
    t.true(c.margins!.slas.every((s, i) => !failsInTheory[i] || within(s)), c.id);
  }
  if (n === exact) t.true(c.verdict === 'minimal' || c.verdict === 'minimal-within-noise', c.id);
}

for (const seed of [3, 4]) {
  test(`seed ${seed}: each of two pools gets its own Erlang C minimum, from one joint run per trial`, async (t) => {
    const scenario = parseScenario(TWO_POOLS.replace('seed: 3', `seed: ${seed}`), 'two-pools.yaml');
    const r = await findStaffing(scenario, { replications: 4 });
    t.true(r.pass);
    t.true(r.proven);
    t.is(r.stopped, 'converged');
    const [big, small] = r.centers;
    agrees(t, big!, erlangC(200), 200);
    agrees(t, small!, erlangC(100), 100);
    // The starting point is Erlang A (= C here) on the pilot's load, and the table says so.
    t.true(Math.abs(big!.erlang.agents! - erlangC(200)) <= 1);
    t.true(Math.abs(big!.erlang.callsPerHour - 200) < 30);
    // Head counts were spread 2:1 over big's groups; the best staffing passed every SLA.
    t.is(r.best!.total, big!.needed! + small!.needed!);
    t.true(r.best!.platform.pass);
    t.true(r.trials.length >= 2 && r.trials.length <= 8, String(r.trials.length));
  });
}

test('on worker threads, every trial of a search runs on the same threads and the search finds what one thread finds', async (t) => {
  const scenario = parseScenario(TWO_POOLS, 'two-pools.yaml');
  const one = await findStaffing(scenario, { replications: 4 });
  const pool = startReplicationWorkers(1);
  try {
    const threadIds = pool.pool.threads.map((w) => w.threadId);
    const two = await findStaffing(scenario, { replications: 4, workers: 2, pool });
    t.deepEqual(two.trials.map((x) => [x.staffing, x.pass, x.failing]), one.trials.map((x) => [x.staffing, x.pass, x.failing]));
    t.deepEqual(two.centers.map((c) => c.needed), one.centers.map((c) => c.needed));
    // one task per trial on the one worker thread, which was never replaced
    t.is(pool.pool.completed, two.trials.length);
    t.deepEqual(pool.pool.threads.map((w) => w.threadId), threadIds);
  } finally {
    await pool.destroy();
  }
  // and the search's own threads (no pool given) agree as well
  const own = await findStaffing(scenario, { replications: 4, workers: 2 });
  t.deepEqual(own.trials.map((x) => [x.staffing, x.pass, x.failing]), one.trials.map((x) => [x.staffing, x.pass, x.failing]));
});

test('a search stopped after its first trial keeps that staffing and says it is not proven minimal', async (t) => {
  const scenario = parseScenario(TWO_POOLS, 'two-pools.yaml');
  let asked = 0;
  const r = await findStaffing(scenario, { replications: 2, shouldStop: () => asked++ > 0 });
  t.is(r.trials.length, 1);
  t.is(r.stopped, 'budget');
  t.false(r.proven);
  if (r.trials[0]!.pass) {
    t.true(r.pass);
    t.deepEqual(r.best!.staffing, r.trials[0]!.staffing);
    for (const c of r.centers) t.is(c.verdict, 'not-proven-minimal');
  } else {
    t.false(r.pass);
    t.regex(r.message!, /time budget ran out/);
    for (const c of r.centers) t.is(c.verdict, 'none-found');
  }
});

test('an SLA that staffing cannot move ends at the head-count limit with cannot-meet', async (t) => {
  const scenario = parseScenario(`${TWO_POOLS}  talk: ["avg <= 60s"]\n`, 'two-pools.yaml');
  const r = await findStaffing(scenario, { replications: 2, maxAgents: 30 });
  t.false(r.pass);
  t.is(r.stopped, 'limit');
  t.true(r.centers.some((c) => c.verdict === 'cannot-meet'));
  t.regex(r.message!, /no head count up to 30 at (big|small) meets talk avg <= 60s/);
  t.deepEqual(r.slas.simulationOnly, ['talk avg <= 60s']);
});

test('the head-count limit is twice the larger of current and Erlang, at least ten more', (t) => {
  t.is(headCountLimit(14, 12, 1), 28);
  t.is(headCountLimit(3, undefined, 1), 13);
  t.is(headCountLimit(3, 40, 1), 80);
});
