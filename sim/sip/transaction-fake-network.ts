// The in-memory network (memory-transport.ts) with a fixed latency, as transaction tests use
// it: every packet sent is logged (time, from, to, what) and the test's `drop` predicate may
// lose it. Serializing, parsing and delivering are the memory network's. No sockets.

import type { Scheduler } from '../kernel/clock.js';
import { distribution } from '../kernel/distributions.js';
import { parse } from './codec.js';
import { cseq } from './headers.js';
import { MemoryNetwork } from './memory-transport.js';
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
  private readonly net: MemoryNetwork;
  /** Return true to lose the packet. */
  drop: (p: Packet) => boolean = () => false;

  constructor(private readonly scheduler: Scheduler, readonly latency = 0.01) {
    this.net = new MemoryNetwork(scheduler, { latency: distribution({ kind: 'constant', value: latency }), loss: 0, rng: null });
  }

  /** The transport of the element at `address`; `receive` gets what is sent there. */
  endpoint(address: string): { transport: SipTransport; attach(receive: SipReceiver): void } {
    const wire = this.net.endpoint(address, (m, from) => this.receivers.get(address)?.(m, from));
    return {
      transport: {
        send: (message, to) => {
          if (this.log(message, address, to)) wire.send(message, to);
        },
        // as the memory network's endpoints do, so that transactions take the same path here
        sendText: (text, to) => {
          if (this.log(parse(text), address, to)) wire.sendText!(text, to);
        },
      },
      attach: (receive) => { this.receivers.set(address, receive); },
    };
  }

  /** Logs a packet; false when the test's `drop` loses it. */
  private log(message: SipMessage, from: string, to: string): boolean {
    const p: Packet = { time: this.scheduler.now(), from, to, what: describe(message), message, dropped: false };
    this.packets.push(p);
    if (this.drop(p)) p.dropped = true;
    return !p.dropped;
  }
}
