import test from 'ava';
import {
  agentsForErlangA,
  agentsForErlangC,
  erlangA,
  erlangB,
  erlangC,
  erlangCMetrics,
  ErlangInputError,
  ErlangTargetError,
  fewestServers,
  linesForBlocking,
  logErlangB,
} from './erlang.js';

// The published example: 100 calls per 30 minutes, AHT 180 s, 14 agents, T = 20 s.
const example = { arrivalRate: 100 / 1800, aht: 180, agents: 14, target: 20 };

/** |actual − expected| within half a unit of the last published digit. */
function near(actual: number, published: string): boolean {
  const decimals = published.split('.')[1]?.length ?? 0;
  return Math.abs(actual - Number(published)) <= 0.5 * 10 ** -decimals;
}

test('Erlang C reproduces the published example', (t) => {
  const m = erlangCMetrics(example);
  t.true(near(m.waitProbability, '0.1741319'), String(m.waitProbability));
  t.true(near(m.serviceLevel, '0.88835'), String(m.serviceLevel));
  t.true(near(m.asa, '7.83594'), String(m.asa));
  t.true(near(m.occupancy, '0.7142857'), String(m.occupancy));
  t.is(erlangC(10, 14), m.waitProbability);
});

test('Erlang A reproduces the published example; its service level is the strict one', (t) => {
  const m = erlangA({ ...example, patience: 300 });
  t.true(near(m.waitProbability, '0.14526'), String(m.waitProbability));
  t.true(near(m.abandonProbability, '0.013984'), String(m.abandonProbability));
  t.true(near(m.serviceLevel, '0.916792'), String(m.serviceLevel));
  t.is(m.serviceLevels.strict, m.serviceLevel);
  // The other definitions are different numbers, so the published one is unambiguous.
  for (const other of ['answered', 'wait', 'virtual', 'shortAbandonsExcluded'] as const) {
    t.false(near(m.serviceLevels[other], '0.916792'), other);
  }
});

test('Erlang B with 10 Erlangs needs 17 lines for blocking <= 2 %', (t) => {
  t.is(linesForBlocking(10, 0.02), 17);
  t.true(erlangB(10, 16) > 0.02);
  t.true(erlangB(10, 17) <= 0.02);
});

test('Erlang B agrees with the textbook recursion for small line counts', (t) => {
  for (const load of [0.1, 1, 2.5, 10, 33.3, 80]) {
    let b = 1;
    for (let n = 1; n <= 60; n++) {
      b = (load * b) / (n + load * b);
      const ours = erlangB(load, n);
      t.true(Math.abs(ours - b) <= 1e-12 * b + 1e-300, `load ${load}, ${n} lines: ${ours} vs ${b}`);
    }
  }
  t.is(erlangB(5, 0), 1);
  t.is(erlangB(0, 3), 0);
});

test('Erlang B keeps a logarithm where B itself underflows', (t) => {
  const logB = logErlangB(10, 10_000);
  t.true(Number.isFinite(logB));
  t.true(logB < Math.log(Number.MIN_VALUE));
  // ln B(a, n) ≈ n ln a − ln n! − a·(…) for n ≫ a; the leading terms alone are within a few nats.
  let logFactorial = 0;
  for (let n = 2; n <= 10_000; n++) logFactorial += Math.log(n);
  t.true(Math.abs(logB - (10_000 * Math.log(10) - logFactorial)) < 20);
});

const inUnit = (p: number): boolean => Number.isFinite(p) && p >= 0 && p <= 1;

test('10,000 agents: finite probabilities in [0, 1] from light load to twice overloaded', (t) => {
  for (const load of [100, 5000, 9000, 9990, 10_000, 10_010, 15_000, 20_000]) {
    const traffic = { arrivalRate: load / 180, aht: 180, agents: 10_000, target: 20 };
    t.true(inUnit(erlangB(load, 10_000)), `B at ${load}`);
    const c = erlangCMetrics(traffic);
    t.true(inUnit(c.waitProbability) && inUnit(c.serviceLevel) && inUnit(c.occupancy), `C at ${load}`);
    for (const patience of [1, 300, 3600, 1e6]) {
      const a = erlangA({ ...traffic, patience });
      const probabilities = [a.waitProbability, a.abandonProbability, a.occupancy, ...Object.values(a.serviceLevels)];
      t.true(probabilities.every(inUnit), `A at ${load}, patience ${patience}: ${JSON.stringify(a)}`);
      t.true(Number.isFinite(a.asa) && a.asa >= 0 && Number.isFinite(a.meanVirtualWait), `A waits at ${load}`);
    }
  }
});

test('Erlang A in heavy overload abandons the excess, as the fluid model says', (t) => {
  // λ = 2cμ: about half the callers must leave, whatever the patience.
  for (const patience of [60, 300, 1e5]) {
    const a = erlangA({ arrivalRate: 20_000 / 180, aht: 180, agents: 10_000, target: 20, patience });
    t.true(Math.abs(a.abandonProbability - 0.5) < 0.01, `patience ${patience}: ${a.abandonProbability}`);
    t.true(a.occupancy > 0.99);
    // The wait of a served caller concentrates at ln(λ / cμ) patience means.
    t.true(Math.abs(a.asa / (Math.LN2 * patience) - 1) < 0.05, `patience ${patience}: asa ${a.asa}`);
  }
});

