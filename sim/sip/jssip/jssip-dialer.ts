// The jssip engine of `callsim load`: calls placed by JsSIP 3.13 user agents in Node over SIP
// over WebSocket (RFC 7118), the way the browser callers of a web hotline place them, behind
// the load run's dialer seam (sim/metrics/load-run.ts: LoadDialer, DialedCall, LoadCallEvents;
// this file mirrors those shapes instead of importing them, since sim/sip sits below
// sim/metrics). Each target URL gets a small pool of user agents, one WebSocket each, and the
// calls go to them in turn. One UA carries hundreds of concurrent sessions; JsSIP's own work
// (its grammar parses every message) costs about the same per call whether the calls share 1,
// 4 or 16 sockets, while a UA and a socket per call, as each browser has, costs about 40 %
// more CPU per call (a UA, a handshake and a close each; see DEFAULT_CONNECTIONS), and the
// generator's CPU is what bounds the rate. A few sockets rather than one keep a dropped
// connection from taking every call with it, and spread the calls over a server's connections.
// JsSIP runs on Node's timers (its transactions, DTMF pacing, reconnection), which is why this
// adapter may use them too; the load run reads its own scheduler's now() when events arrive.

import { C, UA } from 'jssip';
import type { EndEvent, OutgoingDTMFEvent, RTCSession, RTCSessionEventMap } from 'jssip/lib/RTCSession.js';
import { SipError } from '../errors.js';
import { installFakeWebRtc } from './fake-webrtc.js';
import { NodeWsSocket } from './ws-socket.js';

/** A call as the load run sees it (the shape of load-run.ts's DialedCall). */
export interface JsSipDialedCall<T> {
  data: T | undefined;
  /**
   * `calling` until a provisional response (100 Trying included, though JsSIP reports no
   * `progress` for it), `early` after one, `confirmed` once answered and ACKed, `terminated` when over.
   */
  readonly state: 'calling' | 'early' | 'confirmed' | 'terminated';
  /**
   * Always false: JsSIP holds a CANCEL for the first provisional response itself (RFC 3261
   * §9.1) and reports the call failed at once, so the load run never waits for it.
   */
  readonly cancelPending: boolean;
  /** One DTMF key by SIP INFO (application/dtmf-relay); only when confirmed, else ignored. */
  sendDtmf(key: string): void;
  /** CANCEL before the answer, BYE after; the `failed` or `ended` event comes before it returns. */
  hangup(): void;
}

/** What the dialer tells about a call (the shape of load-run.ts's LoadCallEvents). */
export interface JsSipCallEvents<T> {
  /** A provisional response above 100 with a To tag (JsSIP reports no others). */
  progress?(call: JsSipDialedCall<T>, status: number): void;
  /** The 2xx arrived and JsSIP ACKed it. */
  answered?(call: JsSipDialedCall<T>): void;
  /**
   * Set-up failed: the final status (>= 300); 487 when we hung up first; 488 when JsSIP refused
   * a 2xx (no or bad SDP); 408 when no response came at all (WebSocket down or refused, Timer B).
   */
  /** `fromTarget`: the status is a response the target sent, not one made up here (Timer B, a connection that failed, our own CANCEL). */
  failed?(call: JsSipDialedCall<T>, status: number, reason: string, fromTarget: boolean): void;
  /** The final response to one of our DTMF INFOs. */
  infoAnswered?(call: JsSipDialedCall<T>, status: number): void;
  /** After the answer: the target's BYE (`remote`), ours (`local`), or the connection failed (`error`). */
  ended?(call: JsSipDialedCall<T>, by: 'remote' | 'local' | 'error'): void;
  /**
   * An INFO from the target that is not DTMF (e.g. `callsim serve`'s ACD events). JsSIP has
   * already answered it 200 whatever this returns.
   */
  info?(call: JsSipDialedCall<T>, contentType: string, body: string): boolean;
}

