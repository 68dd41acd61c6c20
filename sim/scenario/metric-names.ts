// The metric names a user may write in an SLA and will find in summary.json (DESIGN.md,
// "Metrics"; exact definitions in docs/metrics.md). A name outside this catalog is an error
// with a suggestion, never a threshold that silently passes for lack of data (k6 issue 1526).

import { didYouMean } from './suggest.js';
import { DURATION_EXPECTED, formatDuration, parseDuration } from './units.js';

/** Durations are per call in seconds; counts are plain numbers; rates are ratios in 0..1. */
export type MetricKind = 'duration' | 'count' | 'rate';

export interface MetricInfo {
  readonly name: string;
  readonly kind: MetricKind;
  /** `s` for durations, `rings` for the ring count, `ratio` for rates. */
  readonly unit: 's' | 'rings' | 'ratio';
  /** `duration` when the name takes a parameter, as in `service_level(20s)`. */
  readonly param?: 'duration';
  readonly description: string;
}

const d = (name: string, description: string): MetricInfo => ({ name, kind: 'duration', unit: 's', description });
const r = (name: string, description: string): MetricInfo => ({ name, kind: 'rate', unit: 'ratio', description });

export const METRICS: readonly MetricInfo[] = [
  d('ivr_answer', 'INVITE -> 200 OK from the system'),
  d('post_dial_delay', 'INVITE -> 180 Ringing'),
  d('queue_wait', 'entered an agent queue -> answered by an agent or abandoned (every caller who queued)'),
  d('speed_of_answer', 'entered an agent queue -> answered by an agent (answered calls only)'),
  d('agent_ring', "the agent's phone starts ringing -> the agent answers"),
  d('time_to_abandon', 'entered an agent queue -> hung up before an agent answered'),
  d('talk', 'agent answered -> call ended, time on hold excluded'),
  d('hold', 'total time on hold in one agent-answered call (0 if never held)'),
  d('wrap_up', 'after-call work: call ended -> agent ready again'),
  d('call_duration', 'INVITE -> end of the call (BYE from either side), for every call the system answered'),
  d('callback_delay', 'callback requested -> the callback call answered by the caller'),
  d('ivr_time', 'the IVR answered -> the call left the IVR (to a queue, a transfer, or hung up)'),
  { name: 'agent_ring_rings', kind: 'count', unit: 'rings', description: 'ceil(agent_ring / ring period)' },
  r('connect_rate', 'calls the system answered / calls offered (blocked calls count as not connected)'),
  r('agent_answer_rate', 'answered by an agent / entered an agent queue'),
  r('abandon_rate', 'abandoned in queue / entered an agent queue'),
  r('block_rate', 'refused for lack of trunks / offered'),
  {
    name: 'service_level',
    kind: 'rate',
    unit: 'ratio',
    param: 'duration',
    description: "answered by an agent within T / entered an agent queue (or the scenario's chosen definition)",
  },
  r('occupancy', 'talk + hold + wrap-up time / staffed time'),
  r('redial_rate', 'attempts that were redials / attempts offered'),
  r('unique_caller_connect_rate', 'connect_rate counting each caller once, by their last attempt'),
  r('unique_caller_agent_answer_rate', 'agent_answer_rate counting each caller once, by their last attempt'),
  r('unique_caller_abandon_rate', 'abandon_rate counting each caller once, by their last attempt'),
  r('unique_caller_block_rate', 'block_rate counting each caller once, by their last attempt'),
  r('ivr_containment_rate', 'calls that ended in the IVR after self-service / calls the IVR answered'),
  r('ivr_invalid_rate', 'calls with at least one invalid key / calls the IVR answered'),
  r('ivr_queue_rate', 'calls the IVR sent to an agent queue / calls the IVR answered'),
  r('ivr_transfer_rate', 'calls transferred to another hotline / calls the IVR answered'),
  r('ivr_hangup_rate', 'calls the caller hung up inside the IVR / calls the IVR answered'),
  r('hold_violation_rate', 'agent-answered calls with a hold past the hold limit / agent-answered calls'),
  r('wrap_up_violation_rate', "agent-answered calls whose wrap-up passed the group's limit / agent-answered calls"),
  r('silent_call_rate', 'agent-answered calls in which the caller said nothing / agent-answered calls'),
  r('satisfaction', 'calls rated 4 or 5 / calls rated'),
  r('callback_reach_rate', 'callback tasks in which the callee was reached / callback tasks closed'),
  r('callback_on_time_rate', 'callback tasks reached by their due time / callback tasks closed'),
];

