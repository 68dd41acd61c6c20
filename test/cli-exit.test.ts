// The CLI's exit code when callsim itself fails (bin/process-guard.ts), end to end: a fault is
// injected into the real command by a module preloaded with --import, as a bug of ours would
// strike (an exception in a callback, a socket left open).

import test from 'ava';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { EXIT } from '../bin/exit-codes.js';
import { cliPath, root } from './cli.js';

function withFault(fault: string, args: readonly string[]): { code: number | null; stdout: string; stderr: string } {
  const dir = mkdtempSync(join(tmpdir(), 'callsim-fault-'));
  const file = join(dir, 'fault.mjs');
  writeFileSync(file, fault);
  const r = spawnSync(process.execPath, ['--import', pathToFileURL(file).href, cliPath, ...args], {
    cwd: root, encoding: 'utf8', timeout: 60_000, env: { ...process.env, NO_COLOR: '1' },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('callsim serve: an exception in a timer mid-run exits 3 with the error, not 1 (an SLA verdict)', (t) => {
  const r = withFault("setTimeout(() => { throw new Error('injected fault'); }, 1500);", [
    'serve', 'scenarios/interop.yaml', '--udp', '127.0.0.1:0', '--duration', '20s', '--quiet',
  ]);
  t.is(r.code, EXIT.untrusted, r.stderr);
  t.regex(r.stderr, /callsim: internal error: Error: injected fault/);
});

test('a command that finished but left a socket open still ends, with its own exit code and a message', (t) => {
  const r = withFault("import dgram from 'node:dgram'; dgram.createSocket('udp4').bind(0, '127.0.0.1');", [
    'erlang', 'c', '--rate', '60/h', '--aht', '180s', '--agents', '5', '--json',
  ]);
  t.is(r.code, EXIT.ok, r.stderr);
  t.truthy(JSON.parse(r.stdout));
  t.regex(r.stderr, /callsim: internal error: the command ended but left UDPWrap open/);
});
