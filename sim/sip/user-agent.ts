// A SIP user agent core (RFC 3261 §8, §12-§15) for calls: the UAC places INVITEs, ACKs the
// 2xx, CANCELs while ringing, sends INFO (DTMF) and BYE; the UAS rings, answers (and
// retransmits its 2xx until the ACK comes, §13.3.1.4), rejects, takes CANCEL (487), INFO,
// REFER and BYE. Both roles live in one class because an element plays both in a dialog.
// Everything runs on the Scheduler given, over any SipTransport: in memory in simulated time
// (`callsim run --signaling sip`), on UDP or WebSocket on the wall clock (`callsim serve`,
// `callsim load`). Identifiers are counters, so a simulated run replays exactly.
//
// Deliberate simplifications, fine for a caller talking to an IVR/ACD with no proxies in
// between: in-dialog requests go to the transport address the dialog was set up with (the
// remote Contact is kept as Request-URI only); Record-Route is honoured as the route set;
// no re-INVITE (answered 488), no authentication, one dialog per INVITE (no forking).

import type { Scheduled, Scheduler } from '../kernel/clock.js';
import { DialogTable } from './dialog-table.js';
import { dtmfBody, dtmfKey, type DtmfContentType } from './dtmf.js';
import { SipError } from './errors.js';
import { callId, contactUri, contentType, cseq, fromTag, header, toTag } from './headers.js';
import { detach, type SipHeader, type SipMessage, type SipRequest, type SipResponse } from './message.js';
import { resolveTimers, type SipTimers, type TimerOptions } from './timers.js';
import { createResponse, type TransactionMatchError } from './transaction.js';
import type { ClientTransaction, ClientTransactionUser } from './transaction-client.js';
import { TransactionLayer, type TransactionUser } from './transaction-layer.js';
import type { InviteServerTransaction, ServerTransaction } from './transaction-server.js';
import type { SipTransport } from './transport.js';

export type CallState = 'calling' | 'early' | 'confirmed' | 'terminated';

/** What one call tells its owner. Shared by many calls: each call carries its owner's `data`. */
export interface SipCallEvents<T> {
  /** UAC: a provisional response with status (180 Ringing, 183 ...). */
  progress?(call: SipCall<T>, status: number): void;
  /** UAC: the 2xx arrived and was ACKed. */
  answered?(call: SipCall<T>): void;
  /**
   * UAC: the INVITE failed: its final status (>= 300), or 408 when Timer B fired. `fromPeer`:
   * the status is a response the peer sent (false for Timer B's 408).
   */
  failed?(call: SipCall<T>, status: number, reason: string, fromPeer: boolean): void;
  /** UAS: the ACK for our 2xx arrived. */
  confirmed?(call: SipCall<T>): void;
  /** UAS: the caller CANCELled before the answer; 487 was sent. */
  cancelled?(call: SipCall<T>): void;
  /** A DTMF key arrived by INFO. */
  dtmf?(call: SipCall<T>, key: string): void;
  /**
   * An INFO whose body is not DTMF (e.g. `callsim serve`'s ACD events for `callsim load`).
   * Return true to take it (200 OK); otherwise it is refused 415 with what we accept.
   */
  info?(call: SipCall<T>, contentType: string, body: string): boolean;
  /** UAC: the final response to one of our INFOs (408 on Timer F). */
  infoAnswered?(call: SipCall<T>, status: number): void;
  /** The peer asks us to call `referTo` instead (REFER, answered 202). */
  referred?(call: SipCall<T>, referTo: string): void;
  /** The dialog ended: by the peer's BYE, by ours, or by an error (2xx never ACKed). */
  ended?(call: SipCall<T>, by: 'remote' | 'local' | 'error'): void;
}

export interface UserAgentOptions {
  /** host:port written into Via sent-by and Contact (the transport's own address). */
  readonly address: string;
  /** Via transport token: UDP (default), WS, TCP. WS and TCP are reliable (no retransmissions). */
  readonly transport?: string;
  readonly timers?: TimerOptions;
  /** Prefix of tags, branches and Call-IDs: make it unique per process on a real network. */
  readonly name?: string;
  /** User-Agent / Server header value. */
  readonly product?: string;
  /** The SDP body of offers and answers (no media is sent). */
  readonly sdp?: string;
  /** URI parameters of our Contact, e.g. `;transport=ws` (RFC 7118). */
  readonly contactParams?: string;
}

