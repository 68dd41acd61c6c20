// Errors of the SIP layer. A parse error says what was expected, what was found and where
// (byte offset, 1-based line and column of the message text), so that a bad peer can be diagnosed
// from the error alone.

/** Root of the SIP error hierarchy. */
export class SipError extends Error {
  override name = 'SipError';
}

export interface SipParseErrorDetails {
  /** What the grammar wanted at that point, e.g. `"SIP/2.0"` or `"1*DIGIT"`. */
  readonly expected: string;
  /** A short quote of what was there instead (may be empty). */
  readonly found?: string;
  /** Byte offset in the message, when the error comes from `parse`. */
  readonly offset?: number;
  /** 1-based line of the message, when known. */
  readonly line?: number;
  /** 1-based column (in characters) on that line, when known. */
  readonly column?: number;
  /** Canonical name of the header concerned, if any. */
  readonly header?: string;
}

/** Input that is not a valid SIP message (RFC 3261 section 25), or is over the size limit. */
export class SipParseError extends SipError {
  override name = 'SipParseError';
  readonly expected: string;
  readonly found: string | undefined;
  readonly offset: number | undefined;
  readonly line: number | undefined;
  readonly column: number | undefined;
  readonly header: string | undefined;
  /** The bare description, without location, as given to the constructor. */
  readonly what: string;

  constructor(what: string, details: SipParseErrorDetails) {
    super(SipParseError.format(what, details));
    this.what = what;
    this.expected = details.expected;
    this.found = details.found;
    this.offset = details.offset;
    this.line = details.line;
    this.column = details.column;
    this.header = details.header;
  }

  private static format(what: string, d: SipParseErrorDetails): string {
    let s = what;
    if (d.header !== undefined && !what.includes(d.header)) s = `${d.header}: ${s}`;
    s += ` (expected ${d.expected}`;
    if (d.found !== undefined) s += `, found ${JSON.stringify(quote(d.found))}`;
    s += ')';
    if (d.line !== undefined) s += ` at line ${d.line}${d.column !== undefined ? `, column ${d.column}` : ''}`;
    if (d.offset !== undefined) s += ` (byte ${d.offset})`;
    return s;
  }
}

/** A message that cannot be written as valid SIP (e.g. a header value containing CRLF). */
export class SipSerializeError extends SipError {
  override name = 'SipSerializeError';
}

function quote(s: string): string {
  return s.length > 40 ? `${s.slice(0, 40)}…` : s;
}
