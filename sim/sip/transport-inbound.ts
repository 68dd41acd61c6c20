// What a socket transport (UDP, WebSocket) does with each datagram or frame it receives
// (RFC 3261 §18.2.1): skip CRLF keep-alives, parse with the size limit, check the headers every
// message must carry, stamp `received`/`rport` onto the top Via of a request (RFC 3581), hand
// the message up; answer what cannot be parsed with 400 (513 when too large) when the answer can
// be routed, drop it otherwise. It counts everything and never throws on bad input.

import { badRequestReason, rejection, salvageRequest } from './bad-request.js';
import { parse, type SipParseOptions } from './codec.js';
import { SipParseError } from './errors.js';
import { cseq, topViaKey } from './headers.js';
import { parseVia } from './header-values.js';
import type { SipMessage, SipResponse } from './message.js';
import { hostOf } from './transport-address.js';
import type { SipReceiver } from './transport.js';

/** Counters of one transport. `received = delivered + keepAlives + malformed + oversize`; `malformed + oversize = answered400 + answered513 + dropped`. */
export interface TransportStats {
  /** Datagrams or WebSocket messages that arrived, whatever they held. */
  received: number;
  /** SIP messages handed to the receive callback. */
  delivered: number;
  /** Empty or CRLF-only input (keep-alives), ignored. */
  keepAlives: number;
  /** Input within the size limit that is not a valid SIP message or lacks a mandatory header. */
  malformed: number;
  /** Input over the size limit. */
  oversize: number;
  /** Malformed requests answered with 400 Bad Request. */
  answered400: number;
  /** Oversize requests answered with 513 Message Too Large. */
  answered513: number;
  /** Malformed or oversize input dropped without an answer (responses, ACKs, unroutable garbage). */
  dropped: number;
  /** Messages the socket accepted, this transport's own 400/513 included. */
  sent: number;
  /** Messages that could not be sent (bad or unknown address, closed, socket error, unserializable). */
  sendFailed: number;
  /** Exceptions thrown by the receive callback. */
  handlerErrors: number;
}

export function emptyStats(): TransportStats {
  return {
    received: 0, delivered: 0, keepAlives: 0, malformed: 0, oversize: 0, answered400: 0, answered513: 0,
    dropped: 0, sent: 0, sendFailed: 0, handlerErrors: 0,
  };
}

export type TransportProblemKind = 'malformed' | 'oversize' | 'send-failed' | 'socket-error' | 'handler-error' | 'connection-refused';

/** Something a transport met and dealt with; reported, never thrown. */
export interface TransportProblem {
  readonly kind: TransportProblemKind;
  /** The peer's transport address (`10.0.0.1:5060`, `ws:7`), when there is one. */
  readonly peer: string | undefined;
  /** One line: what happened and what was done about it. */
  readonly message: string;
  /** The underlying error: a SipParseError for malformed input. */
  readonly error?: unknown;
  /** For malformed or oversize input: the status sent back, or `dropped`. */
  readonly action?: 400 | 513 | 'dropped';
}

export type ProblemListener = (problem: TransportProblem) => void;

/** Where some input came from. */
export interface Peer {
  /** The transport address the layers above see as `from` and reply to. */
  readonly address: string;
  /** The source IP of the packet or connection (IPv4-mapped addresses unmapped). */
  readonly ip: string;
  readonly port: number;
}

export interface InboundOptions {
  readonly maxMessageSize: number;
  readonly onMessage: SipReceiver;
  readonly onProblem: ProblemListener | undefined;
  /** Sends the transport's own 400/513 back to `peer.address`. */
  readonly reply: (response: SipResponse, to: string) => void;
  /** Prefix of the To tags of the transport's own rejections. */
  readonly tagPrefix: string;
}

/** Headers without which a message cannot be matched or answered (RFC 3261 §8.1.1). */
const MANDATORY = ['Via', 'From', 'To', 'Call-ID', 'CSeq'] as const;

export class InboundProcessor {
  readonly stats: TransportStats = emptyStats();
  private tags = 0;
  /** The codec's options for every datagram or frame (one object, not one per message). */
  private readonly parseOptions: SipParseOptions;

  constructor(private readonly o: InboundOptions) {
    this.parseOptions = { maxSize: o.maxMessageSize, transport: 'datagram' };
  }

  /** Handles one datagram or WebSocket message. Never throws for bad input. */
  receive(data: Buffer, peer: Peer): void {
    this.stats.received++;
    if (isKeepAlive(data)) {
      this.stats.keepAlives++;
      return;
    }
    if (data.byteLength > this.o.maxMessageSize) {
      this.stats.oversize++;
      const error = new SipParseError(`message of ${data.byteLength} bytes is over the size limit`, { expected: `at most ${this.o.maxMessageSize} bytes` });
      this.reject(data, peer, 'oversize', error, 513, 'Message Too Large');
      return;
    }
    let message: SipMessage;
    try {
      message = parse(data, this.parseOptions);
      checkMandatory(message);
    } catch (e) {
      if (!(e instanceof SipParseError)) throw e;
      this.stats.malformed++;
      this.reject(data, peer, 'malformed', e, 400, badRequestReason(e));
      return;
    }
    if (message.kind === 'request') message = stampTopVia(message, peer);
    this.stats.delivered++;
    try {
      this.o.onMessage(message, peer.address);
    } catch (e) {
      this.stats.handlerErrors++;
      if (this.o.onProblem === undefined) throw e;
      this.o.onProblem({ kind: 'handler-error', peer: peer.address, message: `the receive callback threw: ${String(e)}`, error: e });
    }
  }

