import test from 'ava';
import fc from 'fast-check';
import { DurationMetric } from '../../metrics/duration-metric.js';
import {
  globalCallNumber, INJECTION_CHUNK_LINES, injectionCsv, MAX_SIPP_CALLS_PER_PROCESS, MAX_SIPP_PROCESSES, peerHost, plannedCalls, sippLoadOptions, sippSharesProblem, sippUri, splitPlan,
} from './load-engine.js';
import type { LoadPlan } from '../load-plan.js';
import { LOAD_REFUSALS, loadUacScenarioXml, type LoadUacOptions } from './load-scenario.js';

const UAC: LoadUacOptions = { uri: 'sip:12333@127.0.0.1:5060', keys: '01', keyGapMs: 500, holdMs: 1000, ringTimeoutMs: 30_000 };

test('the plan the CLI passes to either engine: its planned calls', (t) => {
  const plan: LoadPlan = { uri: 'sip:1@127.0.0.1', peer: '127.0.0.1:5060', rate: 10, calls: 5, duration: 60, maxConcurrent: 100, keys: '', keyGap: 0.5, hold: 1, ringTimeout: 30, from: '0431' };
  t.is(plannedCalls(plan), 5);
});

test('the plan: at most `calls`, or what the rate fills in the duration', (t) => {
  t.is(plannedCalls({ calls: 100, rate: 10, duration: 3 }), 30);
  t.is(plannedCalls({ calls: 20, rate: 10, duration: 3 }), 20);
  t.is(plannedCalls({ calls: Number.MAX_SAFE_INTEGER, rate: 600, duration: 0.1 }), 60);
  t.is(plannedCalls({ calls: 7, rate: 1, duration: Infinity }), 7);
});

test('splitting: every call number from 1 to N is dialled exactly once, by one process, at rate / processes', (t) => {
  t.notThrows(() => fc.assert(
    fc.property(fc.integer({ min: 1, max: 500 }), fc.integer({ min: 1, max: 8 }), fc.double({ min: 0.1, max: 2000, noNaN: true }), (calls, processes, rate) => {
      const shares = splitPlan(calls, rate, processes);
      const n = Math.min(processes, calls);
      const numbers = shares.flatMap((s) => Array.from({ length: s.calls }, (_, k) => globalCallNumber(s, k + 1)));
      return (
        shares.length === n &&
        shares.every((s) => Math.abs(s.rate * n - rate) < 1e-9 * rate && s.calls >= 1) &&
        numbers.length === calls &&
        new Set(numbers).size === calls &&
        Math.min(...numbers) === 1 &&
        Math.max(...numbers) === calls
      );
    }),
  ));
});

test('the injection file: SEQUENTIAL, then the calling numbers of that process in call order', (t) => {
  const [a, b] = splitPlan(5, 10, 2);
  t.is([...injectionCsv('0431', a!)].join(''), 'SEQUENTIAL\n04311;\n04313;\n04315;\n');
  t.is([...injectionCsv('0431', b!)].join(''), 'SEQUENTIAL\n04312;\n04314;\n');
  t.throws(() => injectionCsv('04;31', a!), { instanceOf: RangeError });
});

test('the injection file comes in bounded chunks, and sipp is given no more calls than it can hold', (t) => {
  // a long run's file is written chunk by chunk: one string of it crashed a two-day run (V8 heap)
  const [share] = splitPlan(150_000, 100, 1);
  const chunks = [...injectionCsv('0', share!)];
  const lines = chunks.map((c) => c.split('\n').length - 1);
  t.deepEqual(lines, [INJECTION_CHUNK_LINES, INJECTION_CHUNK_LINES, 150_001 - 2 * INJECTION_CHUNK_LINES]);
  t.true(chunks.every((c) => c.endsWith(';\n')));
  t.is(chunks.join('').split('\n')[150_000], '0150000;');
  t.is(sippSharesProblem(splitPlan(2 * MAX_SIPP_CALLS_PER_PROCESS, 100, 2)), undefined);
  t.is(
    sippSharesProblem(splitPlan(2 * MAX_SIPP_CALLS_PER_PROCESS + 1, 100, 2)),
    `20000001 calls on 2 sipp processes is 10000001 for one, over the 10000000 a sipp can be given (it holds a line per call in memory, about 53 bytes each): ` +
      'use --processes 3 or more, fewer calls or a shorter --duration, or --engine native',
  );
  // past what --processes may give, only the other ways out are named
  t.regex(sippSharesProblem(splitPlan(3e9, 100, MAX_SIPP_PROCESSES))!, /: use fewer calls or a shorter --duration, or --engine native$/);
});

