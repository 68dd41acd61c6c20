// The transaction layer of one SIP element: it owns the client and server transactions,
// keyed by their matching rules (§17.1.3, §17.2.3), and sends each incoming message to the
// transaction it belongs to, or to the transaction user (TU) when none does: new requests,
// ACKs for 2xx, and 2xx retransmissions that outlive the INVITE client transaction.

import type { Scheduler } from '../kernel/clock.js';
import { SipError } from './errors.js';
import type { SipMessage, SipRequest, SipResponse } from './message.js';
import { resolveTimers, type SipTimers, type TimerOptions } from './timers.js';
import {
  branchOf, cseqMethod, MAGIC_COOKIE, serverMatch, TransactionMatchError, type Transaction, type TransactionContext,
} from './transaction.js';
import {
  InviteClientTransaction, NonInviteClientTransaction, type ClientTransaction, type ClientTransactionUser,
} from './transaction-client.js';
import {
  InviteServerTransaction, NonInviteServerTransaction, type ServerTransaction,
} from './transaction-server.js';
import type { SipReceiver, SipTransport } from './transport.js';

/** The layer above: what the transaction layer hands up that no transaction took. */
export interface TransactionUser {
  /**
   * A new request, with the server transaction created for it (never an ACK). For a CANCEL,
   * `cancels` is the INVITE server transaction it matches (§9.2), if still there.
   */
  onRequest(request: SipRequest, tx: ServerTransaction, cancels?: InviteServerTransaction): void;
  /** An ACK matching no transaction: the ACK for a 2xx, which belongs to the dialog (§17.2.3). */
  onAck?(ack: SipRequest, from: string): void;
  /** A response matching no client transaction, e.g. a 2xx retransmission (§17.1.1.2: the TU's job). */
  onStrayResponse?(response: SipResponse, from: string): void;
  /** An INVITE server transaction whose non-2xx final was never ACKed (Timer H, §17.2.1). */
  onServerTimeout?(tx: InviteServerTransaction): void;
  /** A message that cannot be matched (no branch, RFC 2543 peer, no CSeq). Default: ignored. */
  onDiscard?(message: SipMessage, from: string, reason: SipError): void;
}

export class TransactionLayer {
  readonly timers: SipTimers;
  /**
   * Transactions by top Via branch; the few that share a branch (an INVITE and its CANCEL)
   * are chained through `nextInBranch` and told apart by method (and sent-by for servers),
   * which is the matching of §17.1.3 and §17.2.3 without building a key string per message.
   */
  private readonly clients = new Map<string, ClientTransaction>();
  private readonly servers = new Map<string, ServerTransaction>();
  private clientCount = 0;
  private serverCount = 0;
  private readonly ctx: TransactionContext;
  private branches = 0;

  constructor(scheduler: Scheduler, transport: SipTransport, private readonly tu: TransactionUser, options: TimerOptions = {}, private readonly name = 'ua') {
    this.timers = resolveTimers(options);
    this.ctx = {
      scheduler, transport, timers: this.timers,
      terminated: (tx: Transaction<string>) => {
        if (tx.sentBy === '') {
          if (unlink(this.clients, tx)) this.clientCount--;
        } else if (unlink(this.servers, tx)) this.serverCount--;
      },
    };
  }

  /** A fresh RFC 3261 branch (§8.1.1.7), unique within this layer and deterministic. */
  newBranch(): string {
    return `${MAGIC_COOKIE}-${this.name}-${++this.branches}`;
  }

  /**
   * Starts a client transaction for `request` (INVITE or non-INVITE, never ACK) towards `to`.
   * `branch`: the top Via's branch, when the caller has just written it from {@link newBranch}
   * (the transaction then need not read it back out of the Via).
   */
  sendRequest(request: SipRequest, to: string, user: ClientTransactionUser, branch?: string): ClientTransaction {
    const tx = request.method === 'INVITE'
      ? new InviteClientTransaction(request, to, this.ctx, user, branch)
      : new NonInviteClientTransaction(request, to, this.ctx, user, branch);
    const first = this.clients.get(tx.branch);
    if (find(first, tx.method, '') !== undefined) throw new TransactionMatchError(`a client transaction ${tx.id} already exists: use a new branch (RFC 3261 §8.1.1.7)`);
    tx.nextInBranch = first;
    this.clients.set(tx.branch, tx);
    this.clientCount++;
    tx.start();
    return tx;
  }

