// An agent's working windows one at a time, as the run reaches them: the windows of
// agentWindows (agent-schedule.ts), the group's shifts minus the agent's lunches and training,
// worked out a window ahead instead of for the whole run at once. The model holds a cursor per
// agent and schedules only the agent's next log-in or log-out, so a month of a million agents
// costs a few numbers per agent, not a list of windows per agent and day.
//
// The windows are the same numbers, not merely the same stretches of time: a piece starts at
// a shift's start or a hole's end and ends at a hole's start or a shift's end, as agentWindows'
// do, and the days are stepped by the same additions. The property test in
// window-cursor.prop.test.ts holds the two to each other.

import type { AgentDay } from './agent-day-types.js';
import type { CalendarView } from './agent-schedule.js';

const DAY = 86400;

interface Shift {
  readonly days: readonly number[];
  readonly start: number;
  readonly end: number;
}

/** What the agents of a group share: their day, the calendar and the run's length. */
export class GroupSchedule {
  /** Run seconds of the local midnight the run starts in (0 or before). */
  readonly firstMidnight: number;
  /** Explicit shifts by start time (stable): one day's shift windows then come in order. */
  readonly shifts: readonly Shift[];
  /** Lunch turns in the lunch window. */
  readonly lunchSlots: number;
  /** Agents in training at once. */
  readonly trainingSize: number;
  /** Whether anyone is ever away (lunch, or training with anyone in it). */
  readonly absences: boolean;

  constructor(
    readonly day: AgentDay,
    /** Agents in the group. */
    readonly count: number,
    readonly cal: CalendarView,
    /** Windows starting at or after this (the run's duration) are not worked. */
    readonly horizon: number,
  ) {
    this.firstMidnight = -cal.secondsOfDay(0);
    this.shifts = day.shift.kind === 'shifts' ? [...day.shift.shifts].sort((a, b) => a.start - b.start) : [];
    const lunch = day.lunch;
    this.lunchSlots = lunch ? Math.max(1, Math.floor((lunch.to - lunch.from) / lunch.duration)) : 1;
    this.trainingSize = day.training ? Math.ceil(day.training.share * count) : 0;
    this.absences = lunch !== null || this.trainingSize > 0;
  }

  /** The windows of agent `index` (0-based) of the group. */
  cursor(index: number): WindowCursor {
    return new WindowCursor(this, index);
  }
}

/**
 * The windows of one agent, in order: `advance()` moves to the next and says whether there is
 * one; `start` and `end` are then the window's (end may be Infinity).
 *
 * Three streams, each a few numbers: the shift windows (the calendar's agent hours, explicit
 * shifts merged where they touch, or always), the absences (lunch and training, day by day,
 * by start), and the sweep that cuts the absences out of the current shift window. Times of
 * day lie within the day (the scenario checks it), so one day's absences all start before the
 * next day's, and sorting a day's two is enough to keep the whole stream in order.
 */
export class WindowCursor {
  /** The current window, after advance() returned true. */
  start = NaN;
  end = NaN;

  /** Sweep: the shift window being cut is [cut, shiftEnd); `inShift` while part of it is left. */
  private inShift = false;
  private cut = 0;
  private shiftStart = 0;
  private shiftEnd = 0;
  /** No window is left (the streams ran out, or the next window starts past the horizon). */
  private over = false;

  /**
   * Shift stream. Agent hours: the calendar scan at `shiftT`, `shiftOpen` there. Explicit
   * shifts: the day at `shiftT`, the next of its shifts at `shiftIndex`, and the window being
   * merged, [mergeStart, mergeEnd) while `merging`. Always: `shiftT` is 1 once it was given.
   */
  private shiftT: number;
  private shiftOpen = false;
  private shiftIndex = 0;
  private shiftWeekday = -1;
  private merging = false;
  private mergeStart = 0;
  private mergeEnd = 0;
  private shiftsDone = false;

  /** Absence stream: the next day to look at, the next absence [holeStart, holeEnd) and the day's other one. */
  private holeDay: number;
  private hasHole = false;
  private holeStart = 0;
  private holeEnd = 0;
  private hasQueued = false;
  private queuedStart = 0;
  private queuedEnd = 0;

  constructor(
    private readonly group: GroupSchedule,
    /** The agent's place in its group, 0-based: its lunch turn and training rotation. */
    readonly index: number,
  ) {
    const kind = group.day.shift.kind;
    this.shiftT = kind === 'shifts' ? group.firstMidnight - DAY : 0;
    if (kind === 'agent-hours') this.shiftOpen = group.cal.agentHours(0);
    this.holeDay = group.firstMidnight;
  }

  /** Moves to the next window; false when none is left. */
  advance(): boolean {
    if (this.over) return false;
    for (;;) {
      if (!this.inShift) {
        if (!this.nextShift()) return this.finish();
        this.cut = this.shiftStart;
        this.inShift = true;
      }
      const from = this.cut;
      const to = this.shiftEnd;
      if (!this.peekHole(to) || this.holeStart >= to) {
        this.inShift = false;
        return this.window(from, to);
      }
      const holeStart = this.holeStart;
      const holeEnd = this.holeEnd;
      if (holeEnd <= from) {
        this.hasHole = false; // behind the sweep: touches no later window either
        continue;
      }
      // The hole cuts [from, to): before it lies a window, after it the rest of the shift.
      this.cut = holeEnd;
      if (holeEnd <= to) this.hasHole = false; // else it may reach into the next shift window too
      if (holeEnd >= to) this.inShift = false;
      if (holeStart > from) return this.window(from, holeStart);
    }
  }

