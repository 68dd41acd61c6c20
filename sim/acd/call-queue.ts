// A first-in first-out queue of waiting calls. A caller who abandons stays in place as a
// ghost: when the ghost reaches the head at a moment an agent is free, that moment is when
// the caller would have been served, which gives the virtual wait (the wait of an
// infinitely patient caller) without a second simulation. Removal is therefore O(1).

export interface Queued {
  /** Set when the caller hung up; the entry then stays only as a ghost. */
  gone: boolean;
}

export class CallQueue<T extends Queued> {
  private items: (T | undefined)[] = [];
  private head = 0;
  private waitingCount = 0;

  /** Callers really waiting (ghosts excluded). */
  get waiting(): number {
    return this.waitingCount;
  }

  /** Entries including ghosts. */
  get length(): number {
    return this.items.length - this.head;
  }

  push(item: T): void {
    this.items.push(item);
    this.waitingCount++;
  }

  /** Puts a caller back at the head (an agent let the call ring out). */
  pushFront(item: T): void {
    if (this.head > 0) this.items[--this.head] = item;
    else this.items.unshift(item);
    this.waitingCount++;
  }

  /** Marks a waiting caller as gone (abandoned); it stays as a ghost. */
  abandon(item: T): void {
    if (item.gone) return;
    item.gone = true;
    this.waitingCount--;
  }

  peek(): T | undefined {
    return this.head < this.items.length ? this.items[this.head] : undefined;
  }

  shift(): T | undefined {
    if (this.head >= this.items.length) return undefined;
    const item = this.items[this.head];
    this.items[this.head++] = undefined;
    if (item !== undefined && !item.gone) this.waitingCount--;
    // Reclaim the consumed prefix now and then; amortised O(1).
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return item;
  }
}