  /** Sends a message outside any transaction: the ACK for a 2xx and 2xx retransmissions (§13, §17.1.1.3). */
  send(message: SipMessage, to: string): void {
    this.ctx.transport.send(message, to);
  }

  /** Give this to the transport as its receive callback. */
  readonly receive: SipReceiver = (message, from) => {
    try {
      if (message.kind === 'response') this.receiveResponse(message, from);
      else this.receiveRequest(message, from);
    } catch (e) {
      if (!(e instanceof TransactionMatchError)) throw e;
      this.tu.onDiscard?.(message, from, e);
    }
  };

  /** Live transactions (for tests and leak checks). */
  get size(): { clients: number; servers: number } {
    return { clients: this.clientCount, servers: this.serverCount };
  }

  private receiveResponse(response: SipResponse, from: string): void {
    const branch = branchOf(response);
    const tx = find(this.clients.get(branch), cseqMethod(response), '') as ClientTransaction | undefined;
    if (tx !== undefined) tx.receiveResponse(response);
    else this.tu.onStrayResponse?.(response, from);
  }

  private receiveRequest(request: SipRequest, from: string): void {
    const { branch, sentBy } = serverMatch(request);
    const method = request.method;
    const first = this.servers.get(branch);
    const existing = find(first, method === 'ACK' ? 'INVITE' : method, sentBy) as ServerTransaction | undefined;
    if (existing !== undefined) {
      if (existing instanceof InviteServerTransaction) existing.receiveRequest(request);
      else existing.receiveRequest(request);
      return;
    }
    if (method === 'ACK') {
      this.tu.onAck?.(request, from);
      return;
    }
    let tx: ServerTransaction;
    if (method === 'INVITE') {
      tx = new InviteServerTransaction(request, from, this.ctx, (t) => this.tu.onServerTimeout?.(t));
    } else {
      tx = new NonInviteServerTransaction(request, from, this.ctx);
    }
    tx.nextInBranch = first;
    // keyed by the transaction's own branch string: a non-INVITE server's is a copy, so the
    // map does not keep the request's text alive through its key for Timer J's 32 s
    this.servers.set(tx.branch, tx);
    this.serverCount++;
    let cancels: InviteServerTransaction | undefined;
    if (method === 'CANCEL') {
      const invite = find(tx, 'INVITE', sentBy);
      if (invite instanceof InviteServerTransaction) cancels = invite;
    }
    this.tu.onRequest(request, tx, cancels);
    // §17.2.1: 100 Trying unless the TU answers within 200 ms; most answer at once (180),
    // and then no timer was ever scheduled
    if (tx instanceof InviteServerTransaction) tx.awaitTu();
  }
}

/** The transaction of a branch's chain with this method (and sent-by, '' for clients). */
function find(first: Transaction<string> | undefined, method: string, sentBy: string): Transaction<string> | undefined {
  for (let t = first; t !== undefined; t = t.nextInBranch) {
    if (t.method === method && t.sentBy === sentBy) return t;
  }
  return undefined;
}

/** Takes `tx` out of its branch's chain; false when it was not there. */
function unlink(map: Map<string, Transaction<string>>, tx: Transaction<string>): boolean {
  const first = map.get(tx.branch);
  if (first === tx) {
    if (tx.nextInBranch === undefined) map.delete(tx.branch);
    else map.set(tx.branch, tx.nextInBranch);
    tx.nextInBranch = undefined;
    return true;
  }
  for (let t = first; t !== undefined; t = t.nextInBranch) {
    if (t.nextInBranch === tx) {
      t.nextInBranch = tx.nextInBranch;
      tx.nextInBranch = undefined;
      return true;
    }
  }
  return false;
}
