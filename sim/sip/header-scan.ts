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

/** Regular-expression sources of the value grammars, ending at a line's CR (`line`) or at the end of the string. */
function grammars(line: boolean) {
  const end = line ? '\\r' : '$';
  /** After a value whose full scanner allows no trailing LWS (it is trimmed away in a message). */
  const tail = line ? `${LWS}\\r` : '$';
  let groups = 0;
  /** A whole parameter name that does not come again as a parameter name later in the value (a fresh group each time). */
  const name = (): string => {
    const g = `p${groups++}`;
    return `(?<${g}>${TOKEN}+)(?!${TOKEN})(?![^\\r]*;${LWS}\\k<${g}>${LWS}${line ? '[=;\\r]' : '(?:[=;]|$)'})`;
  };
  /** `*( SEMI generic-param )` with token values, no name twice, then the end. */
  const params = (): string => `(?:${LWS};${LWS}${name()}(?:${LWS}=${LWS}${TOKEN}+)?){0,8}${LWS}${end}`;
  /** Via parameters: as `params`, and an `rport` with a value must have a port number (RFC 3581). */
  const viaParams = (): string =>
    `(?:${LWS};${LWS}(?=${name()})(?:rport(?:${LWS}=${LWS}${PORT})?(?!${TOKEN})|(?!rport(?!${TOKEN}))${TOKEN}+(?:${LWS}=${LWS}${TOKEN}+)?)){0,8}${LWS}${end}`;
  // The usual shapes, tried first: no duplicate parameter is possible in them, so they need no
  // lookahead. At most one parameter (From and To carry a tag, Contact often nothing) ...
  const oneParam = `(?:${LWS};${LWS}${TOKEN}+(?:${LWS}=${LWS}${TOKEN}+)?)?${LWS}${end}`;
  // ... and for Via any of branch, rport and received, each at most once, in any order.
  const [b, r, c] = [`;branch=${TOKEN}+`, `;rport(?:=${PORT})?(?!${TOKEN})`, `;received=${TOKEN}+`];
  const then = (x: string, y: string, z: string): string => `${x}(?:${y}(?:${z})?|${z}(?:${y})?)?`;
  const viaUsual = `(?:${then(b, r, c)}|${then(r, b, c)}|${then(c, b, r)})?${LWS}${end}`;
  const addr = `(?:(?:"[^"\\\\\\x00-\\x08\\x0a-\\x1f\\x7f]*"${LWS}|[-.!%*_+\`'~a-z0-9 \\t]*)<${URI}>|${URI.replace(',]', ',;]')})`;
  return {
    usualVia: `SIP/2\\.0/${TOKEN}+[ \\t]+[-.a-z0-9]+(?::${PORT})?${viaUsual}`,
    usualNameAddr: `${addr}${oneParam}`,
    usualMediaType: `${TOKEN}+/${TOKEN}+${oneParam}`,
    via: (): string => `SIP/2\\.0/${TOKEN}+[ \\t]+[-.a-z0-9]+(?:${LWS}:${LWS}${PORT})?${viaParams()}`,
    /** `"display" <uri>`, `display tokens <uri>`, `<uri>`, or an addr-spec (no `<` at all), then parameters. */
    nameAddr: (): string => `${addr}${params()}`,
    star: `\\*${tail}`,
    cseq: `[0-9]{1,10}[ \\t]+${TOKEN}+${tail}`,
    callId: `${WORD}+(?:@${WORD}+)?${tail}`,
    mediaType: (): string => `${TOKEN}+${LWS}/${LWS}${TOKEN}+${params()}`,
    /** 0 to 255 (leading zeros allowed, at most 3 digits). */
    maxForwards: `(?:[0-9]{1,2}|[01][0-9]{2}|2[0-4][0-9]|25[0-5])${tail}`,
    digits: `[0-9]{1,10}${tail}`,
    printable: '[^\\x00-\\x08\\x0a-\\x1f\\x7f]*\\r',
  };
}

