import test from 'ava';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ClockError } from './clock.js';
import { WallClockScheduler } from './wall-clock.js';

/** Resolves when `s` fires an event at `time`, after everything due before it. */
function until(s: WallClockScheduler, time: number): Promise<void> {
  return new Promise((resolve) => { s.at(time, resolve, undefined, Number.MAX_SAFE_INTEGER); });
}

test('fires in time order, ties by priority then scheduling order, never early', async (t) => {
  const s = new WallClockScheduler();
  const seen: string[] = [];
  const early: string[] = [];
  // (time, priority, order of scheduling) of each event, to check the firing order against
  const keys = new Map<string, [number, number, number]>();
  let allFired: () => void = () => {};
  const done = new Promise<void>((resolve) => { allFired = resolve; });
  const schedule = (time: number, name: string, priority = 0, then?: () => void): void => {
    const ev = s.at(time, (n: string) => {
      if (s.now() < ev.time) early.push(n);
      seen.push(n);
      then?.();
      if (seen.length === 6) allFired();
    }, name, priority);
    keys.set(name, [ev.time, priority, keys.size]);
  };
  schedule(0.03, 'b');
  schedule(0.03, 'a', -1);
  schedule(0.01, 'first');
  schedule(0.03, 'c');
  schedule(0.02, 'x', 0, () => schedule(s.now(), 'zero-delay'));
  await done;
  // the four scheduled up front fire in this order however late the event loop runs
  t.deepEqual(seen.filter((n) => n !== 'zero-delay'), ['first', 'x', 'a', 'b', 'c']);
  // the one scheduled from a callback falls where its due time puts it (before a/b/c unless x fired late)
  const byKey = [...keys.entries()].sort(([, p], [, q]) => p[0] - q[0] || p[1] - q[1] || p[2] - q[2]).map(([n]) => n);
  t.deepEqual(seen, byKey);
  t.deepEqual(early, []);
  t.is(s.fired, 6);
  t.is(s.pending, 0);
});

test('events scheduled in the past fire at once, in (time, priority) order', async (t) => {
  const s = new WallClockScheduler();
  const seen: string[] = [];
  s.at(0, (n: string) => seen.push(n), 'zero');
  s.at(-1, (n: string) => seen.push(n), 'minus-one');
  s.at(0, (n: string) => seen.push(n), 'zero-urgent', -5);
  await until(s, 0.005);
  t.deepEqual(seen, ['minus-one', 'zero-urgent', 'zero']);
});

test('an event at a place taken earlier fires among same-time events as if scheduled then', async (t) => {
  const s = new WallClockScheduler();
  const seen: string[] = [];
  const log = (n: string) => seen.push(n);
  s.at(0.01, log, 'before the place');
  const place = s.place();
  s.at(0.01, log, 'after the place');
  s.atPlace(0.01, place, log, 'at the place');
  await until(s, 0.02);
  t.deepEqual(seen, ['before the place', 'at the place', 'after the place']);
  s.close();
  t.true(s.atPlace(1, s.place(), log, 'closed').done);
});

test('an event at a place arms the timer when nothing else is pending', async (t) => {
  // Were it left unarmed, the promise would never resolve and ava's timeout would fail the test.
  t.timeout(30_000);
  const s = new WallClockScheduler();
  await new Promise<void>((resolve) => { s.atPlace(0.005, s.place(), resolve, undefined); });
  t.is(s.fired, 1);
});

test('cancelled events never fire; cancelling the earliest re-arms for the next', async (t) => {
  const s = new WallClockScheduler();
  const seen: string[] = [];
  const first = s.after(0.01, (n: string) => seen.push(n), 'cancelled-first');
  s.after(0.02, (n: string) => seen.push(n), 'kept');
  const late = s.after(0.03, (n: string) => seen.push(n), 'cancelled-late');
  s.cancel(first);
  s.cancel(late);
  s.cancel(late); // twice is harmless
  t.true(first.done);
  t.is(s.pending, 1);
  await until(s, 0.05);
  t.deepEqual(seen, ['kept']);
});

test('close() cancels everything; later events are inert', async (t) => {
  const s = new WallClockScheduler();
  let fired = 0;
  const ev = s.after(0.01, () => fired++, undefined);
  s.close();
  t.true(ev.done);
  t.is(s.pending, 0);
  const after = s.after(0, () => fired++, undefined);
  t.true(after.done);
  await new Promise<void>((resolve) => { setTimeout(resolve, 40); });
  t.is(fired, 0);
  s.close();
});

test('a throwing callback goes to onError and the other due events still fire', async (t) => {
  const errors: unknown[] = [];
  const s = new WallClockScheduler({ onError: (e) => errors.push(e) });
  const seen: number[] = [];
  s.at(0.01, () => { throw new Error('boom'); }, undefined);
  s.at(0.01, (n: number) => seen.push(n), 2);
  s.at(0.02, (n: number) => seen.push(n), 3);
  await until(s, 0.03);
  t.deepEqual(seen, [2, 3]);
  t.is(errors.length, 1);
  t.is((errors[0] as Error).message, 'boom');
});

test('bad times are refused', (t) => {
  const s = new WallClockScheduler();
  t.throws(() => s.after(-1, () => {}, undefined), { instanceOf: ClockError });
  t.throws(() => s.after(Number.NaN, () => {}, undefined), { instanceOf: ClockError });
  t.throws(() => s.at(Number.NaN, () => {}, undefined), { instanceOf: ClockError });
});

