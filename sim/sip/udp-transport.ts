// SIP over UDP (RFC 3261 §18) on node:dgram: one message per datagram. The receive callback's
// `from` is the datagram's real source address, so the layers above answer where the request
// really came from, which is what RFC 3581 (rport) asks and what §18.2.2 amounts to for a peer
// that sends from its listening port. The top Via of every incoming request is stamped with
// received/rport (see stampVia) so the same holds for anyone reading the Via later.

import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { lookup as dnsLookup } from 'node:dns';
import { isIP } from 'node:net';
import { encode } from './codec.js';
import type { SipMessage } from './message.js';
import { formatAddress, parseAddress, unmapIp } from './transport-address.js';
import { InboundProcessor, type Peer, type ProblemListener, type TransportStats } from './transport-inbound.js';
import type { SipReceiver, SipTransport } from './transport.js';

/** Socket receive and send buffers, bytes (see bind). */
const BUFFER_BYTES = 4 << 20;

/** The largest payload of one UDP datagram over IPv4 (65535 minus IP and UDP headers). */
export const MAX_UDP_PAYLOAD = 65507;

export interface UdpTransportOptions {
  /** Address to bind; an IPv6 literal makes an IPv6 socket. Default `127.0.0.1`. */
  readonly host?: string;
  /** Port to bind; 0 (the default) picks a free one, see {@link UdpTransport.address}. */
  readonly port?: number;
  /** Largest message accepted or sent, in bytes. Default 65535. */
  readonly maxMessageSize?: number;
  /** Gets every valid incoming message with its source address. */
  readonly onMessage: SipReceiver;
  /** Gets what went wrong (malformed input, send failures, socket errors). Default: ignored. */
  readonly onProblem?: ProblemListener;
}

export class UdpTransport implements SipTransport {
  private readonly inbound: InboundProcessor;
  private closing: Promise<void> | undefined;
  /** The source of the last datagram, as given to the inbound processor, and its raw address. */
  private lastPeer: Peer | undefined;
  private lastPeerAddress = '';
  /** The last destination sent to, parsed. */
  private lastTo = '';
  private lastTarget: { host: string; port: number } | undefined;

  private constructor(
    private readonly socket: Socket,
    /** The address actually bound, `127.0.0.1:40312` or `[::1]:40312`. */
    readonly address: string,
    private readonly maxMessageSize: number,
    options: UdpTransportOptions,
  ) {
    this.inbound = new InboundProcessor({
      maxMessageSize,
      onMessage: options.onMessage,
      onProblem: options.onProblem,
      reply: (response, to) => this.send(response, to),
      tagPrefix: 'callsim-udp-',
    });
    socket.on('message', (data: Buffer, rinfo: RemoteInfo) => {
      // a peer sends from one address and port call after call: its Peer (and the address
      // string the layers above match and reply to) is made once, not per datagram
      let peer = this.lastPeer;
      if (peer === undefined || rinfo.port !== peer.port || rinfo.address !== this.lastPeerAddress) {
        peer = { address: formatAddress(rinfo.address, rinfo.port), ip: unmapIp(rinfo.address), port: rinfo.port };
        this.lastPeer = peer;
        this.lastPeerAddress = rinfo.address;
      }
      this.inbound.receive(data, peer);
    });
  }

  /** Binds a UDP socket; resolves once bound, rejects if the address cannot be bound. */
  static bind(options: UdpTransportOptions): Promise<UdpTransport> {
    const host = options.host ?? '127.0.0.1';
    const maxMessageSize = options.maxMessageSize ?? 65535;
    if (!(Number.isInteger(maxMessageSize) && maxMessageSize > 0)) {
      return Promise.reject(new RangeError(`maxMessageSize must be a positive integer, got ${maxMessageSize}`));
    }
    // 4 MiB socket buffers (the kernel caps them at net.core.rmem_max / wmem_max): the default
    // ~208 KiB holds a few hundred messages, and a load run at thousands of calls/s (or a
    // server under one) whose event loop stalls for a GC lost datagrams at 6,000 calls/s
    const socket = createSocket({ type: host.includes(':') ? 'udp6' : 'udp4', lookup: ipLookup, recvBufferSize: BUFFER_BYTES, sendBufferSize: BUFFER_BYTES });
    return new Promise((resolve, reject) => {
      const failed = (e: Error): void => {
        socket.close();
        reject(e);
      };
      socket.once('error', failed);
      socket.bind(options.port ?? 0, host, () => {
        socket.off('error', failed);
        const a = socket.address();
        const transport = new UdpTransport(socket, formatAddress(a.address, a.port), maxMessageSize, options);
        socket.on('error', (e: NodeJS.ErrnoException & { address?: string; port?: number }) => {
          if (e.syscall === 'send') {
            // a send the socket refused (sends take no callback, see send())
            const s = transport.inbound.stats;
            s.sent--;
            s.sendFailed++;
            const peer = e.address === undefined ? undefined : formatAddress(e.address, e.port ?? 0);
            transport.inbound.problem({ kind: 'send-failed', peer, message: `cannot send to ${peer ?? 'the peer'}: ${e.message}`, error: e });
            return;
          }
          transport.inbound.problem({ kind: 'socket-error', peer: undefined, message: `UDP socket error: ${e.message}`, error: e });
        });
        resolve(transport);
      });
    });
  }