/** Compiled sticky, case-insensitive (ASCII only). */
function compile(source: string): RegExp {
  return new RegExp(source, 'iy');
}

const L = grammars(true);
const LINE = {
  usualVia: compile(L.usualVia), usualNameAddr: compile(L.usualNameAddr), usualMediaType: compile(L.usualMediaType),
  via: compile(L.via()), nameAddr: compile(L.nameAddr()), star: compile(L.star), cseq: compile(L.cseq), callId: compile(L.callId),
  mediaType: compile(L.mediaType()), maxForwards: compile(L.maxForwards), digits: compile(L.digits),
};
const V = grammars(false);
const VALUE = {
  usualVia: compile(V.usualVia), usualNameAddr: compile(V.usualNameAddr), usualMediaType: compile(V.usualMediaType),
  via: compile(V.via()), nameAddr: compile(V.nameAddr()), star: compile(V.star), cseq: compile(V.cseq), callId: compile(V.callId),
  mediaType: compile(V.mediaType()), maxForwards: compile(V.maxForwards), digits: compile(V.digits),
};

/** Any text without control characters but HTAB. */
const PRINTABLE = compile(L.printable);
const REQUEST_URI = compile(`${URI} `);

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
  const e = endOf(LINE.usualVia, t, i);
  return e >= 0 ? e : endOf(LINE.via, t, i);
}

/**
 * name-addr or addr-spec with parameters: `"Display" <uri>;p`, `Display <uri>;p`, `<uri>;p` or
 * `uri;p`; `*` when `allowStar` (Contact). A display name with escapes goes to the full scanner.
 */
export function nameAddrEnd(t: string, i: number, allowStar: boolean): number {
  if (allowStar && t.charCodeAt(i) === 0x2a) return endOf(LINE.star, t, i);
  const e = endOf(LINE.usualNameAddr, t, i);
  return e >= 0 ? e : endOf(LINE.nameAddr, t, i);
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
  const e = endOf(LINE.usualMediaType, t, i);
  return e >= 0 ? e : endOf(LINE.mediaType, t, i);
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
 * Values of the message the fast path parsed last that its line scanners above accepted, by
 * header: the first Via, From, To, the first Contact, CSeq, Call-ID, Content-Type (trimmed,
 * as stored in the message). The line and value flavours accept the same values, so an
 * accessor reading one of these right after the parse (the transaction layer and the user
 * agent read exactly these) need not match it again: equal text, equal verdict.
 */
export const checked = {
  // valid values of each grammar to begin with (never '', which is not one)
  via: 'SIP/2.0/UDP 0.0.0.0', from: '<sip:0.0.0.0>', to: '<sip:0.0.0.0>', contact: '<sip:0.0.0.0>', cseq: '1 INVITE', callId: '0', mediaType: 'application/sdp',
};

/**
 * The common forms of whole values (no LWS around them), for the accessors: true when the value
 * is certainly valid for the full scanner, false when only it can tell.
 */
export const simpleValue = {
  via: (v: string): boolean => v === checked.via || whole(VALUE.usualVia, v) || whole(VALUE.via, v),
  nameAddr: (v: string, allowStar: boolean): boolean =>
    allowStar && v.charCodeAt(0) === 0x2a ? whole(VALUE.star, v)
      : (allowStar ? v === checked.contact : v === checked.from || v === checked.to) || whole(VALUE.usualNameAddr, v) || whole(VALUE.nameAddr, v),
  cseq: (v: string): boolean => v === checked.cseq || (whole(VALUE.cseq, v) && digitsAt(v, 0) < 2 ** 31),
  callId: (v: string): boolean => v === checked.callId || whole(VALUE.callId, v),
  mediaType: (v: string): boolean => v === checked.mediaType || whole(VALUE.usualMediaType, v) || whole(VALUE.mediaType, v),
  maxForwards: (v: string): boolean => whole(VALUE.maxForwards, v),
  digits: (v: string): boolean => whole(VALUE.digits, v),
};
