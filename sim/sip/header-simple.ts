// Structured values (Via, name-addr, CSeq, media type) built from header values already known
// to be in their common form (header-scan's `simpleValue`): every part then ends at a known
// delimiter, so building needs no grammar checks. The results equal what the full scanners of
// header-values.ts return for the same value (header-values.prop.test.ts checks it).

import type { CSeq, MediaType, NameAddr, SipParams, Via } from './message.js';

const SP = 32;
const HTAB = 9;

function skipWs(v: string, i: number): number {
  for (let c = v.charCodeAt(i); c === SP || c === HTAB; c = v.charCodeAt(++i));
  return i;
}

function trimEnd(v: string, s: number, e: number): number {
  for (let c = v.charCodeAt(e - 1); e > s && (c === SP || c === HTAB); c = v.charCodeAt(--e - 1));
  return e;
}

/** Index of the first of `;`, `:` (when asked), SP, HTAB or the end, from `i`. */
function partEnd(v: string, i: number, stopAtColon: boolean): number {
  for (; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if (c === 0x3b || c === SP || c === HTAB || (stopAtColon && c === 0x3a)) break;
  }
  return i;
}

/** `s` in lower case; most names already are, and checking is cheaper than converting. */
function lower(s: string): string {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 65 && c <= 90) return s.toLowerCase();
  }
  return s;
}

/** `s` in upper case (transports: `UDP`, `TCP`, `WS`, ... are usually written so). */
function upper(s: string): string {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 97 && c <= 122) return s.toUpperCase();
  }
  return s;
}

/**
 * `*( SEMI name [= value] )` from the first `;` at or after `i`: names lowercased, token values,
 * in order. Values are tokens, so every `;` from there on starts a parameter.
 */
function params(v: string, i: number): Map<string, string | null> {
  const out = new Map<string, string | null>();
  for (let k = v.indexOf(';', i); k >= 0;) {
    const next = v.indexOf(';', k + 1);
    const e = next < 0 ? v.length : next;
    let eq = v.indexOf('=', k + 1);
    if (eq >= e) eq = -1;
    const ns = skipWs(v, k + 1);
    const name = lower(v.slice(ns, trimEnd(v, ns, eq < 0 ? e : eq)));
    let value: string | null = null;
    if (eq >= 0) {
      const vs = skipWs(v, eq + 1);
      value = v.slice(vs, trimEnd(v, vs, e));
    }
    out.set(name, value);
    k = next;
  }
  return out;
}

/** `SIP/2.0/transport host[:port];params`. */
export function viaOfSimple(v: string): Via {
  // the sent-by as the transaction layer reads it; in a common form the first `;` starts the parameters
  const { host, port } = viaKeyOfSimple(v);
  const ps = params(v, 8);
  const rp = ps.get('rport');
  return {
    protocol: 'SIP/2.0', transport: upper(v.slice(8, partEnd(v, 8, false))), host, port,
    branch: ps.get('branch') ?? undefined,
    received: ps.get('received') ?? undefined,
    rport: rp === null ? true : rp === undefined ? undefined : Number(rp),
    params: ps,
  };
}

/**
 * What transactions are matched by (§17.1.3, §17.2.3), the top Via's branch and sent-by, and
 * its rport (RFC 3581), which a server transport reads to stamp the Via.
 */
export interface ViaKey {
  readonly branch: string | undefined;
  /** As written (not lowercased), as in {@link Via}. */
  readonly host: string;
  readonly port: number | undefined;
  readonly rport: number | true | undefined;
}

/**
 * The branch, host, port and rport of a Via value in its common form, as {@link viaOfSimple}
 * would give them, without its parameter map and the rest: the transaction layer reads them
 * from nearly every message. In a common form a parameter value is a token, so every `;`
 * starts a parameter.
 */
export function viaKeyOfSimple(v: string): ViaKey {
  let i = partEnd(v, 8, false);
  const hs = skipWs(v, i);
  i = partEnd(v, hs, true);
  const host = v.slice(hs, i);
  i = skipWs(v, i);
  let port: number | undefined;
  if (v.charCodeAt(i) === 0x3a) {
    const ps = skipWs(v, i + 1);
    i = partEnd(v, ps, false);
    port = Number(v.slice(ps, i));
  }
  let branch: string | undefined;
  let rport: number | true | undefined;
  for (let k = v.indexOf(';', i); k >= 0;) {
    const next = v.indexOf(';', k + 1);
    const e = next < 0 ? v.length : next;
    let eq = v.indexOf('=', k + 1);
    if (eq >= e) eq = -1;
    const ns = skipWs(v, k + 1);
    const ne = trimEnd(v, ns, eq < 0 ? e : eq);
    // the last one wins, as in the map (a common form has no parameter twice anyway)
    if (ne - ns === 6 && lower(v.slice(ns, ne)) === 'branch') {
      if (eq < 0) branch = undefined;
      else {
        const vs = skipWs(v, eq + 1);
        branch = v.slice(vs, trimEnd(v, vs, e));
      }
    } else if (ne - ns === 5 && lower(v.slice(ns, ne)) === 'rport') {
      if (eq < 0) rport = true;
      else {
        const vs = skipWs(v, eq + 1);
        rport = Number(v.slice(vs, trimEnd(v, vs, e)));
      }
    }
    k = next;
  }
  return { branch, host, port, rport };
}