  /** The sent-by of a Via for messages sent from here: `SIP/2.0/UDP 127.0.0.1:40312`; append `;branch=...;rport`. */
  get via(): string {
    return `SIP/2.0/UDP ${this.address}`;
  }

  get stats(): Readonly<TransportStats> {
    return this.inbound.stats;
  }

  /**
   * Sends one message to `to` (`host:port`, `[v6]:port`). Never throws: an unserializable or
   * oversize message, a bad address, a closed socket or a send error goes to onProblem.
   */
  send(message: SipMessage, to: string): void {
    let data: Buffer;
    try {
      data = encode(message);
    } catch (e) {
      return this.sendFailed(describe(message), to, String(e), e);
    }
    this.sendData(data, to, message);
  }

  /** Sends a message already serialized (a transaction's final response, kept as text for Timer J). Never throws. */
  sendText(text: string, to: string): void {
    this.sendData(Buffer.from(text, 'utf8'), to, text);
  }

  /** `what`: the message, or its text, for a problem report (described only when there is one). */
  private sendData(data: Buffer, to: string, what: SipMessage | string): void {
    // failures go through a method rather than a closure: no function object per datagram
    if (this.closing !== undefined) return this.sendFailed(what, to, 'the transport is closed');
    if (to !== this.lastTo) {
      this.lastTarget = parseAddress(to);
      this.lastTo = to;
    }
    const target = this.lastTarget;
    if (target === undefined) return this.sendFailed(what, to, 'not a host:port address');
    if (data.byteLength > Math.min(this.maxMessageSize, MAX_UDP_PAYLOAD)) {
      return this.sendFailed(what, to, `${data.byteLength} bytes is over the ${Math.min(this.maxMessageSize, MAX_UDP_PAYLOAD)}-byte limit of one datagram`);
    }
    // No callback: dgram then sends at once when it can (libuv's try-send) instead of queueing
    // a completion and a callback per datagram, and ipLookup spares the DNS round trip through
    // the next tick; under load those were a fifth of `callsim serve`'s main thread. A send the
    // socket refuses comes back as an 'error' event with syscall 'send' (see bind()).
    try {
      this.socket.send(data, target.port, target.host);
      this.inbound.stats.sent++;
    } catch (e) {
      this.sendFailed(what, to, String(e), e);
    }
  }

  private sendFailed(what: SipMessage | string, to: string, why: string, error?: unknown): void {
    this.inbound.stats.sendFailed++;
    this.inbound.problem({ kind: 'send-failed', peer: to, message: `cannot send ${describe(what)} to ${to}: ${why}`, error });
  }

  /** Closes the socket; resolves when it is closed. Idempotent. */
  close(): Promise<void> {
    this.closing ??= new Promise((resolve) => { this.socket.close(() => resolve()); });
    return this.closing;
  }
}

/**
 * dgram's address lookup: an IP literal (every address a SIP peer's datagram came from, and
 * every loopback target) needs no resolver, so it is answered at once; names go to dns.lookup.
 */
function ipLookup(hostname: string, options: unknown, callback: (err: NodeJS.ErrnoException | null, address: string, family: number) => void): void {
  // a server answers the same peer datagram after datagram: its family is known already
  if (hostname === lastLiteral) return callback(null, hostname, lastFamily);
  const family = isIP(hostname);
  if (family !== 0) {
    lastLiteral = hostname;
    lastFamily = family;
    callback(null, hostname, family);
  } else dnsLookup(hostname, options as never, callback as never);
}

/** The last IP literal ipLookup answered, and its family (4 or 6). */
let lastLiteral = '';
let lastFamily = 0;

function describe(m: SipMessage | string): string {
  if (typeof m === 'string') {
    // serialized text: its start line says as much ("BYE sip:..." or "SIP/2.0 200 OK")
    const line = m.slice(0, Math.max(0, m.indexOf('\r')));
    return line.startsWith('SIP/2.0 ') ? `${line.slice(8, 11)} response` : line.slice(0, Math.max(0, line.indexOf(' ')));
  }
  return m.kind === 'request' ? m.method : `${m.status} response`;
}
