// The hotline's calendar as the scenario gives it: a time zone, seasons with their agent
// hours (the seed: summer 08:00-18:00, winter 08:00-17:00), the weekdays agents work,
// public holidays, and weekend days that are working days (调休). The IVR serves 7 x 24;
// these decide only when agents answer.

export interface Season {
  readonly name: string;
  /** First day, `MM-DD`, inclusive. A season may wrap the new year (`10-01` to `04-30`). */
  readonly from: string;
  /** Last day, `MM-DD`, inclusive. */
  readonly to: string;
  /** Agent hours: seconds after local midnight; open <= t < close. */
  readonly open: number;
  readonly close: number;
}

export interface CalendarSpec {
  /** IANA time zone. Default `Asia/Shanghai`. */
  readonly timeZone: string;
  /** Every day of the year falls in exactly one season. Default the seed's summer (May-Sep) and winter. */
  readonly seasons: readonly Season[];
  /** Days agents work, 0 = Monday .. 6 = Sunday. Default Monday to Friday. */
  readonly agentDays: readonly number[];
  /** Dates without agent service, `YYYY-MM-DD`. Default none. */
  readonly holidays: readonly string[];
  /** Dates with agent service even though agentDays excludes their weekday, `YYYY-MM-DD`. Default none. */
  readonly workdays: readonly string[];
}
