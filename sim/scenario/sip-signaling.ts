// `--signaling sip`: every caller is a SIP user agent (UAC) and the hotline is one (UAS), on
// an in-memory network in simulated time. Every INVITE, 180, 200, ACK, INFO (DTMF), CANCEL,
// BYE and REFER is built, serialized, parsed and carried through the real transaction
// layer, with the network's latency and losses; what reaches the other side comes back to
// the model through its signaling handlers. The model's records then carry the caller's
// view of setup (ringing and answer times as the caller sees them) and the hotline's view
// of everything behind the answer.
//
// One thing stays out of band: what the caller hears (prompts, the agent's voice). The
// caller's decisions in the IVR and their patience timer start from the hotline's events,
// as if media had no latency; only what the caller sends back travels the network.

import type { RandomStreams } from '../kernel/random.js';
import { distribution } from '../kernel/distributions.js';
import type { Scheduler } from '../kernel/clock.js';
import { MemoryNetwork, NO_IMPAIRMENT, type Impairment } from '../sip/memory-transport.js';
import { UserAgent, type SipCallEvents } from '../sip/user-agent.js';
import { HotlineUas, type Leg } from './hotline-uas.js';
import type { Call } from './hotline-state.js';
import type { RefusalStatus, Signaling, SignalingHandlers } from './signaling.js';
import type { NetworkSpec } from './types.js';

/** Transport addresses of the two elements on the in-memory network (TEST-NET-1, RFC 5737). */
export const CALLERS_ADDRESS = '192.0.2.1:5060';
export const HOTLINE_ADDRESS = '192.0.2.2:5060';
const HOTLINE_URI = 'sip:12333@192.0.2.2';

export class SipSignaling implements Signaling {
  readonly network: MemoryNetwork;
  readonly callers: UserAgent<Call>;
  readonly hotline: UserAgent<Call>;
  private readonly uas = new HotlineUas();
  private h!: SignalingHandlers;
  /** Calls dialled whose INVITE has not reached the hotline yet, by Call-ID. */
  private readonly dialling = new Map<string, Call>();
  private setupFailures = 0;

  constructor(scheduler: Scheduler, network: NetworkSpec | null, streams: RandomStreams) {
    const impairment: Impairment =
      network === null || (network.latency === null && network.loss === 0)
        ? NO_IMPAIRMENT
        : { latency: network.latency === null ? null : distribution(network.latency), loss: network.loss, rng: streams.stream('network') };
    this.network = new MemoryNetwork(scheduler, impairment);
    const timers = network?.timers ?? {};
    this.callers = new UserAgent<Call>(scheduler, this.network.endpoint(CALLERS_ADDRESS, (m, f) => this.callers.receive(m, f)), {
      address: CALLERS_ADDRESS, name: 'c', timers,
    });
    this.hotline = new UserAgent<Call>(scheduler, this.network.endpoint(HOTLINE_ADDRESS, (m, f) => this.hotline.receive(m, f)), {
      address: HOTLINE_ADDRESS, name: 'h', timers,
    }, {
      invite: (leg) => {
        const call = this.dialling.get(leg.callId);
        if (call === undefined) {
          leg.reject(404, 'Not Found');
          return;
        }
        this.dialling.delete(leg.callId);
        this.uas.take(leg, call);
      },
    });
  }

  attach(handlers: SignalingHandlers): void {
    this.h = handlers;
    this.uas.attach(handlers);
  }

  /** What the caller's phone hears. */
  private readonly callerEvents: SipCallEvents<Call> = {
    progress: (leg, status) => {
      if (status === 180 || status === 183) this.h.ringing(leg.data!);
    },
    answered: (leg) => this.h.answered(leg.data!),
    failed: (_leg, status) => {
      // a refusal (486/503) is the hotline's to count; a timeout means the INVITE never got through
      if (status === 408) this.setupFailures++;
    },
    referred: (leg) => leg.hangup(),
  };

  dial(call: Call): void {
    const user = `${call.areaCode || '0'}${String(call.caller).padStart(8, '0')}`;
    const leg = this.callers.call(HOTLINE_URI, HOTLINE_ADDRESS, user, this.callerEvents, call);
    call.uac = leg;
    this.dialling.set(leg.callId, call);
  }

  key(call: Call, key: string): void {
    const leg = call.uac as Leg;
    if (leg.state === 'confirmed') leg.sendDtmf(key);
  }

  callerHangup(call: Call): void {
    (call.uac as Leg).hangup();
  }

  ring(call: Call): void {
    this.uas.ring(call);
  }

  answer(call: Call): void {
    this.uas.answer(call);
  }

  refuse(call: Call, status: RefusalStatus): void {
    this.uas.refuse(call, status);
  }

  systemHangup(call: Call): void {
    this.uas.systemHangup(call);
  }

  transfer(call: Call, areaCode: string): void {
    this.uas.transfer(call, areaCode);
  }

  stats(): Record<string, number> {
    const n = this.network.stats;
    return { messages: n.sent, lost: n.lost, bytes: n.bytes, setupTimeouts: this.setupFailures };
  }
}