export interface JsSipDialerOptions {
  /**
   * User agents (one WebSocket each) per target URL; calls go to them in turn. Default
   * {@link DEFAULT_CONNECTIONS}.
   */
  readonly connections?: number;
  /** Host part of the callers' From (the user part is the calling number). Default `callsim.invalid`. */
  readonly domain?: string;
  /** Duration carried in each DTMF INFO, ms (JsSIP: 70-6000). Default 100. */
  readonly dtmfDuration?: number;
  /** User-Agent header. Default `callsim-jssip`. */
  readonly userAgent?: string;
}

/**
 * Four sockets. Measured on the shared 2-core machine against a stateless WebSocket answerer
 * in another process (10 s runs, one INFO per call, medians of 3): at 300 calls/s the generator
 * spent 2.16, 2.17 and 2.22 ms of CPU per call with 1, 4 and 16 sockets; one UA and socket per
 * call (jssipCall, as each browser has) spent 3.78 ms per call at 200/s against 2.68 ms for
 * the pool of 4.
 */
export const DEFAULT_CONNECTIONS = 4;

/** Counters of a dialer, over all its targets. */
export interface JsSipDialerStats {
  /** WebSocket connections established (reconnections included). */
  connected: number;
  /** Connection attempts that failed, and connections that dropped. */
  connectionFailures: number;
  /** Why the last one failed. */
  lastConnectionError: string | undefined;
  /** Calls placed and calls live now. */
  calls: number;
  live: number;
}

/** Places JsSIP calls over WebSocket; `peer` is the WebSocket URL, `uri` the Request-URI. */
export class JsSipDialer<T> {
  private readonly pools = new Map<string, Connection<T>[]>();
  private readonly connections: number;
  private next = 0;
  private closed = false;
  readonly stats: JsSipDialerStats = { connected: 0, connectionFailures: 0, lastConnectionError: undefined, calls: 0, live: 0 };

  constructor(private readonly o: JsSipDialerOptions = {}) {
    this.connections = o.connections ?? DEFAULT_CONNECTIONS;
    if (!(Number.isInteger(this.connections) && this.connections >= 1)) throw new RangeError(`connections must be a whole number >= 1, got ${o.connections}`);
    installFakeWebRtc();
  }

  /**
   * Calls `uri` through the WebSocket server at `peer` as `user` (the calling number). Never
   * throws for the call's fate: a connection that is down fails the call with 408, reported
   * after this returns (the load run files the call before it hears about it).
   */
  call(uri: string, peer: string, user: string, events: JsSipCallEvents<T>, data?: T, extra: readonly { readonly name: string; readonly value: string }[] = []): JsSipDialedCall<T> {
    const call = new JsSipLoadCall<T>(uri, user, events, data, this.o, this.stats, extra);
    this.stats.calls++;
    if (this.closed) {
      call.failLater('the dialer is closed');
      return call;
    }
    const pool = this.pool(peer);
    // in turn, skipping connections that are down (while JsSIP waits to reconnect them)
    for (let i = 0; i < pool.length; i++) {
      const c = pool[(this.next + i) % pool.length]!;
      if (c.state === 'down') continue;
      this.next = (this.next + i + 1) % pool.length;
      c.place(call);
      return call;
    }
    call.failLater(`Connection Error: ${pool[0]!.lastError ?? 'WebSocket closed'}`);
    return call;
  }

  /**
   * Opens the connections to `wsUrl` now rather than at the first call, so that the first
   * calls do not wait for the WebSocket handshakes. Resolves when every one is up; rejects with
   * the reason when one fails first.
   */
  ready(wsUrl: string): Promise<void> {
    if (this.closed) return Promise.reject(new SipError('the dialer is closed'));
    return Promise.all(this.pool(wsUrl).map((c) => c.ready())).then(() => undefined);
  }

