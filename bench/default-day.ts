// Child process of the bench (`node dist/bench/default-day.js --reps 3`): the default
// scenario of `callsim run` (scenarios/12333-province.yaml, IVR and ten centers) loaded with
// `loadScenario` and simulated with `simulateOnce(scenario, scenario.seed)`, `reps` times in
// a row (a full garbage collection before each). Prints one line of JSON (a DefaultDayRun).
// A process of its own, so the bench's other figures never share a JIT with this model.

import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { simulateOnce } from '../sim/metrics/simulate.js';
import { loadScenario } from '../sim/scenario/load.js';
import { exposeGc } from './gc.js';

/** The repository's default scenario, whatever the working directory (this file runs from dist/bench/). */
export const DEFAULT_SCENARIO_FILE = fileURLToPath(new URL('../../scenarios/12333-province.yaml', import.meta.url));

export interface DefaultDayRun {
  readonly file: string;
  readonly name: string;
  readonly seed: number;
  /** Simulated seconds of arrivals (the scenario's duration). */
  readonly duration: number;
  /** Wall seconds of loadScenario (YAML, menu file, validation), cold. */
  readonly loadSeconds: number;
  /** Wall seconds of each simulateOnce, in order (the first is cold). */
  readonly wallSeconds: readonly number[];
  /** Calls offered (redials included), answered, abandoned, kernel events: the same every run. */
  readonly calls: number;
  readonly answered: number;
  readonly abandoned: number;
  readonly events: number;
}

function main(): void {
  const { values } = parseArgs({ options: { reps: { type: 'string', default: '3' }, file: { type: 'string', default: DEFAULT_SCENARIO_FILE } } });
  const reps = Number(values.reps);
  if (!(Number.isInteger(reps) && reps > 0)) throw new RangeError(`--reps must be a positive integer, got "${values.reps}"`);
  const gc = exposeGc();

  let start = performance.now();
  const scenario = loadScenario(values.file);
  const loadSeconds = (performance.now() - start) / 1000;

  const wallSeconds: number[] = [];
  let counts = { calls: 0, answered: 0, abandoned: 0, events: 0 };
  for (let i = 0; i < reps; i++) {
    gc();
    start = performance.now();
    const rep = simulateOnce(scenario, scenario.seed);
    wallSeconds.push((performance.now() - start) / 1000);
    const c = rep.collector.counters;
    counts = { calls: c.offered, answered: c.answered, abandoned: c.abandoned, events: rep.events };
    rep.collector.destroy();
  }
  const run: DefaultDayRun = { file: values.file, name: scenario.name, seed: scenario.seed, duration: scenario.duration, loadSeconds, wallSeconds, ...counts };
  process.stdout.write(JSON.stringify(run) + '\n');
}

try {
  main();
} catch (e) {
  // One message, no stack: the bench shows it as the reason this figure was not measured.
  process.stderr.write(`default-day: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
}
