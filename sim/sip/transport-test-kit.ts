// Helpers shared by the tests of the socket transports (UDP, WebSocket, JsSIP): requests to
// send, waiting for a condition with a deadline, and running a snippet in a fresh Node process
// to check that it exits by itself. Test support only (hence its real timers); nothing in the
// product imports it.

import { spawn } from 'node:child_process';
import type { SipRequest } from './message.js';

/** A minimal valid request; `via` is the whole top Via value, branch included. */
export function request(method: string, via: string, o: { callId?: string; seq?: number; body?: string; contentType?: string } = {}): SipRequest {
  const headers = [
    { name: 'Via', value: via },
    { name: 'Max-Forwards', value: '70' },
    { name: 'From', value: '<sip:caller@callsim.invalid>;tag=c1' },
    { name: 'To', value: '<sip:12333@127.0.0.1>' },
    { name: 'Call-ID', value: o.callId ?? 'call-1' },
    { name: 'CSeq', value: `${o.seq ?? 1} ${method}` },
  ];
  if (o.contentType !== undefined) headers.push({ name: 'Content-Type', value: o.contentType });
  return { kind: 'request', method, uri: 'sip:12333@127.0.0.1', headers, body: o.body ?? '' };
}

/** The same request as text, with `lines` edited by `edit` (to make it malformed). */
export function rawRequest(method: string, via: string, edit: (text: string) => string = (s) => s, callId = 'raw-1'): string {
  const text = [
    `${method} sip:12333@127.0.0.1 SIP/2.0`,
    `Via: ${via}`,
    'Max-Forwards: 70',
    'From: <sip:caller@callsim.invalid>;tag=c1',
    'To: <sip:12333@127.0.0.1>',
    `Call-ID: ${callId}`,
    `CSeq: 1 ${method}`,
    'Content-Length: 0',
    '', '',
  ].join('\r\n');
  return edit(text);
}

/** Resolves once `check()` is true; rejects after `ms` milliseconds. */
export function eventually(check: () => boolean, ms = 3000, what = 'condition'): Promise<void> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const poll = (): void => {
      if (check()) resolve();
      else if (performance.now() - started > ms) reject(new Error(`timed out waiting for ${what}`));
      else setTimeout(poll, 5);
    };
    poll();
  });
}

/** A promise with its resolve function, for callbacks that complete a test step. */
export function deferred<T>(): { promise: Promise<T>; resolve: (v: T) => void } {
  let resolve: (v: T) => void = () => {};
  const promise = new Promise<T>((r) => { resolve = r; });
  return { promise, resolve };
}

/**
 * Runs an ES module snippet in a fresh Node process. Resolves with its exit code and stderr, or
 * `hung` if it has not exited after `ms` milliseconds (it is then killed): a process that
 * exits by itself has nothing left open.
 */
export function runChild(code: string, ms = 5000): Promise<{ exit: number | 'hung'; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', code], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (d: string) => { stderr += d; });
    const guard = setTimeout(() => { child.kill('SIGKILL'); resolve({ exit: 'hung', stderr }); }, ms);
    child.on('exit', (code2) => { clearTimeout(guard); resolve({ exit: code2 ?? -1, stderr }); });
  });
}