  /** Reports a problem (transports use it for their own send and socket errors). */
  problem(p: TransportProblem): void {
    this.o.onProblem?.(p);
  }

  private reject(data: Buffer, peer: Peer, kind: 'malformed' | 'oversize', error: SipParseError, status: 400 | 513, reason: string): void {
    const salvaged = salvageRequest(data);
    if (salvaged === undefined) {
      this.stats.dropped++;
      this.problem({ kind, peer: peer.address, message: `${kind} input dropped: ${error.message}`, error, action: 'dropped' });
      return;
    }
    const response = rejection(salvaged, status, reason, error.message, `${this.o.tagPrefix}${++this.tags}`, (via) => stampVia(via, peer.ip, peer.port));
    if (status === 400) this.stats.answered400++;
    else this.stats.answered513++;
    this.problem({ kind, peer: peer.address, message: `${kind} ${salvaged.method} answered ${status}: ${error.message}`, error, action: status });
    this.o.reply(response, peer.address);
  }
}

/** Empty, or nothing but CR and LF (RFC 5626 §3.5.1 keep-alives and stray line ends). */
function isKeepAlive(data: Buffer): boolean {
  for (let i = 0; i < data.byteLength; i++) {
    const c = data[i];
    if (c !== 13 && c !== 10) return false;
  }
  return true;
}

function checkMandatory(m: SipMessage): void {
  // one pass over the headers for the five names (canonical, as the codec writes them)
  let found = 0;
  const hs = m.headers;
  for (let i = 0; i < hs.length && found !== ALL_MANDATORY; i++) {
    switch (hs[i]!.name) {
      case 'Via': found |= 1; break;
      case 'From': found |= 2; break;
      case 'To': found |= 4; break;
      case 'Call-ID': found |= 8; break;
      case 'CSeq': found |= 16; break;
      default:
    }
  }
  if (found !== ALL_MANDATORY) {
    const name = MANDATORY.find((_, k) => (found & (1 << k)) === 0)!;
    throw new SipParseError(`missing ${name} header`, { expected: `a ${name} header (RFC 3261 §8.1.1)`, header: name });
  }
  if (m.kind === 'request') {
    // the accessor keeps what it parsed: the transaction layer reads the same CSeq next
    const c = cseq(m)!;
    if (c.method !== m.method) {
      throw new SipParseError(`CSeq method ${c.method} does not match the request method ${m.method}`, { expected: m.method, found: c.method, header: 'CSeq' });
    }
  }
}

const ALL_MANDATORY = 31;

function stampTopVia<M extends SipMessage>(m: M, peer: Peer): M {
  // the usual case, a Via naming the address the request came from and no rport, through the
  // accessor, which keeps its result for the transaction layer's matching next
  const via = topViaKey(m)!;
  if (via.rport === undefined && via.host === peer.ip) return m;
  const i = m.headers.findIndex((h) => h.name === 'Via');
  const value = m.headers[i]!.value;
  const stamped = stampVia(value, peer.ip, peer.port);
  if (stamped === value) return m;
  const headers = m.headers.slice();
  headers[i] = { name: 'Via', value: stamped };
  return { ...m, headers };
}

/**
 * The top Via of a request as the server transport leaves it (RFC 3261 §18.2.1, RFC 3581 §4):
 * `received=<source IP>` when the sent-by host is not that IP or when `rport` is present, and
 * `rport=<source port>` filling in a requested rport; other parameters are kept as written. An
 * IPv6 source is written in brackets (`received=[::1]`), which parsers of the RFC 3261 grammar
 * (bare IPv6address) may refuse but callsim's codec requires.
 */
export function stampVia(value: string, ip: string, port: number): string {
  const via = parseVia(value);
  const host = hostOf(ip);
  const wantsRport = via.rport !== undefined;
  if (!wantsRport && via.host.toLowerCase() === host.toLowerCase()) return value;
  const parts = splitParams(value);
  const kept = parts.slice(1).filter((p) => {
    const name = p.split('=', 1)[0]!.trim().toLowerCase();
    return name !== 'received' && !(wantsRport && name === 'rport');
  });
  kept.push(`received=${host}`);
  if (wantsRport) kept.push(`rport=${port}`);
  return [parts[0]!, ...kept].join(';');
}

/** Splits a header value on `;` outside quoted strings, trimming each part. */
function splitParams(value: string): string[] {
  const out: string[] = [];
  let start = 0;
  let quoted = false;
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (quoted) {
      if (c === '\\') i++;
      else if (c === '"') quoted = false;
    } else if (c === '"') quoted = true;
    else if (c === ';') {
      out.push(value.slice(start, i).trim());
      start = i + 1;
    }
  }
  out.push(value.slice(start).trim());
  return out;
}
