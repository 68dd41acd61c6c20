// Servers bind, and load runs call, loopback addresses only unless the user says otherwise
// (`serve --public`, `load --remote`): one definition of "loopback" for both.

/** 127.0.0.0/8, ::1, or the name localhost. */
export function isLoopback(host: string): boolean {
  return /^(127\.\d{1,3}\.\d{1,3}\.\d{1,3}|::1|localhost)$/.test(host);
}
