import test from 'ava';
import { RandomStreams } from './random.js';

const draw = (seed: number, name: string, n = 5) => {
  const s = new RandomStreams(seed).stream(name);
  return Array.from({ length: n }, () => s.next());
};

test('a stream is a function of the seed and its name only', (t) => {
  t.deepEqual(draw(1, 'arrivals'), draw(1, 'arrivals'));
  t.notDeepEqual(draw(1, 'arrivals'), draw(2, 'arrivals'));
  t.notDeepEqual(draw(1, 'arrivals'), draw(1, 'patience'));
  // Drawing from one stream does not move another.
  const streams = new RandomStreams(1);
  const a = streams.stream('a');
  for (let i = 0; i < 1000; i++) a.next();
  t.deepEqual([streams.stream('b').next()], draw(1, 'b', 1));
});

test('uniforms lie in [0, 1) with the right mean and variance, and streams are uncorrelated', (t) => {
  const streams = new RandomStreams(42);
  const x = streams.stream('x');
  const y = streams.stream('y');
  const n = 200_000;
  let sx = 0;
  let sxx = 0;
  let sxy = 0;
  let sy = 0;
  for (let i = 0; i < n; i++) {
    const u = x.next();
    const v = y.next();
    t.true(u >= 0 && u < 1);
    sx += u;
    sy += v;
    sxx += u * u;
    sxy += u * v;
  }
  const mean = sx / n;
  const variance = sxx / n - mean * mean;
  const cov = sxy / n - mean * (sy / n);
  // Standard errors: mean 0.00065, variance ~0.00019, covariance ~0.00019.
  t.true(Math.abs(mean - 0.5) < 0.003);
  t.true(Math.abs(variance - 1 / 12) < 0.001);
  t.true(Math.abs(cov) < 0.001);
});

test('seeds beyond 32 bits are distinct; non-integers are refused', (t) => {
  t.notDeepEqual(draw(1, 's'), draw(1 + 2 ** 32, 's'));
  t.throws(() => new RandomStreams(1.5));
  const streams = new RandomStreams(5);
  t.not(streams.replicationSeed(0), streams.replicationSeed(1));
  t.true(Number.isSafeInteger(streams.replicationSeed(3)));
});
