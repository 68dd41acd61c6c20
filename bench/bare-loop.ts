// M/M/c+M as a bare hand-written event loop: the reference for what the kernel could cost.
// One function, a binary min-heap of (time, seq) kept in typed arrays, events as small
// integers (no callbacks, no event objects), lazy cancellation by a state check when a
// patience timer pops. It draws from the same RandomStreams, in the same order, as
// kernel-model.ts, so both pay the same for randomness and, for a seed, simulate exactly
// the same calls: any difference in speed is the event machinery.

import { RandomStreams } from '../sim/kernel/random.js';
import type { MmcParams, MmcResult } from './mmc.js';

const ARRIVAL = 0;
const DEPARTURE = 1;
const PATIENCE = 2;

export function runBareLoop(p: MmcParams): MmcResult {
  const streams = new RandomStreams(p.seed);
  const arrivalRng = streams.stream('arrivals');
  const talkRng = streams.stream('talk');
  const patienceRng = streams.stream('patience');
  const meanInter = 1 / p.rate;
  const meanTalk = p.talk;
  const meanPatience = p.patience;
  const duration = p.duration;

  // The heap: entry i is (times[i], seqs[i]) -> what[i] = call * 4 + kind.
  let cap = 1024;
  let times = new Float64Array(cap);
  let seqs = new Float64Array(cap);
  let what = new Int32Array(cap);
  let size = 0;
  let seq = 0;

  const push = (t: number, w: number): void => {
    if (size === cap) {
      cap *= 2;
      const t2 = new Float64Array(cap);
      t2.set(times);
      times = t2;
      const s2 = new Float64Array(cap);
      s2.set(seqs);
      seqs = s2;
      const w2 = new Int32Array(cap);
      w2.set(what);
      what = w2;
    }
    const s = seq++;
    let i = size++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const pt = times[parent]!;
      if (pt < t || (pt === t && seqs[parent]! < s)) break;
      times[i] = pt;
      seqs[i] = seqs[parent]!;
      what[i] = what[parent]!;
      i = parent;
    }
    times[i] = t;
    seqs[i] = s;
    what[i] = w;
  };

  // Removes the top; the caller has read it first.
  const removeTop = (): void => {
    const n = --size;
    if (n === 0) return;
    const t = times[n]!;
    const s = seqs[n]!;
    const w = what[n]!;
    let i = 0;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= n) break;
      const r = c + 1;
      if (r < n && (times[r]! < times[c]! || (times[r] === times[c] && seqs[r]! < seqs[c]!))) c = r;
      const ct = times[c]!;
      if (t < ct || (t === ct && s < seqs[c]!)) break;
      times[i] = ct;
      seqs[i] = seqs[c]!;
      what[i] = what[c]!;
      i = c;
    }
    times[i] = t;
    seqs[i] = s;
    what[i] = w;
  };

  // Calls: waiting[id] is 1 while the call sits in the queue (a FIFO of ids).
  let waiting = new Uint8Array(1024);
  let queue = new Int32Array(1024);
  let qHead = 0;
  let qTail = 0;

  let free = p.agents;
  let calls = 0;
  let answered = 0;
  let abandoned = 0;
  let events = 0;
  let now = 0;

  push(-meanInter * Math.log(arrivalRng.nextOpen()), ARRIVAL);
  while (size > 0) {
    const t = times[0]!;
    const w = what[0]!;
    removeTop();
    const kind = w & 3;
    // A patience timer whose call was answered is a cancelled event: dropped unfired.
    if (kind === PATIENCE && waiting[w >> 2] !== 1) continue;
    now = t;
    events++;
    if (kind === ARRIVAL) {
      const id = calls++;
      const next = now + -meanInter * Math.log(arrivalRng.nextOpen());
      if (next < duration) push(next, ARRIVAL);
      if (free > 0) {
        free--;
        answered++;
        push(now + -meanTalk * Math.log(talkRng.nextOpen()), DEPARTURE);
      } else {
        if (id >= waiting.length) {
          const w2 = new Uint8Array(waiting.length * 2);
          w2.set(waiting);
          waiting = w2;
        }
        waiting[id] = 1;
        push(now + -meanPatience * Math.log(patienceRng.nextOpen()), id * 4 + PATIENCE);
        if (qTail === queue.length) {
          // Slide the live part to the front, or grow.
          const live = qTail - qHead;
          if (live * 2 < queue.length) {
            queue.copyWithin(0, qHead, qTail);
          } else {
            const q2 = new Int32Array(queue.length * 2);
            q2.set(queue.subarray(qHead, qTail));
            queue = q2;
          }
          qHead = 0;
          qTail = live;
        }
        queue[qTail++] = id;
      }
    } else if (kind === DEPARTURE) {
      let next = -1;
      while (qHead < qTail) {
        const id = queue[qHead++]!;
        if (waiting[id] === 1) {
          next = id;
          break;
        }
      }
      if (next >= 0) {
        waiting[next] = 0; // its patience timer is now dead: skipped when it pops
        answered++;
        push(now + -meanTalk * Math.log(talkRng.nextOpen()), DEPARTURE);
      } else {
        free++;
      }
    } else {
      waiting[w >> 2] = 0;
      abandoned++;
    }
  }
  return { calls, answered, abandoned, events, endTime: now };
}
