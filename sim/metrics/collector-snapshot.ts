// A metrics object graph (a MetricsCollector and everything it holds) as plain data that
// survives structured cloning, so that a replication run on a worker thread comes back to
// the main thread as an equal collector. The codec walks every own field of every object,
// so a field added to a metrics class later travels without anyone touching this file;
// HDR histograms travel as their compressed encoding. What the walker cannot carry (a
// class nobody registered, a function, a hidden property) is an error naming its path at
// snapshot time, never a field silently dropped. `#private` fields are invisible to any
// walker: metrics classes use TypeScript's `private` instead.

import { decodeHistogram, encodeHistogram, isHistogram } from './duration-metric.js';

/** One value in a snapshot. Objects are numbered so that shared ones stay shared. */
export type SnapshotNode =
  | number
  | string
  | boolean
  | null
  | undefined
  | { readonly k: 'ref'; readonly id: number }
  | { readonly k: 'object'; readonly id: number; readonly type: string; readonly fields: Readonly<Record<string, SnapshotNode>> }
  | { readonly k: 'array'; readonly id: number; readonly items: readonly SnapshotNode[] }
  | { readonly k: 'map'; readonly id: number; readonly entries: readonly (readonly [SnapshotNode, SnapshotNode])[] }
  | { readonly k: 'set'; readonly id: number; readonly values: readonly SnapshotNode[] }
  | { readonly k: 'typed'; readonly id: number; readonly data: ArrayBufferView }
  | { readonly k: 'histogram'; readonly id: number; readonly encoded: string }
  /** A root field left out, which the caller gives again on restore. */
  | { readonly k: 'given' };

/** A snapshot: structured-cloneable (postMessage, piscina results), holds no WebAssembly memory. */
export interface Snapshot {
  readonly format: 1;
  readonly root: SnapshotNode;
}

/** A class whose instances may be in a snapshot; plain objects, arrays, Maps, Sets and typed arrays need none. */
export type SnapshotClass = abstract new (...args: never[]) => object;

/** Thrown when a value cannot travel in a snapshot: names the path and the fix. */
export class SnapshotError extends Error {
  override readonly name = 'SnapshotError';
}

const PLAIN = 'Object';

function typeName(types: readonly SnapshotClass[], proto: object | null, path: string): string {
  if (proto === Object.prototype) return PLAIN;
  const cls = types.find((c) => c.prototype === proto);
  if (cls) return cls.name;
  const name = (proto as { constructor?: { name?: string } } | null)?.constructor?.name ?? 'null-prototype object';
  throw new SnapshotError(`${path}: cannot snapshot a ${name}; add the class to the snapshot types (SNAPSHOT_TYPES in collector.ts) or keep plain data`);
}

/** `root` as plain data; `omit` names root fields left out (the caller supplies them again on restore). */
export function encodeSnapshot(root: object, types: readonly SnapshotClass[], omit: readonly string[] = []): Snapshot {
  const ids = new Map<object, number>();
  const encode = (v: unknown, path: string): SnapshotNode => {
    if (v === null || v === undefined || typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') return v;
    if (typeof v !== 'object') throw new SnapshotError(`${path}: cannot snapshot a ${typeof v}`);
    const known = ids.get(v);
    if (known !== undefined) return { k: 'ref', id: known };
    const id = ids.size;
    ids.set(v, id);
    if (isHistogram(v)) return { k: 'histogram', id, encoded: encodeHistogram(v) };
    if (ArrayBuffer.isView(v)) return { k: 'typed', id, data: copyView(v) };
    if (Array.isArray(v)) return { k: 'array', id, items: v.map((x, i) => encode(x, `${path}[${i}]`)) };
    if (v instanceof Map) {
      return { k: 'map', id, entries: [...v].map(([key, x]) => [encode(key, `${path}.keys()`), encode(x, `${path}.get(${String(key)})`)] as const) };
    }
    if (v instanceof Set) return { k: 'set', id, values: [...v].map((x) => encode(x, `${path}.values()`)) };
    const type = typeName(types, Object.getPrototypeOf(v) as object | null, path);
    const keys = Object.keys(v);
    if (Object.getOwnPropertyNames(v).length !== keys.length || Object.getOwnPropertySymbols(v).length > 0) {
      const hidden = Object.getOwnPropertyNames(v).filter((key) => !keys.includes(key));
      throw new SnapshotError(`${path}: ${type} has non-enumerable or symbol properties (${hidden.join(', ') || 'symbols'}) a snapshot would drop`);
    }
    const fields: Record<string, SnapshotNode> = {};
    for (const key of keys) {
      fields[key] = id === 0 && omit.includes(key) ? { k: 'given' } : encode((v as Record<string, unknown>)[key], `${path}.${key}`);
    }
    return { k: 'object', id, type, fields };
  };
  return { format: 1, root: encode(root, typeName(types, Object.getPrototypeOf(root) as object | null, 'root')) };
}

function copyView(v: ArrayBufferView): ArrayBufferView {
  if (v instanceof DataView) return new DataView(v.buffer.slice(v.byteOffset, v.byteOffset + v.byteLength));
  return (v as unknown as { slice(): ArrayBufferView }).slice();
}

/** The object graph of a snapshot, with its classes' prototypes and fresh histograms; `given` holds the root fields left out. */
export function decodeSnapshot(snapshot: Snapshot, types: readonly SnapshotClass[], given: Readonly<Record<string, unknown>> = {}): unknown {
  if (snapshot.format !== 1) throw new SnapshotError(`unknown snapshot format ${String(snapshot.format)}`);
  const byName = new Map(types.map((c) => [c.name, c.prototype as object]));
  const objects = new Map<number, unknown>();
  const decode = (n: SnapshotNode): unknown => {
    if (n === null || typeof n !== 'object') return n;
    switch (n.k) {
      case 'given':
        throw new SnapshotError('a left-out field outside the root object');
      case 'ref':
        if (!objects.has(n.id)) throw new SnapshotError(`snapshot refers to object ${n.id} before it is defined`);
        return objects.get(n.id);
      case 'histogram':
        return keep(n.id, decodeHistogram(n.encoded));
      case 'typed':
        return keep(n.id, copyView(n.data));
      case 'array': {
        const out = keep(n.id, [] as unknown[]);
        for (const x of n.items) out.push(decode(x));
        return out;
      }
      case 'map': {
        const out = keep(n.id, new Map<unknown, unknown>());
        for (const [key, x] of n.entries) out.set(decode(key), decode(x));
        return out;
      }
      case 'set': {
        const out = keep(n.id, new Set<unknown>());
        for (const x of n.values) out.add(decode(x));
        return out;
      }
      case 'object': {
        const proto = n.type === PLAIN ? Object.prototype : byName.get(n.type);
        if (proto === undefined) throw new SnapshotError(`snapshot holds a ${n.type}, which is not among the snapshot types`);
        // No constructor runs: the fields are the object's whole state.
        const out = keep(n.id, Object.create(proto) as Record<string, unknown>);
        for (const [key, x] of Object.entries(n.fields)) {
          if (x !== null && typeof x === 'object' && x.k === 'given') {
            if (n.id !== 0 || !(key in given)) throw new SnapshotError(`restoring a snapshot needs the field \`${key}\``);
            out[key] = given[key];
          } else {
            out[key] = decode(x);
          }
        }
        return out;
      }
    }
  };
  const keep = <T>(id: number, value: T): T => {
    objects.set(id, value);
    return value;
  };
  return decode(snapshot.root);
}
