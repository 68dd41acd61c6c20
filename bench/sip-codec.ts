// Throughput of the SIP codec on the messages of calls (sim/sip/call-messages.ts): parse,
// serialize and parse+serialize per message type and for the calls' mix, beside a reference
// measured in the same process (JSON round trip of the same messages). The messages are those
// of 100 distinct concurrent calls, interleaved, so that nothing a codec might remember from
// one message helps with the next more than it would in a busy simulated day. Rates are per
// second of this process's CPU time. A measuring script, not a test (no timing assertions);
// it reads the clock, so it lives in bench/.
// Run: node dist/bench/sip-codec.js [--seconds 0.4] [--reps 3] [--mix-only] [--json] [ITERATIONS]
// `npm run bench` runs it in a child process through runCodecBench (bench/run.ts).

import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { parse, serialize } from '../sim/sip/codec.js';
import { CALL_MESSAGES, CALL_SEQUENCE, callKinds, interleavedCalls } from '../sim/sip/call-messages.js';
import { callId, cseq, from, to, topVia } from '../sim/sip/headers.js';
import type { SipMessage } from '../sim/sip/message.js';
import type { Outcome } from './children.js';
import { exposeGc } from './gc.js';

/** Messages per CPU second of one operation: median over the repetitions, and the spread. */
export interface CodecRate {
  readonly median: number;
  readonly min: number;
  readonly max: number;
}

export interface CodecTypeFigures {
  readonly label: string;
  readonly bytes: number;
  readonly parse: CodecRate;
  readonly serialize: CodecRate;
  readonly parseSerialize: CodecRate;
}

export interface CodecBenchRun {
  readonly node: string;
  readonly reps: number;
  /** CPU seconds each figure of each repetition ran for (0 when a fixed iteration count was asked). */
  readonly seconds: number;
  /** Empty when only the mix was measured. */
  readonly perType: readonly CodecTypeFigures[];
  readonly mix: {
    /** Messages in one call (CALL_SEQUENCE) and their total size in bytes; the mix holds `calls` such calls. */
    readonly messages: number;
    readonly bytes: number;
    readonly calls: number;
    readonly parse: CodecRate;
    readonly serialize: CodecRate;
    readonly parseSerialize: CodecRate;
    /** Parse + serialize + what the transaction and dialog layers read (topVia, cseq, callId, from, to). */
    readonly parseSerializeAccessors: CodecRate;
    /** The reference: JSON.stringify(JSON.parse(json)) of the same messages as JSON text. */
    readonly reference: CodecRate;
    /** Codec parse+serialize msg/s over reference msg/s, paired per repetition (median, spread). */
    readonly ratio: CodecRate;
  };
}

/** Sink for results, so that the JIT cannot drop the work being measured. */
let sink = 0;

function spread(xs: readonly number[]): CodecRate {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  const median = s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
  return { median, min: s[0]!, max: s[s.length - 1]! };
}

/**
 * Messages per second of `step`, which handles `perStep` messages: run for `seconds` (or
 * exactly `iterations` messages' worth when given), in batches so the clock is read rarely.
 * The clock is this process's CPU time (process.cpuUsage, all its threads, the collector's
 * included), not the wall: on a shared machine the time slices other processes take would
 * otherwise count against whichever figure they happened to fall in.
 */
function measure(step: () => void, perStep: number, seconds: number, iterations: number | undefined): number {
  const batch = Math.max(1, Math.round(200 / perStep));
  const start = process.cpuUsage();
  const cpuSeconds = (): number => {
    const d = process.cpuUsage(start);
    return (d.user + d.system) / 1e6;
  };
  let done = 0;
  if (iterations !== undefined) {
    const steps = Math.max(1, Math.round(iterations / perStep));
    for (let i = 0; i < steps; i++) step();
    done = steps;
  } else {
    do {
      for (let i = 0; i < batch; i++) step();
      done += batch;
    } while (cpuSeconds() < seconds);
  }
  return (done * perStep) / cpuSeconds();
}

interface Case {
  readonly step: () => void;
  readonly perStep: number;
}

