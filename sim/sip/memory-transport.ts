// An in-memory datagram network in simulated time: every message is serialized when sent and
// parsed when it arrives (so the codec is always on the path), after a one-way latency drawn
// from a distribution, unless it is lost (each datagram independently, with the loss rate).
// Lost messages come back only through the transactions' retransmission timers, as on UDP.
//
// A delivery due now runs before any other event due at the same instant (it is the next
// thing that happens after the sender's handler returns), so a zero-latency, loss-free
// network changes no event time of the model it carries. Datagrams sent with no latency wait
// in one first-in first-out queue that one scheduled event empties, message after message,
// those sent meanwhile included: the order of a scheduler event each (the kernel orders
// equal times by priority, then by when they were scheduled), at one event a burst instead of
// one a message.

import type { Scheduler } from '../kernel/clock.js';
import type { Distribution } from '../kernel/distributions.js';
import type { RandomStream } from '../kernel/random.js';
import { parse, serialize } from './codec.js';
import type { SipMessage } from './message.js';
import type { SipReceiver, SipTransport } from './transport.js';

/** Scheduler priority of deliveries: before every model event due at the same instant. */
export const DELIVERY_PRIORITY = -1000;

export interface Impairment {
  /** One-way latency per datagram, seconds; null = 0. */
  readonly latency: Distribution | null;
  /** Probability that a datagram is lost, 0..1. */
  readonly loss: number;
  /** Draws for latency and loss (its own stream, so impairment never shifts the model's draws). */
  readonly rng: RandomStream | null;
}

export const NO_IMPAIRMENT: Impairment = { latency: null, loss: 0, rng: null };

interface Packet {
  readonly wire: string;
  readonly from: string;
  readonly to: string;
}

export interface NetworkStats {
  sent: number;
  lost: number;
  delivered: number;
  /** Sent, in UTF-16 code units of the wire text (bytes for ASCII messages). */
  bytes: number;
  /** Datagrams to an address nobody listens on. */
  unroutable: number;
}

export class MemoryNetwork {
  readonly stats: NetworkStats = { sent: 0, lost: 0, delivered: 0, bytes: 0, unroutable: 0 };
  private readonly receivers = new Map<string, SipReceiver>();
  /** Deterministic losses on top of the random ones (for tests): return true to lose the datagram. */
  drop: ((message: SipMessage, from: string, to: string) => boolean) | null = null;

  constructor(
    private readonly scheduler: Scheduler,
    private readonly impairment: Impairment = NO_IMPAIRMENT,
  ) {
    if (!(impairment.loss >= 0 && impairment.loss < 1)) throw new RangeError(`loss must be in [0, 1), got ${impairment.loss}`);
    const random = impairment.loss > 0 || (impairment.latency !== null && impairment.latency.spec.kind !== 'constant');
    if (random && impairment.rng === null) throw new RangeError('random loss or latency needs a random stream');
  }

  /** The transport of the element at `address`; messages sent to `address` go to `receive`. */
  endpoint(address: string, receive: SipReceiver): SipTransport {
    this.receivers.set(address, receive);
    return {
      send: (message, to) => this.send(serialize(message), message, address, to),
      sendText: (text, to) => this.send(text, null, address, to),
    };
  }

  /** `message`: what `wire` is the text of, when the sender had it (else parsed for `drop` only). */
  private send(wire: string, message: SipMessage | null, from: string, to: string): void {
    const s = this.stats;
    s.sent++;
    s.bytes += wire.length;
    const imp = this.impairment;
    if ((imp.loss > 0 && imp.rng!.next() < imp.loss) || (this.drop !== null && this.drop(message ?? parse(wire), from, to))) {
      s.lost++;
      return;
    }
    // a constant latency draws nothing (its rng may be null)
    const delay = imp.latency === null ? 0 : Math.max(0, imp.latency.sample(imp.rng!));
    if (delay > 0) {
      this.scheduler.after(delay, this.deliver, { wire, from, to } as Packet, DELIVERY_PRIORITY);
      return;
    }
    // the queue's slots are reused, never given back: an array emptied (length = 0) gets a new
    // backing store at its next push, and this queue empties after nearly every message
    const n = this.nowTail++;
    this.nowWire[n] = wire;
    this.nowFrom[n] = from;
    this.nowTo[n] = to;
    if (!this.nowScheduled) {
      this.nowScheduled = true;
      this.scheduler.after(0, this.deliverNow, undefined, DELIVERY_PRIORITY);
    }
  }

  /**
   * Datagrams sent with no latency and not yet delivered, in slots nowHead .. nowTail-1. Any
   * other delivery due now was scheduled before the first of them, so comes first anyway.
   */
  private readonly nowWire: string[] = [];
  private readonly nowFrom: string[] = [];
  private readonly nowTo: string[] = [];
  private nowHead = 0;
  private nowTail = 0;
  /** A deliverNow is scheduled or running: it takes whatever is queued before it returns. */
  private nowScheduled = false;

  private readonly deliverNow = (): void => {
    try {
      while (this.nowHead < this.nowTail) {
        const k = this.nowHead++;
        const wire = this.nowWire[k]!;
        this.nowWire[k] = '';
        this.receive(wire, this.nowFrom[k]!, this.nowTo[k]!);
      }
    } finally {
      if (this.nowHead < this.nowTail) {
        // a receiver threw, which stops the run: what it left is delivered if the run goes on
        this.scheduler.after(0, this.deliverNow, undefined, DELIVERY_PRIORITY);
      } else {
        this.nowHead = 0;
        this.nowTail = 0;
        this.nowScheduled = false;
      }
    }
  };

  private readonly deliver = (p: Packet): void => {
    this.receive(p.wire, p.from, p.to);
  };

  private receive(wire: string, from: string, to: string): void {
    const receive = this.receivers.get(to);
    if (receive === undefined) {
      this.stats.unroutable++;
      return;
    }
    this.stats.delivered++;
    receive(parse(wire), from);
  }
}
