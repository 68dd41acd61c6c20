// The whole state of a metrics object graph as plain data, for tests that compare two
// collectors, walked independently of the snapshot codec and of merge().

import { encodeHistogram, isHistogram } from './duration-metric.js';

/**
 * Class names, every own property (enumerable or not), Map and Set contents, typed arrays by
 * value, histograms by their encoding. Two collectors with equal `state` have counted exactly
 * the same things.
 */
export function state(x: unknown): unknown {
  if (typeof x !== 'object' || x === null) return x;
  if (isHistogram(x)) return { histogram: encodeHistogram(x), total: x.totalCount };
  if (x instanceof Map) return { Map: [...x].map(([k, v]) => [state(k), state(v)]) };
  if (x instanceof Set) return { Set: [...x].map(state) };
  if (ArrayBuffer.isView(x)) return { [x.constructor.name]: Array.from(x as Float64Array) };
  if (Array.isArray(x)) return x.map(state);
  const fields: Record<string, unknown> = {};
  for (const k of Object.getOwnPropertyNames(x)) fields[k] = state((x as Record<string, unknown>)[k]);
  return { [(x as object).constructor?.name ?? 'null']: fields };
}
