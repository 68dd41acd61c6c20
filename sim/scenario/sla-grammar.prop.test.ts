import test from 'ava';
import fc from 'fast-check';
import { METRICS, parseMetricName } from './metric-names.js';
import { compileSla, formatSla, OPS, plainDecimal, SlaError } from './sla-grammar.js';
import type { Aggregate, CompiledSla, Op } from './sla-grammar.js';

/** A valid SLA as text, with what it must compile to. */
interface Sample {
  metric: string;
  tokens: string[];
  want: { key: string; aggregate: Aggregate; op: Op; threshold: number };
}

const nonNeg = (max: number) => fc.double({ min: 0, max, noNaN: true, noDefaultInfinity: true }).map((x) => Math.abs(x));
const UNITS: [string, number][] = [['ms', 0.001], ['s', 1], ['m', 60], ['h', 3600], ['d', 86400], ['w', 604800]];

const durationValue = fc.oneof(
  nonNeg(1e9).map((x) => ({ text: plainDecimal(x), value: x })),
  fc.tuple(fc.nat(100_000), fc.constantFrom(...UNITS)).map(([n, [u, size]]) => ({ text: `${n}${u}`, value: n * size })),
  fc.tuple(fc.integer({ min: 1, max: 99 }), fc.integer({ min: 1, max: 59 })).map(([m, s]) => ({ text: `${m}m${s}s`, value: m * 60 + s })),
);
const plainValue = nonNeg(1e6).map((x) => ({ text: plainDecimal(x), value: x }));
const rateValue = fc.oneof(
  nonNeg(1).map((x) => ({ text: plainDecimal(x), value: x })),
  fc.integer({ min: 0, max: 100 }).map((n) => ({ text: `${n}%`, value: n / 100 })),
);
const percentile = fc.double({ min: 0, max: 100, noNaN: true }).filter((q) => q > 0);
const aggregate: fc.Arbitrary<{ text: string; agg: Aggregate }> = fc.oneof(
  fc
    .constantFrom<[string, Aggregate]>(
      ['avg', { kind: 'avg' }],
      ['mean', { kind: 'avg' }],
      ['min', { kind: 'min' }],
      ['max', { kind: 'max' }],
      ['med', { kind: 'med' }],
      ['count', { kind: 'count' }],
    )
    .map(([text, agg]) => ({ text, agg })),
  percentile.map((q) => ({ text: `p(${plainDecimal(q)})`, agg: { kind: 'p' as const, q } })),
);
const serviceLevelT = fc.integer({ min: 0, max: 3600 });

const sample: fc.Arbitrary<Sample> = fc
  .tuple(
    fc.constantFrom(...METRICS),
    fc.constantFrom(...OPS),
    aggregate,
    durationValue,
    plainValue,
    rateValue,
    fc.option(serviceLevelT),
    fc.boolean(),
  )
  .map(([info, op, agg, dv, pv, rv, t, writeRate]) => {
    if (info.kind === 'rate') {
      const metric = info.param && t !== null ? `${info.name}(${t}s)` : info.name;
      const key = parseMetricName(metric).key;
      return { metric, tokens: [...(writeRate ? ['rate'] : []), op, rv.text], want: { key, aggregate: { kind: 'rate' }, op, threshold: rv.value } };
    }
    const v = agg.agg.kind === 'count' || info.kind === 'count' ? pv : dv;
    return { metric: info.name, tokens: [agg.text, op, v.text], want: { key: info.name, aggregate: agg.agg, op, threshold: v.value } };
  });

const essence = (c: CompiledSla) => ({ metric: c.metric, aggregate: c.aggregate, op: c.op, threshold: c.threshold });

/** Compiles, or throws an SlaError that points inside its input; anything else is a bug. */
function compileOrSlaError(metric: string, expr: string): CompiledSla | SlaError {
  try {
    return compileSla(metric, expr);
  } catch (e) {
    if (!(e instanceof SlaError)) throw new Error(`${JSON.stringify(metric)} ${JSON.stringify(expr)}: threw ${String(e)}`);
    const input = e.target === 'metric' ? metric : expr;
    if (e.input !== input) throw new Error(`input ${JSON.stringify(e.input)} is not the ${e.target}`);
    if (!(Number.isInteger(e.offset) && e.offset >= 0 && e.offset <= input.length)) {
      throw new Error(`offset ${e.offset} outside ${JSON.stringify(input)}`);
    }
    if (e.message === '' || !e.message.startsWith(e.reason)) throw new Error(`message ${JSON.stringify(e.message)}`);
    return e;
  }
}

