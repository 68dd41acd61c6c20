import test from 'ava';
import { parseScenario } from '../sim/scenario/load.js';
import { UsageError } from './exit-codes.js';
import { notNumbers, numberTexts, parseNumber, parseWhole, usageMessage, wholeFlag } from './flags.js';

const numbers = ['seed', 'max-agents', 'workers'];

test('a number flag whose text is not a number is found, spelled as declared', (t) => {
  t.deepEqual(notNumbers(['run', 'x.yaml', '--seed', 'abc'], numbers), { flag: 'seed', text: 'abc' });
  t.deepEqual(notNumbers(['run', '--seed='], numbers), { flag: 'seed', text: '' });
  t.deepEqual(notNumbers(['staff', '--maxAgents', '12x'], numbers), { flag: 'max-agents', text: '12x' });
  t.deepEqual(notNumbers(['run', '--workers=2', '--seed', ' '], numbers), { flag: 'seed', text: ' ' });
});

test('numbers, negative ones, missing values, other flags and what follows `--` are not its business', (t) => {
  t.is(notNumbers(['run', '--seed', '7', '--workers', '-1', '--max-agents=0x10'], numbers), undefined);
  t.is(notNumbers(['run', '--seed'], numbers), undefined, 'no value: requiresArg says so');
  t.is(notNumbers(['run', '--seed', '--json'], numbers), undefined, 'the next flag is not a value');
  t.is(notNumbers(['run', '--out', 'abc', '--set', 'seed=x'], numbers), undefined);
  t.is(notNumbers(['run', '--', '--seed', 'abc'], numbers), undefined);
});

test("yargs' message for a flag without its value is said as a flag", (t) => {
  t.is(usageMessage('Not enough arguments following: seed'), '--seed needs a value');
  t.is(usageMessage('Unknown argument: bogus'), 'Unknown argument: bogus');
});

test('a number is what a scenario file may write: decimal, fraction, exponent, 0x, 0o; not 0b, Infinity or nothing', (t) => {
  t.deepEqual(['1e6', '1.0', '0x10', '0o17', '+5', ' 7 ', '.5', '-3'].map(parseNumber), [1e6, 1, 16, 15, 5, 7, 0.5, -3]);
  t.deepEqual(['0b11', 'Infinity', '', ' ', '1_000', '0x', '5s', 'NaN'].map(parseNumber), Array(8).fill(undefined));
  t.deepEqual(notNumbers(['run', '--replications', '0b11'], numbers.concat('replications')), { flag: 'replications', text: '0b11' });
});

test('whole numbers as the scenario YAML reads them: `1e6` is a million there and here', (t) => {
  // what the scenario loader makes of `count: <text>`
  const yamlCount = (text: string): number | undefined => {
    try {
      return parseScenario(`centers:\n  - id: a\n    groups: [{ count: ${text} }]\narrivals: { rate: 1/s }\n`, 'x.yaml').centers[0]!.groups[0]!.count;
    } catch {
      return undefined;
    }
  };
  for (const text of ['1000000', '1e6', '1.0', '1.5e3', '0x10', '0o17', '+5', '1.5', '0b11', '1_000', 'Infinity', '.inf', '5e-1']) {
    t.is(parseWhole(text), yamlCount(text), text);
  }
});

test('a whole-number flag: exponent notation taken, a fraction refused, and past the range said with the range', (t) => {
  t.is(wholeFlag('agents', 1e6, { min: 1 }, '1e6'), 1e6);
  t.is(wholeFlag('seed', undefined, { min: 0 }), undefined);
  t.throws(() => wholeFlag('calls', 1.5, { min: 1 }, '1.5'), { instanceOf: UsageError, message: '--calls 1.5: expected a whole number >= 1' });
  t.throws(() => wholeFlag('seed', -3, { min: 0 }, '-3'), { message: '--seed -3: expected a whole number >= 0' });
  // yargs hands over 12345678901234567000; the message quotes what was typed
  t.throws(() => wholeFlag('seed', 12345678901234567000, { min: 0 }, '12345678901234567890'), { message: '--seed 12345678901234567890: outside the range 0 .. 2^53-1 (9007199254740991)' });
  t.throws(() => wholeFlag('seed', 9007199254740992, { min: 0 }, '9007199254740992'), { message: /outside the range 0 \.\. 2\^53-1/ });
  t.is(wholeFlag('seed', 9007199254740991, { min: 0 }, '9007199254740991'), Number.MAX_SAFE_INTEGER);
  t.throws(() => wholeFlag('calls', Infinity, { min: 1 }, '1e400'), { message: '--calls 1e400: outside the range 1 .. 2^53-1 (9007199254740991)' });
  t.throws(() => wholeFlag('seed', 3e9, { min: -0x80000000, max: 0x7fffffff }, '3e9'), { message: '--seed 3e9: outside the range -2147483648 .. 2147483647' });
});

test('the typed text of each number flag, as the last one given, camelCase or kebab-case, = or a separate word', (t) => {
  t.deepEqual([...numberTexts(['run', '--seed', '1e6', '--maxAgents=12', '--seed=7', '--', '--seed', '9'], ['seed', 'max-agents'])], [['seed', '7'], ['max-agents', '12']]);
});
