// Distributions as users write them: a one-key map naming the family, with its parameters
// in the units of durations (`{ exponential: { mean: 90s } }`), or a bare duration for a
// constant. Resolved to the kernel's DistributionSpec, every parameter in seconds.

import { isMap, isScalar, type Node } from 'yaml';
import type { DistributionSpec } from '../kernel/distributions.js';
import { INVALID, type Checked, type Cursor } from './cursor.js';
import { Field, type JsonDefs, type JsonObject } from './schema-dsl.js';
import { either, list, listNames, obj } from './schema-shapes.js';
import { duration, durationRef, num } from './schema-scalars.js';
import { didYouMean } from './suggest.js';

const positive = { above: 0 };

/** The families, each described and resolved by the same DSL as the rest of the format. */
export const DISTRIBUTION_FAMILIES: Readonly<Record<DistributionSpec['kind'], Field<DistributionSpec>>> = {
  exponential: obj('Exponential (memoryless): Erlang C/A assume it for talk time and patience.', {
    mean: duration('Mean.', positive),
  }).map((p): DistributionSpec => ({ kind: 'exponential', mean: p.mean })),
  lognormal: obj('Log-normal: right-skewed, the usual fit for measured talk times.', {
    mean: duration('Mean.', positive),
    sd: duration('Standard deviation.'),
  }).map((p): DistributionSpec => ({ kind: 'lognormal', mean: p.mean, sd: p.sd })),
  gamma: obj('Gamma, by mean and coefficient of variation (cv 1 is exponential, 0 constant).', {
    mean: duration('Mean.', positive),
    cv: num('Coefficient of variation: standard deviation / mean.'),
  }).map((p): DistributionSpec => ({ kind: 'gamma', mean: p.mean, cv: p.cv })),
  uniform: obj('Uniform between min and max.', {
    min: duration('Lower end.'),
    max: duration('Upper end, >= min.'),
  }).map((p, cur): Checked<DistributionSpec> => {
    if (p.min <= p.max) return { kind: 'uniform', min: p.min, max: p.max };
    cur.key('max').issue(`max is below min`, { expected: 'max >= min' });
    return INVALID;
  }),
  constant: duration('Always this long.').map((value): DistributionSpec => ({ kind: 'constant', value })),
  empirical: list(
    'Drawn from these values, each with its weight (default 1).',
    either('A value, or a value with a weight.', [
      duration('A value of weight 1.').map((value) => ({ value, weight: 1 })),
      obj('A value with a weight.', {
        value: duration('The value.'),
        weight: num('Relative weight.', positive).withDefault(1),
      }),
    ]),
    { min: 1 },
  ).map(
    (items): DistributionSpec => ({ kind: 'empirical', values: items.map((i) => i.value), weights: items.map((i) => i.weight) }),
  ),
};

const FAMILY_NAMES = Object.keys(DISTRIBUTION_FAMILIES);

export class DistributionField extends Field<DistributionSpec> {
  get expected(): string {
    return 'a distribution';
  }
  accepts(node: Node): boolean {
    return isMap(node) || isScalar(node);
  }
  protected read(node: Node, cur: Cursor): Checked<DistributionSpec> {
    if (isScalar(node)) {
      // A bare duration is a constant; say so only when it is not one.
      const before = cur.ctx.issues.length;
      const constant = DISTRIBUTION_FAMILIES.constant.check(cur);
      for (let i = before; i < cur.ctx.issues.length; i++) {
        const issue = cur.ctx.issues[i]!;
        if (issue.message.endsWith('is not a duration')) {
          cur.ctx.issues[i] = { ...issue, expected: `${issue.expected}, or a distribution such as \`{ exponential: { mean: 90s } }\`` };
        }
      }
      return constant;
    }
    if (!isMap(node)) return this.wrongShape(node, cur);
    const expected = `a map with one key, the family: ${listNames(FAMILY_NAMES)}`;
    const first = node.items[0];
    if (!first) {
      cur.issue('a distribution needs its family', { expected });
      return INVALID;
    }
    const second = node.items[1];
    if (second) {
      cur.issue('a distribution has exactly one key', { expected, pos: cur.ctx.sources.pos(second.key as Node) ?? cur.pos });
      return INVALID;
    }
    const key = first.key;
    const name = isScalar(key) && typeof key.value === 'string' ? key.value : undefined;
    const family = name !== undefined && Object.hasOwn(DISTRIBUTION_FAMILIES, name) ? DISTRIBUTION_FAMILIES[name as DistributionSpec['kind']] : undefined;
    if (!family) {
      const at = cur.child(name ?? '?', first.value, key);
      at.issue(`unknown distribution \`${name ?? at.ctx.sources.written(key as Node) ?? '?'}\``, {
        expected,
        hint: name ? didYouMean(name, FAMILY_NAMES, { prefixes: true }) : undefined,
        pos: at.keyPos,
      });
      return INVALID;
    }
    return family.check(cur.child(name!, first.value, key));
  }
  protected schema(defs: JsonDefs): JsonObject {
    return defs.ref('distribution', () => ({
      description: 'A distribution of durations: a one-key map naming the family, or a bare duration (a constant).',
      anyOf: [
        durationRef(defs),
        ...Object.entries(DISTRIBUTION_FAMILIES).map(([name, family]) => ({
          type: 'object',
          description: family.doc,
          properties: { [name]: family.json(defs) },
          required: [name],
          additionalProperties: false,
        })),
      ],
    }));
  }
}

export function distribution(doc: string): DistributionField {
  return new DistributionField(doc);
}
