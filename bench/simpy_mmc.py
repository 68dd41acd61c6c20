"""M/M/c+M in SimPy 2 (Debian's python3-simpy): the outside reference for bench/run.ts.

The same model as bench/kernel-model.ts: Poisson arrivals until `duration`, `agents`
servers (a Resource, FIFO), exponential talk, exponential patience (reneging), then the
system drains. Written the way SimPy 2's manual writes reneging, with one concession to
speed: a caller who finds a free agent makes a plain request, so that no reneging timer
process is started for it (a careful SimPy user would do the same; it gives SimPy its
best showing, which keeps our ratio honest).

Counting events. SimPy has no callbacks, only process resumptions. The model events
counted are the ones the kernel model fires, in SimPy's terms:
  arrival    - the Source resumes after its inter-arrival hold and starts a Customer;
  patience   - a Customer's reneging timer (SimPy's internal _Holder process) runs out
               and the Customer resumes without the agent (counted when it reneges);
  departure  - a Customer resumes after its talk hold and releases the agent.
SimPy needs more resumptions than that per call (a Customer is activated, then resumed
when it gets the agent, a reneging timer is a process of its own, ...): that raw number
is reported as `steps`, counted by a driver loop identical to Simulation.simulate() with
one integer add per step. Speed is compared per model event.

Usage: /usr/bin/python3 bench/simpy_mmc.py --duration 86400 --seed 1 [--agents 170 ...]
Prints one JSON object: calls, answered, abandoned, events, steps, end_time, wall_s.
"""

import argparse
import json
import random
import sys
import time

try:
    import SimPy
    from SimPy.Simulation import Process, Resource, Simulation, hold, release, request
except ImportError as error:  # not installed, or not this interpreter (e.g. pyenv)
    print(json.dumps({"error": "SimPy 2 is not importable by %s: %s" % (sys.executable, error)}))
    sys.exit(3)


class Model:
    def __init__(self, args):
        self.sim = Simulation()
        self.agents = Resource(capacity=args.agents, name="agents", sim=self.sim)
        self.rng = random.Random(args.seed)
        self.rate = args.rate
        self.talk_rate = 1.0 / args.talk
        self.patience_rate = 1.0 / args.patience
        self.duration = args.duration
        self.calls = 0
        self.answered = 0
        self.abandoned = 0


class Customer(Process):
    def visit(self, m):
        agents = m.agents
        if agents.n > 0:
            yield request, self, agents
        else:
            yield (request, self, agents), (hold, self, m.rng.expovariate(m.patience_rate))
            if not self.acquired(agents):
                m.abandoned += 1
                return
        m.answered += 1
        yield hold, self, m.rng.expovariate(m.talk_rate)
        yield release, self, agents


class Source(Process):
    def generate(self, m):
        sim = m.sim
        yield hold, self, m.rng.expovariate(m.rate)
        while True:
            m.calls += 1
            c = Customer(sim=sim)
            sim.activate(c, c.visit(m))
            gap = m.rng.expovariate(m.rate)
            if sim.now() + gap >= m.duration:
                return
            yield hold, self, gap


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rate", type=float, default=1.0)
    ap.add_argument("--agents", type=int, default=170)
    ap.add_argument("--talk", type=float, default=180.0)
    ap.add_argument("--patience", type=float, default=90.0)
    ap.add_argument("--duration", type=float, default=86400.0)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()

    start = time.perf_counter()
    m = Model(args)
    sim = m.sim
    src = Source(sim=sim)
    sim.activate(src, src.generate(m))
    # Simulation.simulate(until=inf), with a step counter.
    step = sim.step
    timestamps = sim._timestamps
    steps = 0
    while not sim._stop and timestamps:
        step()
        steps += 1
    wall = time.perf_counter() - start

    print(json.dumps({
        "calls": m.calls,
        "answered": m.answered,
        "abandoned": m.abandoned,
        # every answered call departs (the run drains), so departures == answered
        "events": m.calls + m.abandoned + m.answered,
        "steps": steps,
        "end_time": sim.now(),
        "wall_s": wall,
        "simpy": getattr(SimPy, "__version__", "2"),
        "python": sys.version.split()[0],
        "optimize": sys.flags.optimize,
    }))


if __name__ == "__main__":
    main()
