// The hotline's side of SIP signaling: the UAS legs of calls. It rings, answers (the IVR, or
// an agent when there is no IVR), refuses with 486/503, hangs up and transfers by REFER, and
// hands what callers send (INFO keys, CANCEL, BYE) back to the model. The same code serves
// the in-memory callers of `callsim run --signaling sip` and real callers of `callsim serve`.

import type { SipCall, SipCallEvents } from '../sip/user-agent.js';
import type { Call } from './hotline-state.js';
import type { RefusalStatus, SignalingHandlers } from './signaling.js';

export type Leg = SipCall<Call>;

const REASONS: Record<RefusalStatus, string> = { 486: 'Busy Here', 503: 'Service Unavailable' };

/** The domain of another hotline a caller is transferred to (REFER), by its area code. */
export function transferUri(areaCode: string): string {
  return `sip:12333@${areaCode}.12333.invalid`;
}

export class HotlineUas {
  private h!: SignalingHandlers;

  attach(handlers: SignalingHandlers): void {
    this.h = handlers;
  }

  /** A new incoming leg becomes the model's call: it reaches the model as an arrival. */
  take(leg: Leg, call: Call): void {
    leg.data = call;
    leg.events = this.events;
    call.uas = leg;
    this.h.arrive(call);
  }

  /** What callers send, back to the model. */
  readonly events: SipCallEvents<Call> = {
    dtmf: (leg, key) => this.h.key(leg.data!, key),
    cancelled: (leg) => this.h.hangup(leg.data!),
    ended: (leg, by) => {
      if (by === 'remote') this.h.hangup(leg.data!);
      else if (by === 'error') this.h.lost(leg.data!);
    },
  };

  ring(call: Call): void {
    (call.uas as Leg).ring();
  }

  answer(call: Call): void {
    const leg = call.uas as Leg;
    if (leg.inviteTx !== null) leg.accept();
  }

  refuse(call: Call, status: RefusalStatus): void {
    const leg = call.uas as Leg;
    if (leg.state === 'confirmed') leg.hangup();
    else if (leg.inviteTx !== null) leg.reject(status, REASONS[status]);
  }

  systemHangup(call: Call): void {
    (call.uas as Leg).hangup();
  }

  transfer(call: Call, areaCode: string): void {
    const leg = call.uas as Leg;
    if (leg.state === 'confirmed') leg.refer(transferUri(areaCode));
  }
}
