// Where the run's time 0 falls in the local calendar of the hotline. The arrival profile
// and, later, agent hours are written in local wall-clock time; the model counts seconds.
// Offsets are taken at the start instant (zones with daylight saving shift by an hour
// across a change; China has none).

const WEEKDAY_INDEX: Readonly<Record<string, number>> = { Mon: 0, Tue: 1, Wed: 2, Thu: 3, Fri: 4, Sat: 5, Sun: 6 };

/** Local calendar fields of an instant in an IANA time zone. */
export function localFields(instant: Date, timeZone: string): { weekday: number; hour: number; minute: number; second: number } {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    weekday: 'short',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
    hourCycle: 'h23',
  }).formatToParts(instant);
  const get = (type: string): string => parts.find((p) => p.type === type)?.value ?? '0';
  return {
    weekday: WEEKDAY_INDEX[get('weekday')] ?? 0,
    hour: Number(get('hour')),
    minute: Number(get('minute')),
    second: Number(get('second')),
  };
}

/** Seconds from local Monday 00:00 to the instant `startIso`, in `timeZone`. */
export function weekOffset(startIso: string, timeZone: string): number {
  const start = new Date(startIso);
  const f = localFields(start, timeZone);
  const ms = start.getTime() % 1000;
  return f.weekday * 86400 + f.hour * 3600 + f.minute * 60 + f.second + (ms >= 0 ? ms : ms + 1000) / 1000;
}
