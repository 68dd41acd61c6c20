// 95 % confidence intervals across independent replications: Student's t on the
// replication means. Each replication is one observation, so the interval is honest
// about correlation inside a run (which per-call standard errors would hide).

// t(0.975, df) for df = 1..30.
const T975 = [
  12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11,
  2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042,
];

/** The 97.5 % quantile of Student's t with `df` degrees of freedom. */
export function tQuantile975(df: number): number {
  if (df < 1) return NaN;
  if (df <= 30) return T975[Math.floor(df) - 1]!;
  // Cornish-Fisher expansion around the normal quantile; error < 1e-4 for df > 30.
  const z = 1.959964;
  const z3 = z ** 3;
  const z5 = z ** 5;
  const z7 = z ** 7;
  return z + (z3 + z) / (4 * df) + (5 * z5 + 16 * z3 + 3 * z) / (96 * df ** 2) + (3 * z7 + 19 * z5 + 17 * z3 - 15 * z) / (384 * df ** 3);
}

export interface Interval {
  readonly mean: number;
  /** Standard error of the mean. */
  readonly stderr: number;
  readonly low: number;
  readonly high: number;
  readonly n: number;
}

/** Mean and 95 % interval of independent observations (NaN values are skipped); undefined with fewer than 2. */
export function confidenceInterval(values: readonly number[]): Interval | undefined {
  const xs = values.filter((v) => Number.isFinite(v));
  const n = xs.length;
  if (n < 2) return undefined;
  const mean = xs.reduce((a, b) => a + b, 0) / n;
  const variance = xs.reduce((a, x) => a + (x - mean) ** 2, 0) / (n - 1);
  const stderr = Math.sqrt(variance / n);
  const half = tQuantile975(n - 1) * stderr;
  return { mean, stderr, low: mean - half, high: mean + half, n };
}
