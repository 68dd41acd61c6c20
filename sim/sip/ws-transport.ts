// SIP over WebSocket (RFC 7118) with the `ws` package. Each WebSocket message (text or binary
// frame) carries exactly one SIP message, so the frame is the framing: messages are parsed as
// datagrams, Content-Length optional. Only clients offering the `sip` subprotocol are accepted.
// Each accepted connection gets the transport address `ws:<n>` (n counts connections from 1):
// a WebSocket client cannot be reached any other way (its Via and Contact hosts are usually
// `*.invalid`), so the layers above answer and send in-dialog requests to the `from` they saw.

import { createServer, STATUS_CODES, type IncomingMessage, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import { serialize } from './codec.js';
import type { SipMessage } from './message.js';
import { formatAddress, unmapIp } from './transport-address.js';
import { InboundProcessor, type Peer, type ProblemListener, type TransportStats } from './transport-inbound.js';
import type { SipReceiver, SipTransport } from './transport.js';

/** RFC 7118 §4: the WebSocket subprotocol of SIP. */
export const SIP_SUBPROTOCOL = 'sip';
const DEFAULT_MAX_MESSAGE_SIZE = 65535;

export interface WsServerOptions {
  /** Address to listen on. Default `127.0.0.1`. */
  readonly host?: string;
  /** Port; 0 (the default) picks a free one, see {@link WsServerTransport.address}. */
  readonly port?: number;
  /** Only upgrades to this path are accepted (e.g. `/sip`); default: any path. */
  readonly path?: string;
  /**
   * Largest SIP message accepted or sent, in bytes. Default 65535. Larger messages up to twice
   * that are answered 513; a frame beyond that closes the connection (WebSocket code 1009).
   */
  readonly maxMessageSize?: number;
  /** Open connections allowed at once; further upgrades get 503. Default: no limit. */
  readonly maxConnections?: number;
  readonly onMessage: SipReceiver;
  /** Gets what went wrong (malformed input, refused upgrades, send failures). Default: ignored. */
  readonly onProblem?: ProblemListener;
}

/** Counters of a WebSocket server: the message counters plus connections. */
export interface WsServerStats extends TransportStats {
  /** Connections accepted so far. */
  accepted: number;
  /** Upgrades refused (no `sip` subprotocol, wrong path, too many connections) and plain HTTP requests. */
  refused: number;
  /** Connections open now. */
  open: number;
}

interface Connection {
  readonly ws: WebSocket;
  readonly peer: Peer;
}

/** The server side of SIP over WebSocket: accepts connections and sends to them by `ws:<n>`. */
export class WsServerTransport implements SipTransport {
  private readonly inbound: InboundProcessor;
  private readonly wss: WebSocketServer;
  private readonly connections = new Map<string, Connection>();
  private readonly counters = { accepted: 0, refused: 0 };
  private nextId = 0;
  private closing: Promise<void> | undefined;
  /** `127.0.0.1:40312` (or `[::1]:40312`): where the server listens. */
  address = '';

  private constructor(private readonly http: Server, private readonly o: WsServerOptions, private readonly maxMessageSize: number) {
    this.inbound = new InboundProcessor({
      maxMessageSize,
      onMessage: o.onMessage,
      onProblem: o.onProblem,
      reply: (response, to) => this.send(response, to),
      tagPrefix: 'callsim-ws-',
    });
    this.wss = new WebSocketServer({
      noServer: true,
      maxPayload: 2 * maxMessageSize,
      handleProtocols: (offered) => (offered.has(SIP_SUBPROTOCOL) ? SIP_SUBPROTOCOL : false),
    });
    http.on('request', (_req, res) => {
      this.counters.refused++;
      const text = 'This is a SIP over WebSocket server (RFC 7118): connect with a WebSocket offering the "sip" subprotocol.\n';
      res.writeHead(426, { 'Content-Type': 'text/plain', Upgrade: 'websocket', Connection: 'Upgrade', 'Content-Length': Buffer.byteLength(text) });
      res.end(text);
    });
    http.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => this.upgrade(req, socket, head));
  }

  /** Starts listening; resolves once listening, rejects if the address cannot be bound. */
  static listen(options: WsServerOptions): Promise<WsServerTransport> {
    const maxMessageSize = options.maxMessageSize ?? DEFAULT_MAX_MESSAGE_SIZE;
    if (!(Number.isInteger(maxMessageSize) && maxMessageSize > 0)) {
      return Promise.reject(new RangeError(`maxMessageSize must be a positive integer, got ${maxMessageSize}`));
    }
    const http = createServer();
    const transport = new WsServerTransport(http, options, maxMessageSize);
    return new Promise((resolve, reject) => {
      http.once('error', reject);
      http.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
        http.off('error', reject);
        http.on('error', (e) => transport.inbound.problem({ kind: 'socket-error', peer: undefined, message: `WebSocket server error: ${e.message}`, error: e }));
        const a = http.address();
        if (a === null || typeof a === 'string') {
          reject(new Error(`unexpected server address ${String(a)}`));
          return;
        }
        transport.address = formatAddress(a.address, a.port);
        resolve(transport);
      });
    });
  }

  /** `ws://127.0.0.1:40312/path`: what a client connects to. */
  get url(): string {
    return `ws://${this.address}${this.o.path ?? ''}`;
  }

  /** The sent-by of a Via for requests sent from here: `SIP/2.0/WS 127.0.0.1:40312`. */
  get via(): string {
    return `SIP/2.0/WS ${this.address}`;
  }

  /** A SIP URI of this server for Contact or Record-Route: `sip:127.0.0.1:40312;transport=ws`. */
  get sipUri(): string {
    return `sip:${this.address};transport=ws`;
  }

  get stats(): Readonly<WsServerStats> {
    return { ...this.inbound.stats, ...this.counters, open: this.connections.size };
  }

  /** The peer's `ip:port` behind a `ws:<n>` address, while the connection is open. */
  peerOf(address: string): string | undefined {
    const c = this.connections.get(address);
    return c === undefined ? undefined : formatAddress(c.peer.ip, c.peer.port);
  }

  /** Sends one message as a text frame on connection `to` (`ws:<n>`). Never throws; failures go to onProblem. */
  send(message: SipMessage, to: string): void {
    const c = this.connections.get(to);
    if (c === undefined) {
      this.sendFailed(message, to, this.closing !== undefined ? 'the transport is closed' : 'no open WebSocket connection has that address');
      return;
    }
    sendOn(c.ws, message, this.maxMessageSize, () => this.inbound.stats.sent++, (why, e) => this.sendFailed(message, to, why, e));
  }

  /**
   * Closes every connection (WebSocket close 1001, waiting for the peers' close frames; `ws`
   * cuts a peer that does not answer within 30 s) and stops listening. Idempotent.
   */
  close(): Promise<void> {
    this.closing ??= (async () => {
      const closed = [...this.connections.values()].map(({ ws }) => closeSocket(ws, 1001, 'server shutting down'));
      await new Promise<void>((resolve) => { this.wss.close(() => resolve()); });
      await Promise.all(closed);
      await new Promise<void>((resolve) => {
        this.http.close(() => resolve());
        this.http.closeAllConnections();
      });
    })();
    return this.closing;
  }

  private upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const onError = (e: Error): void => this.inbound.problem({ kind: 'socket-error', peer: peerName(req), message: `socket error during the WebSocket upgrade: ${e.message}`, error: e });
    socket.on('error', onError);
    const refuse = (status: number, why: string): void => {
      this.counters.refused++;
      this.inbound.problem({ kind: 'connection-refused', peer: peerName(req), message: `WebSocket upgrade refused with ${status}: ${why}` });
      const text = `${why}\n`;
      socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(text)}\r\n\r\n${text}`);
    };
    if (this.closing !== undefined) return refuse(503, 'the SIP server is shutting down');
    const path = (req.url ?? '/').split('?', 1)[0];
    if (this.o.path !== undefined && path !== this.o.path) return refuse(404, `no SIP WebSocket endpoint at ${path}; use ${this.o.path}`);
    const offered = (req.headers['sec-websocket-protocol'] ?? '').split(',').map((p) => p.trim().toLowerCase());
    if (!offered.includes(SIP_SUBPROTOCOL)) {
      return refuse(400, `WebSocket subprotocol "sip" required (RFC 7118 section 4); offered: ${offered.filter((p) => p !== '').join(', ') || 'none'}`);
    }
    if (this.o.maxConnections !== undefined && this.connections.size >= this.o.maxConnections) {
      return refuse(503, `too many connections (limit ${this.o.maxConnections})`);
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      socket.off('error', onError); // from here on the WebSocket reports its errors
      this.accept(ws, req);
    });
  }

  private accept(ws: WebSocket, req: IncomingMessage): void {
    const id = `ws:${++this.nextId}`;
    const port = req.socket.remotePort ?? 0;
    const peer: Peer = { address: id, ip: unmapIp(req.socket.remoteAddress ?? ''), port };
    this.counters.accepted++;
    this.connections.set(id, { ws, peer });
    ws.on('message', (data: RawData) => this.inbound.receive(toBuffer(data), peer));
    ws.on('error', (e: Error & { code?: string }) => this.connectionError(id, e));
    ws.on('close', () => this.connections.delete(id));
  }

  private connectionError(id: string, e: Error & { code?: string }): void {
    if (e.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') {
      // a frame beyond maxPayload: ws closes the connection (1009); count it as oversize input
      const s = this.inbound.stats;
      s.received++;
      s.oversize++;
      s.dropped++;
      this.inbound.problem({ kind: 'oversize', peer: id, message: `frame over ${2 * this.maxMessageSize} bytes: connection closed (1009)`, error: e, action: 'dropped' });
      return;
    }
    this.inbound.problem({ kind: 'socket-error', peer: id, message: `WebSocket error on ${id}: ${e.message}`, error: e });
  }

  private sendFailed(message: SipMessage, to: string, why: string, error?: unknown): void {
    this.inbound.stats.sendFailed++;
    this.inbound.problem({ kind: 'send-failed', peer: to, message: `cannot send ${describe(message)} to ${to}: ${why}`, error });
  }
}

export interface WsClientOptions {
  readonly onMessage: SipReceiver;
  readonly onProblem?: ProblemListener;
  /** Largest SIP message accepted or sent, in bytes. Default 65535. */
  readonly maxMessageSize?: number;
}

/**
 * The client side of SIP over WebSocket, for load tests and tests: one connection, and
 * `send(message, to)` sends on it whatever `to` says (by convention {@link peer}).
 */
export class WsClientTransport implements SipTransport {
  private readonly inbound: InboundProcessor;
  private closing: Promise<void> | undefined;

  private constructor(
    private readonly ws: WebSocket,
    /** The server's URL, also the `from` of everything received. */
    readonly peer: string,
    /** `127.0.0.1:53122`: the local end of the TCP connection. */
    readonly localAddress: string,
    remote: { ip: string; port: number },
    private readonly maxMessageSize: number,
    options: WsClientOptions,
  ) {
    this.inbound = new InboundProcessor({
      maxMessageSize,
      onMessage: options.onMessage,
      onProblem: options.onProblem,
      reply: (response) => this.send(response, peer),
      tagPrefix: 'callsim-wsc-',
    });
    const from: Peer = { address: peer, ip: remote.ip, port: remote.port };
    ws.on('message', (data: RawData) => this.inbound.receive(toBuffer(data), from));
    ws.on('error', (e: Error) => this.inbound.problem({ kind: 'socket-error', peer, message: `WebSocket error: ${e.message}`, error: e }));
    ws.on('close', (code: number) => {
      if (this.closing === undefined) this.inbound.problem({ kind: 'socket-error', peer, message: `the server closed the connection (code ${code})` });
    });
  }

  /**
   * Opens a WebSocket to `url` offering the `sip` subprotocol; resolves once open. Rejects
   * with the server's answer when the upgrade is refused or `sip` is not agreed.
   */
  static connect(url: string, options: WsClientOptions): Promise<WsClientTransport> {
    const maxMessageSize = options.maxMessageSize ?? DEFAULT_MAX_MESSAGE_SIZE;
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, SIP_SUBPROTOCOL, { maxPayload: 2 * maxMessageSize, perMessageDeflate: false });
      let local = '';
      let remote = { ip: '', port: 0 };
      ws.once('upgrade', (res: IncomingMessage) => {
        local = formatAddress(res.socket.localAddress ?? '', res.socket.localPort ?? 0);
        remote = { ip: unmapIp(res.socket.remoteAddress ?? ''), port: res.socket.remotePort ?? 0 };
      });
      ws.once('unexpected-response', (_req, res: IncomingMessage) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => { body += chunk; });
        res.on('end', () => reject(new Error(`WebSocket upgrade to ${url} refused: ${res.statusCode ?? '?'} ${res.statusMessage ?? ''}: ${body.trim()}`)));
        res.on('error', reject);
      });
      ws.once('error', reject);
      ws.once('open', () => {
        ws.off('error', reject);
        if (ws.protocol !== SIP_SUBPROTOCOL) {
          ws.close(1002, 'sip subprotocol required');
          reject(new Error(`WebSocket server at ${url} did not agree to the "sip" subprotocol (RFC 7118)`));
          return;
        }
        resolve(new WsClientTransport(ws, url, local, remote, maxMessageSize, options));
      });
    });
  }

  /** The sent-by for Via: `SIP/2.0/WS 127.0.0.1:53122`, the local TCP address, unique per connection. */
  get via(): string {
    return `SIP/2.0/WS ${this.localAddress}`;
  }

  get stats(): Readonly<TransportStats> {
    return this.inbound.stats;
  }

  /** Sends one message as a text frame to the server; `to` is ignored. Never throws. */
  send(message: SipMessage, to: string = this.peer): void {
    if (this.closing !== undefined || this.ws.readyState !== WebSocket.OPEN) {
      this.inbound.stats.sendFailed++;
      this.inbound.problem({ kind: 'send-failed', peer: to, message: `cannot send ${describe(message)}: the connection is not open` });
      return;
    }
    sendOn(this.ws, message, this.maxMessageSize, () => this.inbound.stats.sent++, (why, e) => {
      this.inbound.stats.sendFailed++;
      this.inbound.problem({ kind: 'send-failed', peer: to, message: `cannot send ${describe(message)}: ${why}`, error: e });
    });
  }

  /** Closes the connection (WebSocket close 1000) and resolves once it is closed. Idempotent. */
  close(): Promise<void> {
    this.closing ??= closeSocket(this.ws, 1000, 'done');
    return this.closing;
  }
}

function sendOn(ws: WebSocket, message: SipMessage, maxMessageSize: number, ok: () => void, fail: (why: string, error?: unknown) => void): void {
  if (ws.readyState !== WebSocket.OPEN) return fail('the connection is not open');
  let text: string;
  try {
    text = serialize(message);
  } catch (e) {
    return fail(String(e), e);
  }
  const size = Buffer.byteLength(text);
  if (size > maxMessageSize) return fail(`${size} bytes is over the ${maxMessageSize}-byte limit`);
  ws.send(text, (e) => {
    if (e) fail(e.message, e);
    else ok();
  });
}

function closeSocket(ws: WebSocket, code: number, reason: string): Promise<void> {
  if (ws.readyState === WebSocket.CLOSED) return Promise.resolve();
  return new Promise((resolve) => {
    ws.once('close', () => resolve());
    ws.close(code, reason);
  });
}

function toBuffer(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}

function peerName(req: IncomingMessage): string {
  return formatAddress(unmapIp(req.socket.remoteAddress ?? ''), req.socket.remotePort ?? 0);
}

function describe(m: SipMessage): string {
  return m.kind === 'request' ? m.method : `${m.status} response`;
}
