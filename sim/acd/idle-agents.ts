// The agents of a center who are ready and waiting for a call, in the order they became
// ready: the head has been idle longest, which is the default routing strategy.

export class IdleAgents<T> {
  private items: (T | undefined)[] = [];
  private head = 0;

  get size(): number {
    return this.items.length - this.head;
  }

  /** An agent became ready: it goes to the back. */
  push(agent: T): void {
    this.items.push(agent);
  }

  /** The agent idle longest, removed. */
  takeLongestIdle(): T | undefined {
    if (this.head >= this.items.length) return undefined;
    const agent = this.items[this.head];
    this.items[this.head++] = undefined;
    if (this.head > 256 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return agent;
  }
}
