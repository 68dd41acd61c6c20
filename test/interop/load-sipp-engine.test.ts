// The sipp engine of `callsim load` (sim/sip/sipp/load-engine.ts) against real targets over
// loopback: a SIPp UAS that rings exactly 1.5 s, and callsim's own user agent playing a target
// that refuses with 503 (or a status SIPp's scenario does not list), rings forever, or hangs up
// first; a UDP socket that never answers; and Ctrl-C in the middle of a run.

import test from 'ava';
import { createSocket } from 'node:dgram';
import { WallClockScheduler } from '../../sim/kernel/wall-clock.js';
import { DurationMetric } from '../../sim/metrics/duration-metric.js';
import type { LoadPlan } from '../../sim/metrics/load-run.js';
import { from } from '../../sim/sip/headers.js';
import { runSippLoad, SippLoadError, type SippLoadResults } from '../../sim/sip/sipp/load-engine.js';
import { freeUdpPort, startSipp } from '../../sim/sip/sipp/run-sipp.js';
import { uasScenarioXml } from '../../sim/sip/sipp/scenario-xml.js';
import { callsimAsync, callsimInterrupted } from '../cli.js';
import { UdpTransport } from '../../sim/sip/udp-transport.js';
import { UserAgent, type SipCall } from '../../sim/sip/user-agent.js';

const newMetric = (): DurationMetric => new DurationMetric('s');

function plan(peer: string, over: Partial<LoadPlan> = {}): LoadPlan {
  return { uri: `sip:12333@${peer}`, peer, rate: 20, calls: 10, duration: 1e6, maxConcurrent: 1000, keys: '', keyGap: 0.2, hold: 0.2, ringTimeout: 5, from: '0431', ...over };
}

function destroy(r: SippLoadResults<DurationMetric>): void {
  for (const m of Object.values(r.metrics)) m.destroy();
}

/** callsim's user agent as the target; `invite` decides what it does with each call. */
async function uaTarget(invite: (call: SipCall<unknown>, clock: WallClockScheduler) => void, host = '127.0.0.1') {
  const clock = new WallClockScheduler();
  let ua: UserAgent<unknown> | undefined;
  const methods: string[] = [];
  const callers: string[] = [];
  const transport = await UdpTransport.bind({
    host,
    onMessage: (m, f) => {
      if (m.kind === 'request') methods.push(m.method);
      ua?.receive(m, f);
    },
  });
  ua = new UserAgent(clock, transport, { address: transport.address, name: 'target' }, {
    invite: (call, request) => {
      callers.push(/^sips?:([^@;]+)@/.exec(from(request)?.uri ?? '')?.[1] ?? '?');
      invite(call, clock);
    },
  });
  return {
    peer: transport.address,
    methods,
    callers,
    close: async () => {
      clock.close();
      await transport.close();
    },
  };
}

test.serial('sipp engine against a SIPp UAS ringing 1.5 s: ivr_answer p50 within 20 ms of 1.5 s, 100 % set-up success, keys acknowledged', async (t) => {
  const port = await freeUdpPort();
  const calls = 60;
  const uas = await startSipp({ scenarioXml: uasScenarioXml({ ringMs: 1500, log: false }), localPort: port, calls, timeoutS: 60, timerResolMs: 1 });
  await new Promise((r) => setTimeout(r, 300));
  try {
    const r = await runSippLoad(plan(`127.0.0.1:${port}`, { calls, keys: '0' }), { newMetric }).done;
    const { counters: c, metrics: m } = r;
    t.log(`ivr_answer p50 ${m.ivr_answer.percentile(50)} s (min ${m.ivr_answer.min}, max ${m.ivr_answer.max}); post_dial_delay p50 ${m.post_dial_delay.percentile(50)} s; ` +
      `start lag p99 ${r.generator.startLagP99Ms.toFixed(2)} ms; ${r.generator.processes.length} sipp processes; sipp ${r.generator.version.version}`);
    t.false(r.partial);
    t.false(r.timedOut);
    t.deepEqual([c.scheduled, c.started, c.answered, c.notStarted], [calls, calls, calls, 0]);
    t.deepEqual(c.failed, {});
    t.is(c.keysSent, calls);
    t.is(c.keysAcked, calls);
    t.is(c.completed, calls);
    t.is(c.endedByTarget, 0);
    t.is(m.ivr_answer.count, calls);
    t.true(Math.abs(m.ivr_answer.percentile(50) - 1.5) <= 0.02, `p50 ${m.ivr_answer.percentile(50)}`);
    t.true(m.ivr_answer.min >= 1.5, 'SIPp rings 1.5 s before it answers');
    t.is(m.post_dial_delay.count, calls);
    // the call lasts from the INVITE: ring 1.5 s, the key gap, the hold
    t.true(m.call_duration.min >= 1.5 + 0.2 + 0.2, `call_duration min ${m.call_duration.min}`);
    destroy(r);
  } finally {
    uas.stop();
    await uas.done.catch(() => undefined);
  }
});