/** One message parsed, serialized, and both, by index into `texts`. */
function cases(texts: readonly string[]): { parse: Case; serialize: Case; parseSerialize: Case; accessors: Case; reference: Case } {
  const messages: SipMessage[] = texts.map((t) => parse(t));
  const json = messages.map((m) => JSON.stringify(m));
  const n = texts.length;
  return {
    parse: { perStep: n, step: () => { for (const t of texts) sink += parse(t).headers.length; } },
    serialize: { perStep: n, step: () => { for (const m of messages) sink += serialize(m).length; } },
    parseSerialize: { perStep: n, step: () => { for (const t of texts) sink += serialize(parse(t)).length; } },
    accessors: {
      perStep: n,
      step: () => {
        for (const t of texts) {
          const m = parse(t);
          sink += serialize(m).length + (topVia(m)?.branch?.length ?? 0) + (cseq(m)?.seq ?? 0) + (callId(m)?.length ?? 0);
          sink += (from(m)?.tag?.length ?? 0) + (to(m)?.uri.length ?? 0);
        }
      },
    },
    // The reference does the same round trip (text -> objects -> text) of the same messages
    // (start line, header list, body) with a grammar V8 implements in C++: the floor of what
    // turning this data from text into JS objects and back costs in this process, with the
    // same allocation of strings and objects but no SIP grammar and no validation. A copy
    // alone (Buffer.from + toString of the wire text) would only measure memcpy, which
    // says nothing about how far the codec is from what a JS parser can do.
    reference: { perStep: n, step: () => { for (const j of json) sink += JSON.stringify(JSON.parse(j) as SipMessage).length; } },
  };
}

/** Calls whose messages make up the mix, and each message type's set. */
const CALLS = 100;

export interface CodecBenchOptions {
  readonly reps: number;
  readonly seconds: number;
  /** Fixed number of messages per figure instead of a time budget. */
  readonly iterations?: number;
  /** Measure each message type too, not only the call mix (default true). */
  readonly perType?: boolean;
}

/** Runs every figure `reps` times, in-process. */
export function measureCodec(o: CodecBenchOptions): CodecBenchRun {
  // No forced collection before each figure: a full GC shrinks the young generation, and the
  // next short figure would then pay for regrowing it, which a long simulated day never does.
  // One collection after the warm-up instead; every figure pays for its own scavenges.
  const run = (c: Case): number => measure(c.step, c.perStep, o.seconds, o.iterations);
  const kinds = o.perType === false ? [] : Array.from({ length: CALLS }, (_, n) => callKinds(n));
  const types = o.perType === false ? [] : CALL_MESSAGES.map((m, i) => ({ label: m.label, bytes: Buffer.byteLength(m.text), c: cases(kinds.map((k) => k[i]!.text)) }));
  const mix = cases(interleavedCalls(CALLS));
  // warm up every path once, so that the first measured figure is not the JIT's
  for (const c of [...types.map((t) => t.c), mix]) for (const k of [c.parse, c.serialize, c.parseSerialize, c.accessors, c.reference]) measure(k.step, k.perStep, 0.05, undefined);
  exposeGc()();

  const typeRates = types.map(() => ({ parse: [] as number[], serialize: [] as number[], parseSerialize: [] as number[] }));
  const mixRates = { parse: [] as number[], serialize: [] as number[], parseSerialize: [] as number[], accessors: [] as number[], reference: [] as number[], ratio: [] as number[] };
  for (let r = 0; r < o.reps; r++) {
    types.forEach((t, i) => {
      const into = typeRates[i]!;
      into.parse.push(run(t.c.parse));
      into.serialize.push(run(t.c.serialize));
      into.parseSerialize.push(run(t.c.parseSerialize));
    });
    mixRates.parse.push(run(mix.parse));
    mixRates.serialize.push(run(mix.serialize));
    mixRates.accessors.push(run(mix.accessors));
    // codec and reference in short alternating slices (ABBA...), so that a change in the
    // machine's load hits both alike; the repetition's ratio compares their mean rates
    const slices = 8;
    let codec = 0;
    let ref = 0;
    for (let j = 0; j < slices; j++) {
      const codecFirst = j % 4 === 0 || j % 4 === 3;
      const a = measure((codecFirst ? mix.parseSerialize : mix.reference).step, mix.parseSerialize.perStep, o.seconds / slices, o.iterations);
      const b = measure((codecFirst ? mix.reference : mix.parseSerialize).step, mix.parseSerialize.perStep, o.seconds / slices, o.iterations);
      codec += (codecFirst ? a : b) / slices;
      ref += (codecFirst ? b : a) / slices;
    }
    mixRates.parseSerialize.push(codec);
    mixRates.reference.push(ref);
    mixRates.ratio.push(codec / ref);
  }
  if (sink === 0.5) process.stderr.write(''); // keeps `sink` observable
  return {
    node: process.version,
    reps: o.reps,
    seconds: o.iterations === undefined ? o.seconds : 0,
    perType: types.map((t, i) => ({
      label: t.label,
      bytes: t.bytes,
      parse: spread(typeRates[i]!.parse),
      serialize: spread(typeRates[i]!.serialize),
      parseSerialize: spread(typeRates[i]!.parseSerialize),
    })),
    mix: {
      messages: CALL_SEQUENCE.length,
      bytes: CALL_SEQUENCE.reduce((s, t) => s + Buffer.byteLength(t), 0),
      calls: CALLS,
      parse: spread(mixRates.parse),
      serialize: spread(mixRates.serialize),
      parseSerialize: spread(mixRates.parseSerialize),
      parseSerializeAccessors: spread(mixRates.accessors),
      reference: spread(mixRates.reference),
      ratio: spread(mixRates.ratio),
    },
  };
}

