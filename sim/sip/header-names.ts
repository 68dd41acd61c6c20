// Header field names (RFC 3261 section 7.3): case-insensitive, some with a one-letter compact
// form, and some that carry a comma-separated list of values which the codec splits apart.

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