export interface UserAgentHandlers<T> {
  /** UAS: a new INVITE. Ring, answer or reject the call (or leave it: 100 Trying goes out after 200 ms). */
  invite?(call: SipCall<T>, request: SipRequest): void;
  /** A request or response that could not be handled (malformed for its purpose, no dialog). */
  problem?(what: string): void;
}

export class SipCallError extends SipError {
  override name = 'SipCallError';
}

/** One call: an INVITE and the dialog it creates, on either side. */
export class SipCall<T> {
  state: CallState = 'calling';
  /** Our tag (From for the UAC, To for the UAS). */
  localTag: string;
  remoteTag = '';
  /** Our From/To header value with tag, and the peer's. */
  localParty: string;
  remoteParty = '';
  /** The peer's Contact URI: the Request-URI of in-dialog requests. */
  remoteTarget: string;
  routeSet: readonly string[] = NO_ROUTES;
  localSeq: number;
  /**
   * The INVITE (sent or received) while the call may still need it: until the dialog is
   * confirmed (the UAS got the ACK, the UAC sent it) or the call ended; null after. A call
   * lives for minutes, and a parsed INVITE holds its whole wire text, SDP included.
   */
  invite: SipRequest | null;
  /** The INVITE's request URI and CSeq number, kept for the dialog's life. */
  readonly inviteUri: string;
  readonly inviteSeq: number;
  /** For the UAS: its INVITE server transaction until the final response. */
  inviteTx: InviteServerTransaction | null = null;
  /** For the UAC: the INVITE client transaction until the final response. */
  clientTx: ClientTransaction | null = null;
  /** UAC: CANCEL asked for before any provisional came: sent on the first one (§9.1). */
  cancelPending = false;
  /** UAS: the 2xx we retransmit until the ACK comes. */
  answer: SipResponse | null = null;
  retransmit: Scheduled | null = null;
  retransmitInterval = 0;
  answeredAt = NaN;
  /** Whatever the owner hangs on the call (the model's call, a load generator's record). */
  data: T | undefined;

  constructor(
    readonly ua: UserAgent<T>,
    readonly role: 'uac' | 'uas',
    readonly callId: string,
    invite: SipRequest,
    /** The INVITE's Request-URI, a string of its own (not a slice of the INVITE's text). */
    inviteUri: string,
    inviteSeq: number,
    /** The transport address of the peer. */
    readonly peer: string,
    localTag: string,
    localParty: string,
    remoteTarget: string,
    localSeq: number,
    public events: SipCallEvents<T>,
  ) {
    this.invite = invite;
    this.inviteUri = inviteUri;
    this.inviteSeq = inviteSeq;
    this.localTag = localTag;
    this.localParty = localParty;
    this.remoteTarget = remoteTarget;
    this.localSeq = localSeq;
  }

  /** The INVITE, for what only happens before the dialog is confirmed. */
  private get pendingInvite(): SipRequest {
    if (this.invite === null) throw new SipCallError(`the INVITE of call ${this.callId} is no longer kept (state ${this.state})`);
    return this.invite;
  }

  get key(): string {
    return `${this.callId}|${this.localTag}`;
  }

  // ---- UAS ----------------------------------------------------------------------------

  /** UAS: 180 Ringing (or another provisional). */
  ring(status = 180, reason = 'Ringing'): void {
    const tx = this.requireUas('ring');
    tx.respond(this.ua.response(this, this.pendingInvite, status, reason, true));
    if (this.state === 'calling') this.state = 'early';
  }

  /** UAS: 200 OK with SDP, retransmitted until the ACK (§13.3.1.4). */
  accept(): void {
    const tx = this.requireUas('answer');
    const ok = this.ua.response(this, this.pendingInvite, 200, 'OK', true, this.ua.sdp);
    this.answer = ok;
    this.inviteTx = null;
    this.state = 'confirmed';
    this.answeredAt = this.ua.scheduler.now();
    tx.respond(ok);
    this.ua.armRetransmit(this);
  }

