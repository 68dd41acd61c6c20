import test from 'ava';
import fc from 'fast-check';
import {
  agentsForErlangA,
  erlangA,
  type ErlangAInput,
  type ErlangAMetrics,
  erlangB,
  erlangC,
  erlangCMetrics,
  linesForBlocking,
  logErlangB,
} from './erlang.js';

// An independent, slow Erlang A: the birth–death chain's stationary distribution summed state
// by state, and the tagged caller's wait from a uniformised Markov chain over "callers ahead".

interface Reference {
  waitProbability: number;
  immediateAnswerProbability: number;
  abandonProbability: number;
  strict: number;
  wait: number;
  virtual: number;
  asa: number;
  meanVirtualWait: number;
}

function referenceErlangA({ arrivalRate: lambda, aht, agents: c, target, patience }: ErlangAInput): Reference {
  const mu = 1 / aht;
  const theta = 1 / patience;
  // Unnormalised log weights of n callers in the system, until they are negligible.
  const logW = [0];
  let top = 0;
  for (let n = 1; ; n++) {
    const out = Math.min(n, c) * mu + Math.max(n - c, 0) * theta;
    const l = logW[n - 1]! + Math.log(lambda / out);
    logW.push(l);
    top = Math.max(top, l);
    if (n > c && lambda < out && l < top - 50) break;
  }
  const weights = logW.map((l) => Math.exp(l - top));
  const total = weights.reduce((s, w) => s + w, 0);
  const p = weights.map((w) => w / total);
  const ahead = p.slice(c); // ahead[k]: an arrival finds all agents busy and k waiting
  const waitProbability = ahead.reduce((s, q) => s + q, 0);
  const immediateAnswerProbability = p.slice(0, c).reduce((s, q) => s + q, 0);
  const queue = ahead.reduce((s, q, k) => s + k * q, 0);
  const abandonProbability = (theta * queue) / lambda;

  // Ahead-count chain: level j moves to j − 1 (level 0 to "answered") at rate cμ + jθ; with
  // `ownPatience` the tagged caller also leaves at rate θ.
  const levels = ahead.length;
  const down = (j: number): number => c * mu + j * theta;
  function transient(ownPatience: boolean): { waiting: number; answered: number } {
    const uniform = down(levels - 1) + theta;
    let v = [...ahead];
    let answered = 0;
    const mean = uniform * target;
    let logPoisson = -mean;
    let waitingAtT = 0;
    let answeredByT = 0;
    for (let n = 0; n < mean + 20 * Math.sqrt(mean) + 60; n++) {
      const weight = Math.exp(logPoisson);
      waitingAtT += weight * v.reduce((s, q) => s + q, 0);
      answeredByT += weight * answered;
      const next = new Array<number>(levels).fill(0);
      for (let j = 0; j < levels; j++) {
        const q = v[j]!;
        const moveDown = (down(j) / uniform) * q;
        const leave = ownPatience ? (theta / uniform) * q : 0;
        if (j === 0) answered += moveDown;
        else next[j - 1]! += moveDown;
        next[j]! += q - moveDown - leave;
      }
      v = next;
      logPoisson += Math.log(mean) - Math.log(n + 1);
    }
    return { waiting: waitingAtT, answered: answeredByT };
  }
  const patient = transient(false);
  const impatient = transient(true);

  // With competing exponential clocks, holding times do not depend on which clock rings.
  let asaSum = 0;
  let virtualSum = 0;
  let survive = 1;
  let holdImpatient = 0;
  let holdPatient = 0;
  for (let j = 0; j < levels; j++) {
    survive *= down(j) / (down(j) + theta);
    holdImpatient += 1 / (down(j) + theta);
    holdPatient += 1 / down(j);
    asaSum += ahead[j]! * survive * holdImpatient;
    virtualSum += ahead[j]! * holdPatient;
  }
  return {
    waitProbability,
    immediateAnswerProbability,
    abandonProbability,
    strict: 1 - waitProbability + impatient.answered,
    wait: 1 - impatient.waiting,
    virtual: 1 - patient.waiting,
    asa: asaSum / (1 - abandonProbability),
    meanVirtualWait: virtualSum,
  };
}

function close(t: { true(v: boolean, m?: string): void }, label: string, ours: number, ref: number, tol: number): void {
  t.true(Math.abs(ours - ref) <= tol * Math.max(1, Math.abs(ref)), `${label}: ${ours} vs reference ${ref}`);
}