  /**
   * Hangs up what is still live (BYE or CANCEL), closes every WebSocket and stops the user
   * agents; resolves when the sockets are closed (a server that does not close within
   * `graceMs` is cut off). Calls placed afterwards fail at once.
   */
  async close(graceMs = 1000): Promise<void> {
    this.closed = true;
    const all = [...this.pools.values()].flat();
    this.pools.clear();
    await Promise.all(all.map((c) => c.close(graceMs)));
  }

  private pool(wsUrl: string): Connection<T>[] {
    let pool = this.pools.get(wsUrl);
    if (pool === undefined) {
      pool = Array.from({ length: this.connections }, () => new Connection<T>(wsUrl, this.o, this.stats));
      this.pools.set(wsUrl, pool);
    }
    return pool;
  }
}

/** One JsSIP user agent on one WebSocket, carrying many calls. */
class Connection<T> {
  state: 'connecting' | 'connected' | 'down' = 'connecting';
  private readonly socket: NodeWsSocket;
  private readonly ua: UA;
  /** Calls placed while the socket was still connecting: they go out once it is up. */
  private waiting: JsSipLoadCall<T>[] = [];
  private readonly live = new Set<JsSipLoadCall<T>>();
  private readonly waiters: { resolve: () => void; reject: (e: Error) => void }[] = [];
  private closing = false;

  constructor(wsUrl: string, o: JsSipDialerOptions, private readonly stats: JsSipDialerStats) {
    this.socket = new NodeWsSocket(wsUrl);
    this.ua = new UA({
      sockets: [this.socket],
      uri: `sip:callsim@${o.domain ?? 'callsim.invalid'}`,
      register: false,
      session_timers: false,
      user_agent: o.userAgent ?? 'callsim-jssip',
    });
    this.ua.on('connecting', () => {
      if (!this.closing) this.state = 'connecting';
    });
    this.ua.on('connected', () => this.up());
    this.ua.on('disconnected', () => this.down());
    // a load generator takes no calls: refuse any that arrive (JsSIP would ring for 60 s)
    this.ua.on('newRTCSession', (e: { originator: string; session: RTCSession }) => {
      if (e.originator === 'remote') e.session.terminate({ status_code: 486, reason_phrase: 'Busy Here' });
    });
    this.ua.start();
  }

  get lastError(): string | undefined {
    return this.socket.lastError;
  }

  place(call: JsSipLoadCall<T>): void {
    this.live.add(call);
    call.onOver = () => this.live.delete(call);
    if (this.state === 'connected') call.start(this.ua, () => this.socket.isConnected(), () => this.lastError);
    else this.waiting.push(call);
  }

  ready(): Promise<void> {
    if (this.state === 'connected') return Promise.resolve();
    if (this.state === 'down') return Promise.reject(new SipError(`WebSocket ${this.socket.url}: ${this.lastError ?? 'closed'}`));
    return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }));
  }

  private up(): void {
    if (this.closing) return;
    this.state = 'connected';
    this.stats.connected++;
    for (const w of this.waiters.splice(0)) w.resolve();
    for (const call of this.waiting.splice(0)) {
      if (call.state !== 'terminated') call.start(this.ua, () => this.socket.isConnected(), () => this.lastError);
    }
  }

  private down(): void {
    this.state = 'down';
    if (this.closing) return;
    const why = `Connection Error: ${this.lastError ?? 'WebSocket closed'}`;
    this.stats.connectionFailures++;
    this.stats.lastConnectionError = why;
    for (const w of this.waiters.splice(0)) w.reject(new SipError(`WebSocket ${this.socket.url}: ${this.lastError ?? 'closed'}`));
    for (const call of this.waiting.splice(0)) call.fail(why);
    // answered calls have no transaction for JsSIP to fail: end them here, since their dialog
    // lived on this connection (RFC 7118 §5: requests of the dialog cannot reach us any more)
    for (const call of [...this.live]) call.lose(why);
  }

  async close(graceMs: number): Promise<void> {
    for (const call of this.waiting.splice(0)) call.fail('the dialer is closed');
    for (const call of [...this.live]) call.hangup();
    this.closing = true;
    for (const w of this.waiters.splice(0)) w.reject(new SipError(`WebSocket ${this.socket.url}: the dialer is closed`));
    // Closing the transport first fails JsSIP's leftover transactions (Timer B and M run 32 s),
    // so that UA.stop() finds none and sets no 2 s close timer of its own.
    transportOf(this.ua)?.disconnect();
    this.ua.stop();
    await this.socket.whenClosed(graceMs);
  }
}