  /** UAS: a final refusal (486 Busy Here, 503 Service Unavailable, 480 ...). */
  reject(status: number, reason: string): void {
    const tx = this.requireUas('reject');
    const invite = this.pendingInvite;
    this.inviteTx = null;
    this.state = 'terminated';
    this.ua.forget(this);
    tx.respond(this.ua.response(this, invite, status, reason, true));
  }

  /** UAS: asks the caller to call `referTo` (REFER with Refer-Sub: false, RFC 4488). */
  refer(referTo: string): void {
    if (this.state !== 'confirmed') throw new SipCallError(`cannot REFER a call in state ${this.state}`);
    this.ua.inDialog(this, 'REFER', [
      { name: 'Refer-To', value: `<${referTo}>` },
      { name: 'Refer-Sub', value: 'false' },
    ]);
  }

  private requireUas(what: string): InviteServerTransaction {
    if (this.role !== 'uas' || this.inviteTx === null) throw new SipCallError(`cannot ${what}: not an unanswered incoming call (state ${this.state})`);
    return this.inviteTx;
  }

  // ---- both ---------------------------------------------------------------------------

  /** Sends one DTMF key by INFO. */
  sendDtmf(key: string, type: DtmfContentType = 'application/dtmf-relay'): void {
    if (this.state !== 'confirmed') throw new SipCallError(`cannot send DTMF in state ${this.state}`);
    this.ua.inDialog(this, 'INFO', [{ name: 'Content-Type', value: type }], dtmfBody(key, type));
  }

  /** Sends an INFO with any body (the answer comes back through `infoAnswered`). */
  sendInfo(contentType: string, body: string): void {
    if (this.state !== 'confirmed') throw new SipCallError(`cannot send INFO in state ${this.state}`);
    this.ua.inDialog(this, 'INFO', [{ name: 'Content-Type', value: contentType }], body);
  }

  /**
   * Ends the call from this side: BYE when confirmed; CANCEL when the UAC is still waiting
   * (deferred until a provisional arrived, §9.1); a UAS that has not answered rejects with 480.
   */
  hangup(): void {
    switch (this.state) {
      case 'terminated':
        return;
      case 'confirmed':
        this.ua.stopRetransmit(this);
        this.state = 'terminated';
        this.ua.forget(this);
        this.ua.inDialog(this, 'BYE', []);
        this.events.ended?.(this, 'local');
        return;
      default:
        if (this.role === 'uas') this.reject(480, 'Temporarily Unavailable');
        else this.ua.cancel(this);
    }
  }
}

// Header fields every call sends the same: messages are immutable, so they share one object each.
const MAX_FORWARDS: SipHeader = { name: 'Max-Forwards', value: '70' };
const FIRST_INVITE_CSEQ: SipHeader = { name: 'CSeq', value: '1 INVITE' };
const CONTENT_TYPE_SDP: SipHeader = { name: 'Content-Type', value: 'application/sdp' };
/** The route set of a dialog without Record-Route (nearly all): one shared empty list. */
const NO_ROUTES: readonly string[] = Object.freeze([]);

let defaultSdpVersion = 0;

function fixedSdp(address: string): string {
  const host = address.replace(/:\d+$/, '').replace(/^\[|\]$/g, '');
  const ip = host.includes(':') ? 'IP6' : 'IP4';
  return ['v=0', `o=callsim ${++defaultSdpVersion} 1 IN ${ip} ${host}`, 's=callsim', `c=IN ${ip} ${host}`, 't=0 0',
    'm=audio 9 RTP/AVP 0 101', 'a=rtpmap:0 PCMU/8000', 'a=rtpmap:101 telephone-event/8000', 'a=sendrecv', ''].join('\r\n');
}

/** A SIP user agent: one transaction layer, many calls. Give `receive` to the transport. */
export class UserAgent<T = unknown> implements TransactionUser {
  readonly layer: TransactionLayer;
  readonly timers: SipTimers;
  readonly sdp: string;
  /** Calls by the number in our tag (see localCall). */
  private readonly calls = new Map<number, SipCall<T>>();
  /** Incoming calls by Call-ID and the caller's tag: a retransmitted INVITE finds its call here. */
  private readonly incoming = new DialogTable<SipCall<T>>();
  private readonly viaPrefix: string;
  private readonly name: string;
  /** Contact header fields of our responses, by the Request-URI of the INVITE (see contactFor). */
  private readonly contacts = new Map<string, SipHeader>();
  private ids = 0;
  /** Calls alive now (for limits and leak checks). */
  get size(): number {
    return this.calls.size;
  }

