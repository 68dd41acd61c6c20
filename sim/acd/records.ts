// What the model tells the outside world: one flat record per call attempt, one per
// stretch of agent work and one per agent shift. Metrics and reports read these and
// nothing else, so reporting never reaches back into the model. Times are seconds since
// the run's start; NaN = never happened.

export type CallOutcome = 'answered' | 'abandoned' | 'blocked';

export interface CallRecord {
  readonly id: number;
  /** The person calling: redials share it. */
  readonly caller: number;
  /** 1 for the first attempt, 2 for the first redial, ... */
  readonly attempt: number;
  /** When the caller's first attempt arrived (decides whether a caller counts after warm-up). */
  readonly firstArrival: number;
  /** When this attempt was offered to the system. */
  readonly arrival: number;
  readonly center: string;
  readonly outcome: CallOutcome;
  /** Entered the agent queue. */
  readonly queued: number;
  /** An agent's phone started ringing for it. */
  readonly ringStart: number;
  /** An agent answered. */
  readonly answered: number;
  /** The caller left: hung up after talking, abandoned, or was refused. */
  readonly left: number;
  /** The agent finished wrap-up for it. */
  readonly wrapEnd: number;
  /**
   * The wait an infinitely patient caller would have had: the wait itself when answered;
   * Infinity if no agent would ever have come; NaN if the call never queued.
   */
  readonly virtualWait: number;
  readonly agent: string;
  readonly group: string;
  /** A further attempt by the same caller follows this one. */
  readonly redialed: boolean;
  /** Still waiting when the run ended with no agent left to come (outcome is then 'abandoned'). */
  readonly stranded: boolean;
}

/** A stretch of time an agent was logged in (staffed) or working on a call (talk + hold + wrap-up). */
export interface AgentSpan {
  readonly agent: string;
  readonly group: string;
  readonly center: string;
  readonly start: number;
  readonly end: number;
}

export interface RecordSink {
  call(record: CallRecord): void;
  /** Time on a call, from answer to the end of wrap-up. */
  work(span: AgentSpan): void;
  /** Time logged in. */
  staffed(span: AgentSpan): void;
}