test('generated valid expressions compile to what they say', (t) => {
  t.notThrows(() =>
    fc.assert(
      fc.property(sample, (s) => {
        const c = compileSla(s.metric, s.tokens.join(' '));
        const got = { key: c.metric.key, aggregate: c.aggregate, op: c.op, threshold: c.threshold };
        return JSON.stringify(got) === JSON.stringify(s.want);
      }),
      { numRuns: 2000 },
    ),
  );
});

test('whitespace between tokens changes nothing', (t) => {
  const ws = fc.stringMatching(/^[ \t\n]{0,3}$/);
  t.notThrows(() =>
    fc.assert(
      fc.property(sample, fc.array(ws, { minLength: 4, maxLength: 4 }), (s, gaps) => {
        const spaced = s.tokens.map((tok, i) => gaps[i] + tok).join('') + gaps[3];
        return JSON.stringify(essence(compileSla(s.metric, spaced))) === JSON.stringify(essence(compileSla(s.metric, s.tokens.join(' '))));
      }),
    ),
  );
});

test('formatSla round-trips: the printed SLA compiles back to the same SLA', (t) => {
  t.notThrows(() =>
    fc.assert(
      fc.property(sample, (s) => {
        const c = compileSla(s.metric, s.tokens.join(' '));
        const printed = formatSla(c);
        const back = compileSla(c.metric.key, printed);
        if (JSON.stringify(essence(back)) !== JSON.stringify(essence(c))) return false;
        return formatSla(back) === printed && Object.is(back.threshold, c.threshold);
      }),
      { numRuns: 2000 },
    ),
  );
});

test('metric keys round-trip through parseMetricName', (t) => {
  t.notThrows(() =>
    fc.assert(
      fc.property(nonNeg(40 * 86400), (seconds) => {
        let ref;
        try {
          ref = parseMetricName(`service_level(${plainDecimal(seconds)})`);
        } catch (e) {
          return e instanceof Error && e.message.includes('more precise'); // refused, never rounded silently
        }
        return JSON.stringify(parseMetricName(ref.key)) === JSON.stringify(ref);
      }),
    ),
  );
});

const alphabet = fc.constantFrom(...'p()<>=!%.0123456789smhdw avgmnicoutrea_-&e\t'.split(''));

test('mutated valid expressions compile or throw a positioned SlaError', (t) => {
  const mutation = fc.tuple(fc.constantFrom('insert', 'delete', 'replace'), fc.nat(), alphabet);
  let errors = 0;
  let compiled = 0;
  t.notThrows(() =>
    fc.assert(
      fc.property(sample, fc.array(mutation, { minLength: 1, maxLength: 4 }), (s, edits) => {
        let expr = s.tokens.join(' ');
        for (const [kind, where, ch] of edits) {
          const i = expr.length === 0 ? 0 : where % (expr.length + (kind === 'insert' ? 1 : 0));
          if (kind === 'insert') expr = expr.slice(0, i) + ch + expr.slice(i);
          else if (kind === 'delete') expr = expr.slice(0, i) + expr.slice(i + 1);
          else expr = expr.slice(0, i) + ch + expr.slice(i + 1);
        }
        if (compileOrSlaError(s.metric, expr) instanceof SlaError) errors++;
        else compiled++;
      }),
      { numRuns: 3000 },
    ),
  );
  // Both outcomes must occur, or the mutations are not exercising the parser.
  t.true(errors > 300, `errors: ${errors}`);
  t.true(compiled > 30, `compiled: ${compiled}`);
});

test('random strings compile or throw a positioned SlaError', (t) => {
  const metric = fc.oneof(fc.constantFrom(...METRICS.map((m) => m.name), 'service_level(20s)'), fc.string(), fc.string({ unit: 'binary' }));
  const expr = fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.array(alphabet).map((a) => a.join('')));
  t.notThrows(() => fc.assert(fc.property(metric, expr, (m, e) => void compileOrSlaError(m, e)), { numRuns: 3000 }));
});
