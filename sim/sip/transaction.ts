// A SIP transaction (RFC 3261 section 17) is one request and every response to it, made
// reliable over a lossy transport by retransmission timers. This file holds what the four
// kinds share: state checks that cite the RFC, matching keys (§17.1.3, §17.2.3), typed errors,
// and how a transaction builds the responses and ACKs it sends itself.

import type { Scheduler } from '../kernel/clock.js';
import { SipError } from './errors.js';
import { cseq, header, headerValues, topViaKey } from './headers.js';
import type { SipHeader, SipMessage, SipRequest, SipResponse } from './message.js';
import type { SipTimers } from './timers.js';
import type { SipTransport } from './transport.js';

/** Branches starting with this come from RFC 3261 elements and are unique (§8.1.1.7). */
export const MAGIC_COOKIE = 'z9hG4bK';

export type TransactionKind = 'INVITE client' | 'non-INVITE client' | 'INVITE server' | 'non-INVITE server';

/** A transition or TU call that the state machine of RFC 3261 does not allow in the current state. */
export class TransactionStateError extends SipError {
  override name = 'TransactionStateError';
  constructor(
    readonly kind: TransactionKind,
    readonly id: string,
    readonly state: string,
    readonly event: string,
    readonly allowed: readonly string[],
    readonly section: string,
  ) {
    super(`${kind} transaction ${id}: cannot ${event} in state ${state}; RFC 3261 §${section} allows it only in ${allowed.length > 0 ? allowed.join(', ') : 'no state'}`);
  }
}

/** A message that cannot be matched to a transaction (§17.1.3, §17.2.3), or a request a transaction cannot carry. */
export class TransactionMatchError extends SipError {
  override name = 'TransactionMatchError';
}

/** For each state: the states it may be entered from, and the section saying so. */
export type TransitionRules<S extends string> = { readonly [K in S]: { readonly from: readonly S[]; readonly section: string } };

/** What a transaction needs from the layer that owns it. */
export interface TransactionContext {
  readonly scheduler: Scheduler;
  readonly transport: SipTransport;
  readonly timers: SipTimers;
  /** Called once, when the transaction enters Terminated, so the layer forgets it. */
  terminated(tx: Transaction<string>): void;
}

export abstract class Transaction<S extends string> {
  private current: S;
  /**
   * @internal The layer's chain of transactions sharing this one's branch (an INVITE and its
   * CANCEL do): the layer keys transactions by branch alone and tells these apart by method
   * and sent-by, so that matching a message builds no key string.
   */
  nextInBranch: Transaction<string> | undefined = undefined;

  protected constructor(
    readonly kind: TransactionKind,
    /** The top Via branch of the request (§17.1.3, §17.2.3). */
    readonly branch: string,
    /** The method it matches: the CSeq method (client), the request's (server; an ACK matches INVITE). */
    readonly method: string,
    /** Server only: the top Via's sent-by, host lowercased and port ('' for a client). */
    readonly sentBy: string,
    initial: S,
    protected readonly ctx: TransactionContext,
    private readonly rules: TransitionRules<S>,
  ) {
    this.current = initial;
  }

  /** The matching key (see {@link clientKey}, {@link serverKey}), written out for messages and tests. */
  get id(): string {
    return this.sentBy === '' ? `${this.branch}|${this.method}` : `${this.branch}|${this.sentBy}|${this.method}`;
  }

  get state(): S {
    return this.current;
  }

  /** Moves to `to`, checking that the current state is a legal source for it. */
  protected transition(to: S, event: string): void {
    const rule = this.rules[to];
    if (!rule.from.includes(this.current)) {
      throw new TransactionStateError(this.kind, this.id, this.current, `${event} (-> ${to})`, rule.from, rule.section);
    }
    this.current = to;
    if (to === 'Terminated') {
      this.stopTimers();
      this.ctx.terminated(this);
    }
  }

  /** Throws unless the transaction is in one of `allowed` (for TU calls that do not change state). */
  protected require(event: string, allowed: readonly S[], section: string): void {
    if (!allowed.includes(this.current)) throw new TransactionStateError(this.kind, this.id, this.current, event, allowed, section);
  }

  protected abstract stopTimers(): void;
}

/** The top Via branch of any message, or the match error. */
export function branchOf(m: SipMessage): string {
  const branch = topViaKey(m)?.branch;
  if (branch === undefined) throw new TransactionMatchError('message has no top Via branch: cannot match it to a transaction (RFC 3261 §17.1.3, §17.2.3)');
  return branch;
}

/** The CSeq method of any message, or the match error. */
export function cseqMethod(m: SipMessage): string {
  const c = cseq(m);
  if (c === undefined) throw new TransactionMatchError('message has no CSeq: cannot match it to a transaction (RFC 3261 §17.1.3)');
  return c.method;
}

