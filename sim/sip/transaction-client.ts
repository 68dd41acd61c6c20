// Client transactions (RFC 3261 §17.1): the INVITE client retransmits on Timer A until a
// response arrives and gives up on Timer B; the non-INVITE client retransmits on Timer E
// (capped at T2) and gives up on Timer F. Both then linger (D, K) to absorb retransmitted
// finals. ACK for a non-2xx final is the transaction's; ACK for a 2xx is the TU's (§13.2.2.4).

import {
  backoff, SipTimer, timerA, timerB, timerD, timerE, timerF, timerK,
} from './timers.js';
import {
  clientKey, createAck, Transaction, TransactionMatchError, type TransactionContext, type TransitionRules,
} from './transaction.js';
import type { SipRequest, SipResponse } from './message.js';

/** What a client transaction reports to its transaction user. */
export interface ClientTransactionUser {
  /** Every response passed up: provisionals and the final (not retransmitted finals). */
  onResponse(response: SipResponse, tx: ClientTransaction): void;
  /** Timer B or F fired without a final response; §8.1.3.1 has the TU treat it as a 408. */
  onTimeout?(tx: ClientTransaction): void;
}

export type InviteClientState = 'Calling' | 'Proceeding' | 'Completed' | 'Terminated';
export type NonInviteClientState = 'Trying' | 'Proceeding' | 'Completed' | 'Terminated';
export type ClientTransaction = InviteClientTransaction | NonInviteClientTransaction;

const INVITE_CLIENT: TransitionRules<InviteClientState> = {
  Calling: { from: [], section: '17.1.1.2' },
  Proceeding: { from: ['Calling'], section: '17.1.1.2' },
  Completed: { from: ['Calling', 'Proceeding'], section: '17.1.1.2' },
  Terminated: { from: ['Calling', 'Proceeding', 'Completed'], section: '17.1.1.2' },
};

const NON_INVITE_CLIENT: TransitionRules<NonInviteClientState> = {
  Trying: { from: [], section: '17.1.2.2' },
  Proceeding: { from: ['Trying'], section: '17.1.2.2' },
  Completed: { from: ['Trying', 'Proceeding'], section: '17.1.2.2' },
  Terminated: { from: ['Trying', 'Proceeding', 'Completed'], section: '17.1.2.2' },
};

/** INVITE client transaction (§17.1.1, Figure 5). */
export class InviteClientTransaction extends Transaction<InviteClientState> {
  private readonly a: SipTimer;
  private readonly b: SipTimer;
  private readonly d: SipTimer;
  private ack: SipRequest | undefined;
  private started = false;
  /** Copies of the INVITE sent, the first included. */
  sent = 0;

  constructor(readonly request: SipRequest, readonly to: string, ctx: TransactionContext, private readonly user: ClientTransactionUser) {
    if (request.method !== 'INVITE') throw new TransactionMatchError(`an INVITE client transaction carries INVITE, not ${request.method}`);
    super('INVITE client', clientKey(request), 'Calling', ctx, INVITE_CLIENT);
    this.a = new SipTimer(ctx.scheduler, 'A', () => this.onTimerA());
    this.b = new SipTimer(ctx.scheduler, 'B', () => this.onTimerB());
    this.d = new SipTimer(ctx.scheduler, 'D', () => this.transition('Terminated', 'Timer D fired'));
  }

  /** Sends the INVITE and starts Timers A (unreliable transports only) and B (§17.1.1.2). */
  start(): void {
    this.require('start', this.started ? [] : ['Calling'], '17.1.1.2');
    this.started = true;
    this.send();
    if (!this.ctx.timers.reliable) this.a.start(timerA(this.ctx.timers));
    this.b.start(timerB(this.ctx.timers));
  }

