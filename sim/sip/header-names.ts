// Header field names (RFC 3261 section 7.3): case-insensitive, some with a one-letter compact
// form, and some that carry a comma-separated list of values which the codec splits apart.
// The codec's fast path recognises a name in the message text without slicing it out.

const CANONICAL = [
  'Accept', 'Accept-Contact', 'Accept-Encoding', 'Accept-Language', 'Alert-Info', 'Allow', 'Allow-Events',
  'Authentication-Info', 'Authorization', 'Call-ID', 'Call-Info', 'Contact', 'Content-Disposition',
  'Content-Encoding', 'Content-Language', 'Content-Length', 'Content-Type', 'CSeq', 'Date', 'Error-Info',
  'Event', 'Expires', 'From', 'History-Info', 'In-Reply-To', 'Max-Forwards', 'MIME-Version', 'Min-Expires',
  'Min-SE', 'Organization', 'P-Asserted-Identity', 'P-Preferred-Identity', 'Path', 'Priority', 'Privacy',
  'Proxy-Authenticate', 'Proxy-Authorization', 'Proxy-Require', 'RAck', 'Reason', 'Record-Route',
  'Refer-To', 'Referred-By', 'Reply-To', 'Require', 'Retry-After', 'Route', 'RSeq', 'Server',
  'Service-Route', 'Session-Expires', 'SIP-ETag', 'SIP-If-Match', 'Subject', 'Subscription-State',
  'Supported', 'Timestamp', 'To', 'Unsupported', 'User-Agent', 'Via', 'Warning', 'WWW-Authenticate',
];

const COMPACT: Record<string, string> = {
  i: 'Call-ID', m: 'Contact', e: 'Content-Encoding', l: 'Content-Length', c: 'Content-Type', f: 'From',
  s: 'Subject', k: 'Supported', t: 'To', v: 'Via', o: 'Event', u: 'Allow-Events', r: 'Refer-To',
  b: 'Referred-By', x: 'Session-Expires', a: 'Accept-Contact', y: 'Identity',
};

const byLower = new Map<string, string>();
for (const n of CANONICAL) byLower.set(n.toLowerCase(), n);
for (const [k, v] of Object.entries(COMPACT)) byLower.set(k, v);

/**
 * Headers whose value is a comma-separated list (RFC 3261 7.3.1) and which the codec splits.
 * Authorization-style headers are not here: their commas separate parameters, not values.
 */
const LIST_HEADERS = new Set([
  'Accept', 'Accept-Contact', 'Accept-Encoding', 'Accept-Language', 'Alert-Info', 'Allow', 'Allow-Events',
  'Call-Info', 'Contact', 'Content-Encoding', 'Content-Language', 'Error-Info', 'History-Info',
  'In-Reply-To', 'P-Asserted-Identity', 'P-Preferred-Identity', 'Path', 'Proxy-Require', 'Record-Route',
  'Require', 'Route', 'Service-Route', 'Supported', 'Unsupported', 'Via', 'Warning',
]);

/** Canonical spelling of a header name (compact forms expanded, unknown names title-cased). */
export function canonicalName(name: string): string {
  const exact = byExact.get(name);
  if (exact !== undefined) return exact;
  const canonical = canonicalSlow(name);
  // spellings repeat across messages; the cache is bounded against a peer inventing names
  if (byExact.size < 4096) byExact.set(name, canonical);
  return canonical;
}

const byExact = new Map<string, string>();

function canonicalSlow(name: string): string {
  const lower = name.toLowerCase();
  const known = byLower.get(lower);
  if (known !== undefined) return known;
  let out = '';
  let upper = true;
  for (let i = 0; i < lower.length; i++) {
    const ch = lower[i]!;
    out += upper ? ch.toUpperCase() : ch;
    upper = ch === '-';
  }
  return out;
}

/** Whether the codec splits this (canonical) header's value on top-level commas. */
export function isListHeader(canonical: string): boolean {
  return LIST_HEADERS.has(canonical);
}

/** What the codec does with a header's value, by canonical name. */
export const enum HeaderKind {
  /** Kept as written (trimmed); no grammar checked. */
  Plain = 0,
  /** A comma-separated list of values, each kept as written. */
  PlainList,
  Via,
  From,
  To,
  Contact,
  /** Route, Record-Route: name-addr lists. */
  Route,
  CSeq,
  CallId,
  MaxForwards,
  ContentType,
  ContentLength,
}