  private window(start: number, end: number): boolean {
    // Windows come in order, so the first one past the horizon ends the stream.
    if (!(start < this.group.horizon)) return this.finish();
    this.start = start;
    this.end = end;
    return true;
  }

  private finish(): boolean {
    this.over = true;
    this.start = NaN;
    this.end = NaN;
    return false;
  }

  // ---- shifts -----------------------------------------------------------------------------

  /** The next shift window into [shiftStart, shiftEnd); false when none is left. */
  private nextShift(): boolean {
    const g = this.group;
    switch (g.day.shift.kind) {
      case 'always':
        if (this.shiftT !== 0) return false;
        this.shiftT = 1;
        this.shiftStart = 0;
        this.shiftEnd = Infinity;
        return true;
      case 'agent-hours':
        while (!this.shiftsDone && this.shiftT < g.horizon) {
          const t = this.shiftT;
          const open = this.shiftOpen;
          const next = g.cal.nextChange(t);
          if (next === Infinity) this.shiftsDone = true;
          else {
            this.shiftT = next;
            this.shiftOpen = !open;
          }
          if (open) {
            this.shiftStart = t;
            this.shiftEnd = next;
            return true;
          }
        }
        return false;
      case 'shifts':
        // Windows of touching or overlapping shifts (a night shift into the morning's) merge.
        while (this.nextShiftOfDay()) {
          if (this.merging && this.shiftStart <= this.mergeEnd) {
            this.mergeEnd = Math.max(this.mergeEnd, this.shiftEnd);
            continue;
          }
          const had = this.merging;
          const start = this.mergeStart;
          const end = this.mergeEnd;
          this.merging = true;
          this.mergeStart = this.shiftStart;
          this.mergeEnd = this.shiftEnd;
          if (had) {
            this.shiftStart = start;
            this.shiftEnd = end;
            return true;
          }
        }
        if (!this.merging) return false;
        this.merging = false;
        this.shiftStart = this.mergeStart;
        this.shiftEnd = this.mergeEnd;
        return true;
    }
  }

  /** The next window of one explicit shift, by start, into [shiftStart, shiftEnd); false after the last day. */
  private nextShiftOfDay(): boolean {
    const g = this.group;
    const shifts = g.shifts;
    for (;;) {
      const day = this.shiftT;
      if (!(day < g.horizon)) return false;
      if (this.shiftIndex === 0) this.shiftWeekday = g.cal.weekday(day + DAY / 2);
      while (this.shiftIndex < shifts.length) {
        const s = shifts[this.shiftIndex++]!;
        if (!s.days.includes(this.shiftWeekday)) continue;
        const start = day + s.start;
        const end = day + (s.end > s.start ? s.end : s.end + DAY);
        if (end > 0 && start < g.horizon) {
          this.shiftStart = Math.max(0, start);
          this.shiftEnd = end;
          return true;
        }
      }
      this.shiftIndex = 0;
      this.shiftT = day + DAY;
    }
  }

  // ---- absences ---------------------------------------------------------------------------

  /**
   * Makes [holeStart, holeEnd) the next absence by start; false when none is left that starts
   * before `limit`. A day's absences start within it, so days from `limit` on are left for later:
   * a night shift's window does not send the stream looking weeks ahead for a training turn.
   */
  private peekHole(limit: number): boolean {
    if (this.hasHole) return true;
    if (this.hasQueued) {
      this.hasQueued = false;
      this.hasHole = true;
      this.holeStart = this.queuedStart;
      this.holeEnd = this.queuedEnd;
      return true;
    }
    const g = this.group;
    if (!g.absences) return false;
    while (this.holeDay < g.horizon && this.holeDay < limit) {
      const d = this.holeDay;
      this.holeDay = d + DAY;
      const lunch = g.day.lunch;
      if (lunch) {
        // Agents take turns: as many slots as the window holds, agents spread evenly across them.
        const at = d + lunch.from + (this.index % g.lunchSlots) * lunch.duration;
        this.addHole(at, at + lunch.duration);
      }
      const training = g.day.training;
      if (training && g.cal.weekday(d + DAY / 2) === training.day) {
        const size = g.trainingSize;
        const count = g.count;
        const week = Math.floor(d / (7 * DAY));
        const first = (((week * size) % count) + count) % count;
        const inGroup = (this.index - first + count) % count < size;
        if (inGroup && size > 0) this.addHole(d + training.from, d + training.to);
      }
      if (this.hasHole) return true;
    }
    return false;
  }

  /** Adds one of a day's (at most two) absences, keeping the two in order of start. */
  private addHole(start: number, end: number): void {
    if (!this.hasHole) {
      this.hasHole = true;
      this.holeStart = start;
      this.holeEnd = end;
    } else if (start < this.holeStart) {
      this.hasQueued = true;
      this.queuedStart = this.holeStart;
      this.queuedEnd = this.holeEnd;
      this.holeStart = start;
      this.holeEnd = end;
    } else {
      this.hasQueued = true;
      this.queuedStart = start;
      this.queuedEnd = end;
    }
  }
}
