// `callsim load` with the default scenario's callers against `callsim serve` running the same
// scenario, both 50 times faster than real time, over real UDP sockets: the load run counts the
// calls serve counts, measures the ACD side from serve's reports, and its SLA figures agree with
// a simulation of the same scenario window within what one replication varies.

import test from 'ava';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WallClockScheduler } from '../sim/kernel/wall-clock.js';
import { simulateOnce } from '../sim/metrics/simulate.js';
import { summarize, type Summary } from '../sim/metrics/summary.js';
import { loadScenario } from '../sim/scenario/load.js';
import { UdpTransport } from '../sim/sip/udp-transport.js';
import { UserAgent } from '../sim/sip/user-agent.js';
import { callsimAsync } from './cli.js';
import { startServe } from './interop/serve-cli.js';

const SCENARIO = 'scenarios/12333-province.yaml';
const WINDOW = ['--set', 'start=2026-07-06T09:00:00+08:00'];
const SPEED = '50';


test('load with the scenario\'s callers against serve: the same calls on both sides, ACD metrics reported back, SLAs as simulated', async (t) => {
  // serve's own bound: 2 scenario hours at 50x (2.4 min); Ctrl-C ends it as soon as the load run is over
  const t0 = performance.now();
  const server = await startServe(SCENARIO, ['--speed', SPEED, ...WINDOW, '--duration', '2h']);
  const out = mkdtempSync(join(tmpdir(), 'callsim-load-'));
  // --max-lag 1s: this test is about the two sides agreeing, and on CI's 2 cores, with other
  // test files running beside it, the generator's event loop has been seen 50 ms late (the
  // default bound, exit 3); saturation is load.test.ts's subject.
  const load = await callsimAsync(['load', `sip:12333@${server.udp}`, SCENARIO, '--speed', SPEED, ...WINDOW, '--duration', '20m', '--max-lag', '1s', '--out', out, '--json', '--quiet']);
  const elapsed = (performance.now() - t0) / 1000;
  const served = await server.stop();
  // 0 or 1, whichever the SLA verdicts say: a 20-minute window misses service_level(20s) >= 0.80
  // by chance now and then (one run's spread is about ±0.04 around 0.89), and the full suite
  // on 2 cores has been seen to; anything else (2, 3) is a broken run
  t.true(load.code === 0 || load.code === 1, `exit ${load.code}: ${load.stderr}`);
  const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as Summary & { load: { counters: Record<string, number>; acdReported: boolean }; notEvaluated: { key: string }[] };
  const missed = summary.slas.filter((x) => !x.pass).map((x) => `${x.key} ${x.detail ?? ''}`);
  t.is(load.code, summary.pass && summary.load.counters['answered']! > 0 ? 0 : 1, `the exit code is the SLA verdict (missed: ${missed.join('; ') || 'none'})`);
  if (missed.length > 0) t.log(`SLAs missed in this window: ${missed.join('; ')}`);
  t.deepEqual(JSON.parse(load.stdout), summary, '--json prints what --out wrote');
  t.regex(readFileSync(join(out, 'junit.xml'), 'utf8'), /<testcase [^>]*name="service_level\(20s\)/);
  const c = summary.load.counters;
  t.log(JSON.stringify(c));
  t.true(c['started']! > 400, `${c['started']} attempts`);
  t.true(summary.load.acdReported);
  // serve started first, so its scenario clock ran ahead of the callers' by the time between
  // the two starts (load's own start-up, at least), times the speed
  const ahead = (summary.load as unknown as { targetClockAhead: number }).targetClockAhead;
  t.true(ahead > 0 && ahead < Number(SPEED) * elapsed, `serve's clock ${ahead} s ahead; ${elapsed.toFixed(1)} s from serve's start to load's end`);
  // every attempt reached serve, and both sides saw the same outcomes
  t.is(served.summary.totals['offered'], summary.totals['offered']);
  t.is(served.summary.totals['answered'], summary.totals['answered'], 'answered by agents');
  t.is(served.summary.totals['abandoned'], summary.totals['abandoned'], 'abandoned');
  // queue metrics measured by the caller from serve's reports are serve's own
  const soaLoad = summary.metrics['speed_of_answer']!;
  const soaServe = served.summary.metrics['speed_of_answer']!;
  t.is(soaLoad.count, soaServe.count);
  t.true(Math.abs(soaLoad.mean - soaServe.mean) < 0.01, `speed of answer ${soaLoad.mean} vs serve's ${soaServe.mean}`);
  // wrap-up is the agents' business: listed, not judged
  t.deepEqual(summary.notEvaluated.map((n) => n.key), ['wrap_up']);
  t.false(summary.slas.some((s) => s.metric === 'wrap_up'));

  // a simulation of the same window: one replication's spread from 8 of them
  const s = loadScenario(SCENARIO, { sets: ['start=2026-07-06T09:00:00+08:00', 'duration=20m', 'interval=20m'] });
  const sim = summarize(s, Array.from({ length: 8 }, (_, i) => simulateOnce(s, 500 + i, i)));
  for (const name of ['connect_rate', 'agent_answer_rate', 'service_level(20s)']) {
    const x = sim.rates[name]!;
    const sdOne = x.ci95!.stderr * Math.sqrt(8);
    const y = summary.rates[name]!.value;
    t.true(Math.abs(y - x.value) <= 4 * sdOne + 0.005, `${name}: load ${y.toFixed(4)}, simulated ${x.value.toFixed(4)} (one run varies ±${sdOne.toFixed(4)})`);
    t.log(`${name}: load ${y.toFixed(4)}, simulated ${x.value.toFixed(4)} ± ${sdOne.toFixed(4)} (sd of one run)`);
  }
});

test('--engine jssip: the scenario\'s callers as JsSIP user agents over WebSocket, ACD events included', async (t) => {
  const server = await startServe('scenarios/interop.yaml', ['--duration', '2m']);
  const load = await callsimAsync(['load', server.ws, 'scenarios/interop.yaml', '--engine', 'jssip', '--rate', '10/s', '--calls', '20', '--json', '--quiet', '--max-lag', '1s']);
  const served = await server.stop();
  t.is(load.code, 0, load.stderr);
  const summary = JSON.parse(load.stdout) as Summary & { load: { engine: string; counters: Record<string, number> } };
  t.is(summary.load.engine, 'jssip');
  t.is(summary.load.counters['started'], 20);
  t.is(summary.load.counters['answered'], 20);
  t.is(served.summary.totals['offered'], 20);
  t.is(summary.totals['answered'], served.summary.totals['answered'], 'answered by agents, as serve counts them');
  t.true(summary.totals['answered']! > 0);
  // queued, agent-ringing, agent-answered and agent-hangup for every call an agent answered
  t.true(summary.load.counters['acdEvents']! >= 4 * summary.totals['answered']!, `${summary.load.counters['acdEvents']} ACD events`);
  t.is(summary.metrics['speed_of_answer']!.count, summary.totals['answered']!);
});

test('an unreachable WebSocket target (connection refused): every call fails by that reason, exit 2 naming the target and the error, in seconds', async (t) => {
  const started = Date.now();
  const load = await callsimAsync(['load', 'ws://127.0.0.1:9', '--engine', 'jssip', '--rate', '20/s', '--calls', '5', '--json', '--quiet', '--max-lag', '2s']);
  t.is(load.code, 2, load.stderr);
  const out = JSON.parse(load.stdout) as { counters: { failed: Record<string, number>; answered: number; responded: number }; unreachable: string };
  t.is(out.counters.answered, 0);
  t.is(out.counters.responded, 0);
  const reasons = Object.keys(out.counters.failed);
  t.true(reasons.length > 0 && reasons.every((k) => /^408 Connection Error/.test(k)), reasons.join(', '));
  t.is(Object.values(out.counters.failed).reduce((a, b) => a + b, 0), 5);
  t.regex(out.unreachable, /^none of 5 calls got any response \((?:\d failed: Connection Error: connect ECONNREFUSED 127\.0\.0\.1:9(?:; |\)$))+/);
  t.is(load.stderr, `callsim: target ws://127.0.0.1:9 is unreachable: ${out.unreachable}\n`);
  t.true(Date.now() - started < 20_000);
});

test('serve stopping with callers in its IVR: both sides record the server\'s hang-up, not the callers\', and load still measures their IVR time', async (t) => {
  // the information menu plays for a minute: the callers who choose it are in the IVR when serve stops
  const longInfo = ['--set', 'ivr.menus.info.prompts[0].duration=60s'];
  const server = await startServe('scenarios/interop.yaml', longInfo);
  const out = mkdtempSync(join(tmpdir(), 'callsim-cut-'));
  const load = callsimAsync(['load', `sip:12333@${server.udp}`, 'scenarios/interop.yaml', ...longInfo, '--rate', '10/s', '--duration', '2s', '--max-lag', '2s', '--out', out, '--quiet']);
  await new Promise((r) => setTimeout(r, 5000));
  const served = await server.stop();
  await load;
  const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as Summary;
  const cut = Number(/(\d+) cut at the end/.exec(served.stderr)?.[1] ?? 0);
  t.true(cut > 0 && (served.summary.ivr?.answered ?? 0) > 0, `serve cut calls in its IVR (${cut} cut)`);
  t.is(served.summary.rates['ivr_hangup_rate']?.numerator, 0, 'serve: the calls it cut are its own hang-ups');
  t.is(summary.rates['ivr_hangup_rate']?.numerator, 0, 'load: the target hung up, not the caller');
  t.is(summary.metrics['ivr_time']?.count, summary.metrics['ivr_answer']?.count, 'load: every answered call has its IVR time');
  t.is(summary.metrics['ivr_time']?.count, served.summary.metrics['ivr_time']?.count);
});

test('calls that end while serve\'s IVR still rings (the caller cancels, or serve stops) are recorded on both sides as not connected', async (t) => {
  // the IVR rings for a minute: every call here ends before it answers
  const ringing = ['--set', 'ivr.answerDelay=60s'];
  const server = await startServe('scenarios/interop.yaml', ringing);
  const cancelled = JSON.parse((await callsimAsync(['load', `sip:12333@${server.udp}`, 'scenarios/interop.yaml', ...ringing, '--ring-timeout', '1s', '--rate', '10/s', '--calls', '5', '--max-lag', '2s', '--json', '--quiet'])).stdout) as Summary;
  // three more calls, from a user agent here: serve stops once all three ring (no guessing how long a process takes to start)
  const clock = new WallClockScheduler();
  let ua: UserAgent<number> | undefined;
  const transport = await UdpTransport.bind({ onMessage: (m, f) => ua?.receive(m, f) });
  ua = new UserAgent<number>(clock, transport, { address: transport.address, name: 'rc' });
  const finals: number[] = [];
  let rang = 0;
  let allRang = (): void => {};
  let allEnded = (): void => {};
  const ringing3 = new Promise<void>((r) => (allRang = r));
  const ended3 = new Promise<void>((r) => (allEnded = r));
  const events = {
    progress: (_c: unknown, status: number) => { if (status === 180 && ++rang === 3) allRang(); },
    failed: (_c: unknown, status: number) => { if (finals.push(status) === 3) allEnded(); },
  };
  for (let i = 0; i < 3; i++) ua.call('sip:12333@127.0.0.1', server.udp, `04310000000${i}`, events, i);
  await ringing3;
  const served = await server.stop();
  await Promise.race([ended3, new Promise((r) => setTimeout(r, 5000))]); // serve sent its 480s before it exited
  clock.close();
  await transport.close();
  t.deepEqual(finals, [480, 480, 480], 'serve ended the ringing calls');
  t.regex(served.stderr, /8 calls taken.* 3 cut at the end/);
  for (const [side, s, n] of [['load (cancelled)', cancelled, 5], ['serve', served.summary, 8]] as const) {
    t.like(s.totals, { offered: n, blocked: n, connected: 0, abandoned: 0 }, side);
    t.is(s.metrics['ivr_answer'], undefined, `${side}: nothing was answered`);
  }
  t.is(served.summary.metrics['post_dial_delay']?.count, 8, 'serve: each call rang');
});