const BY_NAME: ReadonlyMap<string, MetricInfo> = new Map(METRICS.map((m) => [m.name, m]));

/** The catalog entry for a bare name, or undefined. */
export function metricInfo(name: string): MetricInfo | undefined {
  return BY_NAME.get(name);
}

/** A metric as an SLA or a report refers to it. */
export interface MetricRef {
  readonly name: string;
  readonly kind: MetricKind;
  /** Seconds: T of `service_level(T)`; undefined for bare `service_level` (the scenario's T). */
  readonly param?: number;
  /** Canonical, as summary.json keys it: `service_level(20s)`, `service_level`, `queue_wait`. */
  readonly key: string;
}

/** A metric name that is not in the catalog or has a bad parameter. */
export class MetricNameError extends Error {
  override readonly name = 'MetricNameError';
  // `declare`: absent stays absent (no own property set to undefined).
  declare readonly expected?: string;
  declare readonly hint?: string;
  constructor(
    /** What is wrong, without `expected` and `hint`. */
    readonly reason: string,
    /** 0-based index in the written name where the problem starts. */
    readonly offset: number,
    expected?: string,
    hint?: string,
  ) {
    super(composeMessage(reason, expected, hint));
    if (expected !== undefined) this.expected = expected;
    if (hint !== undefined) this.hint = hint;
  }
}

/** `reason; expected X (hint)`, the same shape as formatIssue in errors.ts. */
export function composeMessage(reason: string, expected?: string, hint?: string): string {
  let text = reason;
  if (expected) text += `; expected ${expected}`;
  if (hint) text += ` (${hint})`;
  return text;
}

const METRIC_EXPECTED = 'a metric name from docs/metrics.md';
/** Names people bring from other tools. */
const ALIASES: Readonly<Record<string, string>> = {
  asa: 'use `speed_of_answer`, e.g. `avg < 20s`',
  sl: 'use `service_level(20s)`, or `service_level` for the scenario\'s T',
  aht: 'handle time has no single metric; put SLAs on `talk`, `hold` and `wrap_up`',
  wait: 'did you mean `queue_wait`?',
};

/**
 * Parses `queue_wait`, `service_level`, `service_level(20s)`. Whitespace around the name and
 * inside the parentheses is allowed. Throws MetricNameError with an offset into `written`.
 */
