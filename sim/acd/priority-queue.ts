// A center's waiting calls in priority lanes: a lower priority number is served first
// (complaints before general questions), first-in first-out within a lane. Each lane keeps
// abandoned callers as ghosts (see call-queue.ts), so virtual waits stay exact per lane.

import { CallQueue, type Queued } from './call-queue.js';

export class PriorityCallQueue<T extends Queued> {
  /** Lanes sorted by priority, lowest number first. */
  private readonly lanes: { priority: number; queue: CallQueue<T> }[] = [];

  /** Callers really waiting, all lanes. */
  get waiting(): number {
    let n = 0;
    for (const l of this.lanes) n += l.queue.waiting;
    return n;
  }

  push(item: T, priority: number): void {
    this.lane(priority).push(item);
  }

  /** Back to the head of its lane (after a ring-no-answer). */
  pushFront(item: T, priority: number): void {
    this.lane(priority).pushFront(item);
  }

  private lane(priority: number): CallQueue<T> {
    let lane = this.lanes.find((l) => l.priority === priority);
    if (!lane) {
      lane = { priority, queue: new CallQueue<T>() };
      this.lanes.push(lane);
      this.lanes.sort((a, b) => a.priority - b.priority);
    }
    return lane.queue;
  }

  abandon(item: T, priority: number): void {
    this.lanes.find((l) => l.priority === priority)?.queue.abandon(item);
  }

  /**
   * The next entry to serve: the head of the first lane that has one (ghosts included, so
   * the caller can release them), or undefined. The same lane is returned until emptied.
   */
  peek(): T | undefined {
    for (const l of this.lanes) {
      const head = l.queue.peek();
      if (head !== undefined) return head;
    }
    return undefined;
  }

  shift(): T | undefined {
    for (const l of this.lanes) {
      if (l.queue.length > 0) return l.queue.shift();
    }
    return undefined;
  }
}
