// The agent scorecard of seed 001, per agent and per group: calls answered, the share
// answered within the ring limit (3 rings by default; seed 002 says 2), holds that passed
// the hold limit without the agent coming back, wrap-ups over the group's limit (seed
// 002: 30 s), occupancy and calls let ring out. One entry per agent, so memory is bounded
// by the staff, not by the calls.

import type { AgentEvent, AgentSpan, CallRecord } from '../acd/records.js';
import { ringsOf, wrapUpOverLimit } from './call-metrics.js';

/** Default ring limit of the scorecard: seeds 000 and 001 say 3 rings. */
export const DEFAULT_RING_LIMIT = 3;

export class AgentStats {
  answered = 0;
  /** Answered with agent_ring_rings <= the ring limit. */
  withinRingLimit = 0;
  /** Holds past the limit, summed over calls. */
  holdViolations = 0;
  /** Wrap-ups longer than the group's limit. */
  wrapUpViolations = 0;
  busyTime = 0;
  staffedTime = 0;
  ringNoAnswers = 0;
  rated = 0;
  ratingSum = 0;
  constructor(
    readonly agent: string,
    readonly group: string,
    readonly center: string,
  ) {}

  add(o: AgentStats): void {
    this.answered += o.answered;
    this.withinRingLimit += o.withinRingLimit;
    this.holdViolations += o.holdViolations;
    this.wrapUpViolations += o.wrapUpViolations;
    this.busyTime += o.busyTime;
    this.staffedTime += o.staffedTime;
    this.ringNoAnswers += o.ringNoAnswers;
    this.rated += o.rated;
    this.ratingSum += o.ratingSum;
  }
}

export class Scorecard {
  readonly agents = new Map<string, AgentStats>();

  constructor(
    readonly ringLimit: number,
    readonly ringPeriod: number,
  ) {}

  private of(agent: string, group: string, center: string): AgentStats {
    let s = this.agents.get(agent);
    if (!s) this.agents.set(agent, (s = new AgentStats(agent, group, center)));
    return s;
  }

  /** An agent-answered call counted after the warm-up; `wrapUpLimit` is the agent's group's. */
  call(r: CallRecord, wrapUpLimit: number): void {
    if (r.outcome !== 'answered' || r.agent === '') return;
    const s = this.of(r.agent, r.group, r.center);
    s.answered++;
    if (ringsOf(r.answered - r.ringStart, this.ringPeriod) <= this.ringLimit) s.withinRingLimit++;
    if (r.holdViolations > 0) s.holdViolations += r.holdViolations;
    if (wrapUpOverLimit(r, wrapUpLimit)) s.wrapUpViolations++;
    if (r.rating >= 1) {
      s.rated++;
      s.ratingSum += r.rating;
    }
  }

  /** Agent time already clipped to the counted window. */
  work(span: AgentSpan, seconds: number): void {
    this.of(span.agent, span.group, span.center).busyTime += seconds;
  }

  staffed(span: AgentSpan, seconds: number): void {
    this.of(span.agent, span.group, span.center).staffedTime += seconds;
  }

  event(e: AgentEvent): void {
    if (e.kind === 'ring-no-answer') this.of(e.agent, e.group, e.center).ringNoAnswers++;
  }

  merge(other: Scorecard): void {
    for (const [id, o] of other.agents) this.of(id, o.group, o.center).add(o);
  }
}

/** One line of the scorecard (an agent, or a group's agents together). */
export interface ScoreFigures {
  readonly center: string;
  readonly group: string;
  readonly answered: number;
  readonly answeredWithinRingLimit: number;
  /** answeredWithinRingLimit / answered. */
  readonly ringLimitShare: number;
  readonly holdViolations: number;
  readonly wrapUpViolations: number;
  /** wrapUpViolations / answered. */
  readonly wrapUpViolationShare: number;
  readonly busyTime: number;
  readonly staffedTime: number;
  /** busyTime / staffedTime. */
  readonly occupancy: number;
  readonly ringNoAnswers: number;
  readonly rated: number;
  /** Mean rating 1..5 of the rated calls. */
  readonly meanRating: number;
}

export interface AgentScore extends ScoreFigures {
  readonly agent: string;
}

export interface GroupScore extends ScoreFigures {
  readonly agents: number;
  /** The group's wrap-up limit (seconds) the violations were counted against. */
  readonly wrapUpLimit: number;
}

export interface ScorecardSummary {
  /** An answer within this many rings counts as on time. */
  readonly ringLimit: number;
  readonly groups: readonly GroupScore[];
  readonly agents: readonly AgentScore[];
}

/** Orders `a/b/10` after `a/b/9`: digit runs compare as numbers; otherwise by code unit (locale-free). */
export function naturalCompare(a: string, b: string): number {
  const re = /(\d+)|(\D+)/g;
  const pa = a.match(re) ?? [];
  const pb = b.match(re) ?? [];
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    const x = pa[i]!;
    const y = pb[i]!;
    if (x === y) continue;
    const nx = /^\d/.test(x);
    const ny = /^\d/.test(y);
    if (nx && ny) {
      const d = Number(x) - Number(y);
      if (d !== 0) return d;
    }
    return x < y ? -1 : 1;
  }
  return pa.length - pb.length || (a < b ? -1 : a > b ? 1 : 0);
}

function figures(s: AgentStats): ScoreFigures {
  return {
    center: s.center,
    group: s.group,
    answered: s.answered,
    answeredWithinRingLimit: s.withinRingLimit,
    ringLimitShare: s.answered > 0 ? s.withinRingLimit / s.answered : NaN,
    holdViolations: s.holdViolations,
    wrapUpViolations: s.wrapUpViolations,
    wrapUpViolationShare: s.answered > 0 ? s.wrapUpViolations / s.answered : NaN,
    busyTime: s.busyTime,
    staffedTime: s.staffedTime,
    occupancy: s.staffedTime > 0 ? s.busyTime / s.staffedTime : NaN,
    ringNoAnswers: s.ringNoAnswers,
    rated: s.rated,
    meanRating: s.rated > 0 ? s.ratingSum / s.rated : NaN,
  };
}

/** summary.json `scorecard` from a pooled scorecard; `wrapUpLimit` looks up a group's limit. */
export function scorecardSummary(card: Scorecard, wrapUpLimit: (center: string, group: string) => number): ScorecardSummary {
  const ids = [...card.agents.keys()].sort(naturalCompare);
  const groups = new Map<string, { stats: AgentStats; agents: number }>();
  const agents: AgentScore[] = [];
  for (const id of ids) {
    const s = card.agents.get(id)!;
    agents.push({ agent: id, ...figures(s) });
    const key = `${s.center}/${s.group}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { stats: new AgentStats(key, s.group, s.center), agents: 0 }));
    g.stats.add(s);
    g.agents++;
  }
  return {
    ringLimit: card.ringLimit,
    groups: [...groups.keys()].sort(naturalCompare).map((key) => {
      const g = groups.get(key)!;
      const { center, group, ...rest } = figures(g.stats);
      return { center, group, agents: g.agents, wrapUpLimit: wrapUpLimit(center, group), ...rest };
    }),
    agents,
  };
}