  /** The calls alive now (a copy: hanging them up while iterating is fine). */
  live(): SipCall<T>[] {
    return [...this.calls.values()];
  }

  constructor(
    readonly scheduler: Scheduler,
    transport: SipTransport,
    readonly options: UserAgentOptions,
    private readonly handlers: UserAgentHandlers<T> = {},
  ) {
    this.name = options.name ?? 'ua';
    const kind = (options.transport ?? 'UDP').toUpperCase();
    this.timers = resolveTimers({ reliable: kind !== 'UDP', ...options.timers });
    this.layer = new TransactionLayer(scheduler, transport, this, this.timers, this.name);
    this.viaPrefix = `SIP/2.0/${kind} ${options.address};branch=`;
    this.sdp = options.sdp ?? fixedSdp(options.address);
  }

  /** The transport's receive callback. */
  get receive(): (m: import('./message.js').SipMessage, from: string) => void {
    return this.layer.receive;
  }

  private nextId(): string {
    return `${this.name}${(++this.ids).toString(36)}`;
  }

  /**
   * The call with this Call-ID and this tag of ours. Our tags are our name and a number in
   * base 36 (nextId), so calls are kept by that number: a message costs no hashing of its
   * Call-ID string, and the Call-ID and tag are compared on the one call found.
   */
  private localCall(callId: string, tag: string): SipCall<T> | undefined {
    const id = this.idOf(tag);
    if (id < 0) return undefined;
    const call = this.calls.get(id);
    return call !== undefined && call.localTag === tag && call.callId === callId ? call : undefined;
  }

  /** The number in a tag of ours (our name, then base 36 digits), or -1 for any other tag. */
  private idOf(tag: string): number {
    const name = this.name;
    const n = tag.length;
    // 10 base-36 digits stay below 2**53
    if (n <= name.length || n > name.length + 10 || !tag.startsWith(name)) return -1;
    let id = 0;
    for (let i = name.length; i < n; i++) {
      const c = tag.charCodeAt(i);
      const d = c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 122 ? c - 87 : -1;
      if (d < 0) return -1;
      id = id * 36 + d;
    }
    return id;
  }

  // ---- UAC ------------------------------------------------------------------------------

  /**
   * Places a call: INVITE `uri` (e.g. `sip:12333@10.0.0.2`) at transport address `peer`,
   * from `sip:<user>@<our address>`. `extra` headers are added to the INVITE.
   */
  call(uri: string, peer: string, user: string, events: SipCallEvents<T>, data?: T, extra: readonly SipHeader[] = []): SipCall<T> {
    const id = this.nextId();
    const idNumber = this.ids;
    const callId = `${id}@${this.options.address}`;
    const localParty = `<sip:${user}@${this.options.address}>;tag=${id}`;
    const branch = this.layer.newBranch();
    const headers: SipHeader[] = [
      { name: 'Via', value: `${this.viaPrefix}${branch};rport` },
      MAX_FORWARDS,
      { name: 'From', value: localParty },
      { name: 'To', value: `<${uri}>` },
      { name: 'Call-ID', value: callId },
      FIRST_INVITE_CSEQ,
      { name: 'Contact', value: `<sip:${user}@${this.options.address}${this.options.contactParams ?? ''}>` },
      ...extra,
      CONTENT_TYPE_SDP,
    ];
    if (this.options.product) headers.push({ name: 'User-Agent', value: this.options.product });
    const invite: SipRequest = { kind: 'request', method: 'INVITE', uri, headers, body: this.sdp };
    const call = new SipCall<T>(this, 'uac', callId, invite, uri, 1, peer, id, localParty, uri, 1, events);
    call.data = data;
    this.calls.set(idNumber, call);
    call.clientTx = this.layer.sendRequest(invite, peer, this.inviteUser, branch);
    return call;
  }

