// Client transactions (RFC 3261 §17.1): the INVITE client retransmits on Timer A until a
// response arrives and gives up on Timer B; the non-INVITE client retransmits on Timer E
// (capped at T2) and gives up on Timer F. Both then linger (D, K) to absorb retransmitted
// finals. ACK for a non-2xx final is the transaction's; ACK for a 2xx is the TU's (§13.2.2.4).
//
// Each transaction keeps one scheduled wake-up, at the earliest of its running timers' due
// times (kept as numbers), rather than one scheduler event per timer: a call's transactions
// are the bulk of what an in-memory SIP day schedules, and B and F, which almost never fire,
// then cost nothing until the retransmit timer before them has run out.

import type { Scheduled } from '../kernel/clock.js';
import {
  backoff, timerA, timerB, timerD, timerE, timerF, timerK,
} from './timers.js';
import {
  branchOf, createAck, cseqMethod, Transaction, TransactionMatchError, type TransactionContext, type TransitionRules,
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
  /** When Timer A, B or D is due (Infinity: not running), and A's current interval. */
  private dueA = Infinity;
  private dueB = Infinity;
  private dueD = Infinity;
  private intervalA = 0;
  /** The one scheduler event, at the earliest due time above. */
  private wake: Scheduled | null = null;
  private ack: SipRequest | undefined;
  private started = false;
  /** Copies of the INVITE sent, the first included. */
  sent = 0;

  /** `branch`: the request's top Via branch, if the caller knows it (see TransactionLayer.sendRequest). */
  constructor(readonly request: SipRequest, readonly to: string, ctx: TransactionContext, private readonly user: ClientTransactionUser, branch?: string) {
    if (request.method !== 'INVITE') throw new TransactionMatchError(`an INVITE client transaction carries INVITE, not ${request.method}`);
    super('INVITE client', branch ?? branchOf(request), cseqMethod(request), '', 'Calling', ctx, INVITE_CLIENT);
  }

  /** Sends the INVITE and starts Timers A (unreliable transports only) and B (§17.1.1.2). */
  start(): void {
    this.require('start', this.started ? [] : ['Calling'], '17.1.1.2');
    this.started = true;
    this.send();
    const now = this.ctx.scheduler.now();
    const t = this.ctx.timers;
    if (!t.reliable) {
      this.intervalA = timerA(t);
      this.dueA = now + this.intervalA;
    }
    this.dueB = now + timerB(t);
    this.arm();
  }

  /** A response matched to this transaction by the layer (§17.1.3). */
  receiveResponse(response: SipResponse): void {
    const s = this.state;
    if (s === 'Terminated') return;
    if (response.status < 200) {
      if (s === 'Completed') return; // a late provisional: nothing to do
      if (s === 'Calling') {
        // A stops, and B only bounds the Calling state
        this.dueA = Infinity;
        this.dueB = Infinity;
        this.arm();
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
      this.dueA = Infinity;
      this.dueB = Infinity;
      this.transition('Completed', `receive ${response.status}`);
      this.ack = createAck(this.request, response);
      this.ctx.transport.send(this.ack, this.to);
      this.dueD = this.ctx.scheduler.now() + timerD(this.ctx.timers);
      this.arm();
      this.user.onResponse(response, this);
    }
  }

  protected stopTimers(): void {
    this.dueA = this.dueB = this.dueD = Infinity;
    this.arm();
  }

  private send(): void {
    this.sent++;
    this.ctx.transport.send(this.request, this.to);
  }

  /** (Re)schedules the wake-up at the earliest due time, or none. */
  private arm(): void {
    const due = Math.min(this.dueA, this.dueB, this.dueD);
    if (this.wake !== null) {
      if (this.wake.time === due && !this.wake.done) return;
      this.ctx.scheduler.cancel(this.wake);
      this.wake = null;
    }
    if (due !== Infinity) this.wake = this.ctx.scheduler.at(due, wakeInviteClient, this);
  }

  /** @internal The wake-up: whichever timers are due fire, B before A (B was started first). */
  woke(): void {
    this.wake = null;
    const now = this.ctx.scheduler.now();
    if (this.dueB <= now) {
      this.dueB = Infinity;
      this.onTimerB();
    }
    if (this.dueA <= now) {
      this.dueA = Infinity;
      this.onTimerA();
    }
    if (this.dueD <= now) {
      this.dueD = Infinity;
      if (this.state !== 'Terminated') this.transition('Terminated', 'Timer D fired');
    }
    this.arm();
  }

  private onTimerA(): void {
    if (this.state !== 'Calling') return;
    // the next due time first: a transport answering at once then stops A as it should
    this.intervalA = backoff(this.intervalA, Infinity);
    this.dueA = this.ctx.scheduler.now() + this.intervalA;
    this.send();
  }

  private onTimerB(): void {
    if (this.state !== 'Calling') return;
    this.transition('Terminated', 'Timer B fired');
    this.user.onTimeout?.(this);
  }
}

function wakeInviteClient(tx: InviteClientTransaction): void {
  tx.woke();
}

/** Non-INVITE client transaction (§17.1.2, Figure 6). */
export class NonInviteClientTransaction extends Transaction<NonInviteClientState> {
  /** When Timer E, F or K is due (Infinity: not running), and E's current interval. */
  private dueE = Infinity;
  private dueF = Infinity;
  private dueK = Infinity;
  private intervalE = 0;
  /** The one scheduler event, at the earliest due time above. */
  private wake: Scheduled | null = null;
  private started = false;
  /** Copies of the request sent, the first included. */
  sent = 0;

  /** `branch`: the request's top Via branch, if the caller knows it (see TransactionLayer.sendRequest). */
  constructor(readonly request: SipRequest, readonly to: string, ctx: TransactionContext, private readonly user: ClientTransactionUser, branch?: string) {
    if (request.method === 'INVITE' || request.method === 'ACK') {
      throw new TransactionMatchError(`a non-INVITE client transaction cannot carry ${request.method} (RFC 3261 §17.1.2)`);
    }
    super('non-INVITE client', branch ?? branchOf(request), cseqMethod(request), '', 'Trying', ctx, NON_INVITE_CLIENT);
  }

  /** Sends the request and starts Timers E (unreliable transports only) and F (§17.1.2.2). */
  start(): void {
    this.require('start', this.started ? [] : ['Trying'], '17.1.2.2');
    this.started = true;
    this.send();
    const now = this.ctx.scheduler.now();
    const t = this.ctx.timers;
    if (!t.reliable) {
      this.intervalE = timerE(t);
      this.dueE = now + this.intervalE;
    }
    this.dueF = now + timerF(t);
    this.arm();
  }

  receiveResponse(response: SipResponse): void {
    const s = this.state;
    if (s === 'Completed' || s === 'Terminated') return; // retransmissions are absorbed (§17.1.2.2)
    if (response.status < 200) {
      if (s === 'Trying') this.transition('Proceeding', `receive ${response.status}`);
      this.user.onResponse(response, this);
      return;
    }
    this.dueE = Infinity;
    this.dueF = Infinity;
    this.transition('Completed', `receive ${response.status}`);
    this.dueK = this.ctx.scheduler.now() + timerK(this.ctx.timers);
    this.arm();
    this.user.onResponse(response, this);
  }

  protected stopTimers(): void {
    this.dueE = this.dueF = this.dueK = Infinity;
    this.arm();
  }

  private send(): void {
    this.sent++;
    this.ctx.transport.send(this.request, this.to);
  }

  /** (Re)schedules the wake-up at the earliest due time, or none. */
  private arm(): void {
    const due = Math.min(this.dueE, this.dueF, this.dueK);
    if (this.wake !== null) {
      if (this.wake.time === due && !this.wake.done) return;
      this.ctx.scheduler.cancel(this.wake);
      this.wake = null;
    }
    if (due !== Infinity) this.wake = this.ctx.scheduler.at(due, wakeNonInviteClient, this);
  }

  /** @internal The wake-up: whichever timers are due fire, F before E (F was started first). */
  woke(): void {
    this.wake = null;
    const now = this.ctx.scheduler.now();
    if (this.dueF <= now) {
      this.dueF = Infinity;
      this.onTimerF();
    }
    if (this.dueE <= now) {
      this.dueE = Infinity;
      this.onTimerE();
    }
    if (this.dueK <= now) {
      this.dueK = Infinity;
      if (this.state !== 'Terminated') this.transition('Terminated', 'Timer K fired');
    }
    this.arm();
  }

  private onTimerE(): void {
    const t = this.ctx.timers;
    if (this.state === 'Trying') this.intervalE = backoff(this.intervalE, t.t2);
    else if (this.state === 'Proceeding') this.intervalE = t.t2; // §17.1.2.2: reset to T2 in Proceeding
    else return;
    // the next due time first: a transport answering at once then stops E as it should
    this.dueE = this.ctx.scheduler.now() + this.intervalE;
    this.send();
  }

  private onTimerF(): void {
    if (this.state !== 'Trying' && this.state !== 'Proceeding') return;
    this.transition('Terminated', 'Timer F fired');
    this.user.onTimeout?.(this);
  }
}

function wakeNonInviteClient(tx: NonInviteClientTransaction): void {
  tx.woke();
}
