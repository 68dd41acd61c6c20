// Server transactions (RFC 3261 §17.2): they absorb retransmitted requests, resending the
// last response instead, so the TU sees each request once. The INVITE server retransmits a
// non-2xx final on Timer G until the ACK comes (or Timer H gives up); a 2xx ends it at once,
// because retransmitting a 2xx until its ACK is the TU's job (§13.3.1.4), not the transaction's.

import {
  backoff, SipTimer, timerG, timerH, timerI, timerJ,
} from './timers.js';
import {
  createResponse, serverKey, Transaction, TransactionMatchError, type TransactionContext, type TransitionRules,
} from './transaction.js';
import type { SipRequest, SipResponse } from './message.js';

export type InviteServerState = 'Proceeding' | 'Completed' | 'Confirmed' | 'Terminated';
export type NonInviteServerState = 'Trying' | 'Proceeding' | 'Completed' | 'Terminated';
export type ServerTransaction = InviteServerTransaction | NonInviteServerTransaction;

/** Called when Timer H fires: the ACK for a non-2xx final never came (§17.2.1). */
export type ServerTimeout = (tx: InviteServerTransaction) => void;

const INVITE_SERVER: TransitionRules<InviteServerState> = {
  Proceeding: { from: [], section: '17.2.1' },
  Completed: { from: ['Proceeding'], section: '17.2.1' },
  Confirmed: { from: ['Completed'], section: '17.2.1' },
  Terminated: { from: ['Proceeding', 'Completed', 'Confirmed'], section: '17.2.1' },
};

const NON_INVITE_SERVER: TransitionRules<NonInviteServerState> = {
  Trying: { from: [], section: '17.2.2' },
  Proceeding: { from: ['Trying'], section: '17.2.2' },
  Completed: { from: ['Trying', 'Proceeding'], section: '17.2.2' },
  Terminated: { from: ['Completed'], section: '17.2.2' },
};

/** INVITE server transaction (§17.2.1, Figure 7). */
export class InviteServerTransaction extends Transaction<InviteServerState> {
  private readonly trying: SipTimer;
  private readonly g: SipTimer;
  private readonly h: SipTimer;
  private readonly i: SipTimer;
  private last: SipResponse | undefined;
  /** Responses put on the wire, retransmissions included. */
  sent = 0;

  /** `from` is where the INVITE came from: responses go back there. */
  constructor(readonly request: SipRequest, readonly from: string, ctx: TransactionContext, private readonly onTimeout?: ServerTimeout) {
    if (request.method !== 'INVITE') throw new TransactionMatchError(`an INVITE server transaction carries INVITE, not ${request.method}`);
    super('INVITE server', serverKey(request), 'Proceeding', ctx, INVITE_SERVER);
    this.trying = new SipTimer(ctx.scheduler, 'Trying', () => this.onTrying());
    this.g = new SipTimer(ctx.scheduler, 'G', () => this.onTimerG());
    this.h = new SipTimer(ctx.scheduler, 'H', () => this.onTimerH());
    this.i = new SipTimer(ctx.scheduler, 'I', () => this.transition('Terminated', 'Timer I fired'));
    // §17.2.1: 100 Trying unless the TU answers within 200 ms
    this.trying.start(ctx.timers.tryingDelay);
  }

  /** The TU's response (§17.2.1). Only in Proceeding: after a final the TU has no say. */
  respond(response: SipResponse): void {
    this.require(`send ${response.status}`, ['Proceeding'], '17.2.1');
    this.trying.stop();
    this.last = response;
    if (response.status < 200) {
      this.send();
    } else if (response.status < 300) {
      this.send();
      this.transition('Terminated', `send ${response.status}`);
    } else {
      this.transition('Completed', `send ${response.status}`);
      this.send();
      if (!this.ctx.timers.reliable) this.g.start(timerG(this.ctx.timers));
      this.h.start(timerH(this.ctx.timers));
    }
  }

  /** A retransmitted INVITE, or the ACK, matched by the layer (§17.2.3). */
  receiveRequest(request: SipRequest): void {
    const s = this.state;
    if (request.method === 'INVITE') {
      // resend the most recent provisional (Proceeding) or the final (Completed); absorb otherwise
      if ((s === 'Proceeding' || s === 'Completed') && this.last !== undefined) this.send();
    } else if (request.method === 'ACK' && s === 'Completed') {
      this.g.stop();
      this.h.stop();
      this.transition('Confirmed', 'receive ACK');
      this.i.start(timerI(this.ctx.timers));
    }
    // ACKs in Confirmed are absorbed (§17.2.1)
  }

  protected stopTimers(): void {
    this.trying.stop();
    this.g.stop();
    this.h.stop();
    this.i.stop();
  }

  private send(): void {
    if (this.last === undefined) return;
    this.sent++;
    this.ctx.transport.send(this.last, this.from);
  }

  private onTrying(): void {
    if (this.state !== 'Proceeding' || this.last !== undefined) return;
    this.last = createResponse(this.request, 100, 'Trying');
    this.send();
  }

  private onTimerG(): void {
    if (this.state !== 'Completed') return;
    this.send();
    this.g.start(backoff(this.g.interval, this.ctx.timers.t2));
  }

  private onTimerH(): void {
    if (this.state !== 'Completed') return;
    this.transition('Terminated', 'Timer H fired');
    this.onTimeout?.(this);
  }
}

/** Non-INVITE server transaction (§17.2.2, Figure 8). */
export class NonInviteServerTransaction extends Transaction<NonInviteServerState> {
  private readonly j: SipTimer;
  private last: SipResponse | undefined;
  /** Responses put on the wire, retransmissions included. */
  sent = 0;

  constructor(readonly request: SipRequest, readonly from: string, ctx: TransactionContext) {
    if (request.method === 'INVITE' || request.method === 'ACK') {
      throw new TransactionMatchError(`a non-INVITE server transaction cannot carry ${request.method} (RFC 3261 §17.2.2)`);
    }
    super('non-INVITE server', serverKey(request), 'Trying', ctx, NON_INVITE_SERVER);
    this.j = new SipTimer(ctx.scheduler, 'J', () => this.transition('Terminated', 'Timer J fired'));
  }

  /** The TU's response; a final one in Completed is a TU error (§17.2.2 says it is discarded). */
  respond(response: SipResponse): void {
    this.require(`send ${response.status}`, ['Trying', 'Proceeding'], '17.2.2');
    this.last = response;
    if (response.status < 200) {
      if (this.state === 'Trying') this.transition('Proceeding', `send ${response.status}`);
      this.send();
    } else {
      this.transition('Completed', `send ${response.status}`);
      this.send();
      this.j.start(timerJ(this.ctx.timers));
    }
  }

  /** A retransmitted request (§17.2.2): discarded in Trying, answered with the last response after. */
  receiveRequest(_request: SipRequest): void {
    if (this.state === 'Proceeding' || this.state === 'Completed') this.send();
  }

  protected stopTimers(): void {
    this.j.stop();
  }

  private send(): void {
    if (this.last === undefined) return;
    this.sent++;
    this.ctx.transport.send(this.last, this.from);
  }
}
