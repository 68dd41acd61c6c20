// A table of calls by Call-ID and tag (a dialog's identifiers, RFC 3261 §12), for the user
// agent. Keyed by the Call-ID alone, with the tag compared on the entry found: building a
// `callId|tag` string for every message would cost a concatenation, its flattening and its
// hashing, on the busiest path of an in-memory SIP day. Calls sharing a Call-ID (forks, a
// user agent calling itself) chain behind the first one.

interface Entry<V> {
  readonly tag: string;
  value: V;
  next: Entry<V> | null;
}

export class DialogTable<V> {
  private readonly byCallId = new Map<string, Entry<V>>();
  private count = 0;

  get size(): number {
    return this.count;
  }

  get(callId: string, tag: string): V | undefined {
    for (let e = this.byCallId.get(callId) ?? null; e !== null; e = e.next) {
      if (e.tag === tag) return e.value;
    }
    return undefined;
  }

  /** Adds the value, or replaces the one with the same Call-ID and tag. */
  set(callId: string, tag: string, value: V): void {
    const head = this.byCallId.get(callId);
    for (let e = head ?? null; e !== null; e = e.next) {
      if (e.tag === tag) {
        e.value = value;
        return;
      }
    }
    this.count++;
    const entry: Entry<V> = { tag, value, next: null };
    if (head === undefined) this.byCallId.set(callId, entry);
    else {
      let last = head;
      while (last.next !== null) last = last.next;
      last.next = entry;
    }
  }

  /** Removes the entry for this Call-ID and tag if it holds `value`. */
  delete(callId: string, tag: string, value: V): void {
    const head = this.byCallId.get(callId);
    let prev: Entry<V> | null = null;
    for (let e = head ?? null; e !== null; prev = e, e = e.next) {
      if (e.tag !== tag) continue;
      if (e.value !== value) return;
      this.count--;
      if (prev !== null) prev.next = e.next;
      else if (e.next !== null) this.byCallId.set(callId, e.next);
      else this.byCallId.delete(callId);
      return;
    }
  }

  /** Every value, the first of each Call-ID in the order they were added, chained ones after it. */
  values(): V[] {
    const out: V[] = [];
    for (const e of this.byCallId.values()) {
      for (let x: Entry<V> | null = e; x !== null; x = x.next) out.push(x.value);
    }
    return out;
  }
}
