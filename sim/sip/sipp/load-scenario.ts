// The SIPp scenario of the sipp engine (`callsim load --engine sipp`): one call per run of the
// scenario, from the calling number in the injection file's first field. It logs one line per
// call, at its end, because SIPp writes and flushes every <log> line on its own and a line
// costs about 7 µs of CPU, an eighth of the call (measured: bench/load-rate.ts). Times are
// taken as things happen with <gettimeofday> (microseconds, into call variables) and written
// on that line:
//   callsim <n> call_end at=<s>/<us> t0=<s>/<us> r=<s>/<us> a=<s>/<us> h=<s>/<us> by=1 ks=2 ka=2
//   callsim <n> final_486 at=<s>/<us> t0=<s>/<us> r=<s>/<us>      (also no_answer, ring_timeout)
// t0 is when the INVITE left, r the first 18x, a the 200, h when the answered call ended (our
// BYE or the target's, by=1), ks/ka keys sent and acknowledged. SIPp prints a variable as "%lf"
// ("1795392503.000000") and an unset one (or 0) as nothing. load-tally.ts reads them.

import { LOG_TAG, SDP, cdata, checkMs } from './scenario-xml.js';

/** The events (first word after the call number) of the log lines: each is a call's only line. */
export const LOAD_EVENTS = {
  /** A refusal of the INVITE (t0, r). */
  final: (code: number) => `final_${code}`,
  /** Nothing came back within the ring timeout: the call is dropped without a CANCEL (RFC 3261 §9.1) (t0). */
  noAnswer: 'no_answer',
  /** Trying or ringing, unanswered at the ring timeout: CANCEL sent (t0, r). */
  ringTimeout: 'ring_timeout',
  /** An answered call ended (t0, r, a, h, by, ks, ka). */
  end: 'call_end',
} as const;

/** Provisional responses the scenario recognises (another 1xx is an unexpected message to SIPp). */
export const LOAD_PROVISIONALS: readonly number[] = [100, 180, 181, 182, 183, 199];
/**
 * Final refusals the scenario recognises, each logged with its code and ACKed: the IANA SIP
 * response codes from 300 up. A code not listed (or a 2xx other than 200) is an unexpected
 * message to SIPp, which aborts the call and quotes the response in its error log.
 */
export const LOAD_REFUSALS: readonly number[] = [
  300, 301, 302, 305, 380,
  400, 401, 402, 403, 404, 405, 406, 407, 408, 410, 412, 413, 414, 415, 416, 417, 420, 421, 422, 423, 424, 425, 428, 429,
  430, 433, 436, 437, 438, 439, 440, 469, 470, 480, 481, 482, 483, 484, 485, 486, 487, 488, 489, 491, 493, 494,
  500, 501, 502, 503, 504, 505, 513, 555, 580,
  600, 603, 604, 606, 607, 608,
];
/** Refusals of an in-dialog INFO after which the call goes on (the key counts as sent, not acknowledged). */
const INFO_REFUSALS = [400, 403, 404, 405, 408, 415, 420, 469, 480, 481, 488, 489, 491, 500, 501, 503, 504];

export interface LoadUacOptions {
  /** Request-URI and To of every INVITE, e.g. `sip:12333@127.0.0.1:5060` or `sip:12333@[remote_ip]:[remote_port]`. */
  uri: string;
  /** DTMF keys sent by INFO after the answer, one every `keyGapMs` (the first `keyGapMs` after the answer). */
  keys: string;
  keyGapMs: number;
  /** Time the call stays up after its last key (after the answer when there are no keys) before our BYE. */
  holdMs: number;
  /** Time from the INVITE to giving up an unanswered call: CANCEL if a provisional came, else the call is dropped. */
  ringTimeoutMs: number;
  /** Longest wait for the answer to an in-dialog request or to our CANCEL; default 32 s (Timer F). */
  transactionTimeoutMs?: number;
  /** Signal duration in the dtmf-relay body; default 160 ms. */
  dtmfDurationMs?: number;
}

