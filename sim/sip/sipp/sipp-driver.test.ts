import test from 'ava';
import { createSocket } from 'node:dgram';
import { readdir, readFile, readlink } from 'node:fs/promises';
import { DurationMetric } from '../../metrics/duration-metric.js';
import { destroyUacMetrics, parseSippLog, uacResults } from './log-parser.js';

const histogram = (): DurationMetric => new DurationMetric('s');
import { freeUdpPort, runSipp, sippVersion, startSipp } from './run-sipp.js';
import { uacScenarioXml, uasScenarioXml, type CallerPath } from './scenario-xml.js';

// Real SIPp on loopback. If sipp is missing these tests FAIL (CI installs sip-tester).


const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

const PATH: CallerPath = {
  digits: [
    { key: '0', pauseMs: 200 },
    { key: '1', pauseMs: 200 },
  ],
  holdMs: 100,
  expect: { provisional: [100, 180], final: 200 },
};

test('sipp is installed and reports its version', async (t) => {
  const v = await sippVersion().catch((e: Error) => t.fail(`${e.message}`));
  if (!v) return;
  t.true(v.major >= 3, v.banner);
  t.log(v.banner);
});

test('sippVersion rejects clearly when the binary is missing', async (t) => {
  const e = await t.throwsAsync(sippVersion('/nonexistent/sipp'));
  t.is(e?.name, 'SippMissingError');
  t.regex(e?.message ?? '', /sip-tester/);
});