  private readonly inviteUser: ClientTransactionUser = {
    onResponse: (response, tx) => {
      const call = this.callOf(response, true);
      if (call === undefined || call.clientTx !== tx) return;
      const status = response.status;
      if (status < 200) {
        if (call.state === 'calling') {
          const tag = toTag(response);
          if (tag !== undefined) {
            call.remoteTag = tag;
            call.state = 'early';
          }
        }
        if (call.cancelPending) this.sendCancel(call);
        call.events.progress?.(call, status);
      } else if (status < 300) {
        call.clientTx = null;
        this.confirmUac(call, response);
      } else {
        call.clientTx = null;
        call.state = 'terminated';
        this.forget(call);
        call.events.failed?.(call, status, response.reason, true);
      }
    },
    onTimeout: (tx) => {
      const call = this.callOf(tx.request, true);
      if (call === undefined || call.clientTx !== tx) return;
      call.clientTx = null;
      call.state = 'terminated';
      this.forget(call);
      call.events.failed?.(call, 408, 'Request Timeout', false);
    },
  };

  private confirmUac(call: SipCall<T>, ok: SipResponse): void {
    // copies: slices would keep the whole 200 OK (its SDP included) alive as long as the call
    call.remoteTag = detach(toTag(ok) ?? '');
    call.remoteParty = detach(header(ok, 'To') ?? '');
    const target = contactUri(ok);
    if (target !== undefined) call.remoteTarget = detach(target);
    call.routeSet = routesOf(ok, true);
    const wasCancelling = call.cancelPending;
    call.state = 'confirmed';
    call.cancelPending = false;
    call.answeredAt = this.scheduler.now();
    // a retransmitted 2xx gets its ACK from the dialog's fields; nothing needs the INVITE any more
    call.invite = null;
    this.sendAck(call);
    call.events.answered?.(call);
    // the 2xx crossed our CANCEL (§9.1): the call is up, so end it with BYE
    if (wasCancelling && call.state === 'confirmed') call.hangup();
  }

  private sendAck(call: SipCall<T>): void {
    const headers = this.dialogHeaders(call, `${call.inviteSeq} ACK`, this.layer.newBranch());
    this.layer.send({ kind: 'request', method: 'ACK', uri: call.remoteTarget, headers, body: '' }, call.peer);
  }

  /** UAC: CANCEL now, or as soon as a provisional response arrived (§9.1). */
  cancel(call: SipCall<T>): void {
    if (call.role !== 'uac' || call.state === 'confirmed' || call.state === 'terminated') return;
    if (call.state === 'calling' && call.clientTx?.state === 'Calling') {
      call.cancelPending = true;
      return;
    }
    this.sendCancel(call);
  }

  private sendCancel(call: SipCall<T>): void {
    call.cancelPending = false;
    const inv = call.invite;
    if (inv === null) return;
    const headers: SipHeader[] = [
      { name: 'Via', value: header(inv, 'Via')! },
      MAX_FORWARDS,
      { name: 'From', value: header(inv, 'From')! },
      { name: 'To', value: header(inv, 'To')! },
      { name: 'Call-ID', value: call.callId },
      { name: 'CSeq', value: `${cseq(inv)?.seq ?? 1} CANCEL` },
    ];
    this.layer.sendRequest({ kind: 'request', method: 'CANCEL', uri: inv.uri, headers, body: '' }, call.peer, this.ignoreResponse);
  }

  private readonly ignoreResponse: ClientTransactionUser = { onResponse: () => undefined };

  // ---- in-dialog requests ---------------------------------------------------------------

  private dialogHeaders(call: SipCall<T>, cseqValue: string, branch: string): SipHeader[] {
    const remote = call.remoteParty;
    const headers: SipHeader[] = [
      { name: 'Via', value: `${this.viaPrefix}${branch};rport` },
      MAX_FORWARDS,
      { name: 'From', value: call.localParty },
      { name: 'To', value: remote },
      { name: 'Call-ID', value: call.callId },
      { name: 'CSeq', value: cseqValue },
    ];
    for (const r of call.routeSet) headers.push({ name: 'Route', value: r });
    return headers;
  }