/** One call: a JsSIP RTCSession once its connection is up. */
class JsSipLoadCall<T> implements JsSipDialedCall<T> {
  private phase: JsSipDialedCall<T>['state'] = 'calling';
  readonly cancelPending = false;
  private session: RTCSession | undefined;
  /** We asked for the end (hangup): JsSIP's local `Canceled` or `Terminated` is ours. */
  private hungUp = false;
  /** The connection failed under an answered call. */
  private lost: string | undefined;
  private answered = false;
  onOver: () => void = () => {};

  get state(): JsSipDialedCall<T>['state'] {
    const s = this.session;
    return this.phase === 'calling' && s !== undefined && s.status === s.C.STATUS_1XX_RECEIVED ? 'early' : this.phase;
  }

  constructor(
    private readonly uri: string,
    private readonly user: string,
    private readonly events: JsSipCallEvents<T>,
    public data: T | undefined,
    private readonly o: JsSipDialerOptions,
    private readonly stats: JsSipDialerStats,
    /** Extra INVITE headers, e.g. `X-Callsim-Report: acd`. */
    private readonly extra: readonly { readonly name: string; readonly value: string }[] = [],
  ) {
    stats.live++;
  }

  start(ua: UA, connected: () => boolean, lastError: () => string | undefined): void {
    const handlers: Partial<RTCSessionEventMap> = {
      progress: (e: { response?: unknown }) => {
        if (this.phase !== 'calling' && this.phase !== 'early') return;
        this.phase = 'early';
        const status = statusOf(e);
        this.events.progress?.(this, status ?? 180);
      },
      confirmed: () => {
        if (this.phase === 'terminated') return;
        this.phase = 'confirmed';
        this.answered = true;
        this.events.answered?.(this);
      },
      newDTMF: (e: OutgoingDTMFEvent) => {
        if (String(e.originator) !== 'local') return;
        const answer = (r: { response?: unknown }): void => {
          const status = statusOf(r);
          if (status !== undefined) this.events.infoAnswered?.(this, status);
        };
        e.dtmf.on('succeeded', answer);
        e.dtmf.on('failed', answer);
      },
      newInfo: (e: { originator: string; info: { contentType: string; body: string } }) => {
        if (e.originator === 'remote' && this.phase !== 'terminated') this.events.info?.(this, e.info.contentType, e.info.body);
      },
      failed: (e: EndEvent) => this.failed(e, connected, lastError),
      ended: (e: EndEvent) => this.ended(e),
    };
    try {
      this.session = ua.call(this.uri, {
        mediaConstraints: { audio: false, video: false },
        pcConfig: { iceServers: [] },
        fromUserName: this.user,
        extraHeaders: this.extra.map((h) => `${h.name}: ${h.value}`),
        eventHandlers: handlers,
      });
    } catch (e) {
      this.failLater(`JsSIP refused the call: ${String(e)}`);
    }
  }

  sendDtmf(key: string): void {
    if (this.phase !== 'confirmed' || this.session === undefined) return;
    this.session.sendDTMF(key, { transportType: C.DTMF_TRANSPORT.INFO, duration: this.o.dtmfDuration ?? 100, interToneGap: 50 });
  }