/** The call mix's figures measured in a fresh Node (its own JIT and heap), as `npm run bench` wants them. */
export function runCodecBench(reps: number, seconds = 0.15, timeoutMs = 300_000): Outcome<CodecBenchRun> {
  const script = fileURLToPath(import.meta.url);
  const child = spawnSync(process.execPath, [script, '--json', '--mix-only', `--reps=${reps}`, `--seconds=${seconds}`], { encoding: 'utf8', timeout: timeoutMs, maxBuffer: 16 << 20 });
  if (child.error) return { ok: false, reason: `dist/bench/sip-codec.js: ${child.error.message}` };
  if (child.signal) return { ok: false, reason: `dist/bench/sip-codec.js: killed by ${child.signal}` };
  if (child.status !== 0) return { ok: false, reason: `dist/bench/sip-codec.js: exit ${child.status}: ${child.stderr.trim().split('\n')[0] ?? ''}` };
  try {
    return { ok: true, run: JSON.parse(child.stdout.trim().split('\n').pop() ?? '') as CodecBenchRun };
  } catch {
    return { ok: false, reason: 'dist/bench/sip-codec.js: no JSON on stdout' };
  }
}

const k = (x: number): string => (x >= 1e6 ? `${(x / 1e6).toFixed(2)} M` : `${(x / 1e3).toFixed(1)} k`);

/** The figures as a table (msg/s, medians, and the spread of the mix's round trip). */
export function formatCodecRun(r: CodecBenchRun): string {
  const lines: string[] = [];
  const row = (label: string, bytes: string, a: CodecRate, b: CodecRate, c: CodecRate): void =>
    void lines.push(`${label.padEnd(24)}${bytes.padStart(7)}${k(a.median).padStart(12)}${k(b.median).padStart(12)}${k(c.median).padStart(12)}`);
  lines.push(`SIP codec, messages per CPU second (median of ${r.reps}; node ${r.node})`);
  lines.push(`${'message'.padEnd(24)}${'bytes'.padStart(7)}${'parse'.padStart(12)}${'serialize'.padStart(12)}${'parse+ser.'.padStart(12)}`);
  for (const t of r.perType) row(t.label, String(t.bytes), t.parse, t.serialize, t.parseSerialize);
  row(`mix, ${r.mix.calls} x ${r.mix.messages} msgs`, String(Math.round(r.mix.bytes / r.mix.messages)), r.mix.parse, r.mix.serialize, r.mix.parseSerialize);
  const m = r.mix;
  lines.push(`mix, parse + serialize + topVia/cseq/callId/from/to: ${k(m.parseSerializeAccessors.median)} msg/s`);
  lines.push(`reference, JSON.stringify(JSON.parse()) of the same messages: ${k(m.reference.median)} msg/s`);
  lines.push(`codec / reference: ${m.ratio.median.toFixed(2)} (${m.ratio.min.toFixed(2)} .. ${m.ratio.max.toFixed(2)}); mix parse+serialize spread ${k(m.parseSerialize.min)} .. ${k(m.parseSerialize.max)}`);
  return lines.join('\n');
}

function main(): void {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      reps: { type: 'string', default: '3' },
      seconds: { type: 'string', default: '0.4' },
      json: { type: 'boolean', default: false },
      'mix-only': { type: 'boolean', default: false },
    },
  });
  const reps = Number(values.reps);
  const seconds = Number(values.seconds);
  const iterations = positionals[0] === undefined ? undefined : Number(positionals[0]);
  if (!(Number.isInteger(reps) && reps > 0) || !(seconds > 0) || (iterations !== undefined && !(Number.isInteger(iterations) && iterations > 0))) {
    process.stderr.write('usage: node dist/bench/sip-codec.js [--reps N] [--seconds S] [--mix-only] [--json] [ITERATIONS]\n');
    process.exit(2);
  }
  const r = measureCodec({ reps, seconds, perType: !values['mix-only'], ...(iterations === undefined ? {} : { iterations }) });
  process.stdout.write(values.json ? `${JSON.stringify(r)}\n` : `${formatCodecRun(r)}\n`);
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) main();
