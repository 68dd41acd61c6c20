// Rules of the scenario format that span several fields, beside the per-field schema:
// warm-up inside the run, an interval no longer than the run and not so short that the
// per-interval results outgrow memory, arrivals as a rate or a
// profile (not both) with steps in time order, unique ids, default group ids, and SLA
// expressions compiled while loading so that an unknown metric is an error with a
// position, never a check that silently passes.

import { isScalar, isSeq } from 'yaml';
import type { ArrivalSpec } from '../kernel/arrivals.js';
import { INVALID, type Checked, type Cursor } from './cursor.js';
import { MAX_INTERVAL_ROWS } from './limits.js';
import type { Entry } from './schema-shapes.js';
import { compileSla, SlaError } from './sla-grammar.js';
import type { Arrivals, Center, SlaSpec } from './types.js';
import { formatClock, formatDuration } from './units.js';

/** A value with the cursor it was read at, for checks that point back into the source. */
export interface Located<T> {
  readonly value: T;
  readonly cur: Cursor;
}

export function located<T>(value: T, cur: Cursor): Located<T> {
  return { value, cur };
}

/** Calls before the end of the warm-up are not counted, so it must end before the run does. */
export function checkWarmup(run: { readonly duration?: number; readonly warmup?: number }, cur: Cursor): boolean {
  if (run.warmup === undefined || run.duration === undefined || run.warmup < run.duration) return true;
  const warmup = cur.key('warmup');
  const elsewhere = durationElsewhere(cur, warmup);
  warmup.issue(`the warm-up (${formatDuration(run.warmup)}) is not shorter than the run (${formatDuration(run.duration)}${elsewhere})`, {
    expected: 'a duration shorter than `duration`',
  });
  return false;
}

/**
 * The run's length may come from another file than the key an issue is said at (`--set
 * duration=...`, or a file's `interval` against the flag's `duration`): `, \`duration\` at
 * FILE:LINE:COLUMN` then, so that the message names both places; '' when both are in one file.
 */
function durationElsewhere(cur: Cursor, at: Cursor): string {
  const duration = cur.key('duration');
  const d = duration.node === undefined ? undefined : duration.pos;
  return d !== undefined && d.file !== at.pos.file ? `, \`duration\` at ${d.file}:${d.line}:${d.column}` : '';
}

/** Per-interval results need at least one whole interval in the run. */
export function checkInterval(run: { readonly duration?: number; readonly interval?: number }, cur: Cursor): boolean {
  if (run.interval === undefined || run.duration === undefined || run.interval <= run.duration) return true;
  const interval = cur.key('interval');
  interval.issue(`the interval (${formatDuration(run.interval)}) is longer than the run (${formatDuration(run.duration)}${durationElsewhere(cur, interval)})`, {
    expected: 'a duration > 0 and no longer than `duration`',
  });
  return false;
}

/**
 * Every interval holds a row of results for the whole platform, one per center and one per
 * agent group: MAX_INTERVAL_ROWS of them at most in a run, said at `interval` with the
 * shortest interval that fits.
 */
export function checkIntervalRows(
  run: { readonly duration?: number; readonly interval?: number; readonly centers?: readonly Center[] },
  cur: Cursor,
): boolean {
  if (run.interval === undefined || run.duration === undefined || run.centers === undefined || run.interval > run.duration) return true;
  const groups = run.centers.reduce((n, c) => n + c.groups.length, 0);
  const perInterval = 1 + run.centers.length + groups;
  const intervals = Math.ceil(run.duration / run.interval - 1e-9);
  if (intervals * perInterval <= MAX_INTERVAL_ROWS) return true;
  const shortest = Math.ceil(((run.duration * perInterval) / MAX_INTERVAL_ROWS) * 1000) / 1000;
  const interval = cur.key('interval');
  interval.issue(
    `${formatDuration(run.interval)} makes ${intervals.toLocaleString('en-US')} intervals in ${formatDuration(run.duration)}${durationElsewhere(cur, interval)}, each with ${perInterval} rows of results ` +
      `(the platform, ${run.centers.length} center${run.centers.length === 1 ? '' : 's'}, ${groups} agent group${groups === 1 ? '' : 's'}): ` +
      `${(intervals * perInterval).toLocaleString('en-US')}, more than ${MAX_INTERVAL_ROWS.toLocaleString('en-US')}`,
    { expected: `an interval of at least ${formatDuration(shortest)} for this run (or a shorter \`duration\`)` },
  );
  return false;
}

const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type DayFactors = { readonly [D in (typeof DAYS)[number]]: number };

type Step = Located<{ readonly at: number; readonly rate: number }>;

