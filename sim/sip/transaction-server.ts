// Server transactions (RFC 3261 §17.2): they absorb retransmitted requests, resending the
// last response instead, so the TU sees each request once. The INVITE server retransmits a
// non-2xx final on Timer G until the ACK comes (or Timer H gives up); a 2xx ends it at once,
// because retransmitting a 2xx until its ACK is the TU's job (§13.3.1.4), not the transaction's.
// As in the client transactions, each keeps one scheduled wake-up at the earliest due time of
// its running timers instead of one scheduler event per timer.

import type { Scheduled } from '../kernel/clock.js';
import {
  backoff, timerG, timerH, timerI, timerJ,
} from './timers.js';
import {
  createResponse, serverMatch, Transaction, TransactionMatchError, type TransactionContext, type TransitionRules,
} from './transaction.js';
import { parse, serialize } from './codec.js';
import { SipSerializeError } from './errors.js';
import { detach, type SipRequest, type SipResponse } from './message.js';

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
  /** When the 100 Trying delay, Timer G, H or I is due (Infinity: not running), and G's current interval. */
  private dueTrying = Infinity;
  private dueG = Infinity;
  private dueH = Infinity;
  private dueI = Infinity;
  private intervalG = 0;
  /** The one scheduler event, at the earliest due time above. */
  private wake: Scheduled | null = null;
  private last: SipResponse | undefined;
  /** Responses put on the wire, retransmissions included. */
  sent = 0;
  /** Whatever the transaction user hangs on it (the user agent: its call, for a CANCEL to find). */
  owner: unknown = undefined;

  /** `from` is where the INVITE came from: responses go back there. */
  constructor(readonly request: SipRequest, readonly from: string, ctx: TransactionContext, private readonly onTimeout?: ServerTimeout) {
    if (request.method !== 'INVITE') throw new TransactionMatchError(`an INVITE server transaction carries INVITE, not ${request.method}`);
    const m = serverMatch(request);
    super('INVITE server', m.branch, 'INVITE', m.sentBy, 'Proceeding', ctx, INVITE_SERVER);
    // §17.2.1: 100 Trying unless the TU answers within 200 ms of now (see awaitTu)
    this.dueTrying = ctx.scheduler.now() + ctx.timers.tryingDelay;
  }

  /**
   * Starts the 100 Trying delay unless the TU has responded already. The layer calls it once
   * the TU had the INVITE: a TU that rings at once then costs no timer at all.
   */
  awaitTu(): void {
    if (this.last === undefined && this.state === 'Proceeding' && this.dueTrying !== Infinity) this.arm();
  }

  /** The TU's response (§17.2.1). Only in Proceeding: after a final the TU has no say. */
  respond(response: SipResponse): void {
    this.require(`send ${response.status}`, ['Proceeding'], '17.2.1');
    if (this.dueTrying !== Infinity) {
      this.dueTrying = Infinity;
      this.arm();
    }
    this.last = response;
    if (response.status < 200) {
      this.send();
    } else if (response.status < 300) {
      this.send();
      this.transition('Terminated', `send ${response.status}`);
    } else {
      this.transition('Completed', `send ${response.status}`);
      this.send();
      const now = this.ctx.scheduler.now();
      const t = this.ctx.timers;
      if (!t.reliable) {
        this.intervalG = timerG(t);
        this.dueG = now + this.intervalG;
      }
      this.dueH = now + timerH(t);
      this.arm();
    }
  }

  /** A retransmitted INVITE, or the ACK, matched by the layer (§17.2.3). */
  receiveRequest(request: SipRequest): void {
    const s = this.state;
    if (request.method === 'INVITE') {
      // resend the most recent provisional (Proceeding) or the final (Completed); absorb otherwise
      if ((s === 'Proceeding' || s === 'Completed') && this.last !== undefined) this.send();
    } else if (request.method === 'ACK' && s === 'Completed') {
      this.dueG = Infinity;
      this.dueH = Infinity;
      this.transition('Confirmed', 'receive ACK');
      this.dueI = this.ctx.scheduler.now() + timerI(this.ctx.timers);
      this.arm();
    }
    // ACKs in Confirmed are absorbed (§17.2.1)
  }

  protected stopTimers(): void {
    this.dueTrying = this.dueG = this.dueH = this.dueI = Infinity;
    this.arm();
  }

  private send(): void {
    if (this.last === undefined) return;
    this.sent++;
    this.ctx.transport.send(this.last, this.from);
  }

  /** (Re)schedules the wake-up at the earliest due time, or none. */
  private arm(): void {
    const due = Math.min(this.dueTrying, this.dueG, this.dueH, this.dueI);
    if (this.wake !== null) {
      if (this.wake.time === due && !this.wake.done) return;
      this.ctx.scheduler.cancel(this.wake);
      this.wake = null;
    }
    if (due !== Infinity) this.wake = this.ctx.scheduler.at(due, wakeInviteServer, this);
  }

  /** @internal The wake-up: whichever timers are due fire, H before G (H was started first). */
  woke(): void {
    this.wake = null;
    const now = this.ctx.scheduler.now();
    if (this.dueTrying <= now) {
      this.dueTrying = Infinity;
      this.onTrying();
    }
    if (this.dueH <= now) {
      this.dueH = Infinity;
      this.onTimerH();
    }
    if (this.dueG <= now) {
      this.dueG = Infinity;
      this.onTimerG();
    }
    if (this.dueI <= now) {
      this.dueI = Infinity;
      if (this.state !== 'Terminated') this.transition('Terminated', 'Timer I fired');
    }
    this.arm();
  }

  private onTrying(): void {
    if (this.state !== 'Proceeding' || this.last !== undefined) return;
    this.last = createResponse(this.request, 100, 'Trying');
    this.send();
  }

  private onTimerG(): void {
    if (this.state !== 'Completed') return;
    // the next due time first: an ACK arriving at once then stops G as it should
    this.intervalG = backoff(this.intervalG, this.ctx.timers.t2);
    this.dueG = this.ctx.scheduler.now() + this.intervalG;
    this.send();
  }

  private onTimerH(): void {
    if (this.state !== 'Completed') return;
    this.transition('Terminated', 'Timer H fired');
    this.onTimeout?.(this);
  }
}

