// `callsim load` (native engine) as a user meets it: bad input is exit 2 before anything is
// sent; a target that refuses every call gives a clear verdict (failures by reason, exit 1),
// and one that never answers anything (a closed port, a silent socket) is an unreachable
// target (exit 2, naming it), both within the run's bound.

import test from 'ava';
import { spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WallClockScheduler } from '../sim/kernel/wall-clock.js';
import { UdpTransport } from '../sim/sip/udp-transport.js';
import { UserAgent } from '../sim/sip/user-agent.js';
import { callsim, callsimAsync, cliPath, root, type CliResult } from './cli.js';

test('bad targets and unbounded runs are exit 2 with a message', (t) => {
  const cases: [string[], RegExp][] = [
    [['load', 'sip:12333', '--rate', '1', '--calls', '1'], /expected a SIP URI with an IP address/],
    [['load', 'ws://127.0.0.1:8088', '--rate', '1', '--calls', '1'], /a WebSocket target needs --engine jssip/],
    [['load', 'ws://10.0.0.1:8088', '--engine', 'jssip', '--rate', '1', '--calls', '1'], /loopback/],
    [['load', 'sip:12333@10.1.2.3:5060', '--rate', '1', '--calls', '1'], /not a loopback address; add --remote/],
    [['load', 'sip:12333@127.0.0.1:5060', '--rate', '1'], /give --calls N or --duration T/],
    [['load', 'sip:12333@127.0.0.1:5060', '--rate', 'fast', '--calls', '1'], /--rate fast/],
    // no call would start: nothing measured is not a pass (exit 0 before), nor an internal error (sipp)
    [['load', 'sip:12333@127.0.0.1:5060', '--rate', '5/s', '--duration', '0s'], /--duration 0s at 5 calls\/s starts less than one call on average/],
    [['load', 'sip:12333@127.0.0.1:5060', '--rate', '5/s', '--duration', '100ms', '--engine', 'sipp'], /--duration 100ms at 5 calls\/s starts less than one call/],
    [['load', 'sip:12333@127.0.0.1:5060', '--rate', '1', '--calls', '1', '--keys', 'x'], /--keys x/],
    // a zero ring timeout or call limit would end every call as it starts: nothing measured
    [['load', 'sip:12333@127.0.0.1:5060', '--rate', '1', '--calls', '1', '--ring-timeout', '0s'], /--ring-timeout 0s: every call would end as it starts/],
    [['load', 'sip:12333@127.0.0.1:5060', '--rate', '1', '--calls', '1', '--ring-timeout', '0s', '--engine', 'sipp'], /--ring-timeout 0s: every call would end/],
    [['load', 'sip:12333@127.0.0.1:5060', 'scenarios/12333-province.yaml', '--calls', '1', '--ring-timeout', '0ms'], /--ring-timeout 0ms: every call would end/],
    [['load', 'sip:12333@127.0.0.1:5060', 'scenarios/12333-province.yaml', '--calls', '1', '--max-call-time', '0s'], /--max-call-time 0s: every call would end/],
    [['load', 'sip:12333@127.0.0.1:5060', '--calls', '1'], /give --rate/],
    [['load', 'sip:12333@127.0.0.1:5060', '--rate', '1', '--calls', '1', '--speed', '10'], /--speed needs a scenario/],
    [['load', 'sip:12333@127.0.0.1:5060', 'scenarios/12333-province.yaml', '--calls', '1', '--speed', '0'], /--speed 0/],
    [['load', 'sip:12333@127.0.0.1:5060', 'scenarios/12333-province.yaml', '--calls', '1', '--set', 'arrivals.scale=lots'], /--set:1:16: arrivals.scale: .lots. is not a number/],
    [['load', 'sip:12333@127.0.0.1:5060', 'scenarios/12333-province.yaml'], /give --calls N or --duration T/],
    // the clash is the flag's with the scenario's line: both are named
    [['load', 'sip:12333@127.0.0.1:5060', 'scenarios/validation/erlang-c.yaml', '--duration', '5s', '--calls', '1'],
      /^callsim: scenarios\/validation\/erlang-c\.yaml:8:9: warmup: the scenario's warm-up \(2h\) is longer than --duration 5s: no call would be measured; expected a --duration longer than 2h, or a shorter warm-up \(e\.g\. --set warmup=0s\)\n$/],
    [['load', 'sip:12333@127.0.0.1:5060', 'scenarios/12333-province.yaml', '--engine', 'sipp', '--calls', '1'], /--engine sipp plays a fixed caller path/],
    [['load', 'sip:12333@10.1.2.3:5060', '--engine', 'sipp', '--remote', '--rate', '1', '--calls', '1'], /needs --local-ip/],
    [['load', 'sip:12333@127.0.0.1:5060', '--engine', 'sipp', '--rate', '1', '--calls', '1', '--processes', '0'], /--processes 0: outside the range 1 .. 256/],
    [['load', 'sip:12333@127.0.0.1:5060', '--engine', 'sipp', '--rate', '1', '--calls', '1', '--processes', '1e9'], /--processes 1e9: outside the range 1 .. 256/],
  ];
  for (const [args, message] of cases) {
    const r = callsim(args);
    t.is(r.code, 2, args.join(' '));
    t.regex(r.stderr, message);
    t.false(/\n\s+at /.test(r.stderr), 'no stack trace');
  }
});

/**
 * Runs the CLI asynchronously (the test's own SIP server must keep running meanwhile). The
 * verdicts are under test, not the generator's health: on a loaded 2-core CI machine a run
 * of a few calls can see a 50 ms stall, so the lag threshold is loose unless a test sets it.
 */
function load(args: string[]): Promise<CliResult> {
  const maxLag = args.includes('--max-lag') ? [] : ['--max-lag', '2s'];
  return callsimAsync(['load', ...args, ...maxLag, '--json']);
}

/** A target that refuses every call at once with `status`, no provisional first. */
async function refusingTarget(status: number, reason: string): Promise<{ address: string; close(): Promise<void> }> {
  const clock = new WallClockScheduler();
  let ua: UserAgent<unknown> | undefined;
  const transport = await UdpTransport.bind({ onMessage: (m, f) => ua?.receive(m, f) });
  ua = new UserAgent(clock, transport, { address: transport.address, name: 'busy' }, { invite: (call) => call.reject(status, reason) });
  return {
    address: transport.address,
    close: async () => {
      clock.close();
      await transport.close();
    },
  };
}

/** A loopback UDP port that nobody listens on: bound by the system, then let go. */
async function closedUdpPort(): Promise<number> {
  const s = createSocket('udp4');
  await new Promise<void>((r) => s.bind(0, '127.0.0.1', () => r()));
  const port = s.address().port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

test('a target that answers 503 to everything was reached: every call fails set-up with 503, exit 1, not 2', async (t) => {
  const target = await refusingTarget(503, 'Service Unavailable');
  try {
    const r = await load([`sip:12333@${target.address}`, '--rate', '20/s', '--calls', '5']);
    t.is(r.code, 1, r.stderr);
    const out = JSON.parse(r.stdout);
    t.is(out.counters.started, 5);
    t.is(out.counters.answered, 0);
    t.is(out.counters.responded, 5);
    t.deepEqual(out.counters.failed, { 503: 5 });
    t.is(out.setupSuccess, 0);
    t.is(out.unreachable, null);
    t.notRegex(r.stderr, /unreachable/);
  } finally {
    await target.close();
  }
});

test('a target that answers 408 at once was reached too: its 408s are responses, not the timeouts they read like (exit 1)', async (t) => {
  // the user agent reports a 408 from the target as it reports its own Timer B; the engine tells them apart
  const target = await refusingTarget(408, 'Request Timeout');
  try {
    const r = await load([`sip:12333@${target.address}`, '--rate', '20/s', '--calls', '4']);
    t.is(r.code, 1, r.stderr);
    const out = JSON.parse(r.stdout);
    t.deepEqual(out.counters.failed, { 408: 4 });
    t.is(out.counters.responded, 4);
    t.is(out.unreachable, null);
  } finally {
    await target.close();
  }
});

test('a target that never answers (a socket that takes every INVITE and says nothing) is unreachable: exit 2 after --ring-timeout, naming it', async (t) => {
  const sink = createSocket('udp4');
  await new Promise<void>((r) => sink.bind(0, '127.0.0.1', () => r()));
  sink.on('message', () => undefined);
  try {
    const started = Date.now();
    const target = `sip:12333@127.0.0.1:${sink.address().port}`;
    const r = await load([target, '--rate', '10/s', '--calls', '3', '--ring-timeout', '1s']);
    t.is(r.code, 2, r.stderr);
    const out = JSON.parse(r.stdout);
    t.deepEqual(out.counters.failed, { 'no answer': 3 });
    t.is(out.counters.ringTimeouts, 3);
    t.is(out.counters.responded, 0);
    t.is(out.unreachable, 'none of 3 calls got any response (3 heard nothing within the 1s ring timeout)');
    t.is(r.stderr.trim().split('\n').pop(), `callsim: target ${target} is unreachable: ${out.unreachable}`);
    t.true(Date.now() - started < 20_000, 'within the bound, long before Timer B (32 s)');
  } finally {
    sink.close();
  }
});

test('scenario callers at a closed UDP port: exit 2 naming the target, and summary.json and junit.xml still written, saying why', async (t) => {
  const port = await closedUdpPort();
  const out = mkdtempSync(join(tmpdir(), 'callsim-unreachable-'));
  const target = `sip:12333@127.0.0.1:${port}`;
  const r = await load([target, 'scenarios/interop.yaml', '--rate', '20/s', '--calls', '4', '--ring-timeout', '1s', '--out', out, '--quiet']);
  t.is(r.code, 2, r.stderr);
  t.regex(r.stderr, new RegExp(`^callsim: target ${target} is unreachable: none of 4 calls got any response \\(4 heard nothing within the 1s ring timeout\\)\n$`));
  const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
  t.is(summary.load.unreachable, 'none of 4 calls got any response (4 heard nothing within the 1s ring timeout)');
  t.is(summary.load.counters.responded, 0);
  t.false(summary.partial);
  t.deepEqual(JSON.parse(r.stdout), summary, '--json prints what --out wrote');
  t.regex(readFileSync(join(out, 'junit.xml'), 'utf8'), /<testsuite/);
});

test('a generator lagging past --max-lag is untrusted: exit 3, whatever the target did', async (t) => {
  const sink = createSocket('udp4');
  await new Promise<void>((r) => sink.bind(0, '127.0.0.1', () => r()));
  sink.on('message', () => undefined);
  try {
    // no timer fires at the very instant it was due: a zero threshold flags the lag there always is
    const r = await load([`sip:12333@127.0.0.1:${sink.address().port}`, '--rate', '20/s', '--calls', '3', '--ring-timeout', '300ms', '--max-lag', '0ms']);
    t.is(r.code, 3, r.stderr);
    const out = JSON.parse(r.stdout);
    t.true(out.generator.saturated);
    t.true(out.generator.startLagP99Ms > 0);
    t.is(out.metrics.start_lag.count, 3);
  } finally {
    sink.close();
  }
});

test('Ctrl-C: no more calls start, the live ones are hung up (BYE), and what was measured is printed, marked partial (exit 130)', async (t) => {
  const clock = new WallClockScheduler();
  let ua: UserAgent<unknown> | undefined;
  let byes = 0;
  const transport = await UdpTransport.bind({ onMessage: (m, f) => ua?.receive(m, f) });
  ua = new UserAgent(clock, transport, { address: transport.address, name: 'up' }, {
    invite: (call) => {
      call.events = { ended: (_c, by) => { if (by === 'remote') byes++; } };
      call.accept();
    },
  });
  try {
    const child = spawn(process.execPath, [cliPath, 'load', `sip:12333@${transport.address}`, '--rate', '20/s', '--duration', '60s', '--hold', '60s', '--max-lag', '2s', '--json'], { cwd: root });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    const exited = new Promise<number | null>((r) => child.on('close', (code) => r(code)));
    // interrupt once a few calls are up
    while (ua.size < 5) await new Promise((r) => setTimeout(r, 50));
    child.kill('SIGINT');
    const code = await exited;
    t.is(code, 130);
    const out = JSON.parse(stdout);
    t.true(out.partial);
    t.true(out.counters.answered >= 5);
    // every call it had answered got its BYE, and nothing is left up at the target
    await new Promise((r) => setTimeout(r, 300));
    t.is(byes, out.counters.answered);
    t.is(ua.size, 0);
    t.true(out.counters.scheduled < 1200 / 2, 'starts stopped long before the 60 s were over');
  } finally {
    clock.close();
    await transport.close();
  }
});