test.serial('sipp engine against a target that answers 503 to everything: every call fails set-up with 503, from its own calling number', async (t) => {
  const target = await uaTarget((call) => call.reject(503, 'Service Unavailable'));
  try {
    const calls = 7;
    const r = await runSippLoad(plan(target.peer, { calls }), { newMetric, processes: 2 }).done;
    t.deepEqual(r.counters.failed, { 503: calls });
    t.is(r.counters.started, calls);
    t.is(r.counters.answered, 0);
    t.is(r.counters.responded, calls, 'refused, so reached');
    t.is(r.metrics.ivr_answer.count, 0);
    t.deepEqual([...target.callers].sort(), Array.from({ length: calls }, (_, i) => `0431${i + 1}`).sort());
    t.is(target.methods.filter((x) => x === 'ACK').length, calls, 'each refusal was ACKed');
    destroy(r);
  } finally {
    await target.close();
  }
});

test.serial('sipp engine: a final status its scenario does not list is still counted by its code (from SIPp\'s error log)', async (t) => {
  const target = await uaTarget((call) => call.reject(499, 'Unlisted'));
  try {
    const r = await runSippLoad(plan(target.peer, { calls: 4 }), { newMetric }).done;
    t.deepEqual(r.counters.failed, { 499: 4 });
    t.is(r.counters.responded, 4, 'an unlisted status is still an answer');
    destroy(r);
  } finally {
    await target.close();
  }
});

test.serial('sipp engine against a UDP socket that never answers: every call fails as "no answer" at the ring timeout, well within the bound', async (t) => {
  const sink = createSocket('udp4');
  await new Promise<void>((r) => sink.bind(0, '127.0.0.1', () => r()));
  let datagrams = 0;
  sink.on('message', () => datagrams++);
  try {
    const started = performance.now();
    const r = await runSippLoad(plan(`127.0.0.1:${sink.address().port}`, { calls: 3, rate: 10, ringTimeout: 1 }), { newMetric }).done;
    const seconds = (performance.now() - started) / 1000;
    t.log(`ended after ${seconds.toFixed(2)} s; ${datagrams} datagrams (INVITEs and their retransmissions) reached the socket`);
    t.deepEqual(r.counters.failed, { 'no answer': 3 });
    t.is(r.counters.ringTimeouts, 3);
    t.is(r.counters.answered, 0);
    t.is(r.counters.responded, 0);
    t.false(r.timedOut);
    t.true(seconds < 10, `took ${seconds} s; ring timeout 1 s`);
    t.true(datagrams >= 3);
    destroy(r);
  } finally {
    sink.close();
  }
});

test.serial('sipp engine: a call still ringing at the ring timeout is CANCELled (counted as a ring timeout, not a refusal)', async (t) => {
  const target = await uaTarget((call) => call.ring());
  try {
    const r = await runSippLoad(plan(target.peer, { calls: 4, ringTimeout: 0.8 }), { newMetric }).done;
    t.is(r.counters.ringTimeouts, 4);
    t.deepEqual(r.counters.failed, {});
    t.is(target.methods.filter((x) => x === 'CANCEL').length, 4);
    t.is(target.methods.filter((x) => x === 'ACK').length, 4, 'the 487s were ACKed');
    t.true(r.metrics.post_dial_delay.count === 4);
    destroy(r);
  } finally {
    await target.close();
  }
});

test.serial('sipp engine: the target may hang up first; the call counts as completed, ended by the target', async (t) => {
  const target = await uaTarget((call, clock) => {
    call.ring();
    call.accept();
    clock.after(0.3, () => call.hangup(), undefined);
  });
  try {
    const r = await runSippLoad(plan(target.peer, { calls: 6, keys: '12', keyGap: 0.05, hold: 5 }), { newMetric }).done;
    const c = r.counters;
    t.is(c.answered, 6);
    t.is(c.completed, 6);
    t.is(c.endedByTarget, 6);
    t.is(c.keysAcked, 12, 'both keys went before the target hung up');
    t.true(r.metrics.call_duration.max < 1, `the target's BYE ended the calls, not our 5 s hold (max ${r.metrics.call_duration.max} s)`);
    destroy(r);
  } finally {
    await target.close();
  }
});

test.serial('sipp engine against an IPv6 target ([::1]): calls set up, keys sent, BYE', async (t) => {
  const target = await uaTarget((call) => {
    call.ring();
    call.accept();
  }, '::1');
  try {
    t.regex(target.peer, /^\[::1\]:\d+$/);
    const r = await runSippLoad(plan(target.peer, { calls: 4, keys: '5', keyGap: 0.05, hold: 0.1 }), { newMetric }).done;
    t.deepEqual([r.counters.started, r.counters.answered, r.counters.keysAcked, r.counters.completed], [4, 4, 4, 4]);
    t.is(target.methods.filter((x) => x === 'BYE').length, 4);
    destroy(r);
  } finally {
    await target.close();
  }
});