test('peer addresses and the CLI flags are checked', (t) => {
  t.deepEqual(peerHost('127.0.0.1:5060'), { host: '127.0.0.1', family: 4 });
  t.deepEqual(peerHost('[::1]:5070'), { host: '::1', family: 6 });
  t.throws(() => peerHost('example.org:5060'), { instanceOf: RangeError });
  const newMetric = (): DurationMetric => new DurationMetric('s');
  t.deepEqual(Object.keys(sippLoadOptions({ processes: 3, localIp: '127.0.0.2' }, newMetric)).sort(), ['localIp', 'newMetric', 'processes']);
  t.throws(() => sippLoadOptions({ processes: 0 }, newMetric), { message: /processes/ });
  t.throws(() => sippLoadOptions({ processes: MAX_SIPP_PROCESSES + 1 }, newMetric), { message: /processes: expected a whole number from 1 to 256/ });
  t.throws(() => sippLoadOptions({ localIp: 'localhost' }, newMetric), { message: /IP address/ });
});

/** Labels a scenario defines, and the ones its next/ontimeout attributes name. */
function labels(x: string): { defined: string[]; used: string[] } {
  return {
    defined: [...x.matchAll(/<label id="([^"]+)"\/>/g)].map((m) => m[1]!),
    used: [...x.matchAll(/(?:next|ontimeout)="([^"]+)"/g)].map((m) => m[1]!),
  };
}

test('load UAC scenario: every jump lands on a label, and each label is defined once', (t) => {
  for (const keys of ['', '0', '01#']) {
    const x = loadUacScenarioXml({ ...UAC, keys });
    const { defined, used } = labels(x);
    t.is(new Set(defined).size, defined.length);
    for (const l of used) t.true(defined.includes(l), `${l} in ${keys}`);
    t.is(x.match(/<scenario /g)?.length, 1);
    t.is(x.match(/<\/scenario>/g)?.length, 1);
    t.is((x.match(/<send/g) ?? []).length, (x.match(/<\/send>/g) ?? []).length);
  }
});

test('load UAC scenario: the INVITE, its responses caught globally after it, the ring timeout from the INVITE', (t) => {
  const x = loadUacScenarioXml(UAC);
  const invite = x.indexOf('INVITE sip:12333@127.0.0.1:5060 SIP/2.0');
  t.true(invite > 0);
  t.regex(x, /From: <sip:\[field0\]@/, 'the calling number comes from the injection file');
  t.regex(x, /CSeq: 1 INVITE[^]*?<action><gettimeofday assign_to="t0s,t0us"\/><\/action><\/send>/, 't0 is taken as the INVITE leaves');
  // every response to the INVITE is a global receive placed after it (so that a 1xx stops the retransmissions)
  for (const code of [100, 180, 183, 200, 486, 503, 603]) {
    const at = x.indexOf(`<recv response="${code}" optional="global"`);
    t.true(at > invite, `response ${code}`);
  }
  t.is((x.match(/optional="global" test="calling" next="refused"/g) ?? []).length, LOAD_REFUSALS.length);
  t.regex(x, /<recv response="100" optional="global" timeout="30000" ontimeout="unanswered" next="trying"\/>/);
  t.regex(x, /<recv response="180" optional="global" next="ringing"\/>/);
  t.regex(x, /<recv request="BYE" optional="global" next="target_bye"\/>/);
  // the first 18x only is the post-dial delay
  t.regex(x, /<label id="ringing"\/>\n  <nop condexec="rs" condexec_inverse="true"><action><gettimeofday assign_to="rs,ru"\/><\/action><\/nop>\n  <label id="trying"\/>/);
  // the rest of the ring timeout after a provisional: 30000 ms minus the time since the INVITE
  t.regex(x, /<assign assign_to="rest" value="30000"\/><subtract assign_to="rest" variable="ns"\/>/);
  t.regex(x, /<pause variable="rest"\/>/);
  // one log line per call, at its end: a refusal, no answer, a ring timeout, or the answered call's end
  t.regex(x, /<recv response="200" optional="global" test="calling" next="answered" rrs="true"><action><gettimeofday assign_to="as,au"\/><\/action><\/recv>/);
  t.regex(x, /<log message="callsim \[call_number\] final_486 at=\[\$e\]\/\[\$eu\] t0=\[\$t0s\]\/\[\$t0us\] r=\[\$rs\]\/\[\$ru\]"\/>/);
  t.regex(x, /<log message="callsim \[call_number\] call_end at=\[\$e\]\/\[\$eu\] t0=\[\$t0s\]\/\[\$t0us\] r=\[\$rs\]\/\[\$ru\] a=\[\$as\]\/\[\$au\] h=\[\$hs\]\/\[\$hu\] by=\[\$by\] ks=\[\$ks\] ka=\[\$ka\]"\/>/);
  t.is((x.match(/<log /g) ?? []).length, LOAD_REFUSALS.length + 3, 'a line for each refusal, no answer, the ring timeout, the answered end');
  // every path ends at "end" (the answered call, which logs) or "done" (the others, logged already)
  t.regex(x, /<label id="done"\/>\n  <nop\/>\n<\/scenario>/);
});