test('generated UAC scenario has INVITE, INFO dtmf-relay per digit with pauses, BYE', (t) => {
  const x = uacScenarioXml({ ...PATH, digits: [{ key: '0', pauseMs: 1500 }, { key: '#', pauseMs: 0, durationMs: 200 }] });
  t.regex(x, /INVITE sip:\[service\]@/);
  t.regex(x, /<recv response="100" optional="true">/);
  t.regex(x, /<recv response="180">/);
  t.regex(x, /<recv response="200" rrs="true">/);
  t.regex(x, /<pause milliseconds="1500"\/>/);
  t.regex(x, /Content-Type: application\/dtmf-relay\nContent-Length: \[len\]\n\nSignal=0\nDuration=160\n/);
  t.regex(x, /Signal=#\nDuration=200/);
  t.regex(x, /CSeq: 4 BYE/);
  t.regex(x, /<log message="callsim \[call_number\] bye_ok \[timestamp\]"\/>/);
  t.throws(() => uacScenarioXml({ ...PATH, digits: [{ key: 'x', pauseMs: 0 }] }), { instanceOf: RangeError });
  t.throws(() => uacScenarioXml({ ...PATH, holdMs: -1 }), { instanceOf: RangeError });
});

// A fixed sample in SIPp 3.6.1's [timestamp] format (date TAB time TAB epoch.micros), with a
// SIPp warning line and a second call that never got its BYE answered.
const SAMPLE = [
  'callsim 1 invite_sent 2026-11-23\t00:08:23.901629\t1795392503.901629',
  'callsim 1 prov_180 2026-11-23\t00:08:23.903015\t1795392503.903015',
  'callsim 2 invite_sent 2026-11-23\t00:08:24.001818\t1795392504.001818',
  'callsim 1 final_200 2026-11-23\t00:08:25.401629\t1795392505.401629',
  '2026-11-23\t00:08:25.5\t1795392505.5: some SIPp warning',
  'callsim 1 info_sent_0 2026-11-23\t00:08:25.902000\t1795392505.902000',
  'callsim 1 info_ok_0 2026-11-23\t00:08:25.903250\t1795392505.903250',
  'callsim 1 info_sent_1 2026-11-23\t00:08:26.403300\t1795392506.403300',
  'callsim 1 info_ok_1 2026-11-23\t00:08:26.404050\t1795392506.404050',
  'callsim 1 bye_sent 2026-11-23\t00:08:26.504100\t1795392506.504100',
  'callsim 1 bye_ok 2026-11-23\t00:08:26.505100\t1795392506.505100',
  'callsim 2 prov_180 2026-11-23\t00:08:24.011818\t1795392504.011818',
  'callsim 2 final_200 2026-11-23\t00:08:25.501818\t1795392505.501818',
  'callsim 2 bye_sent 2026-11-23\t00:08:25.601818\t1795392505.601818',
  '',
].join('\n');

test('log parser gives exact durations on a fixed sample', (t) => {
  const log = parseSippLog(SAMPLE);
  t.is(log.calls.size, 2);
  t.is(log.otherLines.length, 1);
  t.is(log.calls.get(1)?.events.get('invite_sent'), 1795392503_901629);
  const r = uacResults(log, histogram);
  t.deepEqual(r.calls, { started: 2, completed: 1, failed: 1, failedCalls: [2] });
  const m = r.metrics;
  t.is(m.post_dial_delay.count, 2);
  t.is(m.post_dial_delay.min, 0.001386);
  t.is(m.post_dial_delay.max, 0.01);
  t.is(m.ivr_answer.count, 2);
  t.is(m.ivr_answer.min, 1.5);
  t.is(m.ivr_answer.max, 1.5);
  t.is(m.ivr_answer.percentile(50), 1.5);
  t.is(m.dtmf_info_rtt.count, 2);
  t.is(m.dtmf_info_rtt.min, 0.00075);
  t.is(m.dtmf_info_rtt.max, 0.00125);
  t.is(m.bye_rtt.count, 1);
  t.is(m.bye_rtt.min, 0.001);
  t.is(m.bye_rtt.histogram.totalCount, 1);
  destroyUacMetrics(m);
});

test('real SIPp: 20 calls at 10/s against a SIPp UAS ringing 1.5 s, digits 0 and 1', async (t) => {
  await sippVersion().catch((e: Error) => t.fail(e.message));
  const uasPort = await freeUdpPort();
  let uacPort = await freeUdpPort();
  while (uacPort === uasPort) uacPort = await freeUdpPort();
  const uas = await startSipp({
    scenarioXml: uasScenarioXml({ ringMs: 1500 }),
    localPort: uasPort,
    calls: 20,
    timeoutS: 12,
    timerResolMs: 1,
  });
  await sleep(400); // let the UAS bind
  try {
    const uac = await runSipp({
      scenarioXml: uacScenarioXml(PATH),
      remote: `127.0.0.1:${uasPort}`,
      localPort: uacPort,
      calls: 20,
      rate: 10,
      timeoutS: 10,
      recvTimeoutMs: 4000,
      timerResolMs: 1,
    });
    const server = await uas.done;
    t.log(`uac exit ${uac.exitCode} in ${uac.wallMs} ms; uas exit ${server.exitCode}`);
    const r = uacResults(uac.log, histogram);
    if (uac.exitCode !== 0 || r.calls.failed > 0) t.log(uac.output, uac.errors, uac.logText.slice(0, 2000));
    t.is(uac.exitCode, 0);
    t.false(uac.killed);
    t.deepEqual(r.calls, { started: 20, completed: 20, failed: 0, failedCalls: [] });
    const { ivr_answer, post_dial_delay, dtmf_info_rtt, bye_rtt } = r.metrics;
    t.is(ivr_answer.count, 20);
    t.is(post_dial_delay.count, 20);
    t.is(dtmf_info_rtt.count, 40);
    t.is(bye_rtt.count, 20);
    const p50 = ivr_answer.percentile(50);
    t.log(
      `ivr_answer p50 ${(p50 * 1000).toFixed(3)} ms (min ${(ivr_answer.min * 1000).toFixed(3)}, max ${(ivr_answer.max * 1000).toFixed(3)}); ` +
        `post_dial_delay p50 ${(post_dial_delay.percentile(50) * 1000).toFixed(3)} ms; ` +
        `dtmf_info_rtt p50 ${(dtmf_info_rtt.percentile(50) * 1000).toFixed(3)} ms; bye_rtt p50 ${(bye_rtt.percentile(50) * 1000).toFixed(3)} ms`,
    );
    t.true(Math.abs(p50 - 1.5) <= 0.02, `ivr_answer p50 ${p50}`);
    t.true(post_dial_delay.percentile(50) < 0.1);
    // The UAS saw every call's INVITE and BYE.
    const served = [...server.log.calls.values()];
    t.is(served.length, 20);
    t.true(served.every((c) => c.events.has('invite_rcvd') && c.events.has('bye_rcvd') && c.events.has('answered')));
    destroyUacMetrics(r.metrics);
  } finally {
    uas.stop();
    await uas.done.catch(() => undefined);
  }
});

test('real SIPp: a UAC against a port where nothing listens ends in bounded time with failed calls', async (t) => {
  await sippVersion().catch((e: Error) => t.fail(e.message));
  const deadPort = await freeUdpPort();
  let uacPort = await freeUdpPort();
  while (uacPort === deadPort) uacPort = await freeUdpPort();
  const t0 = Date.now();
  const uac = await runSipp({
    scenarioXml: uacScenarioXml(PATH),
    remote: `127.0.0.1:${deadPort}`,
    localPort: uacPort,
    calls: 3,
    rate: 10,
    timeoutS: 3,
    recvTimeoutMs: 1000,
    hardKillMs: 6000,
  });
  const wall = Date.now() - t0;
  const r = uacResults(uac.log, histogram);
  t.log(`exit ${uac.exitCode} signal ${uac.signal} killed ${uac.killed} in ${wall} ms; calls ${JSON.stringify(r.calls)}`);
  t.true(wall < 7000, `took ${wall} ms`);
  t.not(uac.exitCode, 0);
  t.true(r.calls.started >= 1);
  t.is(r.calls.completed, 0);
  t.is(r.calls.failed, r.calls.started);
  t.is(r.metrics.ivr_answer.count, 0);
  destroyUacMetrics(r.metrics);
});

test('real SIPp: the hard wall-clock bound kills a sipp that would run longer', async (t) => {
  await sippVersion().catch((e: Error) => t.fail(e.message));
  const t0 = Date.now();
  const r = await runSipp({
    scenarioXml: uasScenarioXml({ ringMs: 0 }),
    localPort: 'free',
    calls: 1,
    timeoutS: 60, // a UAS with no caller would wait for the whole minute
    hardKillMs: 800,
  });
  const wall = Date.now() - t0;
  t.log(`exit ${r.exitCode} signal ${r.signal} in ${wall} ms`);
  t.true(r.killed);
  t.true(wall < 3000, `took ${wall} ms`);
  t.is(r.log.calls.size, 0);
});

/** The local addresses of the UDP sockets a process holds, from /proc (Linux). */
async function udpSocketsOf(pid: number): Promise<string[]> {
  const inodes = new Set<string>();
  for (const fd of await readdir(`/proc/${pid}/fd`)) {
    const m = /^socket:\[(\d+)\]$/.exec(await readlink(`/proc/${pid}/fd/${fd}`).catch(() => ''));
    if (m) inodes.add(m[1]!);
  }
  const found: string[] = [];
  for (const table of ['udp', 'udp6']) {
    for (const line of (await readFile(`/proc/${pid}/net/${table}`, 'utf8')).split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f.length > 9 && inodes.has(f[9]!)) found.push(f[1]!);
    }
  }
  return found;
}

