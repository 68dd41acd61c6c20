// A full garbage collection on demand, without having to start Node with --expose-gc.

import v8 from 'node:v8';
import vm from 'node:vm';

/** A collection before each timed run, so that a run pays for its own garbage, not the previous one's. */
export function exposeGc(): () => void {
  v8.setFlagsFromString('--expose-gc');
  const gc: unknown = vm.runInNewContext('gc');
  return typeof gc === 'function' ? (gc as () => void) : () => {};
}
