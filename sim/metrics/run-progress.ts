// Where a run stands, for the progress bar of `callsim run`: simulated time and calls of
// every replication (in-process or on workers), replications done, and one line of text
// with a bar and an ETA. Pure: the caller passes the wall-clock seconds elapsed, since
// nothing under sim/ reads the clock.

import type { ReplicationProgress } from './simulate.js';

export interface ProgressStyle {
  /** Terminal columns available. */
  readonly width: number;
  /** ANSI colour for the bar. */
  readonly color: boolean;
}

/** `93 s`, `4.2 min`, `3.5 h`, `12 d`: a short span of simulated or wall time. */
export function shortSpan(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  if (seconds < 100) return `${Math.round(seconds)} s`;
  if (seconds < 6000) return `${(seconds / 60).toFixed(1)} min`;
  if (seconds < 172_800) return `${(seconds / 3600).toFixed(1)} h`;
  return `${(seconds / 86_400).toFixed(1)} d`;
}

export class RunProgress {
  private readonly time: Float64Array;
  private readonly calls: Float64Array;
  private readonly done: Uint8Array;

  constructor(
    readonly replications: number,
    /** Simulated seconds of arrivals per replication (the scenario's duration). */
    readonly duration: number,
  ) {
    this.time = new Float64Array(replications);
    this.calls = new Float64Array(replications);
    this.done = new Uint8Array(replications);
  }

  /** A replication's latest figures; ignored once it has ended. */
  update(p: ReplicationProgress): void {
    const i = p.index;
    if (i < 0 || i >= this.replications || this.done[i]) return;
    this.time[i] = Math.min(p.time, this.duration);
    this.calls[i] = p.calls;
    if (p.done) this.end(i, p.calls);
  }

  /** A replication has ended (completed, or stopped and kept as partial). */
  end(index: number, calls: number): void {
    if (index < 0 || index >= this.replications) return;
    this.done[index] = 1;
    this.time[index] = this.duration;
    this.calls[index] = calls;
  }

  get completed(): number {
    return this.done.reduce((a, d) => a + d, 0);
  }

  get totalCalls(): number {
    return this.calls.reduce((a, c) => a + c, 0);
  }

  /** Simulated seconds so far, all replications together (the drain after the end not counted). */
  get simulated(): number {
    return this.time.reduce((a, t) => a + t, 0);
  }

  /** 0..1 of the simulated time the run will cover. */
  get fraction(): number {
    const total = this.replications * this.duration;
    return total > 0 ? Math.min(1, this.simulated / total) : 0;
  }

  /** Seconds of wall time left, extrapolated from `elapsed`; NaN until there is enough to go by. */
  eta(elapsed: number): number {
    const f = this.fraction;
    return f >= 0.01 ? (elapsed * (1 - f)) / f : NaN;
  }

  /**
   * `[#####-----]  42% | 3/8 replications | 33.6 d of 80.0 d simulated | 1,234,567 calls | ETA 12 s`,
   * cut to the width: the simulated time goes first, then the calls, then the bar shrinks.
   */
  line(elapsed: number, style: ProgressStyle): string {
    const f = this.fraction;
    const eta = this.eta(elapsed);
    const head = `${Math.floor(f * 100)}%`.padStart(4);
    const reps = this.replications > 1 ? ` | ${this.completed}/${this.replications} replications` : '';
    const tail = ` | ETA ${Number.isNaN(eta) ? '...' : shortSpan(eta)}`;
    const optional = [
      ` | ${shortSpan(this.simulated)} of ${shortSpan(this.replications * this.duration)} simulated`,
      ` | ${Math.round(this.totalCalls).toLocaleString('en-US')} calls`,
    ];
    const room = style.width - 1;
    const MIN_BAR = 10;
    let text = head + reps + optional.join('') + tail;
    while (optional.length > 0 && text.length + MIN_BAR + 3 > room) {
      optional.shift();
      text = head + reps + optional.join('') + tail;
    }
    const barWidth = Math.min(30, room - text.length - 3);
    if (barWidth < 1) return text.slice(0, Math.max(0, room));
    const filled = Math.round(f * barWidth);
    const bar = `${'#'.repeat(filled)}${'-'.repeat(barWidth - filled)}`;
    return `[${style.color ? `\u001b[36m${bar}\u001b[0m` : bar}] ${text}`;
  }
}