function wakeInviteServer(tx: InviteServerTransaction): void {
  tx.woke();
}

/**
 * Non-INVITE server transaction (§17.2.2, Figure 8).
 *
 * Once its final response is sent, it waits 64·T1 (Timer J, 32 s on UDP) only to answer a
 * retransmitted request with that response again. For those 32 s it keeps the response's
 * wire text and nothing else of the exchange: not the request nor the response objects, whose
 * header values are slices of the request's text (so either would keep all of it alive), and
 * its branch is a copy. In the in-memory SIP day each call's BYE leaves one such transaction
 * behind; holding the parsed messages, they were a fifth of what the garbage collector
 * promoted (171 MB over a twentieth of the day, 149 MB without them: --trace-gc-nvp).
 */
export class NonInviteServerTransaction extends Transaction<NonInviteServerState> {
  /** Timer J, while it runs. */
  private j: Scheduled | null = null;
  /** The request, until the final response is sent (null after: see the class comment). */
  private req: SipRequest | null;
  /** The last provisional response, while there is no final one. */
  private last: SipResponse | undefined;
  /** The final response as it went on the wire, for retransmitted requests. */
  private finalWire: string | undefined;
  /** Responses put on the wire, retransmissions included. */
  sent = 0;

  constructor(request: SipRequest, readonly from: string, ctx: TransactionContext) {
    if (request.method === 'INVITE' || request.method === 'ACK') {
      throw new TransactionMatchError(`a non-INVITE server transaction cannot carry ${request.method} (RFC 3261 §17.2.2)`);
    }
    const m = serverMatch(request);
    super('non-INVITE server', detach(m.branch), request.method, m.sentBy, 'Trying', ctx, NON_INVITE_SERVER);
    this.req = request;
  }

  /** The request; null once the final response is sent (the transaction then keeps only that response's text). */
  get request(): SipRequest | null {
    return this.req;
  }

  /** The TU's response; a final one in Completed is a TU error (§17.2.2 says it is discarded). */
  respond(response: SipResponse): void {
    this.require(`send ${response.status}`, ['Trying', 'Proceeding'], '17.2.2');
    if (response.status < 200) {
      this.last = response;
      if (this.state === 'Trying') this.transition('Proceeding', `send ${response.status}`);
      this.send();
    } else {
      this.transition('Completed', `send ${response.status}`);
      const j = timerJ(this.ctx.timers);
      const wire = j > 0 ? serializedOrUndefined(response) : undefined;
      if (wire === undefined) {
        // a reliable transport (J is 0: nothing to keep), or a response the transport will refuse in its own way
        this.last = response;
        this.send();
      } else {
        this.finalWire = wire;
        this.last = undefined;
        this.req = null;
        this.sendFinal(response);
      }
      this.j = this.ctx.scheduler.after(j, timerJFired, this);
    }
  }

  /** A retransmitted request (§17.2.2): discarded in Trying, answered with the last response after. */
  receiveRequest(_request: SipRequest): void {
    if (this.state === 'Proceeding' || this.state === 'Completed') this.send();
  }

  protected stopTimers(): void {
    if (this.j !== null && !this.j.done) this.ctx.scheduler.cancel(this.j);
    this.j = null;
  }

  /** @internal Timer J fired. */
  jFired(): void {
    this.j = null;
    if (this.state !== 'Terminated') this.transition('Terminated', 'Timer J fired');
  }

  private send(): void {
    if (this.finalWire !== undefined) {
      this.sendFinal();
      return;
    }
    if (this.last === undefined) return;
    this.sent++;
    this.ctx.transport.send(this.last, this.from);
  }

  /**
   * The kept final response, as text where the transport takes text. `message`: the response
   * itself, on the first sending; a retransmission (rare: the request came again) to a
   * transport without sendText parses the text back, which costs less than keeping the message.
   */
  private sendFinal(message?: SipResponse): void {
    const wire = this.finalWire!;
    const transport = this.ctx.transport;
    this.sent++;
    if (transport.sendText !== undefined) transport.sendText(wire, this.from);
    else transport.send(message ?? parse(wire), this.from);
  }
}

/**
 * The response as text of its own (detached: serialize's result is a tree of the values'
 * slices of the request's text until flattened); undefined when it cannot be serialized,
 * which the transport then reports as it does for any message.
 */
function serializedOrUndefined(response: SipResponse): string | undefined {
  try {
    return detach(serialize(response));
  } catch (e) {
    if (e instanceof SipSerializeError) return undefined;
    throw e;
  }
}

function timerJFired(tx: NonInviteServerTransaction): void {
  tx.jFired();
}
