// Transport addresses of the socket transports: `host:port`, with IPv6 literals in brackets
// (`[::1]:5060`), as RFC 3261 writes a hostport. Parsing never throws: a bad address is
// reported by the transport that was asked to send there.

/** Default SIP port over UDP, TCP and WS (RFC 3261 §19.1.2). */
export const SIP_PORT = 5060;

/** `127.0.0.1:5060` or `[::1]:5060`. */
export function formatAddress(ip: string, port: number): string {
  return `${ip.includes(':') ? `[${ip}]` : ip}:${port}`;
}

/** An IP as it goes into a Via `received` parameter or a hostport: IPv6 in brackets. */
export function hostOf(ip: string): string {
  return ip.includes(':') ? `[${ip}]` : ip;
}

/** The IPv4 address inside an IPv4-mapped IPv6 one (`::ffff:10.0.0.1`), else the input. */
export function unmapIp(ip: string): string {
  return /^::ffff:\d+\.\d+\.\d+\.\d+$/i.test(ip) ? ip.slice(7) : ip;
}

/** `host:port`, `[v6]:port` or a bare host (port {@link SIP_PORT}); undefined when malformed. */
export function parseAddress(address: string): { host: string; port: number } | undefined {
  let host: string;
  let rest: string;
  if (address.startsWith('[')) {
    const end = address.indexOf(']');
    if (end < 0) return undefined;
    host = address.slice(1, end);
    rest = address.slice(end + 1);
  } else {
    const colon = address.lastIndexOf(':');
    if (colon >= 0 && address.indexOf(':') !== colon) return undefined; // a bare IPv6 literal is ambiguous
    host = colon < 0 ? address : address.slice(0, colon);
    rest = colon < 0 ? '' : address.slice(colon);
  }
  if (host.length === 0) return undefined;
  if (rest === '') return { host, port: SIP_PORT };
  if (!/^:\d{1,5}$/.test(rest)) return undefined;
  const port = Number(rest.slice(1));
  return port >= 1 && port <= 65535 ? { host, port } : undefined;
}
