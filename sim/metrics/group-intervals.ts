// Agent time per group (`center/group`) per interval: seconds working and seconds staffed,
// cut from the same work and staffed spans as the per-center series, so that occupancy can be
// shown by group and hour. Two arrays per group, indexed like IntervalSeries (same length,
// same duration), so memory is bounded by groups x intervals, never by calls. Plain fields
// only (numbers, Maps of Float64Array), so collector-snapshot.ts carries it to and from workers.

import type { AgentSpan } from '../acd/records.js';
import { naturalCompare } from './scorecard.js';

/** One group's time averages per interval in summary.json; index i is `intervals.rows[i]`. */
export interface GroupIntervalFigures {
  readonly center: string;
  readonly group: string;
  /** Time-average number of the group's agents working on a call (per replication). */
  readonly agentsBusy: readonly number[];
  /** Time-average number of the group's agents staffed (per replication). */
  readonly agentsStaffed: readonly number[];
  /** agentsBusy / agentsStaffed; NaN (null in JSON) where nobody was staffed. */
  readonly occupancy: readonly number[];
}

export class GroupIntervals {
  readonly count: number;
  /** Agent-seconds of work per interval, by `center/group`. */
  readonly busy = new Map<string, Float64Array>();
  /** Agent-seconds staffed per interval, by `center/group`. */
  readonly staffedTime = new Map<string, Float64Array>();

  constructor(
    /** Seconds per interval (the collector's effective interval). */
    readonly length: number,
    /** The run's length: intervals cover [0, duration). */
    readonly duration: number,
  ) {
    this.count = Math.max(1, Math.ceil(duration / length - 1e-9));
  }

  work(span: AgentSpan): void {
    this.spread(this.of(this.busy, span), span.start, span.end);
  }

  staffed(span: AgentSpan): void {
    this.spread(this.of(this.staffedTime, span), span.start, span.end);
  }

  /** Adds another run's figures (same length and duration) into these. */
  merge(other: GroupIntervals): void {
    for (const [mine, theirs] of [
      [this.busy, other.busy],
      [this.staffedTime, other.staffedTime],
    ] as const) {
      for (const [key, values] of theirs) {
        let into = mine.get(key);
        if (!into) mine.set(key, (into = new Float64Array(this.count)));
        for (let i = 0; i < this.count; i++) into[i]! += values[i] ?? 0;
      }
    }
  }

  /** summary.json `groupIntervals`: keys sorted (`c/g/2` before `c/g/10`); time averages per replication. */
  figures(replications: number): Record<string, GroupIntervalFigures> {
    const keys = [...new Set([...this.busy.keys(), ...this.staffedTime.keys()])].sort(naturalCompare);
    const out: Record<string, GroupIntervalFigures> = {};
    for (const key of keys) {
      const busy = this.busy.get(key);
      const staffed = this.staffedTime.get(key);
      const agentsBusy: number[] = [];
      const agentsStaffed: number[] = [];
      const occupancy: number[] = [];
      for (let i = 0; i < this.count; i++) {
        const seconds = (Math.min((i + 1) * this.length, this.duration) - i * this.length) * replications;
        const b = seconds > 0 ? (busy?.[i] ?? 0) / seconds : NaN;
        const s = seconds > 0 ? (staffed?.[i] ?? 0) / seconds : NaN;
        agentsBusy.push(b);
        agentsStaffed.push(s);
        occupancy.push(s > 0 ? b / s : NaN);
      }
      const slash = key.lastIndexOf('/');
      out[key] = { center: key.slice(0, slash), group: key.slice(slash + 1), agentsBusy, agentsStaffed, occupancy };
    }
    return out;
  }

  private of(map: Map<string, Float64Array>, span: AgentSpan): Float64Array {
    const key = `${span.center}/${span.group}`;
    let a = map.get(key);
    if (!a) map.set(key, (a = new Float64Array(this.count)));
    return a;
  }

  /** Adds the part of [start, end] inside each interval (and inside the run) to `into`. */
  private spread(into: Float64Array, start: number, end: number): void {
    const from = Math.max(start, 0);
    const to = Math.min(end, this.duration);
    if (!(to > from)) return;
    const index = (t: number): number => Math.min(this.count - 1, Math.max(0, Math.floor(t / this.length)));
    const last = index(to);
    for (let i = index(from); i <= last; i++) {
      const s = Math.max(from, i * this.length);
      const e = Math.min(to, (i + 1) * this.length, this.duration);
      if (e > s) into[i]! += e - s;
    }
  }
}
