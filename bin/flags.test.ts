import test from 'ava';
import { notNumbers, usageMessage } from './flags.js';

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
