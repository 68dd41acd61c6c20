// The jssip engine of `callsim load` (JsSIP user agents over SIP over WebSocket) on the load
// run's open model, against real peers: a SIPp UAS ringing exactly 1.5 s (reached through a
// WebSocket-to-UDP relay, since SIPp speaks no WebSocket), `callsim serve --ws`, and a closed
// port.

import test from 'ava';
import { createServer } from 'node:net';
import { RandomStreams } from '../../sim/kernel/random.js';
import { WallClockScheduler } from '../../sim/kernel/wall-clock.js';
import { LoadRun, type LoadDialer, type LoadPlan } from '../../sim/metrics/load-run.js';
import { DEFAULT_CONNECTIONS, JsSipDialer, parseWsTarget } from '../../sim/sip/jssip/jssip-dialer.js';
import { freeUdpPort, startSipp } from '../../sim/sip/sipp/run-sipp.js';
import { uasScenarioXml } from '../../sim/sip/sipp/scenario-xml.js';
import { isLoopback } from '../../bin/loopback.js';
import { startServe } from './serve-cli.js';
import { startWsUdpRelay } from './ws-udp-relay.js';

/** The load run's per-call state (private to load-run.ts), as its constructor's dialer carries it. */
type RunState = ConstructorParameters<typeof LoadRun>[1] extends LoadDialer<infer S> ? S : never;

const plan = (target: { uri: string; wsUrl: string }, o: Partial<LoadPlan>): LoadPlan => ({
  uri: target.uri,
  peer: target.wsUrl,
  rate: 5,
  calls: 20,
  duration: 60,
  maxConcurrent: 1000,
  keys: '',
  keyGap: 0.2,
  hold: 0.2,
  ringTimeout: 10,
  from: '0431',
  ...o,
});

/** Runs `p` to the end with a JsSIP dialer on the wall clock; the dialer's sockets are closed after. */
async function run(p: LoadPlan, connections?: number): Promise<{ run: LoadRun; dialer: JsSipDialer<RunState>; seconds: number }> {
  const clock = new WallClockScheduler();
  const dialer = new JsSipDialer<RunState>({ connections });
  await dialer.ready(p.peer);
  const r = new LoadRun(clock, dialer, p, new RandomStreams(3).stream('load:arrivals'));
  const started = performance.now();
  r.start();
  await r.done;
  const seconds = (performance.now() - started) / 1000;
  clock.close();
  await dialer.close();
  return { run: r, dialer, seconds };
}

/** A TCP port on 127.0.0.1 that nothing listens on (bound, read, released). */
function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => resolve(typeof a === 'object' && a !== null ? a.port : 0));
    });
  });
}

test('JsSIP calls through a WebSocket relay to a SIPp UAS ringing 1.5 s: ivr_answer p50 within 20 ms of 1.5 s, 100 % set-up', async (t) => {
  const port = await freeUdpPort();
  const calls = 20;
  // a 1 ms SIPp timer: its default 10 ms would round the ring up by as much
  const sipp = await startSipp({ scenarioXml: uasScenarioXml({ ringMs: 1500, log: false }), localPort: port, calls, timeoutS: 60, timerResolMs: 1 });
  const relay = await startWsUdpRelay({ host: '127.0.0.1', port });
  t.teardown(async () => {
    sipp.stop();
    await sipp.done.catch(() => undefined);
    await relay.close();
  });
  const target = parseWsTarget(relay.url, { allowRemote: false, isLoopback });
  t.is(target.uri, `sip:12333@${relay.url.slice('ws://'.length)}`);
  const { run: r, dialer } = await run(plan(target, { rate: 5, calls, keys: '0' }));
  const c = r.counters;
  const m = r.metrics;
  t.log(`ivr_answer p50 ${m.ivr_answer.percentile(50).toFixed(4)} s, p99 ${m.ivr_answer.percentile(99).toFixed(4)} s; post_dial_delay p50 ${m.post_dial_delay.percentile(50).toFixed(4)} s; relay ${JSON.stringify(relay.stats)}`);
  t.like(c, { started: calls, answered: calls, failed: {}, ringTimeouts: 0, keysSent: calls, keysAcked: calls, completed: calls });
  t.true(Math.abs(m.ivr_answer.percentile(50) - 1.5) <= 0.02, `p50 ${m.ivr_answer.percentile(50)}`);
  t.is(m.post_dial_delay.count, calls, 'every call heard its 180');
  t.true(m.post_dial_delay.percentile(50) < 0.1);
  t.like(dialer.stats, { connected: DEFAULT_CONNECTIONS, connectionFailures: 0, calls, live: 0 });
  t.is(relay.stats.connections, DEFAULT_CONNECTIONS, 'the calls shared the pool of WebSockets');
  r.destroy();
});

test('JsSIP callers against callsim serve --ws: answered by agents, DTMF acknowledged, the agent hangs up', async (t) => {
  const server = await startServe('scenarios/interop.yaml');
  let stopped: Awaited<ReturnType<typeof server.stop>> | undefined;
  t.teardown(async () => { if (stopped === undefined) await server.stop().catch(() => undefined); });
  const target = parseWsTarget(server.ws, { allowRemote: false, isLoopback });
  const calls = 5;
  // the agent talks 2 s after a 1 s IVR answer and a 0.5 s agent ring: the caller stays on longer
  const { run: r } = await run(plan(target, { rate: 4, calls, keys: '0', keyGap: 0.3, hold: 15 }), 2);
  stopped = await server.stop();
  const c = r.counters;
  t.like(c, { started: calls, answered: calls, failed: {}, keysSent: calls, keysAcked: calls, completed: calls, endedByTarget: calls });
  t.is(stopped.summary.totals.offered, calls);
  t.is(stopped.summary.totals.answered, calls, 'serve counts each answered by an agent');
  r.destroy();
});

test('an unreachable WebSocket target (a closed port): every call fails at once with 408, and the run ends', async (t) => {
  const port = await closedPort();
  const target = parseWsTarget(`ws://127.0.0.1:${port}/sip`, { allowRemote: false, isLoopback });
  const clock = new WallClockScheduler();
  const dialer = new JsSipDialer<RunState>({ connections: 2 });
  await t.throwsAsync(dialer.ready(target.wsUrl), { message: /ECONNREFUSED/ });
  const p = plan(target, { rate: 20, calls: 10, ringTimeout: 5 });
  const r = new LoadRun(clock, dialer, p, new RandomStreams(3).stream('load:arrivals'));
  const started = performance.now();
  r.start();
  await r.done;
  const seconds = (performance.now() - started) / 1000;
  clock.close();
  await dialer.close();
  // each call failed on the refused connection, none waited for its ring timeout (no CANCEL, no 'no answer')
  t.like(r.counters, { started: 10, answered: 0, responded: 0, ringTimeouts: 0 });
  // counted by the reason: a refused connection, not a plain Timer B
  const failures = Object.entries(r.counters.failed);
  t.true(failures.every(([k]) => /^408 Connection Error: .*ECONNREFUSED/.test(k)), failures.map(([k]) => k).join('; '));
  t.is(failures.reduce((a, [, n]) => a + n, 0), 10);
  t.true(seconds < p.ringTimeout, `the run took ${seconds.toFixed(2)} s`);
  t.true(dialer.stats.connectionFailures >= 2);
  t.regex(dialer.stats.lastConnectionError ?? '', /Connection Error: .*ECONNREFUSED/);
  r.destroy();
});
