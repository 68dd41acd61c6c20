// A SIP message (RFC 3261 section 7) as plain immutable data: a start line, an ordered list of
// header fields (one entry per value, canonical names, compact forms expanded) and a text body.
// Content-Length is not stored: it is always the UTF-8 length of the body.

/** One header field value. A comma-separated list header (Via, Contact, ...) gives one entry per element. */
export interface SipHeader {
  /** Canonical name, e.g. `Call-ID`, `CSeq`, `Via`; unknown names are title-cased (`X-Foo-Bar`). */
  readonly name: string;
  /** The value with folding replaced by one space and surrounding whitespace removed. */
  readonly value: string;
}

export interface SipRequest {
  readonly kind: 'request';
  /** Method token, case-sensitive (`INVITE`, `ACK`, ...). */
  readonly method: string;
  /** Request-URI as written. */
  readonly uri: string;
  readonly headers: readonly SipHeader[];
  readonly body: string;
}

export interface SipResponse {
  readonly kind: 'response';
  /** 100-699. */
  readonly status: number;
  /** Reason phrase, possibly empty. */
  readonly reason: string;
  readonly headers: readonly SipHeader[];
  readonly body: string;
}

export type SipMessage = SipRequest | SipResponse;

/**
 * `s` as a string of its own. Values read from a parsed message are slices of its text and
 * keep all of it alive: whatever outlives the message (a dialog's identifiers for the minutes
 * of a call, a completed transaction's key for the 32 s of Timer J) takes a copy, or the
 * garbage collector copies and promotes the whole text with it.
 */
export function detach(s: string): string {
  // V8 copies strings shorter than 13 characters when slicing, so they hold no parent
  return s.length < 13 ? s : (' ' + s).slice(1);
}

/** Header parameters (`;name=value`), names lowercased, value `null` for a bare `;name`. */
export type SipParams = ReadonlyMap<string, string | null>;

/** A parsed Via value (RFC 3261 section 20.42). */
export interface Via {
  /** `SIP/2.0`. */
  readonly protocol: string;
  /** Upper-cased transport: `UDP`, `TCP`, `TLS`, `WS`, ... */
  readonly transport: string;
  readonly host: string;
  readonly port: number | undefined;
  readonly branch: string | undefined;
  readonly received: string | undefined;
  /** RFC 3581: `true` for a bare `;rport`, the number when filled in, `undefined` when absent. */
  readonly rport: number | true | undefined;
  readonly params: SipParams;
}

/** name-addr or addr-spec with header parameters (From, To, Contact, Route, ...). */
export interface NameAddr {
  /** Display name without quotes/escapes, `undefined` if none. */
  readonly displayName: string | undefined;
  readonly uri: string;
  readonly tag: string | undefined;
  readonly params: SipParams;
}

export interface CSeq {
  readonly seq: number;
  readonly method: string;
}

export interface MediaType {
  /** Lowercased `type/subtype`, e.g. `application/sdp`. */
  readonly type: string;
  readonly params: SipParams;
}