const WS_RUN = /[ \t]+/g;

/** `"Display" <uri>;p`, `Display <uri>;p`, `<uri>;p`, `uri;p` or `*`. */
export function nameAddrOfSimple(v: string): NameAddr {
  if (v === '*') return { displayName: undefined, uri: '*', tag: undefined, params: new Map() };
  let displayName: string | undefined;
  let lt: number;
  if (v.charCodeAt(0) === 0x22) {
    const close = v.indexOf('"', 1);
    displayName = v.slice(1, close);
    lt = v.indexOf('<', close + 1);
  } else {
    lt = v.indexOf('<');
    // as the full scanner writes a token display name: trimmed, runs of LWS made one space
    if (lt > 0) displayName = v.slice(0, lt).trim().replace(WS_RUN, ' ');
  }
  let uri: string;
  let i: number;
  if (lt >= 0) {
    const gt = v.indexOf('>', lt + 1);
    uri = v.slice(lt + 1, gt);
    i = gt + 1;
  } else {
    i = partEnd(v, 0, false);
    uri = v.slice(0, i);
  }
  const ps: SipParams = params(v, i);
  return { displayName, uri, tag: ps.get('tag') ?? undefined, params: ps };
}

/**
 * The `tag` parameter of a name-addr or addr-spec value in its common form, as
 * {@link nameAddrOfSimple} would give it, without building the NameAddr and its parameter map:
 * the dialog layer reads the tags of nearly every message and needs nothing else of them.
 */
export function tagOfSimple(v: string): string | undefined {
  let i: number;
  const lt = v.charCodeAt(0) === 0x22 ? v.indexOf('<', v.indexOf('"', 1) + 1) : v.indexOf('<');
  if (lt >= 0) i = v.indexOf('>', lt + 1) + 1;
  else if (v === '*') return undefined;
  else i = partEnd(v, 0, false);
  for (let k = v.indexOf(';', i); k >= 0;) {
    const next = v.indexOf(';', k + 1);
    const e = next < 0 ? v.length : next;
    let eq = v.indexOf('=', k + 1);
    if (eq >= e) eq = -1;
    const ns = skipWs(v, k + 1);
    const ne = trimEnd(v, ns, eq < 0 ? e : eq);
    if (ne - ns === 3 && lower(v.slice(ns, ne)) === 'tag') {
      if (eq < 0) return undefined;
      const vs = skipWs(v, eq + 1);
      return v.slice(vs, trimEnd(v, vs, e));
    }
    k = next;
  }
  return undefined;
}

/**
 * The URI of a name-addr or addr-spec value in its common form (`*` for the wildcard), as
 * {@link nameAddrOfSimple} would give it, without its NameAddr and parameter map: a user agent
 * reads the Contact of each INVITE and 2xx for where its dialog sends next.
 */
export function uriOfSimple(v: string): string {
  const lt = v.charCodeAt(0) === 0x22 ? v.indexOf('<', v.indexOf('"', 1) + 1) : v.indexOf('<');
  if (lt >= 0) return v.slice(lt + 1, v.indexOf('>', lt + 1));
  return v.slice(0, partEnd(v, 0, false));
}

/** `seq LWS method`. */
export function cseqOfSimple(v: string): CSeq {
  const sp = partEnd(v, 0, false);
  return { seq: Number(v.slice(0, sp)), method: v.slice(skipWs(v, sp)) };
}

/** `type / subtype ;params`. */
export function mediaTypeOfSimple(v: string): MediaType {
  const slash = v.indexOf('/');
  let e = slash;
  while (v.charCodeAt(e - 1) === SP || v.charCodeAt(e - 1) === HTAB) e--;
  const ss = skipWs(v, slash + 1);
  const se = partEnd(v, ss, false);
  return { type: `${v.slice(0, e)}/${v.slice(ss, se)}`.toLowerCase(), params: params(v, se) };
}