test('Erlang A approaches Erlang C as patience grows', (t) => {
  const c = erlangCMetrics(example);
  let previous = Infinity;
  for (const patience of [1e3, 1e4, 1e5, 1e6, 1e8, 1e10, 1e12]) {
    const a = erlangA({ ...example, patience });
    const gap = Math.max(
      Math.abs(a.waitProbability - c.waitProbability),
      Math.abs(a.serviceLevel - c.serviceLevel),
      Math.abs(a.asa - c.asa) / c.asa,
      a.abandonProbability,
    );
    t.true(gap < previous, `patience ${patience}: gap ${gap} after ${previous}`);
    previous = gap;
  }
  // The gap shrinks like 1/patience (4e-10 at 1e12 s) with no loss of precision on the way.
  t.true(previous < 1e-9);
  t.deepEqual(erlangA({ ...example, patience: Infinity }).serviceLevel, c.serviceLevel);
});

test('Erlang A approaches Erlang B as patience shrinks to nothing', (t) => {
  const b = erlangB(10, 14);
  const a = erlangA({ ...example, patience: 1e-7 });
  t.true(Math.abs(a.waitProbability - b) < 1e-7 * b + 1e-12);
  t.true(Math.abs(a.abandonProbability - b) < 1e-6);
});

test('Erlang A with no calls is an idle pool', (t) => {
  const a = erlangA({ ...example, arrivalRate: 0, patience: 300 });
  t.is(a.waitProbability, 0);
  t.is(a.serviceLevel, 1);
  t.is(a.occupancy, 0);
});

test('an unstable Erlang C says so instead of returning nonsense', (t) => {
  const m = erlangCMetrics({ ...example, agents: 10 });
  t.false(m.stable);
  t.is(m.waitProbability, 1);
  t.is(m.serviceLevel, 0);
  t.is(m.asa, Infinity);
});

test('inputs outside the model are typed errors naming the field', (t) => {
  const cases: Array<[() => unknown, string]> = [
    [() => erlangB(-1, 3), 'load'],
    [() => erlangB(1, 2.5), 'lines'],
    [() => erlangC(1, 0), 'agents'],
    [() => erlangCMetrics({ ...example, aht: 0 }), 'aht'],
    [() => erlangCMetrics({ ...example, arrivalRate: Number.NaN }), 'arrivalRate'],
    [() => erlangA({ ...example, patience: 0 }), 'patience'],
    [() => erlangA({ ...example, target: -1, patience: 300 }), 'target'],
    [() => linesForBlocking(10, 0), 'maxBlocking'],
    [() => agentsForErlangC(example, { serviceLevel: 1 }), 'serviceLevel'],
    [() => agentsForErlangC(example, { maxAbandonProbability: 0.05 }), 'maxAbandonProbability'],
    [() => agentsForErlangC(example, {}), 'goal'],
  ];
  for (const [run, field] of cases) {
    const err = t.throws(run, { instanceOf: ErlangInputError });
    t.is(err?.field, field);
  }
});

test('staffing searches return the first staffing that meets the goal', (t) => {
  const traffic = { arrivalRate: 100 / 1800, aht: 180, target: 20 };
  const c = agentsForErlangC(traffic, { serviceLevel: 0.8 });
  t.true(erlangCMetrics({ ...traffic, agents: c }).serviceLevel >= 0.8);
  t.true(erlangCMetrics({ ...traffic, agents: c - 1 }).serviceLevel < 0.8);

  const withPatience = { ...traffic, patience: 300 };
  const a = agentsForErlangA(withPatience, { maxAbandonProbability: 0.01, maxAsa: 5 });
  const at = erlangA({ ...withPatience, agents: a });
  const below = erlangA({ ...withPatience, agents: a - 1 });
  t.true(at.abandonProbability <= 0.01 && at.asa <= 5);
  t.true(below.abandonProbability > 0.01 || below.asa > 5);

  const virtual = agentsForErlangA(withPatience, { serviceLevel: 0.9, serviceLevelDefinition: 'virtual' });
  t.true(erlangA({ ...withPatience, agents: virtual }).serviceLevels.virtual >= 0.9);
  t.true(erlangA({ ...withPatience, agents: virtual - 1 }).serviceLevels.virtual < 0.9);
});

test('large staffing searches: 9,000 erlangs need a little over 9,000 agents, fewer with abandonment', (t) => {
  const traffic = { arrivalRate: 9000 / 180, aht: 180, target: 20 };
  const c = agentsForErlangC(traffic, { serviceLevel: 0.8 });
  const a = agentsForErlangA({ ...traffic, patience: 120 }, { serviceLevel: 0.8 });
  t.true(c > 9000 && c < 9300, String(c));
  t.true(a <= c, `${a} vs ${c}`);
});

test('fewestServers finds the threshold of a monotone goal and gives up past its limit', (t) => {
  for (const threshold of [1, 2, 3, 17, 1000, 123_457]) {
    t.is(fewestServers((n) => n >= threshold), threshold);
  }
  t.is(fewestServers((n) => n >= 5, 9), 9);
  t.throws(() => fewestServers(() => false, 1, 1000), { instanceOf: ErlangTargetError });
});
