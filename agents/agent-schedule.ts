// When each agent of a group is logged in and available, over a run: the group's shifts
// (always, the calendar's agent hours, or explicit shifts per weekday), minus lunch taken in
// rotation across the lunch window, minus the weekly training rotation (seed 001: Friday
// afternoons, a share of the group at a time, a different share each week). Pure. Here
// every window of the run at once, which is the plain statement of the rules: the model
// walks the same windows one at a time (window-cursor.ts), and is tested against this.

import type { AgentDay, ShiftSpec } from './agent-day-types.js';

const DAY = 86400;

/** A stretch [start, end) in run seconds. */
export interface Window {
  readonly start: number;
  readonly end: number;
}

/** What the schedule needs to know of the calendar (BusinessCalendar satisfies it). */
export interface CalendarView {
  agentHours(t: number): boolean;
  nextChange(t: number): number;
  /** Seconds after local midnight at run time t. */
  secondsOfDay(t: number): number;
  /** 0 = Monday. */
  weekday(t: number): number;
}

function shiftWindows(shift: ShiftSpec, cal: CalendarView, horizon: number): Window[] {
  switch (shift.kind) {
    case 'always':
      return [{ start: 0, end: Infinity }];
    case 'agent-hours': {
      const out: Window[] = [];
      let t = 0;
      let open = cal.agentHours(0);
      while (t < horizon) {
        const next = cal.nextChange(t);
        if (open) out.push({ start: t, end: next });
        if (next === Infinity) break;
        t = next;
        open = !open;
      }
      return out;
    }
    case 'shifts': {
      const out: Window[] = [];
      const firstMidnight = -cal.secondsOfDay(0);
      for (let day = firstMidnight - DAY; day < horizon; day += DAY) {
        const weekday = cal.weekday(day + DAY / 2);
        for (const s of shift.shifts) {
          if (!s.days.includes(weekday)) continue;
          const end = s.end > s.start ? s.end : s.end + DAY;
          out.push({ start: day + s.start, end: day + end });
        }
      }
      return merge(out.filter((w) => w.end > 0 && w.start < horizon).map((w) => ({ start: Math.max(0, w.start), end: w.end })));
    }
  }
}

function merge(windows: Window[]): Window[] {
  const sorted = [...windows].sort((a, b) => a.start - b.start);
  const out: Window[] = [];
  for (const w of sorted) {
    const last = out[out.length - 1];
    if (last && w.start <= last.end) out[out.length - 1] = { start: last.start, end: Math.max(last.end, w.end) };
    else out.push(w);
  }
  return out;
}

/** `windows` minus `holes`. */
function subtract(windows: readonly Window[], holes: readonly Window[]): Window[] {
  let out = [...windows];
  for (const h of holes) {
    const next: Window[] = [];
    for (const w of out) {
      if (h.end <= w.start || h.start >= w.end) next.push(w);
      else {
        if (h.start > w.start) next.push({ start: w.start, end: h.start });
        if (h.end < w.end) next.push({ start: h.end, end: w.end });
      }
    }
    out = next;
  }
  return out;
}

/** The absences of agent `index` (0-based) of `count`: lunches and training sessions. */
function absences(day: AgentDay, index: number, count: number, cal: CalendarView, horizon: number): Window[] {
  const out: Window[] = [];
  const firstMidnight = -cal.secondsOfDay(0);
  for (let d = firstMidnight; d < horizon; d += DAY) {
    const lunch = day.lunch;
    if (lunch) {
      // Agents take turns: as many slots as the window holds, agents spread evenly across them.
      const slots = Math.max(1, Math.floor((lunch.to - lunch.from) / lunch.duration));
      const at = d + lunch.from + (index % slots) * lunch.duration;
      out.push({ start: at, end: at + lunch.duration });
    }
    const training = day.training;
    if (training && cal.weekday(d + DAY / 2) === training.day) {
      const size = Math.ceil(training.share * count);
      const week = Math.floor(d / (7 * DAY));
      const first = (((week * size) % count) + count) % count;
      const inGroup = (index - first + count) % count < size;
      if (inGroup && size > 0) out.push({ start: d + training.from, end: d + training.to });
    }
  }
  return out;
}

/** The windows in which agent `index` of a group of `count` is logged in and available. */
export function agentWindows(day: AgentDay, index: number, count: number, cal: CalendarView, horizon: number): Window[] {
  const shifts = shiftWindows(day.shift, cal, horizon);
  const holes = absences(day, index, count, cal, horizon);
  return subtract(shifts, holes).filter((w) => w.end > w.start && w.start < horizon);
}
