// The seam between a caller and the hotline: every moment where, on a real network, a SIP
// message would cross from one to the other. The model calls the sending side; the
// receiving side comes back through the handlers, when (and if) the message arrives.
// `DirectSignaling` delivers at once and sends nothing (`--signaling direct`, the fastest);
// `SipSignaling` (sip-signaling.ts) sends real SIP messages over an in-memory network.

import type { Call } from './hotline-state.js';

/** What the model does when a message arrives. */
export interface SignalingHandlers {
  /** The hotline receives a new call (INVITE). */
  arrive(call: Call): void;
  /** The caller hears ringing (180). */
  ringing(call: Call): void;
  /** The caller gets the answer (200 OK). */
  answered(call: Call): void;
  /** A key reaches the IVR (INFO). */
  key(call: Call, key: string): void;
  /** The caller's hang-up reaches the hotline (BYE, or CANCEL before the answer). */
  hangup(call: Call): void;
  /**
   * The hotline itself stops (`callsim serve`'s end) and has hung up on a live call: the
   * system's doing, not the caller's (a system hang-up in the IVR, a stranded caller in the
   * queue, as the calls still waiting when a run ends).
   */
  cut(call: Call): void;
  /**
   * The hotline gave up on a call whose caller stopped answering: its 200 OK was never
   * acknowledged (no ACK within 64·T1, RFC 3261 §13.3.1.4), so it hung up (BYE). In the IVR
   * that is a system hang-up; anywhere else the caller is gone, as after a hang-up.
   */
  lost(call: Call): void;
}

/** Why the hotline refuses a call: no line on the platform (503) or at the center / no room to wait (486). */
export type RefusalStatus = 486 | 503;

export interface Signaling {
  attach(handlers: SignalingHandlers): void;
  /** Caller -> hotline: INVITE. */
  dial(call: Call): void;
  /** Hotline -> caller: 180 Ringing. */
  ring(call: Call): void;
  /** Hotline -> caller: 200 OK (the IVR answers, or an agent when there is no IVR). */
  answer(call: Call): void;
  /** Hotline -> caller: a busy signal (486/503 before the answer, BYE after it). */
  refuse(call: Call, status: RefusalStatus): void;
  /** Caller -> hotline: a key by INFO. */
  key(call: Call, key: string): void;
  /** Caller -> hotline: BYE (CANCEL before the answer). */
  callerHangup(call: Call): void;
  /** Hotline -> caller: BYE (the IVR or the agent hung up). */
  systemHangup(call: Call): void;
  /** Hotline -> caller: REFER to another hotline's number, then the caller leaves. */
  transfer(call: Call, areaCode: string): void;
  /**
   * Hotline -> caller, for real callers who asked (`callsim load` against `callsim serve`):
   * a step of the ACD (acd-report.ts). The model's own callers need no telling.
   */
  acdEvent?(call: Call, event: 'queued' | 'agent-ringing' | 'agent-answered' | 'agent-hangup'): void;
  /** The run is over: what the signaling counted, for the summary (absent for direct). */
  stats?(): Record<string, number>;
}

/** No messages: every "arrival" happens at once, in the sender's event. */
export class DirectSignaling implements Signaling {
  private h!: SignalingHandlers;
  attach(handlers: SignalingHandlers): void {
    this.h = handlers;
  }
  dial(call: Call): void {
    this.h.arrive(call);
  }
  ring(call: Call): void {
    this.h.ringing(call);
  }
  answer(call: Call): void {
    this.h.answered(call);
  }
  refuse(): void {}
  key(call: Call, key: string): void {
    this.h.key(call, key);
  }
  callerHangup(call: Call): void {
    this.h.hangup(call);
  }
  systemHangup(): void {}
  transfer(): void {}
}
