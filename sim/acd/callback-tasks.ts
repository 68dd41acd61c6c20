// Outbound callbacks waiting for an agent: voice messages left in the IVR and answers an
// agent promised (seed 003). Tasks wait in the order they became due; a task whose attempt
// failed waits again after the retry interval. Agents take them only when no inbound call
// waits (inbound first, seed 003).

export class CallbackTask {
  attempts = 0;
  /** When the callee answered (NaN until then). */
  reached = NaN;
  /** When the task may next be attempted. */
  readyAt: number;
  constructor(
    readonly id: number,
    readonly caller: number,
    readonly reason: 'voicemail' | 'promised',
    readonly created: number,
    readonly due: number,
  ) {
    this.readyAt = created;
  }
}

export class CallbackTasks {
  private readonly waiting: CallbackTask[] = [];
  private head = 0;

  get size(): number {
    return this.waiting.length - this.head;
  }

  /** A task that may be attempted now. */
  add(task: CallbackTask): void {
    this.waiting.push(task);
  }

  /** The task waiting longest, removed. */
  take(): CallbackTask | undefined {
    if (this.head >= this.waiting.length) return undefined;
    const t = this.waiting[this.head++];
    if (this.head > 256 && this.head * 2 > this.waiting.length) {
      this.waiting.splice(0, this.head);
      this.head = 0;
    }
    return t;
  }
}
