// A WebSocket-to-UDP relay for tests: lets a SIP-over-WebSocket client (JsSIP) reach a UDP-only
// peer (a SIPp UAS). Each WebSocket connection gets its own UDP socket; every text frame goes
// to the peer as one datagram, and every datagram that comes back goes to that connection as
// one text frame. The relay reads nothing of SIP: SIPp answers to the datagram's source
// address, which is what ties a response to its connection. Loopback only.

import { createSocket, type Socket } from 'node:dgram';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';

export interface WsUdpRelay {
  /** `ws://127.0.0.1:<port>`: where WebSocket clients connect. */
  readonly url: string;
  readonly stats: { connections: number; toUdp: number; toWs: number };
  /** Closes every connection, its UDP socket, and the server. */
  close(): Promise<void>;
}

/** Starts a relay to the UDP peer `host:port`; resolves once it listens. */
export function startWsUdpRelay(peer: { host: string; port: number }): Promise<WsUdpRelay> {
  const stats = { connections: 0, toUdp: 0, toWs: 0 };
  const pairs = new Set<{ ws: WebSocket; udp: Socket }>();
  const wss = new WebSocketServer({
    host: '127.0.0.1',
    port: 0,
    perMessageDeflate: false,
    // RFC 7118 §4: a SIP WebSocket server agrees to the `sip` subprotocol
    handleProtocols: (offered) => (offered.has('sip') ? 'sip' : false),
  });
  wss.on('connection', (ws) => {
    stats.connections++;
    const udp = createSocket('udp4');
    const pair = { ws, udp };
    pairs.add(pair);
    // frames that arrive before the UDP socket is bound wait for it
    const early: Buffer[] = [];
    let bound = false;
    const forward = (b: Buffer): void => {
      stats.toUdp++;
      udp.send(b, peer.port, peer.host);
    };
    udp.bind(0, '127.0.0.1', () => {
      bound = true;
      for (const b of early.splice(0)) forward(b);
    });
    udp.on('message', (msg) => {
      stats.toWs++;
      if (ws.readyState === ws.OPEN) ws.send(msg.toString('utf8'));
    });
    udp.on('error', () => ws.terminate());
    ws.on('message', (data: RawData) => {
      const b = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as Buffer);
      if (bound) forward(b);
      else early.push(b);
    });
    ws.on('close', () => {
      pairs.delete(pair);
      udp.close();
    });
  });
  return new Promise((resolve, reject) => {
    wss.once('error', reject);
    wss.once('listening', () => {
      const a = wss.address();
      if (a === null || typeof a === 'string') return reject(new Error(`unexpected address ${String(a)}`));
      resolve({
        url: `ws://127.0.0.1:${a.port}`,
        stats,
        close: () => new Promise<void>((done) => {
          for (const { ws } of pairs) ws.terminate();
          wss.close(() => done());
        }),
      });
    });
  });
}
