// `callsim serve`: the hotline as a SIP server for real callers (SIPp, softphones, JsSIP). Each
// transport (UDP, WebSocket) has its user agent; every INVITE becomes a call of the model in
// external mode, whose home center comes from the calling number's area code. The caller's
// side of the Signaling seam is the real caller's: nothing here dials, presses keys or hangs
// up for them. Past `maxCalls` live dialogs, or once draining, new calls get 503.

import type { Clock } from '../kernel/clock.js';
import { header } from '../sip/headers.js';
import type { SipRequest } from '../sip/message.js';
import type { SipCall, UserAgent } from '../sip/user-agent.js';
import { ACD_EVENT_TYPE, ACD_REPORT_HEADER, ACD_REPORT_VALUE, formatAcdEvent, type AcdEvent, type AcdEventKind } from './acd-report.js';
import type { Call } from './hotline-state.js';
import { HotlineUas, type Leg } from './hotline-uas.js';
import type { RefusalStatus, Signaling, SignalingHandlers } from './signaling.js';

export interface ServeLimits {
  /** Live dialogs at most, over every transport; more get 503. */
  readonly maxCalls: number;
}

export interface ServeStats {
  /** INVITEs taken as calls. */
  accepted: number;
  /** INVITEs refused with 503 over the limit or while draining. */
  overLimit: number;
  /** ACD events sent to callers who asked for them (INFO). */
  acdEvents: number;
}

/** The area code of a calling number: the longest known code it starts with ('' if none). */
export function areaCodeOf(number: string, codes: readonly string[]): string {
  let best = '';
  for (const c of codes) if (c.length > best.length && number.startsWith(c)) best = c;
  return best;
}

/** The user part of a SIP URI in a From value: `"A" <sip:043112345678@host>;tag=1` -> `043112345678`. */
export function callingNumber(fromValue: string): string {
  const m = /<?\s*(?:sips?|tel):([^@;>]+)/i.exec(fromValue);
  return m?.[1]?.replace(/^\+86/, '0') ?? '';
}


export class ServeSignaling implements Signaling {
  readonly counts: ServeStats = { accepted: 0, overLimit: 0, acdEvents: 0 };
  private readonly uas = new HotlineUas();
  private h!: SignalingHandlers;
  private readonly agents: UserAgent<Call>[] = [];
  private draining = false;
  private create: ((areaCode: string) => Call) | null = null;
  private clock: Clock | null = null;
  /**
   * Legs whose caller asked for ACD events (`X-Callsim-Report: acd`), with the events
   * waiting for the answer: a call answered by an agent directly (no IVR) has queued and
   * rung before its 200 OK, and an INFO needs a confirmed dialog. Weak: a caller's own
   * hang-up (abandon) goes to the model without passing here.
   */
  private readonly reporting = new WeakMap<Leg, AcdEvent[]>();

  constructor(
    private readonly areaCodes: readonly string[],
    private readonly limits: ServeLimits,
  ) {}

  /** The model's `incoming`, which makes a call for a calling area code, and the model's clock. */
  bind(create: (areaCode: string) => Call, clock: Clock): void {
    this.create = create;
    this.clock = clock;
  }

  /** A user agent (one per transport) whose INVITEs come here: give it `invite` as its handler. */
  add(ua: UserAgent<Call>): void {
    this.agents.push(ua);
  }

  attach(handlers: SignalingHandlers): void {
    this.h = handlers;
    this.uas.attach(handlers);
  }

  /** Live dialogs over every transport. */
  get live(): number {
    let n = 0;
    for (const ua of this.agents) n += ua.size;
    return n;
  }

  /** The user agents' INVITE handler. */
  readonly invite = (leg: SipCall<Call>, request: SipRequest): void => {
    if (this.draining || this.create === null || this.live > this.limits.maxCalls) {
      this.counts.overLimit++;
      leg.reject(503, 'Service Unavailable');
      return;
    }
    this.counts.accepted++;
    const call = this.create(areaCodeOf(callingNumber(leg.remoteParty), this.areaCodes));
    if (header(request, ACD_REPORT_HEADER)?.trim().toLowerCase() === ACD_REPORT_VALUE) this.reporting.set(leg, []);
    this.uas.take(leg, call);
  };

  acdEvent(call: Call, event: Exclude<AcdEventKind, 'blocked'>): void {
    const leg = call.uas as Leg;
    if (!this.reporting.has(leg)) return;
    const agent = call.agent;
    const t = this.clock!.now();
    switch (event) {
      case 'queued':
        return this.report(leg, { event, t, center: call.center.spec.id, queue: call.queue });
      case 'agent-ringing':
        return this.report(leg, { event, t, agent: agent?.id, group: agent?.group.spec.id });
      case 'agent-answered':
        return this.report(leg, {
          event, t, center: call.center.spec.id, queue: call.queue, agent: agent?.id, group: agent?.group.spec.id,
          ringNoAnswers: call.ringNoAnswers, dispatchedFrom: call.dispatchedFrom || undefined,
        });
      case 'agent-hangup':
        return this.report(leg, { event, t, hold: call.holdTime, holdViolations: call.holdViolations });
    }
  }

  /** Sends the event now when the dialog is confirmed, else keeps it for the answer. */
  private report(leg: Leg, e: AcdEvent): void {
    const pending = this.reporting.get(leg)!;
    if (leg.state === 'terminated') return;
    if (leg.state !== 'confirmed') {
      pending.push(e);
      return;
    }
    this.counts.acdEvents++;
    leg.sendInfo(ACD_EVENT_TYPE, formatAcdEvent(e));
  }

  private flush(leg: Leg): void {
    const pending = this.reporting.get(leg);
    if (pending === undefined || pending.length === 0) return;
    this.reporting.set(leg, []);
    for (const e of pending) this.report(leg, e);
  }

  /** Stops taking calls: 503 from now on. */
  close(): void {
    this.draining = true;
  }

  /**
   * Cuts every live call (BYE, or 480 before the answer). The model records each at this
   * moment, so that no call in progress goes unreported, and as the hotline's doing: a
   * system hang-up in the IVR, a stranded caller in the queue (an abandon marked stranded,
   * as the callers still waiting when a run ends); never a caller's hang-up in the IVR.
   */
  cut(): number {
    this.draining = true;
    let n = 0;
    for (const ua of this.agents) {
      for (const leg of ua.live()) {
        n++;
        leg.hangup();
        if (leg.data !== undefined) this.h.cut(leg.data);
      }
    }
    return n;
  }

  dial(): void {
    throw new Error('callsim serve does not dial: its callers are real');
  }

  key(): void {}

  callerHangup(): void {}

  // The hotline's own view of set-up: it rang and answered when it sent 180 and 200.
  ring(call: Call): void {
    this.uas.ring(call);
    this.h.ringing(call);
  }

  answer(call: Call): void {
    this.uas.answer(call);
    this.h.answered(call);
    this.flush(call.uas as Leg);
  }

  refuse(call: Call, status: RefusalStatus): void {
    const leg = call.uas as Leg;
    // a busy signal after the IVR comes as a BYE: say why first
    if (leg.state === 'confirmed' && this.reporting.has(leg)) this.report(leg, { event: 'blocked', t: this.clock!.now() });
    this.reporting.delete(leg);
    this.uas.refuse(call, status);
  }

  systemHangup(call: Call): void {
    this.reporting.delete(call.uas as Leg);
    this.uas.systemHangup(call);
  }

  transfer(call: Call, areaCode: string): void {
    this.reporting.delete(call.uas as Leg);
    this.uas.transfer(call, areaCode);
  }
}
