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
  /** The caller heard ringing (INVITE -> 180 in SIP terms); NaN when refused at once. */
  readonly ringing: number;
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
  /** The center whose queue the call first joined, when dispatch moved it to `center`; '' otherwise. */
  readonly dispatchedFrom: string;
  /** Times an agent let the call ring out (ring-no-answer) before one answered. */
  readonly ringNoAnswers: number;
  /** Time on hold during the agent's talk (0 when never held); `talk` excludes it. */
  readonly holdTime: number;
  /** Holds that passed the hold limit without the agent coming back (seeds 001, 002). */
  readonly holdViolations: number;
  /** The caller said nothing; the agent greeted three times and hung up (seed 003). */
  readonly silent: boolean;
  /** The caller's rating 1..5 after the call; NaN when not rated. */
  readonly rating: number;
  /** The call ended with the agent promising a callback. */
  readonly callbackPromised: boolean;
}

/** An outbound callback task (a voice message, or a promise made on a call), once it is closed. */
export interface CallbackRecord {
  readonly id: number;
  readonly caller: number;
  readonly center: string;
  readonly reason: 'voicemail' | 'promised';
  readonly created: number;
  readonly due: number;
  readonly attempts: number;
  /** The callee answered the callback (NaN if never). */
  readonly reached: number;
  /** The agent hung up the successful callback (NaN if never). */
  readonly ended: number;
  readonly agent: string;
  /** Reached by the due time. */
  readonly onTime: boolean;
}

/** Something an agent did that the scorecard counts and no call record carries. */
export interface AgentEvent {
  readonly agent: string;
  readonly group: string;
  readonly center: string;
  readonly time: number;
  readonly kind: 'ring-no-answer';
}

/** A stretch of time an agent was available (staffed) or working on a call (talk + hold + wrap-up, or a callback). */
export interface AgentSpan {
  readonly agent: string;
  readonly group: string;
  readonly center: string;
  readonly start: number;
  readonly end: number;
  /** For work: an inbound call or an outbound callback attempt. */
  readonly kind?: 'call' | 'callback';
}

export interface RecordSink {
  call(record: CallRecord): void;
  /** Time on a call, from answer to the end of wrap-up. */
  work(span: AgentSpan): void;
  /** Time logged in (and not at lunch, in training or not ready). */
  staffed(span: AgentSpan): void;
  /** A callback task closed (reached, or out of attempts). */
  callback?(record: CallbackRecord): void;
  agentEvent?(event: AgentEvent): void;
}
