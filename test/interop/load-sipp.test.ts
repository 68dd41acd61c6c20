// `callsim load` (native engine) against a SIPp UAS that rings for exactly 1.5 s before
// answering: ivr_answer p50 within 20 ms of 1.5 s and every call set up.

import test from 'ava';
import { spawnSync } from 'node:child_process';
import { freeUdpPort, startSipp } from '../../sim/sip/sipp/run-sipp.js';
import { uasScenarioXml } from '../../sim/sip/sipp/scenario-xml.js';
import { cliPath, root } from '../cli.js';


test('callsim load against a SIPp UAS ringing 1.5 s: ivr_answer p50 within 20 ms of 1.5 s, 100 % set-up success', async (t) => {
  const port = await freeUdpPort();
  const calls = 60;
  const sipp = await startSipp({ scenarioXml: uasScenarioXml({ ringMs: 1500, log: false }), localPort: port, calls, timeoutS: 60 });
  await new Promise((r) => setTimeout(r, 300));
  const r = spawnSync(process.execPath, [cliPath, 'load', `sip:12333@127.0.0.1:${port}`, '--rate', '20/s', '--calls', String(calls), '--keys', '0', '--hold', '200ms', '--json'], { cwd: root, encoding: 'utf8' });
  sipp.stop();
  await sipp.done.catch(() => undefined);
  t.is(r.status, 0, r.stderr + r.stdout);
  const out = JSON.parse(r.stdout);
  t.log(`ivr_answer p50 ${out.metrics.ivr_answer.p50} s, p99 ${out.metrics.ivr_answer.p99} s; generator lag p99 ${out.generator.eventLoopDelayP99Ms} ms`);
  t.is(out.counters.answered, calls);
  t.is(out.setupSuccess, 1);
  t.true(Math.abs(out.metrics.ivr_answer.p50 - 1.5) <= 0.02, `p50 ${out.metrics.ivr_answer.p50}`);
  t.is(out.counters.keysAcked, calls);
});