function compare(t: { true(v: boolean, m?: string): void }, ours: ErlangAMetrics, ref: Reference, tol: number): void {
  close(t, 'waitProbability', ours.waitProbability, ref.waitProbability, tol);
  // Relative, not absolute: this is the small number that 1 − waitProbability cannot resolve.
  const ratio = ours.immediateAnswerProbability / ref.immediateAnswerProbability;
  t.true(ref.immediateAnswerProbability < 1e-300 || Math.abs(ratio - 1) <= tol, `immediate answer: ratio ${ratio}`);
  close(t, 'abandonProbability', ours.abandonProbability, ref.abandonProbability, tol);
  close(t, 'strict', ours.serviceLevels.strict, ref.strict, tol);
  close(t, 'wait', ours.serviceLevels.wait, ref.wait, tol);
  close(t, 'virtual', ours.serviceLevels.virtual, ref.virtual, tol);
  close(t, 'answered', ours.serviceLevels.answered, ref.strict / (1 - ref.abandonProbability), tol);
  close(t, 'asa', ours.asa, ref.asa, tol);
  close(t, 'meanVirtualWait', ours.meanVirtualWait, ref.meanVirtualWait, tol);
}

const smallPool = fc.record({
  agents: fc.integer({ min: 1, max: 25 }),
  utilisation: fc.double({ min: 0.05, max: 2.5, noNaN: true }),
  aht: fc.double({ min: 30, max: 600, noNaN: true }),
  patience: fc.double({ min: 10, max: 1200, noNaN: true }),
  target: fc.double({ min: 0, max: 120, noNaN: true }),
});

function inputOf(s: { agents: number; utilisation: number; aht: number; patience: number; target: number }): ErlangAInput {
  return {
    arrivalRate: (s.utilisation * s.agents) / s.aht,
    aht: s.aht,
    agents: s.agents,
    target: s.target,
    patience: s.patience,
  };
}

test('Erlang A agrees with a state-by-state birth–death computation (small pools)', (t) => {
  fc.assert(
    fc.property(smallPool, (s) => {
      const input = inputOf(s);
      compare(t, erlangA(input), referenceErlangA(input), 1e-9);
    }),
    { numRuns: 150 },
  );
});

test('Erlang A agrees with the reference where the largest term is far into the queue', (t) => {
  // λ = 2cμ with patience 50 AHT puts the peak of the queue weights ~2,500 callers deep,
  // beyond the directly summed range, so the Stirling jump is what is being checked.
  for (const [agents, utilisation, patience] of [
    [50, 2, 9000],
    [20, 2, 30_000],
    // Just over capacity with very patient callers: the peak is ~5,000 deep, and the chance of
    // no wait (~5e-8) is sensitive to any error in the size of the queue sum.
    [1000, 1.005, 180_000],
  ] as const) {
    const input = { arrivalRate: (utilisation * agents) / 180, aht: 180, agents, target: 20, patience };
    compare(t, erlangA(input), referenceErlangA(input), 1e-9);
  }
});

const load = fc.double({ min: 0.01, max: 300, noNaN: true });

test('Erlang B is a probability, falls with every line, and never exceeds Erlang C', (t) => {
  fc.assert(
    fc.property(load, fc.integer({ min: 1, max: 400 }), (a, n) => {
      // In logs, because B(0.01, 400) is far below the smallest double.
      const logB = logErlangB(a, n);
      t.true(Number.isFinite(logB) && logB <= 0, `B(${a}, ${n}) = e^${logB}`);
      t.true(logErlangB(a, n + 1) < logB);
      t.true(erlangB(a, n) <= erlangC(a, n));
    }),
  );
});

test('the fewest lines for a blocking goal meet it, and one fewer does not', (t) => {
  fc.assert(
    fc.property(load, fc.double({ min: 1e-6, max: 0.5, noNaN: true }), (a, goal) => {
      const lines = linesForBlocking(a, goal);
      t.true(erlangB(a, lines) <= goal);
      if (lines > 0) t.true(erlangB(a, lines - 1) > goal);
    }),
  );
});

