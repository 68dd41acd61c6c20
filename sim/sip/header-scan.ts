// Allocation-free checks of the header values the codec validates on every message (Via,
// name-addr, CSeq, Call-ID, Max-Forwards, Content-Type, Content-Length), run on the message
// text from the value's first character. Each accepts only the common forms of its grammar
// (no quoted parameter values, no IPv6 references, no comma lists) and returns the index of
// the CR ending the value's line, or -1 meaning "ask the full scanners of header-values.ts",
// which either throw the positioned error or accept an unusual form. So these can never make
// the codec less strict; parse-fast.prop.test.ts checks that against the full parser.

// Sticky regular expressions, run from the value's start (lastIndex). The line flavour runs up
// to and including the CR ending the value's line: no character class admits CR, so a match
// spans exactly the value and its trailing LWS, and lastIndex - 1 is the line's end. The
// value flavour matches a whole value string, with trailing LWS only where the full scanners
// allow it (after parameters). Native matching costs a fraction of a charCodeAt loop. No
// repetition can match the same text in two ways, so a failing value costs a few passes over
// it at most; the duplicate-parameter lookaheads scan the rest of the value, hence at most 8
// parameters (more go to the full scanner, which is linear).
// The `i` flag folds ASCII case only (no `u` flag), as toLowerCase does on token characters.
const TOKEN = "[-.!%*_+`'~a-z0-9]";
const WORD = `[-.!%*_+\`'~a-z0-9()<>:\\\\"/\\[\\]?{}]`;
const LWS = '[ \\t]*';
const PORT = '(?:[0-9]{1,4}|[0-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5])';
/** scheme ":" then no space, control, `< > "` (as checkUri wants), nor a comma (a list would split there). */
const URI = '[a-z][-+.a-z0-9]*:[^\\x00-\\x20\\x7f<>",]+';

/** The value grammars, ending at a line's CR (`line`) or at the end of the string. */
function grammars(line: boolean) {
  const end = line ? '\\r' : '$';
  /** After a value whose full scanner allows no trailing LWS (it is trimmed away in a message). */
  const tail = line ? `${LWS}\\r` : '$';
  /** A whole parameter name that does not come again as a parameter name later in the value. */
  const name = `(${TOKEN}+)(?!${TOKEN})(?![^\\r]*;${LWS}\\1${LWS}${line ? '[=;\\r]' : '(?:[=;]|$)'})`;
  /** `*( SEMI generic-param )` with token values, no name twice, then the end. */
  const params = `(?:${LWS};${LWS}${name}(?:${LWS}=${LWS}${TOKEN}+)?){0,8}${LWS}${end}`;
  /** Via parameters: as `params`, and an `rport` with a value must have a port number (RFC 3581). */
  const viaParams = `(?:${LWS};${LWS}(?=${name})(?:rport(?:${LWS}=${LWS}${PORT})?(?!${TOKEN})|(?!rport(?!${TOKEN}))${TOKEN}+(?:${LWS}=${LWS}${TOKEN}+)?)){0,8}${LWS}${end}`;
  return {
    via: new RegExp(`SIP/2\\.0/${TOKEN}+[ \\t]+[-.a-z0-9]+(?:${LWS}:${LWS}${PORT})?${viaParams}`, 'iy'),
    /** `"display" <uri>`, `display tokens <uri>`, `<uri>`, or an addr-spec (no `<` at all), then parameters. */
    nameAddr: new RegExp(`(?:(?:"[^"\\\\\\x00-\\x08\\x0a-\\x1f\\x7f]*"${LWS}|[-.!%*_+\`'~a-z0-9 \\t]*)<${URI}>|${URI.replace(',]', ',;]')})${params}`, 'iy'),
    star: new RegExp(`\\*${tail}`, 'y'),
    cseq: new RegExp(`[0-9]{1,10}[ \\t]+${TOKEN}+${tail}`, 'iy'),
    callId: new RegExp(`${WORD}+(?:@${WORD}+)?${tail}`, 'iy'),
    mediaType: new RegExp(`${TOKEN}+${LWS}/${LWS}${TOKEN}+${params}`, 'iy'),
    /** 0 to 255 (leading zeros allowed, at most 3 digits). */
    maxForwards: new RegExp(`(?:[0-9]{1,2}|[01][0-9]{2}|2[0-4][0-9]|25[0-5])${tail}`, 'y'),
    digits: new RegExp(`[0-9]{1,10}${tail}`, 'y'),
  };
}

