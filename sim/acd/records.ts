// What the model tells the outside world: one flat record per call attempt, one per
// stretch of agent work and one per agent shift. Metrics and reports read these and
// nothing else, so reporting never reaches back into the model. Times are seconds since
// the run's start; NaN = never happened.

/**
 * `answered` by an agent; `abandoned` in an agent queue; `blocked` (busy signal); `ivr`:
 * ended in the IVR (self-service done, no input, or the caller hung up there);
 * `transferred` to another hotline's IVR.
 */
export type CallOutcome = 'answered' | 'abandoned' | 'blocked' | 'ivr' | 'transferred';

/** How a call left the IVR; '' when there is no IVR or the call never reached it. */
export type IvrExitKind = 'queue' | 'transfer' | 'system-hangup' | 'caller-hangup' | '';

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
  /** Area code of the calling number ('' when unknown). */
  readonly areaCode: string;
  /** The center that served (or would have served) the call. */
  readonly center: string;
  /** Queue within the center and its priority (lower first). */
  readonly queue: string;
  readonly priority: number;
  readonly outcome: CallOutcome;
  /** The IVR answered (INVITE -> 200 OK in SIP terms). */
  readonly ivrAnswered: number;
  /** The call left the IVR. */
  readonly ivrLeft: number;
  readonly ivrExit: IvrExitKind;
  /** Menus entered and keys pressed in order, space-separated: `welcome main 0 agent 2`. */
  readonly ivrPath: string;
  readonly invalidKeys: number;
  /** Self-service branches completed (information, voice message, fax). */
  readonly selfService: number;
  /** Voice messages left (each becomes a callback task). */
  readonly voicemails: number;
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
