// One per-call quantity (a wait, a talk time, a ring count): exact count, sum, min and
// max, plus an HDR histogram (3 significant digits) for percentiles. Values are stored in
// the histogram in integer micro-units (microseconds for times) so sub-second SIP timings
// keep their precision; counts of rings are stored as they are. A histogram crosses a
// worker boundary as its compressed encoding (encodeHistogram / decodeHistogram), which
// is lossless: the decoded histogram counts exactly what the original did.

import hdr from 'hdr-histogram-js';

let wasmReady = false;
function ensureWasm(): void {
  if (!wasmReady) {
    hdr.initWebAssemblySync();
    wasmReady = true;
  }
}

/** Whether `value` is an HDR histogram (the kind DurationMetric keeps). */
export function isHistogram(value: unknown): value is hdr.Histogram {
  return value instanceof hdr.WasmHistogram || value instanceof hdr.JsHistogram;
}

/** The histogram's compressed encoding (HdrHistogram V2, deflated, base64). */
export function encodeHistogram(histogram: hdr.Histogram): string {
  return hdr.encodeIntoCompressedBase64(histogram);
}

/** A WebAssembly histogram from its compressed encoding, growing on demand as DurationMetric's own do. */
export function decodeHistogram(encoded: string): hdr.Histogram {
  ensureWasm();
  const histogram = hdr.decodeFromCompressedBase64(encoded, 32, true);
  histogram.autoResize = true;
  return histogram;
}

export type DurationUnit = 's' | 'rings';

export class DurationMetric {
  readonly histogram: hdr.Histogram;
  /** Histogram units per metric unit: 1e6 for seconds (µs), 1 for rings. */
  readonly scale: number;
  count = 0;
  sum = 0;
  sumSquares = 0;
  min = Infinity;
  max = -Infinity;

  constructor(readonly unit: DurationUnit) {
    ensureWasm();
    this.scale = unit === 's' ? 1e6 : 1;
    this.histogram = hdr.build({
      useWebAssembly: true,
      numberOfSignificantValueDigits: 3,
      lowestDiscernibleValue: 1,
      highestTrackableValue: 2 ** 42,
      autoResize: true,
    });
  }

  record(value: number): void {
    if (!(value >= 0) || value === Infinity) return;
    this.count++;
    this.sum += value;
    this.sumSquares += value * value;
    if (value < this.min) this.min = value;
    if (value > this.max) this.max = value;
    this.histogram.recordValue(Math.round(value * this.scale));
  }

  get mean(): number {
    return this.count > 0 ? this.sum / this.count : NaN;
  }

  /** The q-th percentile (0 < q <= 100), within the histogram's 3-digit precision, clamped to the exact min and max. */
  percentile(q: number): number {
    if (this.count === 0) return NaN;
    if (q >= 100) return this.max;
    const v = this.histogram.getValueAtPercentile(q) / this.scale;
    return Math.min(this.max, Math.max(this.min, v));
  }

  /** Adds another metric's observations (same unit) into this one. */
  merge(other: DurationMetric): void {
    this.count += other.count;
    this.sum += other.sum;
    this.sumSquares += other.sumSquares;
    this.min = Math.min(this.min, other.min);
    this.max = Math.max(this.max, other.max);
    this.histogram.add(other.histogram);
  }

  /** Frees the WebAssembly memory behind the histogram. */
  destroy(): void {
    this.histogram.destroy();
  }
}