  /** Sends a request inside the call's dialog (BYE, INFO, REFER). */
  inDialog(call: SipCall<T>, method: string, extra: readonly SipHeader[], body = ''): void {
    const branch = this.layer.newBranch();
    const headers = this.dialogHeaders(call, `${++call.localSeq} ${method}`, branch);
    for (const h of extra) headers.push(h);
    const request: SipRequest = { kind: 'request', method, uri: call.remoteTarget, headers, body };
    this.layer.sendRequest(request, call.peer, method === 'INFO' ? this.infoUser : this.ignoreResponse, branch);
  }

  /** The answer to one of our INFOs, for the call it belongs to (one shared user: no closure per INFO). */
  private readonly infoUser: ClientTransactionUser = {
    onResponse: (r, tx) => {
      if (r.status >= 200) this.infoAnswered(tx.request, r.status);
    },
    onTimeout: (tx) => this.infoAnswered(tx.request, 408),
  };

  private infoAnswered(info: SipRequest, status: number): void {
    const call = this.callOf(info, true);
    call?.events.infoAnswered?.(call, status);
  }


  // ---- UAS: 2xx retransmission (§13.3.1.4) ----------------------------------------------

  armRetransmit(call: SipCall<T>): void {
    if (this.timers.reliable) return;
    call.retransmitInterval = this.timers.t1;
    call.retransmit = this.scheduler.after(call.retransmitInterval, this.onRetransmit, call);
  }

  stopRetransmit(call: SipCall<T>): void {
    if (call.retransmit !== null) this.scheduler.cancel(call.retransmit);
    call.retransmit = null;
  }

  private readonly onRetransmit = (call: SipCall<T>): void => {
    call.retransmit = null;
    if (call.answer === null || call.state !== 'confirmed') return;
    const deadline = call.answeredAt + 64 * this.timers.t1;
    if (this.scheduler.now() >= deadline - 1e-9) {
      // never ACKed: the dialog is confirmed on paper only; end it (§13.3.1.4)
      call.answer = null;
      call.state = 'terminated';
      this.forget(call);
      this.inDialog(call, 'BYE', []);
      call.events.ended?.(call, 'error');
      return;
    }
    this.layer.send(call.answer, call.peer);
    call.retransmitInterval = Math.min(2 * call.retransmitInterval, this.timers.t2);
    // the last wait ends at 64·T1 sharp, when the server gives up
    call.retransmit = this.scheduler.at(Math.min(this.scheduler.now() + call.retransmitInterval, deadline), this.onRetransmit, call);
  };

  // ---- the transaction layer's upcalls -------------------------------------------------

  /** A response built for `request` within `call`: our tag on To, Contact on dialog-making ones. */
  response(call: SipCall<T> | undefined, request: SipRequest, status: number, reason: string, contact = false, body?: string): SipResponse {
    const r = createResponse(request, status, reason, call?.role === 'uas' ? call.localTag : undefined);
    const headers = r.headers as SipHeader[];
    // Record-Route copied (header objects are immutable, so shared), in order
    const hs = request.headers;
    for (let i = 0; i < hs.length; i++) if (hs[i]!.name === 'Record-Route') headers.push(hs[i]!);
    if (contact && call !== undefined) headers.push(this.contactFor(call));
    if (this.options.product) headers.push({ name: 'Server', value: this.options.product });
    if (body !== undefined && body !== '') {
      headers.push(CONTENT_TYPE_SDP);
      return { ...r, headers, body };
    }
    return r;
  }

  /** Our Contact for responses within `call`: the user its INVITE asked for, at our address. */
  private contactFor(call: SipCall<T>): SipHeader {
    const uri = call.inviteUri;
    let h = this.contacts.get(uri);
    if (h === undefined) {
      const m = /^sips?:([^@;>]+)@/.exec(uri);
      h = { name: 'Contact', value: `<sip:${m?.[1] ?? 'callsim'}@${this.options.address}${this.options.contactParams ?? ''}>` };
      // nearly every call asks for the same URI (the hotline's number); bounded against the rest
      if (this.contacts.size >= 256) this.contacts.clear();
      this.contacts.set(uri, h);
    }
    return h;
  }

  onRequest(request: SipRequest, tx: ServerTransaction, cancels?: InviteServerTransaction): void {
    try {
      this.handleRequest(request, tx, cancels);
    } catch (e) {
      if (!(e instanceof SipError)) throw e;
      this.handlers.problem?.(`${request.method}: ${e.message}`);
      if (tx.state === 'Trying' || tx.state === 'Proceeding') {
        try { tx.respond(createResponse(request, 400, 'Bad Request')); } catch { /* nothing more to say */ }
      }
    }
  }