/** Client matching key (§17.1.3): top Via branch + CSeq method. Works on the request and its responses. */
export function clientKey(m: SipMessage): string {
  return `${branchOf(m)}|${cseqMethod(m)}`;
}

/** What a request is matched to a server transaction by (§17.2.3), as {@link serverKey} writes it. */
export interface ServerMatch {
  readonly branch: string;
  /** host (lowercased) `:` port, the port empty when the Via has none. */
  readonly sentBy: string;
}

/** Sent-by of the last Via read by {@link serverMatch}, kept because a call's requests share it. */
let lastSentByHost = '';
let lastSentByPort: number | undefined;
let lastSentBy = ':';

/**
 * The branch and sent-by of a request's top Via (§17.2.3). Requests from RFC 2543 elements (no
 * magic cookie) are refused.
 */
export function serverMatch(r: SipRequest): ServerMatch {
  const via = topViaKey(r);
  const branch = via?.branch;
  if (via === undefined || branch === undefined || !branch.startsWith(MAGIC_COOKIE)) {
    throw new TransactionMatchError(`request ${r.method} has no RFC 3261 branch (${MAGIC_COOKIE}...); RFC 2543 matching (§17.2.3) is not supported`);
  }
  if (via.host !== lastSentByHost || via.port !== lastSentByPort) {
    lastSentByHost = via.host;
    lastSentByPort = via.port;
    lastSentBy = `${via.host.toLowerCase()}:${via.port ?? ''}`;
  }
  return { branch, sentBy: lastSentBy };
}

/**
 * Server matching key (§17.2.3): top Via branch + sent-by + method, where an ACK takes the
 * INVITE's method. `method` overrides it: a CANCEL is matched to the INVITE it cancels (§9.2)
 * with `serverKey(cancel, 'INVITE')`. Requests from RFC 2543 elements (no magic cookie) are refused.
 */
export function serverKey(r: SipRequest, method?: string): string {
  const { branch, sentBy } = serverMatch(r);
  const m = method ?? (r.method === 'ACK' ? 'INVITE' : r.method);
  return `${branch}|${sentBy}|${m}`;
}

/**
 * A response to `request` (§8.2.6.2): Vias, From, To (plus `toTag` if given and To has none),
 * Call-ID and CSeq copied; no body. The request's header objects are immutable, so the
 * response shares them (To is new when it gets a tag).
 */
export function createResponse(request: SipRequest, status: number, reason: string, toTag?: string): SipResponse {
  const headers: SipHeader[] = [];
  let fromH: SipHeader | undefined;
  let toH: SipHeader | undefined;
  let callIdH: SipHeader | undefined;
  let cseqH: SipHeader | undefined;
  const hs = request.headers;
  for (let i = 0; i < hs.length; i++) {
    const h = hs[i]!;
    switch (h.name) {
      case 'Via': headers.push(h); break;
      case 'From': fromH ??= h; break;
      case 'To': toH ??= h; break;
      case 'Call-ID': callIdH ??= h; break;
      case 'CSeq': cseqH ??= h; break;
      default:
    }
  }
  if (fromH === undefined) throw new TransactionMatchError('cannot answer a request without From');
  if (toH === undefined) throw new TransactionMatchError('cannot answer a request without To');
  if (callIdH === undefined) throw new TransactionMatchError('cannot answer a request without Call-ID');
  if (cseqH === undefined) throw new TransactionMatchError('cannot answer a request without CSeq');
  if (toTag !== undefined && !TAG.test(toH.value)) toH = { name: 'To', value: `${toH.value};tag=${toTag}` };
  headers.push(fromH, toH, callIdH, cseqH);
  return { kind: 'response', status, reason, headers, body: '' };
}

const TAG = /;\s*tag=/i;

/**
 * The ACK an INVITE client transaction sends for a non-2xx final response (§17.1.1.3):
 * Request-URI, Call-ID, From, CSeq number and the top Via of the INVITE, To of the response,
 * the INVITE's Route headers.
 */
export function createAck(invite: SipRequest, response: SipResponse): SipRequest {
  const via = header(invite, 'Via');
  const callIdValue = header(invite, 'Call-ID');
  const fromValue = header(invite, 'From');
  const toValue = header(response, 'To');
  const c = cseq(invite);
  if (via === undefined || callIdValue === undefined || fromValue === undefined || toValue === undefined || c === undefined) {
    throw new TransactionMatchError('cannot build the ACK: INVITE or response lacks Via, Call-ID, From, To or CSeq');
  }
  const headers: SipHeader[] = [
    { name: 'Via', value: via },
    { name: 'Max-Forwards', value: '70' },
    { name: 'From', value: fromValue },
    { name: 'To', value: toValue },
    { name: 'Call-ID', value: callIdValue },
    { name: 'CSeq', value: `${c.seq} ACK` },
    ...headerValues(invite, 'Route').map((value) => ({ name: 'Route', value })),
  ];
  return { kind: 'request', method: 'ACK', uri: invite.uri, headers, body: '' };
}