function checkUri(uri: string): string {
  // The URI goes verbatim into the request line and To: a conservative character set, and no
  // brackets but SIPp's own [remote_ip] and [remote_port] (to SIPp, "[::1]" is an unknown keyword).
  const plain = uri.replace(/\[remote_ip\]|\[remote_port\]/g, 'x');
  if (!/^sips?:[A-Za-z0-9_.!~*'()%+=,;?/:@-]+$/.test(plain)) throw new RangeError(`not a usable SIP URI for SIPp: ${JSON.stringify(uri)} (an IPv6 host must be written [remote_ip])`);
  return uri;
}

const act = (...actions: string[]): string => `<action>${actions.join('')}</action>`;
const now = (s: string, us: string): string => `<gettimeofday assign_to="${s},${us}"/>`;
const set = (variable: string, value: number): string => `<assign assign_to="${variable}" value="${value}"/>`;
/** A log line of `event` with the time now and `fields` (name=variable pairs, printed s/us or as is). */
function logNow(event: string, fields: string): string {
  return `${now('e', 'eu')}<log message="${LOG_TAG} [call_number] ${event} at=[$e]/[$eu]${fields}"/>`;
}
const T0 = ' t0=[$t0s]/[$t0us]';
const RING = ' r=[$rs]/[$ru]';

/**
 * The scenario. INVITE, then a `<pause>` of the rest of the ring timeout, during which the
 * responses to the INVITE are caught by "global" optional receives placed just after it
 * (unreachable in sequence, found by SIPp's backward search): a 1xx comes back to the pause
 * with the time left recomputed from the INVITE (a receive's own `timeout` would not do: SIPp
 * 3.6.1 re-arms none after an optional match, and a response often arrives before SIPp has
 * even started waiting); a refusal is logged and ACKed; the 200 leads to ACK, a pause and an
 * INFO per key, the hold and our BYE. When the pause runs out: CANCEL if a provisional came,
 * else the call is dropped. A BYE from the target at any point after the answer is caught by
 * another global receive and answered 200.
 */
export function loadUacScenarioXml(o: LoadUacOptions): string {
  const uri = checkUri(o.uri);
  if (!/^[0-9*#A-D]*$/.test(o.keys)) throw new RangeError(`keys: expected DTMF keys 0-9, *, #, A-D, got ${JSON.stringify(o.keys)}`);
  const keyGapMs = checkMs('keyGapMs', o.keyGapMs);
  const holdMs = checkMs('holdMs', o.holdMs);
  const ringTimeoutMs = Math.max(1, checkMs('ringTimeoutMs', o.ringTimeoutMs));
  const txMs = Math.max(1, checkMs('transactionTimeoutMs', o.transactionTimeoutMs ?? 32_000));
  const dtmfMs = checkMs('dtmfDurationMs', o.dtmfDurationMs ?? 160);
  // The INVITE's branch is written out (SIPp's [branch] changes with the message index) so
  // that the CANCEL and the ACK of a refusal repeat it (RFC 3261 §9.1, §17.1.1.3).
  const inviteVia = 'Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=z9hG4bK[pid]c[call_number]i';
  const from = 'From: <sip:[field0]@[local_ip]:[local_port]>;tag=[pid]cl[call_number]';
  const contact = 'Contact: <sip:[field0]@[local_ip]:[local_port];transport=[transport]>';
  const inDialog = (method: string, cseq: number): string[] => [
    `${method} [next_url] SIP/2.0`,
    'Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]',
    from,
    `To: <${uri}>[peer_tag_param]`,
    'Call-ID: [call_id]',
    `CSeq: ${cseq} ${method}`,
    contact,
    'Max-Forwards: 70',
  ];
  const jump = (label: string): string => `  <nop next="${label}"/>\n`;
  const send = (lines: string[], attrs = '', action = ''): string => `  <send${attrs}>\n    ${cdata(lines)}\n  ${action}</send>\n`;

  let x = `<?xml version="1.0" encoding="ISO-8859-1" ?>\n<!DOCTYPE scenario SYSTEM "sipp.dtd">\n<!-- generated by callsim sim/sip/sipp/load-scenario.ts -->\n<scenario name="callsim load UAC">\n`;
  // `calling` is 1 until the INVITE is settled, so that a retransmitted final is not acted on
  // twice; by, ks, ka start at 0 (SIPp also refuses a variable referenced only once)
  x += `  <nop>${act(set('calling', 1), set('by', 0), set('ks', 0), set('ka', 0))}</nop>\n`;
  // t0: a send's actions run just after it went out
  x += send([`INVITE ${uri} SIP/2.0`, inviteVia, from, `To: <${uri}>`, 'Call-ID: [call_id]', 'CSeq: 1 INVITE', contact, 'Max-Forwards: 70', 'User-Agent: callsim-sipp-load', 'Content-Type: application/sdp', 'Content-Length: [len]', '', ...SDP, ''], ' retrans="500"', act(now('t0s', 't0us')));
  // The global receives. The call waits on the first (its timeout is the ring timeout when
  // nothing at all comes back). They follow the INVITE so that a 1xx stops its
  // retransmissions (SIPp does that only for a receive after the last send), and they match
  // by CSeq method (INVITE), so the 200 to a CANCEL or an INFO never does.
  LOAD_PROVISIONALS.forEach((code, i) => {
    const timeout = i === 0 ? ` timeout="${ringTimeoutMs}" ontimeout="unanswered"` : '';
    x += `  <recv response="${code}" optional="global"${timeout} next="${code === 100 ? 'trying' : 'ringing'}"/>\n`;
  });
  for (const code of LOAD_REFUSALS) x += `  <recv response="${code}" optional="global" test="calling" next="refused">${act(logNow(LOAD_EVENTS.final(code), T0 + RING))}</recv>\n`;
  x += `  <recv response="200" optional="global" test="calling" next="answered" rrs="true">${act(now('as', 'au'))}</recv>\n`;
  x += `  <recv request="BYE" optional="global" next="target_bye"/>\n`;
  // never received: SIPp wants a mandatory receive in every run of receives
  x += `  <recv request="CALLSIM-NEVER"/>\n`;

  // ringing: the first 18x is the post-dial delay; then wait out the ring timeout, counted from the INVITE
  x += `  <label id="ringing"/>\n`;
  x += `  <nop condexec="rs" condexec_inverse="true">${act(now('rs', 'ru'))}</nop>\n`;
  x += `  <label id="trying"/>\n`;
  x += `  <nop>${act(
    now('ns', 'nus'),
    '<subtract assign_to="ns" variable="t0s"/>',
    '<subtract assign_to="nus" variable="t0us"/>',
    '<multiply assign_to="ns" value="1000"/>',
    '<divide assign_to="nus" value="1000"/>',
    '<add assign_to="ns" variable="nus"/>',
    set('rest', ringTimeoutMs),
    '<subtract assign_to="rest" variable="ns"/>',
  )}</nop>\n`;
  x += `  <pause variable="rest"/>\n`;
  // still unanswered, a provisional having come: CANCEL, then its 200 and the INVITE's 487 (ACKed)
  x += `  <nop>${act(logNow(LOAD_EVENTS.ringTimeout, T0 + RING))}</nop>\n`;
  x += send([`CANCEL ${uri} SIP/2.0`, inviteVia, from, `To: <${uri}>`, 'Call-ID: [call_id]', 'CSeq: 1 CANCEL', 'Max-Forwards: 70', 'Content-Length: 0', ''], ' retrans="500"');
  x += `  <recv response="200" optional="true" timeout="${txMs}" ontimeout="done" next="cancelled"/>\n`;
  x += `  <recv response="487" timeout="${txMs}" ontimeout="done" next="ack"/>\n`;
  x += `  <label id="cancelled"/>\n`;
  x += `  <recv response="487" timeout="${txMs}" ontimeout="done" next="ack"/>\n`;

  // not a word from the target
  x += `  <label id="unanswered"/>\n`;
  x += `  <nop>${act(logNow(LOAD_EVENTS.noAnswer, T0))}</nop>\n`;
  x += jump('done');

  x += `  <label id="answered"/>\n`;
  x += `  <nop>${act(set('calling', 0))}</nop>\n`;
  x += send([...inDialog('ACK', 1), 'Content-Length: 0', '']);
  let cseq = 2;
  [...o.keys].forEach((key, i) => {
    if (keyGapMs > 0) x += `  <pause milliseconds="${keyGapMs}"/>\n`;
    x += `  <nop>${act('<add assign_to="ks" value="1"/>')}</nop>\n`;
    x += send([...inDialog('INFO', cseq++), 'Content-Type: application/dtmf-relay', 'Content-Length: [len]', '', `Signal=${key}`, `Duration=${dtmfMs}`], ' retrans="500"');
    for (const code of INFO_REFUSALS) x += `  <recv response="${code}" optional="true" timeout="${txMs}" ontimeout="hangup" next="key${i}"/>\n`;
    x += `  <recv response="200" timeout="${txMs}" ontimeout="hangup">${act('<add assign_to="ka" value="1"/>')}</recv>\n`;
    x += `  <label id="key${i}"/>\n`;
  });
  if (holdMs > 0) x += `  <pause milliseconds="${holdMs}"/>\n`;
  x += `  <label id="hangup"/>\n`;
  x += `  <nop>${act(now('hs', 'hu'))}</nop>\n`;
  x += send([...inDialog('BYE', cseq), 'Content-Length: 0', ''], ' retrans="500"');
  for (const code of [408, 481, 500]) x += `  <recv response="${code}" optional="true" timeout="${txMs}" ontimeout="end" next="end"/>\n`;
  x += `  <recv response="200" timeout="${txMs}" ontimeout="end"/>\n`;
  x += jump('end');

  // a refusal (or the 487 after our CANCEL): ACK with the INVITE's branch and the response's To tag
  x += `  <label id="refused"/>\n`;
  x += `  <nop>${act(set('calling', 0))}</nop>\n`;
  x += `  <label id="ack"/>\n`;
  x += send([`ACK ${uri} SIP/2.0`, inviteVia, from, '[last_To:]', 'Call-ID: [call_id]', 'CSeq: 1 ACK', 'Max-Forwards: 70', 'Content-Length: 0', '']);
  x += jump('done');

  // the target hangs up (unless we already had)
  x += `  <label id="target_bye"/>\n`;
  x += `  <nop condexec="hs" condexec_inverse="true">${act(now('hs', 'hu'), set('by', 1))}</nop>\n`;
  x += send(['SIP/2.0 200 OK', '[last_Via:]', '[last_From:]', '[last_To:]', '[last_Call-ID:]', '[last_CSeq:]', 'Content-Length: 0', '']);
  // the answered call's line; the other outcomes wrote theirs already
  x += `  <label id="end"/>\n`;
  x += `  <nop>${act(logNow(LOAD_EVENTS.end, `${T0 + RING} a=[$as]/[$au] h=[$hs]/[$hu] by=[$by] ks=[$ks] ka=[$ka]`))}</nop>\n`;
  // (a label at the very end would make SIPp count a timeout jumping there as a failed call, and abort it)
  x += `  <label id="done"/>\n`;
  x += `  <nop/>\n`;
  x += `</scenario>\n`;
  return x;
}
