// M/M/c+M written directly on the discrete-event kernel: the cost of the kernel's event
// heap, scheduling, cancellation and random streams, without callsim's IVR, ACD, agents
// and metrics. Written the way a model on the kernel should be: callbacks that take their
// call as the argument (no closure per event), patience timers cancelled on answer.

import { distribution, type Distribution } from '../sim/kernel/distributions.js';
import type { Scheduled } from '../sim/kernel/clock.js';
import { RandomStreams, type RandomStream } from '../sim/kernel/random.js';
import { Simulation } from '../sim/kernel/simulation.js';
import type { MmcParams, MmcResult } from './mmc.js';

class Call {
  /** Answered, or abandoned: either way no longer in the queue. */
  gone = false;
  patienceTimer: Scheduled | null = null;
}

class KernelModel {
  readonly sim = new Simulation();
  private readonly arrivalRng: RandomStream;
  private readonly talkRng: RandomStream;
  private readonly patienceRng: RandomStream;
  private readonly interArrival: Distribution;
  private readonly talk: Distribution;
  private readonly patience: Distribution;
  private free: number;
  /** FIFO of waiting calls; abandoned calls stay in it, marked gone, and are skipped. */
  private queue: Call[] = [];
  private head = 0;
  calls = 0;
  answered = 0;
  abandoned = 0;

  constructor(private readonly p: MmcParams) {
    const streams = new RandomStreams(p.seed);
    this.arrivalRng = streams.stream('arrivals');
    this.talkRng = streams.stream('talk');
    this.patienceRng = streams.stream('patience');
    this.interArrival = distribution({ kind: 'exponential', mean: 1 / p.rate });
    this.talk = distribution({ kind: 'exponential', mean: p.talk });
    this.patience = distribution({ kind: 'exponential', mean: p.patience });
    this.free = p.agents;
  }

  start(): void {
    this.sim.after(this.interArrival.sample(this.arrivalRng), this.onArrival, this);
  }

  private readonly onArrival = (): void => {
    const sim = this.sim;
    this.calls++;
    const next = sim.now() + this.interArrival.sample(this.arrivalRng);
    if (next < this.p.duration) sim.at(next, this.onArrival, this);
    const call = new Call();
    if (this.free > 0) {
      this.free--;
      this.answer(call);
    } else {
      call.patienceTimer = sim.after(this.patience.sample(this.patienceRng), this.onPatience, call);
      this.queue.push(call);
    }
  };

  private readonly onPatience = (call: Call): void => {
    call.gone = true;
    call.patienceTimer = null;
    this.abandoned++;
  };

  private readonly onDeparture = (): void => {
    const queue = this.queue;
    while (this.head < queue.length) {
      const call = queue[this.head++]!;
      if (call.gone) continue;
      this.sim.cancel(call.patienceTimer!);
      call.patienceTimer = null;
      this.answer(call);
      this.compactQueue();
      return;
    }
    this.free++;
    this.compactQueue();
  };

  private answer(call: Call): void {
    call.gone = true;
    this.answered++;
    this.sim.after(this.talk.sample(this.talkRng), this.onDeparture, call);
  }

  /** Drops the consumed front of the queue now and then, so it does not grow all day. */
  private compactQueue(): void {
    if (this.head > 4096 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
  }
}

/** Runs the model to the end (arrivals stop at `duration`, then the system drains). */
export function runKernelModel(p: MmcParams): MmcResult {
  const model = new KernelModel(p);
  model.start();
  model.sim.run();
  return {
    calls: model.calls,
    answered: model.answered,
    abandoned: model.abandoned,
    events: model.sim.events,
    endTime: model.sim.now(),
  };
}