  private handleRequest(request: SipRequest, tx: ServerTransaction, cancels?: InviteServerTransaction): void {
    const method = request.method;
    if (method === 'CANCEL') {
      // the INVITE transaction carries its call (newIncoming) for as long as the layer keeps it
      const call = cancels?.owner as SipCall<T> | undefined;
      tx.respond(createResponse(request, call ? 200 : 481, call ? 'OK' : 'Call/Transaction Does Not Exist'));
      if (call && call.inviteTx !== null) {
        const inviteTx = call.inviteTx;
        const invite = call.invite!;
        call.inviteTx = null;
        call.state = 'terminated';
        this.forget(call);
        inviteTx.respond(this.response(call, invite, 487, 'Request Terminated'));
        call.events.cancelled?.(call);
      }
      return;
    }
    const tag = toTag(request);
    if (method === 'INVITE') {
      if (tag !== undefined) {
        const existing = this.localCall(callIdOf(request), tag);
        tx.respond(existing ? createResponse(request, 488, 'Not Acceptable Here') : createResponse(request, 481, 'Call/Transaction Does Not Exist'));
        return;
      }
      const again = this.incoming.get(callIdOf(request), fromTag(request) ?? '');
      if (again !== undefined) {
        // The INVITE again, after our 2xx ended its transaction: the 2xx was lost or is late
        // (RFC 6026 §7.1, the "Accepted" state): send the 2xx once more on the new transaction.
        // answered from the retransmitted INVITE itself: its headers are the first one's
        tx.respond(again.state === 'confirmed' ? this.response(again, request, 200, 'OK', true, this.sdp) : createResponse(request, 481, 'Call/Transaction Does Not Exist'));
        return;
      }
      this.newIncoming(request, tx as InviteServerTransaction);
      return;
    }
    if (tag === undefined) {
      // outside any dialog: keep-alive pings are welcome, the rest is not ours
      if (method === 'OPTIONS') tx.respond(this.allow(createResponse(request, 200, 'OK')));
      else tx.respond(this.allow(createResponse(request, 405, 'Method Not Allowed')));
      return;
    }
    const call = this.localCall(callIdOf(request), tag);
    if (call === undefined || call.state === 'terminated') {
      tx.respond(createResponse(request, 481, 'Call/Transaction Does Not Exist'));
      return;
    }
    switch (method) {
      case 'BYE':
        tx.respond(createResponse(request, 200, 'OK'));
        this.stopRetransmit(call);
        call.state = 'terminated';
        this.forget(call);
        call.events.ended?.(call, 'remote');
        return;
      case 'INFO': {
        const type = contentType(request)?.type ?? '';
        const key = dtmfKey(type, request.body);
        if (key === undefined) {
          const known = type === 'application/dtmf-relay' || type === 'application/dtmf';
          if (!known && call.events.info?.(call, type, request.body) === true) {
            tx.respond(createResponse(request, 200, 'OK'));
            return;
          }
          tx.respond(known ? createResponse(request, 400, 'Bad Request') : this.accept(createResponse(request, 415, 'Unsupported Media Type')));
          return;
        }
        tx.respond(createResponse(request, 200, 'OK'));
        call.events.dtmf?.(call, key);
        return;
      }
      case 'REFER': {
        const referTo = header(request, 'Refer-To');
        if (referTo === undefined) {
          tx.respond(createResponse(request, 400, 'Bad Request'));
          return;
        }
        tx.respond(createResponse(request, 202, 'Accepted'));
        call.events.referred?.(call, referTo.replace(/^\s*<|>.*$/g, ''));
        return;
      }
      case 'OPTIONS':
        tx.respond(this.allow(createResponse(request, 200, 'OK')));
        return;
      default:
        tx.respond(this.allow(createResponse(request, 405, 'Method Not Allowed')));
    }
  }

  private allow(r: SipResponse): SipResponse {
    return { ...r, headers: [...r.headers, { name: 'Allow', value: 'INVITE, ACK, CANCEL, BYE, INFO, REFER, OPTIONS' }] };
  }