test('Erlang C: more agents never wait more or serve worse', (t) => {
  fc.assert(
    fc.property(load, fc.integer({ min: 1, max: 400 }), fc.double({ min: 0, max: 300, noNaN: true }), (a, n, target) => {
      const traffic = { arrivalRate: a / 100, aht: 100, target };
      const m = erlangCMetrics({ ...traffic, agents: n });
      const more = erlangCMetrics({ ...traffic, agents: n + 1 });
      t.true(m.waitProbability >= 0 && m.waitProbability <= 1 && m.serviceLevel >= 0 && m.serviceLevel <= 1);
      t.true(Math.abs(m.waitProbability + m.immediateAnswerProbability - 1) < 1e-12);
      t.true(more.waitProbability <= m.waitProbability);
      t.true(more.serviceLevel >= m.serviceLevel);
      t.true(more.asa <= m.asa);
    }),
  );
});

const pool = fc.record({
  agents: fc.integer({ min: 1, max: 3000 }),
  utilisation: fc.double({ min: 0.01, max: 3, noNaN: true }),
  aht: fc.double({ min: 10, max: 1800, noNaN: true }),
  patience: fc.double({ min: 1, max: 1e5, noNaN: true }),
  target: fc.double({ min: 0, max: 600, noNaN: true }),
});

test('Erlang A: probabilities in [0, 1], the definitions in their natural order, between B and C', (t) => {
  fc.assert(
    fc.property(pool, (s) => {
      const input = inputOf(s);
      const m = erlangA(input);
      const sl = m.serviceLevels;
      const eps = 1e-12;
      for (const p of [m.waitProbability, m.abandonProbability, m.occupancy, ...Object.values(sl)]) {
        t.true(p >= 0 && p <= 1, JSON.stringify(m));
      }
      // Answered within T implies V <= T, which implies min(V, τ) <= T.
      t.true(sl.strict <= sl.virtual + eps && sl.virtual <= sl.wait + eps, JSON.stringify(sl));
      t.true(sl.strict <= sl.answered + eps && sl.strict <= sl.shortAbandonsExcluded + eps);
      t.true(m.abandonProbability <= m.waitProbability + eps);
      const load = input.arrivalRate * input.aht;
      const rel = 1e-9;
      t.true(erlangB(load, s.agents) <= m.waitProbability * (1 + rel) + eps);
      t.true(m.waitProbability <= erlangC(load, s.agents) * (1 + rel) + eps);
      t.true(Number.isFinite(m.asa) && m.asa >= 0 && m.asa <= m.meanVirtualWait / (1 - m.abandonProbability) + eps);
    }),
  );
});

test('Erlang A: one more agent never makes anything worse', (t) => {
  fc.assert(
    fc.property(pool, (s) => {
      const input = inputOf(s);
      const m = erlangA(input);
      const more = erlangA({ ...input, agents: s.agents + 1 });
      // Service levels are differences of probabilities: exact to ~1e-12 absolute in ordinary
      // loads, ~1e-9 in deep overload with very patient callers (docs/erlang.md), not relative.
      const noWorse = (better: number, worse: number, absolute = 0): boolean =>
        better <= worse * (1 + 1e-9) + absolute;
      t.true(noWorse(more.waitProbability, m.waitProbability));
      t.true(noWorse(more.abandonProbability, m.abandonProbability));
      t.true(noWorse(more.asa, m.asa));
      for (const d of ['strict', 'answered', 'wait', 'virtual', 'shortAbandonsExcluded'] as const) {
        t.true(noWorse(1 - more.serviceLevels[d], 1 - m.serviceLevels[d], 1e-8), `${d}: ${JSON.stringify(s)}`);
      }
    }),
  );
});

test('Erlang A staffing: the answer meets the goal and one agent fewer does not', (t) => {
  fc.assert(
    fc.property(
      fc.double({ min: 0.5, max: 500, noNaN: true }),
      fc.double({ min: 10, max: 1000, noNaN: true }),
      fc.double({ min: 0.5, max: 0.95, noNaN: true }),
      fc.double({ min: 0.005, max: 0.2, noNaN: true }),
      (load, patience, sl, abandon) => {
        const input = { arrivalRate: load / 200, aht: 200, target: 20, patience };
        const goal = { serviceLevel: sl, maxAbandonProbability: abandon };
        const n = agentsForErlangA(input, goal);
        const ok = (m: ErlangAMetrics): boolean => m.serviceLevel >= sl && m.abandonProbability <= abandon;
        t.true(ok(erlangA({ ...input, agents: n })));
        if (n > 1) t.false(ok(erlangA({ ...input, agents: n - 1 })));
      },
    ),
    { numRuns: 50 },
  );
});