const LINE = grammars(true);
const VALUE = grammars(false);
/** Any text without control characters but HTAB. */
const PRINTABLE = /[^\x00-\x08\x0a-\x1f\x7f]*\r/y;
const REQUEST_URI = new RegExp(`${URI} `, 'iy');

/** The CR after a match of `re` from `i`, or -1. */
function endOf(re: RegExp, t: string, i: number): number {
  re.lastIndex = i;
  return re.test(t) ? re.lastIndex - 1 : -1;
}

/** Whether `re` (value flavour) matches the whole of `v`. */
function whole(re: RegExp, v: string): boolean {
  re.lastIndex = 0;
  return re.test(v);
}

/** `sent-protocol LWS sent-by *( SEMI via-params )`, written `SIP/2.0/transport`. */
export function viaEnd(t: string, i: number): number {
  return endOf(LINE.via, t, i);
}

/**
 * name-addr or addr-spec with parameters: `"Display" <uri>;p`, `Display <uri>;p`, `<uri>;p` or
 * `uri;p`; `*` when `allowStar` (Contact). A display name with escapes goes to the full scanner.
 */
export function nameAddrEnd(t: string, i: number, allowStar: boolean): number {
  if (allowStar && t.charCodeAt(i) === 0x2a) return endOf(LINE.star, t, i);
  return endOf(LINE.nameAddr, t, i);
}

/** `1*DIGIT LWS Method`, the number below 2**31. */
export function cseqEnd(t: string, i: number): number {
  const end = endOf(LINE.cseq, t, i);
  return end >= 0 && digitsAt(t, i) < 2 ** 31 ? end : -1;
}

/** `word ["@" word]`. */
export function callIdEnd(t: string, i: number): number {
  return endOf(LINE.callId, t, i);
}

/** `type "/" subtype *( SEMI m-parameter )` with token parameter values. */
export function mediaTypeEnd(t: string, i: number): number {
  return endOf(LINE.mediaType, t, i);
}

/** Max-Forwards: 0-255. */
export function maxForwardsEnd(t: string, i: number): number {
  return endOf(LINE.maxForwards, t, i);
}

/** 1 to 10 digits (Content-Length). */
export function digitsEnd(t: string, i: number): number {
  return endOf(LINE.digits, t, i);
}

/** Any value without control characters but HTAB. */
export function printableEnd(t: string, i: number): number {
  return endOf(PRINTABLE, t, i);
}

/** A Request-URI from `s` as checkUri wants it (and without commas), followed by SP: the SP's index, or -1. */
export function requestUriEnd(t: string, s: number): number {
  return endOf(REQUEST_URI, t, s);
}

/** The value of the digits from `i` on (the caller has checked there are 1 to 10). */
export function digitsAt(t: string, i: number): number {
  let n = 0;
  for (let d = t.charCodeAt(i) - 48; d >= 0 && d <= 9; d = t.charCodeAt(++i) - 48) n = n * 10 + d;
  return n;
}

/**
 * The common forms of whole values (no LWS around them), for the accessors: true when the value
 * is certainly valid for the full scanner, false when only it can tell.
 */
export const simpleValue = {
  via: (v: string): boolean => whole(VALUE.via, v),
  nameAddr: (v: string, allowStar: boolean): boolean => (allowStar && v.charCodeAt(0) === 0x2a ? whole(VALUE.star, v) : whole(VALUE.nameAddr, v)),
  cseq: (v: string): boolean => whole(VALUE.cseq, v) && digitsAt(v, 0) < 2 ** 31,
  callId: (v: string): boolean => whole(VALUE.callId, v),
  mediaType: (v: string): boolean => whole(VALUE.mediaType, v),
  maxForwards: (v: string): boolean => whole(VALUE.maxForwards, v),
  digits: (v: string): boolean => whole(VALUE.digits, v),
};
