// The agents of a center who are ready for a call, and how the ACD picks one (seed 004:
// "by strategy"): the one idle longest (the default), round robin through the roster, the
// one with the fewest calls so far, or by skill (only agents with the queue's skill, the
// highest level first). Ties go to the agent idle longest.

/** How the ACD picks among ready agents. */
export type RoutingStrategy = 'longest-idle' | 'round-robin' | 'fewest-calls' | 'skills';

export interface Routable {
  /** Position in the center's roster. */
  readonly index: number;
  /** Calls answered so far. */
  readonly callsToday: number;
  readonly skills: Readonly<Record<string, number>>;
}

export class ReadyAgents<A extends Routable> {
  /** Insertion order is the order agents became ready: the first has been idle longest. */
  private readonly ready = new Set<A>();
  private lastIndex = -1;

  constructor(
    private readonly strategy: RoutingStrategy,
    private readonly rosterSize: number,
  ) {}

  get size(): number {
    return this.ready.size;
  }

  add(agent: A): void {
    this.ready.add(agent);
  }

  remove(agent: A): void {
    this.ready.delete(agent);
  }

  /**
   * The agent to offer a call to, removed from the ready set; undefined if none fits.
   * `skill`: the skill the call's queue needs (skills routing only; null = anyone).
   */
  take(skill: string | null): A | undefined {
    const agent = this.choose(skill);
    if (agent !== undefined) {
      this.ready.delete(agent);
      this.lastIndex = agent.index;
    }
    return agent;
  }

  private choose(skill: string | null): A | undefined {
    switch (this.strategy) {
      case 'longest-idle':
        return this.ready.values().next().value;
      case 'round-robin': {
        let best: A | undefined;
        let bestDistance = Infinity;
        for (const a of this.ready) {
          const distance = (a.index - this.lastIndex - 1 + this.rosterSize) % this.rosterSize;
          if (distance < bestDistance) {
            best = a;
            bestDistance = distance;
          }
        }
        return best;
      }
      case 'fewest-calls': {
        let best: A | undefined;
        for (const a of this.ready) if (best === undefined || a.callsToday < best.callsToday) best = a;
        return best;
      }
      case 'skills': {
        let best: A | undefined;
        let bestLevel = 0;
        for (const a of this.ready) {
          const level = skill === null ? 1 : (a.skills[skill] ?? 0);
          if (level > bestLevel) {
            best = a;
            bestLevel = level;
          }
        }
        return best;
      }
    }
  }
}