  /** A response matched to this transaction by the layer (§17.1.3). */
  receiveResponse(response: SipResponse): void {
    const s = this.state;
    if (s === 'Terminated') return;
    if (response.status < 200) {
      if (s === 'Completed') return; // a late provisional: nothing to do
      if (s === 'Calling') {
        this.a.stop();
        this.b.stop(); // B only bounds the Calling state
        this.transition('Proceeding', `receive ${response.status}`);
      }
      this.user.onResponse(response, this);
    } else if (response.status < 300) {
      if (s === 'Completed') return; // a 2xx after a non-2xx final: a forking proxy's business, not ours
      // §17.1.1.2: a 2xx goes up and the transaction ends; 2xx retransmissions and the ACK are the TU's
      this.transition('Terminated', `receive ${response.status}`);
      this.user.onResponse(response, this);
    } else if (s === 'Completed') {
      // a retransmitted final: ACK it again, do not pass it up (§17.1.1.2)
      if (this.ack !== undefined) this.ctx.transport.send(this.ack, this.to);
    } else {
      this.a.stop();
      this.b.stop();
      this.transition('Completed', `receive ${response.status}`);
      this.ack = createAck(this.request, response);
      this.ctx.transport.send(this.ack, this.to);
      this.d.start(timerD(this.ctx.timers));
      this.user.onResponse(response, this);
    }
  }

  protected stopTimers(): void {
    this.a.stop();
    this.b.stop();
    this.d.stop();
  }

  private send(): void {
    this.sent++;
    this.ctx.transport.send(this.request, this.to);
  }

  private onTimerA(): void {
    if (this.state !== 'Calling') return;
    this.send();
    this.a.start(backoff(this.a.interval, Infinity));
  }

  private onTimerB(): void {
    if (this.state !== 'Calling') return;
    this.transition('Terminated', 'Timer B fired');
    this.user.onTimeout?.(this);
  }
}

/** Non-INVITE client transaction (§17.1.2, Figure 6). */
export class NonInviteClientTransaction extends Transaction<NonInviteClientState> {
  private readonly e: SipTimer;
  private readonly f: SipTimer;
  private readonly k: SipTimer;
  private started = false;
  /** Copies of the request sent, the first included. */
  sent = 0;

  constructor(readonly request: SipRequest, readonly to: string, ctx: TransactionContext, private readonly user: ClientTransactionUser) {
    if (request.method === 'INVITE' || request.method === 'ACK') {
      throw new TransactionMatchError(`a non-INVITE client transaction cannot carry ${request.method} (RFC 3261 §17.1.2)`);
    }
    super('non-INVITE client', clientKey(request), 'Trying', ctx, NON_INVITE_CLIENT);
    this.e = new SipTimer(ctx.scheduler, 'E', () => this.onTimerE());
    this.f = new SipTimer(ctx.scheduler, 'F', () => this.onTimerF());
    this.k = new SipTimer(ctx.scheduler, 'K', () => this.transition('Terminated', 'Timer K fired'));
  }

  /** Sends the request and starts Timers E (unreliable transports only) and F (§17.1.2.2). */
  start(): void {
    this.require('start', this.started ? [] : ['Trying'], '17.1.2.2');
    this.started = true;
    this.send();
    if (!this.ctx.timers.reliable) this.e.start(timerE(this.ctx.timers));
    this.f.start(timerF(this.ctx.timers));
  }

  receiveResponse(response: SipResponse): void {
    const s = this.state;
    if (s === 'Completed' || s === 'Terminated') return; // retransmissions are absorbed (§17.1.2.2)
    if (response.status < 200) {
      if (s === 'Trying') this.transition('Proceeding', `receive ${response.status}`);
      this.user.onResponse(response, this);
      return;
    }
    this.e.stop();
    this.f.stop();
    this.transition('Completed', `receive ${response.status}`);
    this.k.start(timerK(this.ctx.timers));
    this.user.onResponse(response, this);
  }

  protected stopTimers(): void {
    this.e.stop();
    this.f.stop();
    this.k.stop();
  }

  private send(): void {
    this.sent++;
    this.ctx.transport.send(this.request, this.to);
  }

  private onTimerE(): void {
    const t = this.ctx.timers;
    if (this.state === 'Trying') {
      this.send();
      this.e.start(backoff(this.e.interval, t.t2));
    } else if (this.state === 'Proceeding') {
      this.send();
      this.e.start(t.t2); // §17.1.2.2: reset to T2 in Proceeding
    }
  }

  private onTimerF(): void {
    if (this.state !== 'Trying' && this.state !== 'Proceeding') return;
    this.transition('Terminated', 'Timer F fired');
    this.user.onTimeout?.(this);
  }
}
