import test from 'ava';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { EXIT } from './exit-codes.js';

const guard = fileURLToPath(new URL('./process-guard.js', import.meta.url));

/** Runs `body` in a child Node process that has imported the guard as `g`; one still running after 20 s is killed (code null). */
function child(body: string): { code: number | null; stderr: string } {
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', `const g = await import(${JSON.stringify(guard)});\n${body}`], {
    encoding: 'utf8',
    timeout: 20_000,
  });
  return { code: r.status, stderr: r.stderr };
}

test('an exception thrown in a callback is an internal error, exit 3, never the SLA verdict 1', (t) => {
  const r = child("g.guardProcess(); setTimeout(() => { throw new Error('boom in a timer'); }, 10);");
  t.is(r.code, EXIT.untrusted);
  t.regex(r.stderr, /^callsim: internal error: Error: boom in a timer/);
  // Node's default, without the guard, is the code callsim reserves for a failed SLA
  const bare = child("setTimeout(() => { throw new Error('boom'); }, 10);");
  t.is(bare.code, EXIT.slaFailed);
});

test('an unhandled rejection is an internal error, exit 3', (t) => {
  const r = child("g.guardProcess(); Promise.reject(new Error('lost promise'));");
  t.is(r.code, EXIT.untrusted);
  t.regex(r.stderr, /internal error: Error: lost promise/);
});

test('a command that returns with a socket still open ends after the grace period, with its own code, naming what was open', (t) => {
  const r = child("const s = (await import('node:dgram')).createSocket('udp4'); s.bind(0, '127.0.0.1'); g.exitWhenDone(1, 300);");
  t.is(r.code, EXIT.slaFailed);
  t.regex(r.stderr, /left UDPWrap open; exiting after 0\.3 s/);
});

test('a command that let go of everything ends at once, with its code and nothing on stderr', (t) => {
  // a grace far longer than the child may live: a grace timer that held the process would get it killed (code null)
  const r = child('setTimeout(() => {}, 50); g.exitWhenDone(2, 600_000);');
  t.is(r.code, EXIT.invalid);
  t.is(r.stderr, '');
});