  private accept(r: SipResponse): SipResponse {
    return { ...r, headers: [...r.headers, { name: 'Accept', value: 'application/dtmf-relay, application/dtmf' }] };
  }

  private newIncoming(request: SipRequest, tx: InviteServerTransaction): void {
    const handler = this.handlers.invite;
    if (handler === undefined) {
      tx.respond(createResponse(request, 603, 'Decline', this.nextId()));
      return;
    }
    const id = this.nextId();
    const idNumber = this.ids;
    // Copies of what the dialog keeps: a slice of the parsed INVITE would keep its whole text
    // alive for the length of the call (see detach); the INVITE itself goes at the ACK.
    const callIdValue = detach(callIdOf(request));
    const toValue = header(request, 'To')!;
    const fromValue = header(request, 'From')!;
    const seq = cseq(request)?.seq ?? 0;
    const call = new SipCall<T>(this, 'uas', callIdValue, request, detach(request.uri), seq, tx.from, id, detach(`${toValue};tag=${id}`), detach(contactUri(request) ?? request.uri), 0, {});
    call.remoteTag = detach(fromTag(request) ?? '');
    call.remoteParty = detach(fromValue);
    call.routeSet = routesOf(request, false);
    call.inviteTx = tx;
    this.calls.set(idNumber, call);
    this.incoming.set(callIdValue, call.remoteTag, call);
    tx.owner = call;
    handler(call, request);
  }

  onAck(ack: SipRequest): void {
    const tag = toTag(ack);
    if (tag === undefined) return;
    const call = this.localCall(callIdOf(ack), tag);
    if (call === undefined || call.answer === null) return;
    call.answer = null;
    call.invite = null;
    this.stopRetransmit(call);
    call.events.confirmed?.(call);
  }

  onStrayResponse(response: SipResponse): void {
    // a retransmitted 2xx to our INVITE: the ACK got lost, send it again (§13.2.2.4)
    if (response.status < 200 || response.status >= 300 || cseq(response)?.method !== 'INVITE') return;
    const call = this.callOf(response, true);
    if (call !== undefined && call.state === 'confirmed') this.sendAck(call);
  }

  onServerTimeout(tx: InviteServerTransaction): void {
    this.handlers.problem?.(`no ACK for the final response to ${tx.request.method} (Timer H)`);
  }

  onDiscard(_message: unknown, _from: string, reason: TransactionMatchError): void {
    this.handlers.problem?.(reason.message);
  }

  // ---- bookkeeping ----------------------------------------------------------------------

  /** The call a message belongs to: by Call-ID and our tag (From for our requests' responses). */
  private callOf(m: SipRequest | SipResponse, ours: boolean): SipCall<T> | undefined {
    const tag = ours ? fromTag(m) : toTag(m);
    return tag === undefined ? undefined : this.localCall(callIdOf(m), tag);
  }

  /** Drops a finished call from the dialog table (transactions finish on their own timers). */
  forget(call: SipCall<T>): void {
    // a UAS keeps its INVITE while its transaction may still answer it (487 after a CANCEL)
    if (call.role === 'uac' || call.inviteTx === null) call.invite = null;
    const id = this.idOf(call.localTag);
    if (this.calls.get(id) === call) this.calls.delete(id);
    if (call.role === 'uas') this.incoming.delete(call.callId, call.remoteTag, call);
  }
}

/** The Record-Route values of `m` as a route set (reversed for the UAC, §12.1.2), detached. */
function routesOf(m: SipMessage, reverse: boolean): readonly string[] {
  const hs = m.headers;
  let out: string[] | undefined;
  for (let i = 0; i < hs.length; i++) if (hs[i]!.name === 'Record-Route') (out ??= []).push(detach(hs[i]!.value));
  if (out === undefined) return NO_ROUTES;
  return reverse ? out.reverse() : out;
}

// The dialog's identifiers, read with the codec's accessors (toTag, fromTag, callId: parsed
// once per message and checked: only a message the codec accepted reaches here).

function callIdOf(m: SipRequest | SipResponse): string {
  const v = callId(m);
  if (v === undefined) throw new SipCallError('message without Call-ID');
  return v;
}