  hangup(): void {
    if (this.phase === 'terminated') return;
    this.hungUp = true;
    if (this.session === undefined || this.session.isEnded()) {
      // still waiting for the connection: nothing was sent
      this.over();
      this.events.failed?.(this, 487, 'Canceled', false);
      return;
    }
    this.session.terminate(); // JsSIP emits 'failed' (CANCEL) or 'ended' (BYE) before returning
  }

  /** Fails the call after the caller of call() has filed it. */
  failLater(reason: string): void {
    queueMicrotask(() => this.fail(reason));
  }

  fail(reason: string): void {
    if (this.phase === 'terminated') return;
    this.over();
    this.events.failed?.(this, 408, reason, false);
  }

  /** The connection dropped: end what JsSIP would otherwise keep up. */
  lose(reason: string): void {
    if (this.phase === 'terminated') return;
    this.lost = reason;
    if (this.session !== undefined && !this.session.isEnded()) this.session.terminate();
    else this.fail(reason);
  }

  private failed(e: EndEvent, connected: () => boolean, lastError: () => string | undefined): void {
    if (this.phase === 'terminated') return;
    this.over();
    const status = statusOf(e);
    if (this.hungUp && this.lost === undefined) return this.events.failed?.(this, 487, e.cause, false);
    if (String(e.originator) === 'remote' && status !== undefined) {
      return this.events.failed?.(this, status >= 300 ? status : 488, status >= 300 ? e.cause : `JsSIP refused the ${status}: ${e.cause}`, true);
    }
    // JsSIP turns a transport error or Timer B into a local CANCEL ("Canceled"): name the real cause
    const reason = this.lost ?? (String(e.originator) === 'local' && e.cause === C.causes.CANCELED
      ? (connected() ? 'Request Timeout' : `Connection Error: ${lastError() ?? 'WebSocket closed'}`)
      : e.cause);
    this.events.failed?.(this, 408, reason, false);
  }

  private ended(e: EndEvent): void {
    if (this.phase === 'terminated') return;
    if (!this.answered) {
      // JsSIP had the 2xx but we were ended before its ACK (hang-up in between): a set-up that did not finish
      this.over();
      this.events.failed?.(this, this.hungUp ? 487 : 408, e.cause, true);
      return;
    }
    this.over();
    const by = this.lost !== undefined ? 'error'
      : this.hungUp ? 'local'
      : String(e.originator) === 'remote' ? 'remote'
      : 'error'; // JsSIP ended it itself (transport error, request timeout)
    this.events.ended?.(this, by);
  }

  private over(): void {
    this.phase = 'terminated';
    this.stats.live--;
    this.onOver();
  }
}

/** JsSIP's UA.transport: public in JsSIP 3.13's JavaScript, missing from its type declarations. */
function transportOf(ua: UA): { disconnect(): void } | undefined {
  const t: unknown = (ua as unknown as { transport?: unknown }).transport;
  return typeof t === 'object' && t !== null && 'disconnect' in t && typeof t.disconnect === 'function' ? (t as { disconnect(): void }) : undefined;
}

function statusOf(e: { message?: unknown; response?: unknown }): number | undefined {
  const m: unknown = e.message ?? e.response;
  if (typeof m === 'object' && m !== null && 'status_code' in m && typeof m.status_code === 'number') return m.status_code;
  return undefined;
}

/** A bad `callsim load` target for the jssip engine (the CLI makes it exit 2). */
export class WsTargetError extends SipError {
  override name = 'WsTargetError';
}

export interface WsTarget {
  /** Request-URI of every INVITE, e.g. `sip:12333@127.0.0.1:8088`. */
  readonly uri: string;
  /** The WebSocket server, e.g. `ws://127.0.0.1:8088/sip`. */
  readonly wsUrl: string;
}

export interface WsTargetOptions {
  /** Allow a host that is not a loopback address. */
  readonly allowRemote: boolean;
  /** What counts as loopback (bin/loopback.ts's isLoopback: one definition for every command). */
  readonly isLoopback: (host: string) => boolean;
}

