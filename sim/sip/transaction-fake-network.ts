// A fake datagram network for transaction tests: every message is serialized and parsed
// again (so the codec is on the path), delivered after a fixed latency in simulated time,
// or dropped when the test's `drop` predicate says so. No sockets.

import type { Scheduler } from '../kernel/clock.js';
import { parse, serialize } from './codec.js';
import { cseq } from './headers.js';
import type { SipMessage } from './message.js';
import type { SipReceiver, SipTransport } from './transport.js';

export interface Packet {
  readonly time: number;
  readonly from: string;
  readonly to: string;
  /** `INVITE`, `ACK`, `486 INVITE`, ... */
  readonly what: string;
  readonly message: SipMessage;
  dropped: boolean;
}

export function describe(m: SipMessage): string {
  return m.kind === 'request' ? m.method : `${m.status} ${cseq(m)?.method ?? '?'}`;
}

export class FakeNetwork {
  readonly packets: Packet[] = [];
  private readonly receivers = new Map<string, SipReceiver>();
  /** Return true to lose the packet. */
  drop: (p: Packet) => boolean = () => false;

  constructor(private readonly scheduler: Scheduler, readonly latency = 0.01) {}

  /** The transport of the element at `address`; `receive` gets what is sent there. */
  endpoint(address: string): { transport: SipTransport; attach(receive: SipReceiver): void } {
    return {
      transport: { send: (message, to) => this.send(message, address, to) },
      attach: (receive) => { this.receivers.set(address, receive); },
    };
  }

  private send(message: SipMessage, from: string, to: string): void {
    const wire = serialize(message);
    const p: Packet = { time: this.scheduler.now(), from, to, what: describe(message), message, dropped: false };
    this.packets.push(p);
    if (this.drop(p)) {
      p.dropped = true;
      return;
    }
    this.scheduler.after(this.latency, () => this.receivers.get(to)?.(parse(wire), from), undefined);
  }
}