test('many pending events fire in order', async (t) => {
  const s = new WallClockScheduler();
  const times: number[] = [];
  // 2000 events spread over 40 ms in scrambled scheduling order
  for (let i = 0; i < 2000; i++) {
    const k = (i * 7919) % 2000;
    s.at(0.005 + k * 0.00002, (time: number) => times.push(time), 0.005 + k * 0.00002);
  }
  await until(s, 0.06);
  t.is(times.length, 2000);
  t.true(times.every((v, i) => i === 0 || v >= times[i - 1]!));
});

const moduleUrl = new URL('./wall-clock.js', import.meta.url).href;

/** Runs `code` in a fresh Node process; resolves with its exit code, or 'hung' after 3 s. */
function runChild(code: string): Promise<number | 'hung'> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', code], { stdio: 'ignore', cwd: fileURLToPath(new URL('.', import.meta.url)) });
    const guard = setTimeout(() => { child.kill('SIGKILL'); resolve('hung'); }, 3000);
    child.on('exit', (codeOrNull) => { clearTimeout(guard); resolve(codeOrNull ?? -1); });
  });
}

test('with unref, a pending event does not keep the process alive', async (t) => {
  t.is(await runChild(`import { WallClockScheduler } from '${moduleUrl}'; new WallClockScheduler({ unref: true }).after(60, () => {}, null);`), 0);
});

test('after close(), a pending event does not keep the process alive', async (t) => {
  t.is(await runChild(`import { WallClockScheduler } from '${moduleUrl}'; const s = new WallClockScheduler(); s.after(60, () => {}, null); s.close();`), 0);
});

test('control: without unref or close, a pending event keeps the process alive', async (t) => {
  t.is(await runChild(`import { WallClockScheduler } from '${moduleUrl}'; new WallClockScheduler().after(60, () => {}, null);`), 'hung');
});

test('a fast clock runs its seconds `speed` times shorter, never early in its own time', async (t) => {
  const s = new WallClockScheduler({ speed: 50 });
  const startReal = performance.now();
  let firedAt = NaN;
  // 5 clock seconds at 50x: 100 ms of real time
  await new Promise<void>((resolve) => s.after(5, () => { firedAt = s.now(); resolve(); }, undefined));
  const real = performance.now() - startReal;
  t.true(firedAt >= 5, `fired at clock ${firedAt}`);
  t.true(real >= 99, `waited ${real} ms of real time`);
  // generous on a loaded machine, but far below the 5000 ms a speed-1 clock would take
  t.true(real < 2000, `waited ${real} ms of real time`);
  s.close();
  t.throws(() => new WallClockScheduler({ speed: 0 }), { instanceOf: ClockError });
  t.throws(() => new WallClockScheduler({ speed: Number.NaN }), { instanceOf: ClockError });
});

test('with a resolution, events due within one step fire together at its end, in order, never early', async (t) => {
  // 50 ms steps: wide enough that a loaded machine's timer jitter cannot blur them
  const s = new WallClockScheduler({ resolution: 0.05 });
  const fired: { name: string; at: number; due: number }[] = [];
  const schedule = (time: number, name: string): void => {
    const ev = s.at(time, (n: string) => fired.push({ name: n, at: s.now(), due: ev.time }), name);
  };
  // three in the step ending at 0.10, one in the step ending at 0.15
  schedule(0.07, 'b');
  schedule(0.11, 'd');
  schedule(0.06, 'a');
  schedule(0.09, 'c');
  await until(s, 0.2);
  t.deepEqual(fired.map((f) => f.name), ['a', 'b', 'c', 'd']);
  t.true(fired.every((f) => f.at >= f.due), 'never early');
  // the end of the step to within Node's timer, which fires on whole milliseconds and may be a
  // fraction early (those events are still past their own due times: checked above)
  t.true(fired.slice(0, 3).every((f) => f.at >= 0.099), `the first three waited for the end of their step: ${fired.map((f) => f.at.toFixed(4))}`);
  // d waits for the end of its own step, unless the first dispatch ran so late that d was due by then
  t.true(fired[3]!.at >= 0.149 || fired[2]!.at >= 0.11, `d waited for the end of its step: ${fired.map((f) => f.at.toFixed(3))}`);
  // one timer for the first three: they run back to back
  t.true(fired[2]!.at - fired[0]!.at < 0.02, `${fired[0]!.at} to ${fired[2]!.at}`);
  t.throws(() => new WallClockScheduler({ resolution: -1 }), { instanceOf: ClockError });
});

test('restart() makes now() 0 again while nothing is scheduled, and changes nothing otherwise', async (t) => {
  const s = new WallClockScheduler({ speed: 60 });
  await new Promise((r) => setTimeout(r, 50));
  t.true(s.now() >= 2.5, `${s.now()} s of this clock after 50 ms at 60x`);
  t.true(s.restart());
  t.true(s.now() < 1, `${s.now()} s just after the restart`);
  // with an event pending, the clock keeps its time (the event's due time means something)
  await new Promise((r) => setTimeout(r, 50));
  const ev = s.after(3600, () => {}, undefined);
  const before = s.now();
  t.false(s.restart());
  t.true(s.now() >= before);
  s.cancel(ev);
  t.true(s.restart(), 'free again once the event is cancelled');
  s.close();
  t.false(s.restart(), 'a closed clock stays closed');
});