test('load UAC scenario: CANCEL and the ACK of a refusal repeat the INVITE branch; keys are INFOs after the answer', (t) => {
  const x = loadUacScenarioXml(UAC);
  const branch = 'branch=z9hG4bK[pid]c[call_number]i';
  const inviteVia = x.slice(x.indexOf('INVITE sip:'), x.indexOf('CSeq: 1 INVITE'));
  t.true(inviteVia.includes(branch));
  const cancel = x.slice(x.indexOf('CANCEL sip:'), x.indexOf('CSeq: 1 CANCEL'));
  t.true(cancel.includes(branch));
  const ack = x.slice(x.indexOf('ACK sip:'), x.indexOf('CSeq: 1 ACK', x.indexOf('ACK sip:')));
  t.true(ack.includes(branch) && ack.includes('[last_To:]'));
  const answered = x.indexOf('<label id="answered"/>');
  t.true(x.indexOf('Signal=0', answered) > answered);
  t.true(x.indexOf('Signal=1', answered) > x.indexOf('Signal=0', answered));
  t.is((x.slice(answered).match(/<pause milliseconds="500"\/>/g) ?? []).length, 2);
  t.is((x.match(/<add assign_to="ks" value="1"\/>/g) ?? []).length, 2);
  t.is((x.match(/<add assign_to="ka" value="1"\/>/g) ?? []).length, 2);
  t.regex(x, /<pause milliseconds="1000"\/>\n  <label id="hangup"\/>\n  <nop><action><gettimeofday assign_to="hs,hu"\/><\/action><\/nop>/);
  t.regex(x, /CSeq: 4 BYE/);
  // the target's BYE ends the call unless ours went first
  t.regex(x, /<label id="target_bye"\/>\n  <nop condexec="hs" condexec_inverse="true"><action><gettimeofday assign_to="hs,hu"\/><assign assign_to="by" value="1"\/><\/action><\/nop>/);
  t.regex(x, /<label id="end"\/>\n  <nop><action>[^\n]*call_end[^\n]*<\/action><\/nop>\n/);
});

test('an IPv6 target: its host (and port) go to SIPp as [remote_ip] and [remote_port]', (t) => {
  t.is(sippUri('sip:12333@127.0.0.1:5060', '127.0.0.1:5060'), 'sip:12333@127.0.0.1:5060');
  t.is(sippUri('sip:12333@[::1]:5070', '[::1]:5070'), 'sip:12333@[remote_ip]:[remote_port]');
  t.is(sippUri('sip:12333@[::1];transport=udp', '[::1]:5060'), 'sip:12333@[remote_ip];transport=udp');
  t.throws(() => sippUri('sip:12333@[::2]:5070', '[::1]:5070'), { instanceOf: RangeError });
  t.regex(loadUacScenarioXml({ ...UAC, uri: 'sip:12333@[remote_ip]:[remote_port]' }), /INVITE sip:12333@\[remote_ip\]:\[remote_port\] SIP\/2\.0/);
  t.throws(() => loadUacScenarioXml({ ...UAC, uri: 'sip:12333@[::1]:5070' }), { message: /\[remote_ip\]/ });
});

test('load UAC scenario: bad input is refused', (t) => {
  t.throws(() => loadUacScenarioXml({ ...UAC, uri: 'sip:a@b]]>' }), { instanceOf: RangeError });
  t.throws(() => loadUacScenarioXml({ ...UAC, uri: 'sip:<x>' }), { instanceOf: RangeError });
  t.throws(() => loadUacScenarioXml({ ...UAC, keys: '0x' }), { instanceOf: RangeError });
  t.throws(() => loadUacScenarioXml({ ...UAC, holdMs: -1 }), { instanceOf: RangeError });
});