export function parseMetricName(written: string): MetricRef {
  const lead = written.length - written.trimStart().length;
  if (lead === written.length) throw new MetricNameError('empty metric name', 0, METRIC_EXPECTED);
  const open = written.indexOf('(', lead);
  const nameText = written.slice(lead, open < 0 ? written.length : open).trimEnd();
  if (nameText === '') {
    throw new MetricNameError(`missing metric name before "(" in ${quote(written)}`, lead, METRIC_EXPECTED);
  }
  const info = BY_NAME.get(nameText);
  if (!info) {
    // `queue wait`, `Queue-Wait`: suggest from the name as people meant it.
    const hint = suggestMetric(nameText.replace(/[\s-]+/g, '_'));
    throw new MetricNameError(`unknown metric ${quote(nameText)}`, lead, METRIC_EXPECTED, hint);
  }
  if (open < 0) return { name: info.name, kind: info.kind, key: info.name };
  if (info.param === undefined) {
    throw new MetricNameError(
      `${info.name} takes no parameter, but ${quote(written)} gives one at column ${open + 1}`,
      open,
      `just \`${info.name}\``,
    );
  }
  const close = written.indexOf(')', open + 1);
  if (close < 0) throw new MetricNameError(`unclosed "(" at column ${open + 1} in ${quote(written)}`, open, 'a closing ")"');
  const tailAt = close + 1 + (written.slice(close + 1).length - written.slice(close + 1).trimStart().length);
  if (tailAt < written.length) {
    throw new MetricNameError(
      `unexpected ${quote(firstToken(written.slice(tailAt)))} at column ${tailAt + 1} in ${quote(written)}`,
      tailAt,
      'the end of the metric name',
    );
  }
  const paramText = written.slice(open + 1, close);
  const inner = paramText.trim();
  const innerAt = open + 1 + (paramText.length - paramText.trimStart().length);
  const seconds = inner === '' ? undefined : parseDuration(inner);
  if (seconds === undefined || !Number.isFinite(seconds)) {
    throw new MetricNameError(
      inner === ''
        ? `${info.name}() needs a duration T in ${quote(written)}`
        : `bad duration ${quote(inner)} at column ${innerAt + 1} in ${quote(written)}`,
      innerAt,
      DURATION_EXPECTED,
      `e.g. \`${info.name}(20s)\`; a bare \`${info.name}\` uses the scenario's T`,
    );
  }
  // The key carries formatDuration's precision, so T is taken as the key says it (and refused
  // if that would move it), at formatDuration's fixpoint (3455999.9965 -> `3456000s` -> `40d`):
  // formatDuration(param) is then the key, whoever computes it.
  const rounded = parseDuration(formatDuration(seconds));
  const canonical = rounded === undefined ? undefined : formatDuration(rounded);
  const param = canonical === undefined ? undefined : parseDuration(canonical);
  if (param === undefined || param !== rounded || !(Math.abs(param - seconds) <= 1e-9 * Math.max(1, seconds))) {
    throw new MetricNameError(
      `${quote(inner)} in ${quote(written)} is more precise than metric keys can carry`,
      innerAt,
      undefined,
      param === undefined ? undefined : `write \`${info.name}(${canonical!})\``,
    );
  }
  return { name: info.name, kind: info.kind, param, key: `${info.name}(${canonical!})` };
}

/**
 * Canonical key for `service_level(T)`, T in seconds: what the metrics module must record it
 * under, and what an SLA on `service_level(T)` or bare `service_level` looks up.
 */
export function serviceLevelKey(seconds: number): string {
  const rounded = parseDuration(formatDuration(seconds));
  return `service_level(${formatDuration(rounded ?? seconds)})`;
}

/** A "did you mean" for an unknown name, or undefined when nothing is close. */
export function suggestMetric(written: string): string | undefined {
  const lower = written.toLowerCase();
  const alias = ALIASES[lower];
  if (alias) return alias;
  const near = didYouMean(lower, METRICS.map((m) => m.name));
  if (near) return near;
  if (lower.length >= 4) {
    const containing = METRICS.map((m) => m.name).filter((n) => n.includes(lower)).slice(0, 3);
    if (containing.length > 0) return `did you mean ${containing.map((n) => `\`${n}\``).join(' or ')}?`;
  }
  return undefined;
}

/** Input quoted for a message: JSON quoting shows blanks and control characters plainly; long input is cut. */
export function quote(text: string, max = 80): string {
  const chars = [...text];
  return JSON.stringify(chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : text);
}

/** The next whitespace-delimited chunk of `text`, for "unexpected X" (at most 20 characters). */
export function firstToken(text: string): string {
  const t = text.trimStart();
  const m = /^\S+/.exec(t);
  const tok = m ? m[0] : t;
  return tok.length > 20 ? `${tok.slice(0, 20)}…` : tok;
}