const KIND_OF: ReadonlyMap<string, HeaderKind> = new Map([
  ['Via', HeaderKind.Via], ['From', HeaderKind.From], ['To', HeaderKind.To], ['Contact', HeaderKind.Contact],
  ['Route', HeaderKind.Route], ['Record-Route', HeaderKind.Route], ['CSeq', HeaderKind.CSeq], ['Call-ID', HeaderKind.CallId],
  ['Max-Forwards', HeaderKind.MaxForwards], ['Content-Type', HeaderKind.ContentType], ['Content-Length', HeaderKind.ContentLength],
]);

/** A header name as the fast path knows it: its canonical spelling and what to do with its value. */
export interface HeaderName {
  readonly canonical: string;
  readonly kind: HeaderKind;
}

/** Kind of a canonical header name. */
export function headerKind(canonical: string): HeaderKind {
  return KIND_OF.get(canonical) ?? ( LIST_HEADERS.has(canonical) ? HeaderKind.PlainList : HeaderKind.Plain);
}

/** One spelling the fast path matches exactly: the canonical name or a compact form. */
export interface Spelling extends HeaderName {
  readonly text: string;
}

/** The headers of nearly every message, tried first. */
const FREQUENT = ['Via', 'From', 'To', 'Call-ID', 'CSeq', 'Contact', 'Max-Forwards', 'Content-Length', 'Content-Type', 'User-Agent', 'Server', 'Allow', 'Supported'];
const ALL_SPELLINGS: readonly string[] = [...new Set([...FREQUENT, ...CANONICAL, ...Object.keys(COMPACT)])];

/** Every spelling the fast path knows, the frequent ones first. */
const SPELLINGS: readonly Spelling[] = ALL_SPELLINGS.map((text) => {
  const canonical = Object.hasOwn(COMPACT, text) ? COMPACT[text]! : text;
  return { text, canonical, kind: headerKind(canonical) };
});

/**
 * Spellings in a table indexed by a hash of the length, the first, third and last character:
 * the multipliers are chosen so that no two spellings share a slot (checked below).
 */
const BY_KEY: (Spelling | undefined)[] = new Array<Spelling | undefined>(512).fill(undefined);
const keyOf = (text: string, start: number, length: number): number =>
  (length * 17 + text.charCodeAt(start) + text.charCodeAt(start + (length > 2 ? 2 : length - 1)) * 29 + text.charCodeAt(start + length - 1) * 7) & 511;
for (const sp of SPELLINGS) {
  const k = keyOf(sp.text, 0, sp.text.length);
  if (BY_KEY[k] !== undefined) throw new Error(`header-names: spellings ${BY_KEY[k]!.text} and ${sp.text} share a slot`);
  BY_KEY[k] = sp;
}

/** Any known spelling followed directly by ":" (spellings are letters and "-": nothing to escape). */
const KNOWN_COLON = new RegExp(`(?:${ALL_SPELLINGS.join('|')}):`, 'y');

/**
 * The header name at `start` when it is written as a canonical name or a compact form and is
 * followed directly by ":" (the usual case), without allocating; undefined otherwise.
 * Its colon is at `start + spelling.text.length`.
 */
export function knownNameAt(text: string, start: number): Spelling | undefined {
  KNOWN_COLON.lastIndex = start;
  if (!KNOWN_COLON.test(text)) return undefined;
  // the text is one of the spellings, and no two of them share a slot
  return BY_KEY[keyOf(text, start, KNOWN_COLON.lastIndex - start - 1)];
}

const otherNames = new Map<string, HeaderName>();

/** Any spelling of a header name (case-insensitive, compact forms) with its canonical name and kind. */
export function anyName(raw: string): HeaderName {
  const known = otherNames.get(raw);
  if (known !== undefined) return known;
  const canonical = canonicalName(raw);
  const h = { canonical, kind: headerKind(canonical) };
  // spellings repeat across messages; the cache is bounded against a peer inventing names
  if (otherNames.size < 4096) otherNames.set(raw, h);
  return h;
}
