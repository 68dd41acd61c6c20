// Generates SIPp XML scenarios (UAC and UAS) from a caller's path. Every interesting event
// is written by a SIPp `<log>` action as one line
//   callsim <call_number> <event> [timestamp]
// where SIPp 3.6.1 expands [timestamp] to "YYYY-MM-DD<TAB>HH:MM:SS.uuuuuu<TAB>EPOCH.uuuuuu",
// read from gettimeofday() when the action runs (microsecond resolution). SIPp's other clock
// keyword, [clock_tick], is the scheduler's millisecond clock, refreshed once per main-loop
// pass (4 ms steps observed in 3.6.1), so it is not used. See docs/sipp.md.

/** The tag at the start of every log line the generated scenarios write. */
export const LOG_TAG = 'callsim';

const DTMF_KEYS = /^[0-9*#A-D]$/;

export interface DtmfDigit {
  /** One DTMF key: 0-9, *, #, A-D. */
  key: string;
  /** Pause before sending this digit (after the answer for the first digit, else after the previous INFO's 200). */
  pauseMs: number;
  /** Signal duration carried in the dtmf-relay body; default 160 ms. */
  durationMs?: number;
}

export type ProvisionalExpectation = number | { code: number; optional: boolean };

export interface CallerPath {
  digits: DtmfDigit[];
  /** Time after the last digit's 200 (or after the ACK if no digits) before the BYE. */
  holdMs: number;
  expect: {
    /** Provisional responses in order; 100 is always optional (hop-by-hop), others required unless `{ optional: true }`. */
    provisional: ProvisionalExpectation[];
    /** Final response to the INVITE; only 2xx continues into the dialog. */
    final: number;
  };
  /** Request-URI user part; default `12333`. */
  service?: string;
  /**
   * Who ends the call: `caller` (default) sends BYE after `holdMs`; `system` waits for the
   * system's BYE (an agent hanging up) and answers it 200.
   */
  hangup?: 'caller' | 'system';
  /** The calling number (From user part); default `caller`. Its area code picks the home center. */
  from?: string;
}

export interface UasOptions {
  /** Time between the 180 Ringing and the 200 OK. */
  ringMs: number;
  /** Write per-call log lines (invite_rcvd, answered, info_rcvd, bye_rcvd). Default true. */
  log?: boolean;
}

/** Events the UAC scenario logs, in the order they happen. */
export const UAC_EVENTS = {
  invite: 'invite_sent',
  provisional: (code: number) => `prov_${code}`,
  final: (code: number) => `final_${code}`,
  infoSent: (i: number) => `info_sent_${i}`,
  infoOk: (i: number) => `info_ok_${i}`,
  byeSent: 'bye_sent',
  byeOk: 'bye_ok',
  byeReceived: 'bye_rcvd',
} as const;

function log(event: string): string {
  return `<action><log message="${LOG_TAG} [call_number] ${event} [timestamp]"/></action>`;
}

function nopLog(event: string): string {
  return `  <nop>${log(event)}</nop>\n`;
}

/** Lines as a CDATA section (a SIP message in a `<send>`). */
export function cdata(lines: string[]): string {
  return `<![CDATA[\n${lines.join('\n')}\n]]>`;
}

/** A non-negative duration in whole milliseconds, or a RangeError naming `name`. */
export function checkMs(name: string, v: number): number {
  if (!Number.isFinite(v) || v < 0) throw new RangeError(`${name} must be a non-negative number of milliseconds, got ${v}`);
  return Math.round(v);
}

function checkCode(name: string, c: number, lo: number, hi: number): number {
  if (!Number.isInteger(c) || c < lo || c > hi) throw new RangeError(`${name} must be a SIP status code in ${lo}..${hi}, got ${c}`);
  return c;
}

/** The offer of every generated INVITE and 200: PCMU and telephone-event, no media sent. */
export const SDP: string[] = [
  'v=0',
  'o=callsim 1 1 IN IP[local_ip_type] [local_ip]',
  's=callsim',
  'c=IN IP[media_ip_type] [media_ip]',
  't=0 0',
  'm=audio [media_port] RTP/AVP 0 101',
  'a=rtpmap:0 PCMU/8000',
  'a=rtpmap:101 telephone-event/8000',
  'a=fmtp:101 0-16',
];

function uacHeaders(method: string, cseq: number, ruri: string, inDialog: boolean, from = 'caller'): string[] {
  return [
    `${method} ${ruri} SIP/2.0`,
    'Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]',
    `From: <sip:${from}@[local_ip]:[local_port]>;tag=[pid]callsim[call_number]`,
    `To: <sip:[service]@[remote_ip]:[remote_port]>${inDialog ? '[peer_tag_param]' : ''}`,
    'Call-ID: [call_id]',
    `CSeq: ${cseq} ${method}`,
    'Contact: <sip:caller@[local_ip]:[local_port];transport=[transport]>',
    'Max-Forwards: 70',
    'User-Agent: callsim-sipp',
  ];
}

/** A UAC scenario: INVITE (with SDP), provisional(s), final, ACK, one INFO per digit, BYE. */
export function uacScenarioXml(path: CallerPath): string {
  const final = checkCode('expect.final', path.expect.final, 200, 699);
  const digits = path.digits.map((d, i) => {
    if (!DTMF_KEYS.test(d.key)) throw new RangeError(`digit ${i}: not a DTMF key: ${JSON.stringify(d.key)}`);
    return { key: d.key, pauseMs: checkMs(`digit ${i} pauseMs`, d.pauseMs), durationMs: checkMs(`digit ${i} durationMs`, d.durationMs ?? 160) };
  });
  const holdMs = checkMs('holdMs', path.holdMs);
  if (path.service !== undefined && !/^[A-Za-z0-9_.+-]+$/.test(path.service)) throw new RangeError(`bad service: ${path.service}`);
  const from = path.from ?? 'caller';
  if (!/^[A-Za-z0-9_.+-]+$/.test(from)) throw new RangeError(`bad calling number: ${from}`);
  const h = (method: string, cseq: number, ruri: string, inDialog: boolean): string[] => uacHeaders(method, cseq, ruri, inDialog, from);
  const ok = final < 300;
  if (!ok && digits.length > 0) throw new RangeError('digits need a 2xx final response');

  let x = `<?xml version="1.0" encoding="ISO-8859-1" ?>\n<!DOCTYPE scenario SYSTEM "sipp.dtd">\n<!-- generated by callsim sim/sip/sipp/scenario-xml.ts -->\n<scenario name="callsim UAC">\n`;
  x += nopLog(UAC_EVENTS.invite);
  x += `  <send retrans="500">\n    ${cdata([
    ...h('INVITE', 1, 'sip:[service]@[remote_ip]:[remote_port]', false),
    'Content-Type: application/sdp',
    'Content-Length: [len]',
    '',
    ...SDP,
    '',
  ])}\n  </send>\n`;
  for (const p of path.expect.provisional) {
    const code = checkCode('expect.provisional', typeof p === 'number' ? p : p.code, 100, 199);
    const optional = code === 100 || (typeof p === 'object' && p.optional);
    x += `  <recv response="${code}"${optional ? ' optional="true"' : ''}>${log(UAC_EVENTS.provisional(code))}</recv>\n`;
  }
  x += `  <recv response="${final}"${ok ? ' rrs="true"' : ''}>${log(UAC_EVENTS.final(final))}</recv>\n`;
  // ACK: in-dialog for 2xx; for a failure the ACK belongs to the INVITE transaction (SIPp's [branch] repeats the INVITE's).
  x += `  <send>\n    ${cdata([
    ...h('ACK', 1, ok ? '[next_url]' : 'sip:[service]@[remote_ip]:[remote_port]', true),
    'Content-Length: 0',
    '',
  ])}\n  </send>\n`;
  if (ok) {
    let cseq = 2;
    digits.forEach((d, i) => {
      if (d.pauseMs > 0) x += `  <pause milliseconds="${d.pauseMs}"/>\n`;
      x += nopLog(UAC_EVENTS.infoSent(i));
      x += `  <send retrans="500">\n    ${cdata([
        ...h('INFO', cseq++, '[next_url]', true),
        'Content-Type: application/dtmf-relay',
        'Content-Length: [len]',
        '',
        `Signal=${d.key}`,
        `Duration=${d.durationMs}`,
      ])}\n  </send>\n`;
      x += `  <recv response="200">${log(UAC_EVENTS.infoOk(i))}</recv>\n`;
    });
    if (path.hangup === 'system') {
      // the agent hangs up: the system's BYE, answered 200 (Via, From, To, Call-ID, CSeq copied)
      x += `  <recv request="BYE">${log(UAC_EVENTS.byeReceived)}</recv>\n`;
      x += `  <send>\n    ${cdata(['SIP/2.0 200 OK', '[last_Via:]', '[last_From:]', '[last_To:]', '[last_Call-ID:]', '[last_CSeq:]', 'Content-Length: 0', ''])}\n  </send>\n`;
      x += `  <timewait milliseconds="500"/>\n`;
    } else {
      if (holdMs > 0) x += `  <pause milliseconds="${holdMs}"/>\n`;
      x += nopLog(UAC_EVENTS.byeSent);
      x += `  <send retrans="500">\n    ${cdata([...h('BYE', cseq, '[next_url]', true), 'Content-Length: 0', ''])}\n  </send>\n`;
      x += `  <recv response="200" crlf="true">${log(UAC_EVENTS.byeOk)}</recv>\n`;
    }
  }
  x += `</scenario>\n`;
  return x;
}

function uasResponse(status: string, toTag: boolean, extra: string[] = [], body: string[] = []): string {
  return cdata([
    `SIP/2.0 ${status}`,
    '[last_Via:]',
    '[last_From:]',
    `[last_To:]${toTag ? ';tag=[pid]callsimUas[call_number]' : ''}`,
    '[last_Call-ID:]',
    '[last_CSeq:]',
    'Contact: <sip:ivr@[local_ip]:[local_port];transport=[transport]>',
    'Server: callsim-sipp-uas',
    ...extra,
    ...(body.length > 0 ? ['Content-Type: application/sdp', 'Content-Length: [len]', '', ...body, ''] : ['Content-Length: 0', '']),
  ]);
}

/** A UAS scenario: answers INVITE with 180, waits `ringMs`, 200 (with SDP); then answers any number of INFOs and the BYE with 200. */
export function uasScenarioXml(opts: UasOptions): string {
  const ringMs = checkMs('ringMs', opts.ringMs);
  const l = (e: string): string => (opts.log === false ? '' : log(e));
  let x = `<?xml version="1.0" encoding="ISO-8859-1" ?>\n<!DOCTYPE scenario SYSTEM "sipp.dtd">\n<!-- generated by callsim sim/sip/sipp/scenario-xml.ts -->\n<scenario name="callsim UAS">\n`;
  x += `  <recv request="INVITE" crlf="true">${l('invite_rcvd')}</recv>\n`;
  x += `  <send>\n    ${uasResponse('180 Ringing', true)}\n  </send>\n`;
  if (ringMs > 0) x += `  <pause milliseconds="${ringMs}"/>\n`;
  if (opts.log !== false) x += nopLog('answered');
  x += `  <send retrans="500">\n    ${uasResponse('200 OK', true, [], SDP)}\n  </send>\n`;
  x += `  <recv request="ACK" crlf="true"/>\n`;
  x += `  <label id="1"/>\n`;
  x += `  <recv request="INFO" optional="true" next="2">${l('info_rcvd')}</recv>\n`;
  x += `  <recv request="BYE" next="3">${l('bye_rcvd')}</recv>\n`;
  x += `  <label id="2"/>\n`;
  x += `  <send next="1">\n    ${uasResponse('200 OK', false)}\n  </send>\n`;
  x += `  <label id="3"/>\n`;
  x += `  <send>\n    ${uasResponse('200 OK', false)}\n  </send>\n`;
  x += `  <timewait milliseconds="500"/>\n`;
  x += `</scenario>\n`;
  return x;
}
