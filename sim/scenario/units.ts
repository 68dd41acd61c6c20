// Units as users write them: durations (`90s`, `15m`, `1h30m`, `30d`, `250ms`, or a bare
// number of seconds) and rates (`1/s`, `120/h`, `100/30m`, or a bare number per second).
// Parsers return undefined for text they do not accept; callers say what was expected.

const UNIT_SECONDS: Readonly<Record<string, number>> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400, w: 604800 };

/** What a duration looks like, for error messages. */
export const DURATION_EXPECTED = 'a duration such as `90s`, `15m`, `1h30m`, `30d` or `250ms`';
/** What a rate looks like, for error messages. */
export const RATE_EXPECTED = 'a rate such as `1/s`, `120/h` or `100/30m`';

const DURATION_PART = /(\d+(?:\.\d+)?|\.\d+)(ms|s|m|h|d|w)/y;

/** Seconds, or undefined if `text` is not a duration. Negative durations are not durations. */
export function parseDuration(text: string | number): number | undefined {
  if (typeof text === 'number') return Number.isFinite(text) && text >= 0 ? text : undefined;
  const s = text.trim();
  if (s === '') return undefined;
  if (/^(\d+(\.\d+)?|\.\d+)(e[+-]?\d+)?$/i.test(s)) return Number(s);
  let total = 0;
  let at = 0;
  let lastUnit = Infinity;
  while (at < s.length) {
    DURATION_PART.lastIndex = at;
    const m = DURATION_PART.exec(s);
    if (!m) return undefined;
    const unit = UNIT_SECONDS[m[2]!]!;
    // Parts go from the largest unit down, each once: `1h30m`, not `30m1h` or `1h1h`.
    if (unit >= lastUnit) return undefined;
    lastUnit = unit;
    total += Number(m[1]) * unit;
    at = DURATION_PART.lastIndex;
  }
  return total;
}

/** Per second, or undefined if `text` is not a rate. `/h` means per hour; `/30m` per 30 minutes. */
export function parseRate(text: string | number): number | undefined {
  if (typeof text === 'number') return Number.isFinite(text) && text >= 0 ? text : undefined;
  const m = /^\s*(\d+(?:\.\d+)?|\.\d+)\s*\/\s*(\S+)\s*$/.exec(text);
  if (!m) {
    const bare = /^\s*(\d+(\.\d+)?|\.\d+)\s*$/.test(text) ? Number(text) : undefined;
    return bare;
  }
  const count = Number(m[1]);
  const per = m[2]!;
  const seconds = /^[a-z]+$/.test(per) ? UNIT_SECONDS[per] : parseDuration(per);
  if (seconds === undefined || !(seconds > 0)) return undefined;
  return count / seconds;
}

/** A duration for people: `1h30m`, `90s`, `250ms`. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return String(seconds);
  if (seconds === 0) return '0s';
  if (seconds < 1) return `${+(seconds * 1000).toPrecision(4)}ms`;
  if (seconds < 60 || !Number.isInteger(seconds)) return `${+seconds.toPrecision(6)}s`;
  let rest = seconds;
  let out = '';
  for (const [unit, size] of [['d', 86400], ['h', 3600], ['m', 60], ['s', 1]] as const) {
    const n = Math.floor(rest / size);
    if (n > 0) out += `${n}${unit}`;
    rest -= n * size;
  }
  return out;
}

/** Seconds after midnight as a time of day: `08:00`, `17:30:15`, `24:00`. */
export function formatClock(seconds: number): string {
  const two = (n: number): string => String(n).padStart(2, '0');
  const s = seconds % 60;
  return `${two(Math.floor(seconds / 3600))}:${two(Math.floor(seconds / 60) % 60)}${s ? `:${two(s)}` : ''}`;
}