test.serial('sipp engine, Ctrl-C: stop() ends the sipp processes, CANCELs the ringing calls and returns what was logged, marked partial', async (t) => {
  const target = await uaTarget((call) => call.ring());
  try {
    const run = runSippLoad(plan(target.peer, { calls: 200, rate: 20, ringTimeout: 30 }), { newMetric });
    await new Promise((r) => setTimeout(r, 1200));
    const stoppedAt = performance.now();
    run.stop();
    const r = await run.done;
    const took = (performance.now() - stoppedAt) / 1000;
    t.log(`${r.counters.started} calls started before Ctrl-C; done ${took.toFixed(2)} s after it; ${target.methods.filter((x) => x === 'CANCEL').length} CANCELs`);
    t.true(r.partial);
    t.true(took < 5, `done ${took} s after stop()`);
    t.true(r.counters.started >= 5 && r.counters.started < 200, `${r.counters.started} started`);
    t.deepEqual(r.counters.failed, {}, 'calls cut by Ctrl-C are not failures');
    t.is(r.counters.notStarted, 0);
    // the calls cut short logged nothing themselves: SIPp's error log names each one it aborted
    t.is(target.methods.filter((x) => x === 'CANCEL').length, r.counters.started, 'SIPp CANCELled each ringing call, and each counts as started');
    t.is(r.counters.answered, 0);
    t.true(r.generator.processes.every((p) => p.exitCode !== null || p.signal !== null));
    destroy(r);
  } finally {
    await target.close();
  }
});

test.serial('callsim load --engine sipp, Ctrl-C at a terminal (SIGINT to the whole process group): callsim stops sipp itself, so the ringing calls are CANCELled and counted', async (t) => {
  // SIPp's own SIGINT handler quits at once: were it in callsim's process group, it would
  // leave its calls up at the target and log none of them (0 calls started, set-up success NaN)
  const target = await uaTarget((call) => call.ring());
  try {
    const r = await callsimInterrupted(['load', `sip:12333@${target.peer}`, '--engine', 'sipp', '--processes', '2', '--rate', '20/s', '--calls', '200', '--json', '--quiet'], 1500, 'SIGINT', true);
    t.is(r.code, 130, r.stderr);
    const out = JSON.parse(r.stdout);
    const cancels = target.methods.filter((x) => x === 'CANCEL').length;
    t.log(`${out.counters.started} calls started before Ctrl-C, ${cancels} CANCELs`);
    t.true(out.partial);
    t.true(out.counters.started >= 5 && out.counters.started < 200, `${out.counters.started} started`);
    t.is(cancels, out.counters.started, 'every ringing call was CANCELled, and counted as started');
    t.is(out.setupSuccess, 0);
    t.deepEqual(out.counters.failed, {});
  } finally {
    await target.close();
  }
});

test.serial('callsim load --engine sipp at a closed UDP port: the target is unreachable, exit 2 naming it', async (t) => {
  // a port nobody listens on: bound by the system, then let go
  const s = createSocket('udp4');
  await new Promise<void>((r) => s.bind(0, '127.0.0.1', () => r()));
  const target = `sip:12333@127.0.0.1:${s.address().port}`;
  await new Promise<void>((r) => s.close(() => r()));
  const r = await callsimAsync(['load', target, '--engine', 'sipp', '--processes', '2', '--rate', '20/s', '--calls', '4', '--ring-timeout', '1s', '--max-lag', '2s', '--json', '--quiet']);
  t.is(r.code, 2, r.stderr);
  const out = JSON.parse(r.stdout);
  t.is(out.counters.responded, 0);
  t.is(out.unreachable, 'none of 4 calls got any response (4 heard nothing within the 1s ring timeout)');
  t.is(r.stderr, `callsim: target ${target} is unreachable: ${out.unreachable}\n`);
});

test.serial('sipp engine: a sipp that cannot run at all is an error naming its reason, and a missing sipp says how to install it', async (t) => {
  const peer = `127.0.0.1:${await freeUdpPort()}`;
  // 192.0.2.0/24 is TEST-NET-1: no interface has it, so sipp cannot bind
  const e = await t.throwsAsync(runSippLoad(plan(peer), { newMetric, localIp: '192.0.2.77' }).done, { instanceOf: SippLoadError });
  t.regex(e?.message ?? '', /before placing a call: Unable to bind/);
  await t.throwsAsync(runSippLoad(plan(peer), { newMetric, sippPath: '/nonexistent/sipp' }).done, { name: 'SippMissingError', message: /apt-get install sip-tester/ });
});
