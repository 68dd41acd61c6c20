import test from 'ava';
import { distribution, type DistributionSpec } from './distributions.js';
import { RandomStreams } from './random.js';

function moments(spec: DistributionSpec, n = 200_000): { mean: number; sd: number; min: number } {
  const d = distribution(spec);
  const rng = new RandomStreams(3).stream(spec.kind);
  let s = 0;
  let ss = 0;
  let min = Infinity;
  for (let i = 0; i < n; i++) {
    const x = d.sample(rng);
    s += x;
    ss += x * x;
    min = Math.min(min, x);
  }
  const mean = s / n;
  return { mean, sd: Math.sqrt(ss / n - mean * mean), min };
}

const cases: [DistributionSpec, number, number][] = [
  [{ kind: 'exponential', mean: 90 }, 90, 90],
  [{ kind: 'lognormal', mean: 240, sd: 120 }, 240, 120],
  [{ kind: 'gamma', mean: 240, cv: 0.5 }, 240, 120],
  [{ kind: 'gamma', mean: 60, cv: 2 }, 60, 120],
  [{ kind: 'uniform', min: 10, max: 30 }, 20, 20 / Math.sqrt(12)],
  [{ kind: 'constant', value: 30 }, 30, 0],
  [{ kind: 'empirical', values: [10, 20, 60], weights: [1, 2, 1] }, 27.5, Math.sqrt((100 + 2 * 400 + 3600) / 4 - 27.5 ** 2)],
];

for (const [spec, mean, sd] of cases) {
  test(`${spec.kind} ${JSON.stringify(spec)} has mean ${mean} and sd ${sd.toFixed(2)}`, (t) => {
    const m = moments(spec);
    const d = distribution(spec);
    t.true(Math.abs(d.mean - mean) < 1e-9, 'declared mean');
    t.true(Math.abs(d.scv - (sd / mean) ** 2) < 1e-9, 'declared squared cv');
    // 200,000 draws: the sample mean is within ~5 standard errors, the sd within ~3 %.
    t.true(Math.abs(m.mean - mean) <= 5 * (sd / Math.sqrt(200_000)) + 1e-9, `mean ${m.mean}`);
    t.true(Math.abs(m.sd - sd) <= 0.03 * sd + 1e-9, `sd ${m.sd}`);
    t.true(m.min >= 0);
  });
}
