// The messages of a typical simulated call, as they cross the in-memory transport of
// `callsim run --signaling sip`: INVITE with SDP, 100, 180, 200 with SDP, ACK, DTMF by INFO
// (application/dtmf-relay) and its 200, BYE and its 200. Shared by the codec's tests and its
// throughput bench, so that both look at the same wire text. Call n differs from call m in
// every identifier (caller, tags, Call-ID, branches, SDP session), as concurrent calls do.

/** One message of the call, by what it is. */
export interface CallMessage {
  /** `INVITE (SDP)`, `100 Trying`, ..., `200 OK (BYE)`. */
  readonly label: string;
  /** Wire text, CRLF line ends, Content-Length matching the body. */
  readonly text: string;
}

const UA = 'callsim/0.1';
const IVR_URI = 'sip:12333@ivr.callsim.invalid';
const IVR_CONTACT_URI = 'sip:12333@10.20.0.1:5060;transport=udp';

/** The body of an INFO carrying DTMF key 1 (application/dtmf-relay, as SIP phones send it). */
export const DTMF_BODY = 'Signal=1\r\nDuration=160\r\n';

function sdpOf(user: string, id: number, ip: string, port: number): string {
  return [
    'v=0', `o=${user} ${id} ${id} IN IP4 ${ip}`, 's=callsim', `c=IN IP4 ${ip}`, 't=0 0',
    `m=audio ${port} RTP/AVP 0 8 101`, 'a=rtpmap:0 PCMU/8000', 'a=rtpmap:8 PCMA/8000',
    'a=rtpmap:101 telephone-event/8000', 'a=fmtp:101 0-15', 'a=ptime:20', 'a=sendrecv', '',
  ].join('\r\n');
}

function message(lines: readonly string[], body = '', contentType?: string): string {
  const all = contentType === undefined ? [...lines] : [...lines, `Content-Type: ${contentType}`];
  // the bodies are ASCII, so characters are bytes
  all.push(`Content-Length: ${body.length}`);
  return `${all.join('\r\n')}\r\n\r\n${body}`;
}

const hex = (n: number, width: number): string => n.toString(16).padStart(width, '0');

/** The 11 messages of call `n` (0, 1, ...): the nine kinds, the INFO and its 200 twice. */
function call(n: number): { kinds: CallMessage[]; sequence: string[] } {
  const caller = String(13904310001 + n);
  const ip = `10.${20 + ((n >> 16) & 127)}.${(n >> 8) & 255}.${(n & 255) ^ 17}`;
  const from = `"${caller}" <sip:${caller}@callers.callsim.invalid>;tag=${hex((0x8f2c41d7 ^ Math.imul(n, 0x9e3779b1)) >>> 0, 8)}`;
  const toNoTag = `<${IVR_URI}>`;
  const to = `${toNoTag};tag=ivr-${hex((0x5a91c3e0 ^ Math.imul(n, 40503)) >>> 0, 8)}`;
  const callId = `3c26700b-9a4f-4b51-8f5a-${hex(0x21d0c1e8e6f4 + n, 12)}@${ip}`;
  const callerContact = `<sip:${caller}@${ip}:5060;transport=udp>`;
  const ivrContact = `<${IVR_CONTACT_URI}>`;
  const branch = (k: number): string => `z9hG4bK.${hex(n, 4)}${hex(k * 0x1a2b, 4)}`;
  const request = (method: string, uri: string, k: number, seq: number, toValue: string, extra: string[]): string[] => [
    `${method} ${uri} SIP/2.0`, `Via: SIP/2.0/UDP ${ip}:5060;branch=${branch(k)};rport`, 'Max-Forwards: 70', `From: ${from}`,
    `To: ${toValue}`, `Call-ID: ${callId}`, `CSeq: ${seq} ${method}`, ...extra,
  ];
  // the Via as the IVR echoes it (RFC 3581: received and rport filled in)
  const response = (status: string, k: number, seq: number, method: string, toValue: string, extra: string[]): string[] => [
    `SIP/2.0 ${status}`, `Via: SIP/2.0/UDP ${ip}:5060;branch=${branch(k)};rport=5060;received=${ip}`, `From: ${from}`,
    `To: ${toValue}`, `Call-ID: ${callId}`, `CSeq: ${seq} ${method}`, ...extra,
  ];
  const callerExtra = [`Contact: ${callerContact}`, `User-Agent: ${UA}`];
  const ivrExtra = [`Contact: ${ivrContact}`, `User-Agent: ${UA}`];
  const info = (k: number, seq: number, key: number): string =>
    message(request('INFO', IVR_CONTACT_URI, k, seq, to, callerExtra), DTMF_BODY.replace('1', String(key)), 'application/dtmf-relay');
  const infoOk = (k: number, seq: number): string => message(response('200 OK', k, seq, 'INFO', to, ivrExtra));
  const kinds: CallMessage[] = [
    { label: 'INVITE (SDP)', text: message(request('INVITE', IVR_URI, 1, 1, toNoTag, callerExtra), sdpOf('caller', 1700000001 + 2 * n, ip, 40000 + 2 * (n % 10000)), 'application/sdp') },
    { label: '100 Trying', text: message(response('100 Trying', 1, 1, 'INVITE', toNoTag, [`User-Agent: ${UA}`])) },
    { label: '180 Ringing', text: message(response('180 Ringing', 1, 1, 'INVITE', to, ivrExtra)) },
    { label: '200 OK (INVITE, SDP)', text: message(response('200 OK', 1, 1, 'INVITE', to, ivrExtra), sdpOf('ivr', 1700000002 + 2 * n, '10.20.0.1', 50000 + 2 * (n % 10000)), 'application/sdp') },
    { label: 'ACK', text: message(request('ACK', IVR_CONTACT_URI, 2, 1, to, callerExtra)) },
    { label: 'INFO (dtmf-relay)', text: info(3, 2, 1) },
    { label: '200 OK (INFO)', text: infoOk(3, 2) },
    { label: 'BYE', text: message(request('BYE', IVR_CONTACT_URI, 5, 4, to, callerExtra)) },
    { label: '200 OK (BYE)', text: message(response('200 OK', 5, 4, 'BYE', to, [`User-Agent: ${UA}`])) },
  ];
  const t = kinds.map((m) => m.text);
  // a caller who picks a menu item, then a submenu item: a second INFO (key 2, CSeq 3) and its 200
  return { kinds, sequence: [t[0]!, t[1]!, t[2]!, t[3]!, t[4]!, t[5]!, t[6]!, info(4, 3, 2), infoOk(4, 3), t[7]!, t[8]!] };
}

/** The nine distinct kinds of message of a call, in the order they are first sent. */
export const CALL_MESSAGES: readonly CallMessage[] = call(0).kinds;

/** The wire texts of one whole call in sending order: 11 messages. */
export const CALL_SEQUENCE: readonly string[] = call(0).sequence;

/** The nine kinds of message of call `n` (call 0's are CALL_MESSAGES). */
export function callKinds(n: number): readonly CallMessage[] {
  return call(n).kinds;
}

/**
 * The messages of `calls` concurrent calls, interleaved as a busy transport carries them:
 * every call's first message, then every call's second, and so on.
 */
export function interleavedCalls(calls: number): string[] {
  const sequences = Array.from({ length: calls }, (_, n) => call(n).sequence);
  const out: string[] = [];
  for (let k = 0; k < CALL_SEQUENCE.length; k++) for (const s of sequences) out.push(s[k]!);
  return out;
}