test('real SIPp: every socket it opens is on loopback, its remote-control socket too', async (t) => {
  const p = await startSipp({ scenarioXml: uasScenarioXml({ ringMs: 0 }), localPort: 'free', calls: 1, timeoutS: 30, hardKillMs: 5000 });
  let sockets: string[] = [];
  for (let i = 0; i < 50 && sockets.length < 2; i++) {
    await sleep(50);
    sockets = await udpSocketsOf(p.pid!).catch(() => []);
  }
  p.stop();
  const r = await p.done;
  t.log(sockets.join(' '));
  // SIP, two media and the control socket; 0100007F is 127.0.0.1 as /proc writes it
  t.true(sockets.length >= 2, `sockets: ${sockets.join(' ')}`);
  for (const a of sockets) t.true(a.startsWith('0100007F:'), `${a} is not 127.0.0.1`);
  t.true(sockets.includes(`0100007F:${r.localPort.toString(16).toUpperCase().padStart(4, '0')}`));
});

test('real SIPp: a port taken before SIPp binds it: a fixed one fails (exit 254), a free one is chosen again', async (t) => {
  const taken = createSocket('udp4');
  await new Promise<void>((resolve) => taken.bind(0, '127.0.0.1', resolve));
  const port = taken.address().port;
  try {
    const fixed = await runSipp({ scenarioXml: uasScenarioXml({ ringMs: 0 }), localPort: port, calls: 1, timeoutS: 30, hardKillMs: 3000 });
    t.is(fixed.exitCode, 254, fixed.output.slice(-300));
    t.is(fixed.localPort, port);
    const picked: number[] = [];
    const p = await startSipp({
      scenarioXml: uasScenarioXml({ ringMs: 0 }),
      localPort: 'free',
      // the first pick is the taken port, as when another process got there first
      pickPort: async (host) => {
        const next = picked.length === 0 ? port : await freeUdpPort(host);
        picked.push(next);
        return next;
      },
      calls: 1,
      timeoutS: 30,
      hardKillMs: 5000,
    });
    await sleep(300);
    p.stop();
    const r = await p.done;
    t.is(picked.length, 2);
    t.is(r.localPort, picked[1]!);
    t.true(r.killed, 'the second SIPp ran until it was stopped');
    t.true(r.args.includes(String(picked[1])));
    // stopped while it picks again: no second SIPp starts, past its bounds
    let pickAgain: (port: number) => void = () => {};
    const again = new Promise<number>((resolve) => (pickAgain = resolve));
    let picks = 0;
    const q = await startSipp({
      scenarioXml: uasScenarioXml({ ringMs: 0 }),
      localPort: 'free',
      pickPort: async () => (++picks === 1 ? port : again),
      calls: 1,
      timeoutS: 30,
      hardKillMs: 5000,
    });
    while (picks < 2) await sleep(10);
    q.stop();
    pickAgain(await freeUdpPort());
    const stopped = await q.done;
    t.is(stopped.exitCode, 254);
    t.is(stopped.localPort, port, 'the port it last tried');
  } finally {
    taken.close();
  }
});

test('freeUdpPort: below the kernel\'s ephemeral range, where no bind to port 0 lands, and free', async (t) => {
  const [low] = (await readFile('/proc/sys/net/ipv4/ip_local_port_range', 'utf8')).trim().split(/\s+/).map(Number);
  for (let i = 0; i < 20; i++) {
    const p = await freeUdpPort();
    t.true(p >= 1024 && p < low!, `${p}`);
    const s = createSocket('udp4');
    await new Promise<void>((resolve, reject) => {
      s.once('error', reject);
      s.bind(p, '127.0.0.1', resolve);
    });
    s.close();
  }
});