export interface ArrivalsWritten {
  readonly rate: number | undefined;
  readonly profile: readonly Step[] | undefined;
  readonly days: DayFactors;
  readonly scale: number;
}

/** One of `rate` or `profile`, judged on what was written (a bad rate still counts as given). */
export function checkRateOrProfile(_: unknown, cur: Cursor): boolean {
  const rate = cur.key('rate');
  const profile = cur.key('profile');
  const given = (c: Cursor): boolean => c.node !== undefined && !(isScalar(c.node) && c.node.value === null);
  if (given(rate) && given(profile)) {
    profile.issue('`rate` and `profile` are both given', { expected: 'one of `rate` or `profile`', pos: profile.keyPos });
    return false;
  }
  if (!given(rate) && !given(profile)) {
    cur.issue('`arrivals` needs `rate` or `profile`', {
      expected: 'a constant `rate` such as `100/30m`, or a time-of-day `profile`',
    });
    return false;
  }
  return true;
}

/** Profile steps start at midnight and go strictly forward in time. */
export function checkProfileOrder(steps: readonly (Step | undefined)[]): boolean {
  let ok = true;
  let before: Step | undefined;
  steps.forEach((step, i) => {
    if (!step) return;
    const at = step.cur.key('at');
    if (i === 0 && step.value.at !== 0) {
      at.issue('the first step must start at midnight', { expected: '`"00:00"`' });
      ok = false;
    }
    if (before && step.value.at <= before.value.at) {
      at.issue('steps must be in increasing time order', { expected: `a time after the step before (${formatClock(before.value.at)})` });
      ok = false;
    }
    before = step;
  });
  return ok;
}

/** The kernel's arrival process; checked already, so this only builds. */
export function buildArrivals(a: ArrivalsWritten): Arrivals {
  const dayFactors = DAYS.map((d) => a.days[d]);
  if (a.rate !== undefined) {
    // A constant rate on a week with uneven days is a one-step profile.
    const process: ArrivalSpec = dayFactors.every((f) => f === 1)
      ? { kind: 'poisson', rate: a.rate }
      : { kind: 'profile', steps: [{ at: 0, rate: a.rate }], dayFactors };
    return { process, scale: a.scale };
  }
  const steps = (a.profile ?? []).map((s) => ({ at: s.value.at, rate: s.value.rate }));
  return { process: { kind: 'profile', steps, dayFactors }, scale: a.scale };
}

/** The id a group without one goes by: `g1`, `g2`, ... by position. */
export function defaultGroupId(index: number): string {
  return `g${index + 1}`;
}

/**
 * Ids must be unique in their list; the second and later uses are the errors. Read from
 * the source, so that a problem elsewhere in an item does not hide a clash of its id.
 */
export function checkUniqueIds(cur: Cursor, defaultId?: (index: number) => string): boolean {
  const items = cur.resolvedNode();
  if (!isSeq(items)) return true;
  const first = new Map<string, number>();
  let ok = true;
  items.items.forEach((_, i) => {
    const at = cur.item(i).key('id');
    const node = at.resolvedNode();
    const id = isScalar(node) && typeof node.value === 'string' ? node.value : node === undefined ? defaultId?.(i) : undefined;
    if (id === undefined) return;
    const earlier = first.get(id);
    if (earlier === undefined) {
      first.set(id, i);
      return;
    }
    at.issue(`the id \`${id}\` is already used`, { expected: 'an id unique in this list', hint: `\`${cur.path}[${earlier}]\` has it` });
    ok = false;
  });
  return ok;
}

/**
 * Compiles every SLA with the SLA grammar and flattens them to `{ metric, expr, pos }`.
 * A bad metric name is said once, at its key; a bad expression at the character it went wrong.
 */
export function compileSlas(entries: readonly Entry<readonly Located<string>[]>[], cur: Cursor): Checked<SlaSpec[]> {
  const out: SlaSpec[] = [];
  let ok = true;
  for (const entry of entries) {
    for (const expr of entry.value) {
      try {
        compileSla(entry.key, expr.value);
      } catch (e) {
        if (!(e instanceof SlaError)) throw e;
        const at = e.target === 'metric' ? entry.keyCur : expr.cur;
        const pos = cur.ctx.sources.posInside(at.node, e.offset) ?? at.pos;
        at.issue(e.reason, { expected: e.expected, hint: e.hint, pos });
        ok = false;
        if (e.target === 'metric') break;
        continue;
      }
      out.push({ metric: entry.key, expr: expr.value, pos: expr.cur.pos });
    }
  }
  return ok ? out : INVALID;
}