/** The called number when a `ws://` target names none. */
export const DEFAULT_SERVICE = '12333';

/**
 * A jssip target: `sip:12333@127.0.0.1:8088;transport=ws` (or `wss`; the WebSocket is then
 * `ws://127.0.0.1:8088`, no path), or a WebSocket URL `ws://host:port[/path]` whose Request-URI
 * is `sip:12333@host:port`; the called user of a URL goes in its user-info part,
 * `ws://116114@127.0.0.1:8088/sip`. Loopback hosts only unless `allowRemote`.
 */
export function parseWsTarget(target: string, o: WsTargetOptions): WsTarget {
  const t = target.trim();
  let user: string;
  let scheme: 'ws' | 'wss';
  let host: string;
  let port: string;
  let path = '';
  const sip = /^sips?:([^@;?]+)@(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+)(?::(\d{1,5}))?((?:;[^;=?]+(?:=[^;?]*)?)*)$/i.exec(t);
  if (sip) {
    user = unescapeUser(target, sip[1]!);
    host = sip[2]!;
    port = sip[3] ?? '';
    const params = new Map((sip[4] ?? '').split(';').filter((p) => p !== '').map((p) => {
      const [k, v = ''] = p.split('=');
      return [k!.toLowerCase(), v.toLowerCase()];
    }));
    const transport = params.get('transport');
    if (transport !== 'ws' && transport !== 'wss') throw new WsTargetError(`${target}: the jssip engine calls over WebSocket: add ;transport=ws (or wss), or give a ws:// URL`);
    const other = [...params.keys()].filter((k) => k !== 'transport');
    if (other.length > 0) throw new WsTargetError(`${target}: unsupported URI parameter ${other.join(', ')}; a WebSocket path needs the ws:// form, e.g. ws://${host}${port ? `:${port}` : ''}/sip`);
    scheme = transport;
  } else if (/^wss?:\/\//i.test(t)) {
    let u: URL;
    try {
      u = new URL(t);
    } catch {
      throw new WsTargetError(`${target}: not a valid WebSocket URL (expected ws://host:port/path)`);
    }
    if (u.password !== '') throw new WsTargetError(`${target}: a password has no place in the target; the user-info part is the called number`);
    if (u.search !== '' || u.hash !== '') throw new WsTargetError(`${target}: no query or fragment expected`);
    scheme = u.protocol === 'wss:' ? 'wss' : 'ws';
    user = u.username === '' ? DEFAULT_SERVICE : unescapeUser(target, u.username);
    host = u.hostname;
    port = u.port;
    path = u.pathname === '/' ? '' : u.pathname;
  } else {
    throw new WsTargetError(`${target}: expected sip:12333@127.0.0.1:8088;transport=ws or a WebSocket URL such as ws://127.0.0.1:8088/sip`);
  }
  if (!/^[A-Za-z0-9\-_.!~*'()&=+$,;?/]+$/.test(user)) throw new WsTargetError(`${target}: ${JSON.stringify(user)} is not a valid SIP user part`);
  if (port !== '' && !(Number(port) >= 1 && Number(port) <= 65535)) throw new WsTargetError(`${target}: port ${port} is out of range`);
  const bare = host.replace(/^\[|\]$/g, '');
  if (!o.allowRemote && !o.isLoopback(bare)) throw new WsTargetError(`${target}: ${bare} is not a loopback address; add --remote to call another host`);
  const hostport = `${host}${port === '' ? '' : `:${port}`}`;
  return { uri: `sip:${user}@${hostport}`, wsUrl: `${scheme}://${hostport}${path}` };
}

function unescapeUser(target: string, user: string): string {
  try {
    return decodeURIComponent(user);
  } catch {
    throw new WsTargetError(`${target}: bad %-escape in the user part ${JSON.stringify(user)}`);
  }
}
