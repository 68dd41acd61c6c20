// JsSIP's Socket interface (https://jssip.net/documentation/3.x/api/socket/) on the `ws`
// package, so that a JsSIP UA runs in Node without a global WebSocket. It offers the `sip`
// subprotocol (RFC 7118), hands JsSIP every frame as text, and lets the adapter watch the
// frames that arrive (`onFrame`) and learn why a connection failed (`lastError`).

import type { Socket } from 'jssip';
import { WebSocket, type RawData } from 'ws';

export class NodeWsSocket implements Socket {
  private ws: WebSocket | undefined;
  /** The connection disconnect() is closing, until it has closed (see whenClosed). */
  private closing: WebSocket | undefined;
  private transport = 'WS';
  /** Why the last connection attempt or connection failed, if it did. */
  lastError: string | undefined;
  /** Called with every frame received, before JsSIP sees it. */
  onFrame: (text: string) => void = () => {};

  // JsSIP's Transport replaces these three with its own handlers
  onconnect: () => void = () => {};
  ondisconnect: (error: boolean, code?: number, reason?: string) => void = () => {};
  ondata: <T>(event: T) => void = () => {};

  constructor(readonly url: string) {}

  get via_transport(): string {
    return this.transport;
  }

  set via_transport(value: string) {
    this.transport = value.toUpperCase();
  }

  /** `sip:host:port;transport=ws`, as JsSIP's own WebSocketInterface derives it. */
  get sip_uri(): string {
    const u = new URL(this.url);
    return `sip:${u.host};transport=ws`;
  }

  connect(): void {
    if (this.isConnected() || this.isConnecting()) return;
    this.lastError = undefined;
    const ws = new WebSocket(this.url, 'sip', { perMessageDeflate: false });
    this.ws = ws;
    ws.on('open', () => {
      if (ws.protocol !== 'sip') {
        this.lastError = 'the server did not agree to the "sip" subprotocol (RFC 7118)';
        ws.close(1002, 'sip subprotocol required');
        return;
      }
      this.onconnect();
    });
    ws.on('unexpected-response', (_req, res) => {
      this.lastError = `WebSocket upgrade refused: ${res.statusCode ?? '?'} ${res.statusMessage ?? ''}`;
      res.resume();
      ws.terminate();
    });
    ws.on('error', (e: Error) => { this.lastError ??= e.message; });
    ws.on('message', (data: RawData) => {
      const text = toText(data);
      this.onFrame(text);
      this.ondata(text);
    });
    ws.on('close', (code: number, reason: Buffer) => {
      if (this.ws === ws) this.ws = undefined;
      this.ondisconnect(code !== 1000 && code !== 1001, code, reason.toString('utf8'));
    });
  }

  disconnect(): void {
    const ws = this.ws;
    this.ws = undefined;
    if (ws === undefined) return;
    this.closing = ws;
    if (ws.readyState === WebSocket.CONNECTING) ws.terminate();
    else ws.close(1000, 'done');
  }

  /**
   * Resolves once the connection disconnect() closed is closed (at once if there is none). A
   * server that does not return the closing handshake within `graceMs` is cut off: `ws` would
   * otherwise wait 30 s for it, keeping the process alive.
   */
  whenClosed(graceMs = 1000): Promise<void> {
    const ws = this.closing;
    if (ws === undefined || ws.readyState === WebSocket.CLOSED) return Promise.resolve();
    return new Promise((resolve) => {
      const cut = setTimeout(() => ws.terminate(), graceMs);
      ws.once('close', () => {
        clearTimeout(cut);
        if (this.closing === ws) this.closing = undefined;
        resolve();
      });
    });
  }

  send(message: string | ArrayBufferLike | ArrayBufferView): boolean {
    if (!this.isConnected()) return false;
    this.ws!.send(typeof message === 'string' ? message : Buffer.from(message as ArrayBuffer));
    return true;
  }

  isConnected(): boolean {
    return this.ws !== undefined && this.ws.readyState === WebSocket.OPEN;
  }

  isConnecting(): boolean {
    return this.ws !== undefined && this.ws.readyState === WebSocket.CONNECTING;
  }
}

function toText(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data).toString('utf8');
}
