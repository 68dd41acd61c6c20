// The scenario format, described once with the schema DSL: every key, its type, its
// default and one line of doc. Validation, defaults, docs/scenario.schema.json and the
// reference tables of docs/scenarios.md all come from this description.

import { CALLBACKS, CONVERSATION } from './callbacks-schema.js';
import { buildArrivals, checkInterval, checkIntervalRows, checkProfileOrder, checkRateOrProfile, checkWarmup, compileSlas, located } from './checks.js';
import { CALENDAR } from './calendar-schema.js';
import { CALLERS } from './callers-schema.js';
import { CENTERS, lines } from './center-schema.js';
import { checkIvrInScenario } from './ivr-checks.js';
import { MAX_INTERVAL_ROWS } from './limits.js';
import { ivrField } from './ivr-field.js';
import { checkSkillsRouting } from './routing-checks.js';
import type { Field } from './schema-dsl.js';
import { list, obj, record } from './schema-shapes.js';
import { duration, instant, num, oneOf, rate, str, timeOfDay, whole } from './schema-scalars.js';
import { distribution } from './distribution-field.js';
import type { NetworkSpec, RoutingStrategy, Scenario, ServiceLevelDefinition, SignalingMode } from './types.js';

const SIGNALING_MODES: readonly SignalingMode[] = ['direct', 'sip'];

const ROUTING_STRATEGIES: readonly RoutingStrategy[] = ['longest-idle', 'round-robin', 'fewest-calls', 'skills'];

const SERVICE_LEVEL_DEFINITIONS: readonly ServiceLevelDefinition[] = ['strict', 'answered', 'exclude-short-abandons', 'wait', 'virtual'];

const day = (name: string): Field<number> => num(`Factor for ${name}.`).withDefault(1);

const arrivals = obj('When calls arrive: a constant `rate` or a time-of-day `profile` (exactly one), times day-of-week factors.', {
  rate: rate('Constant-rate Poisson arrivals, e.g. `100/30m`.').optional('not set'),
  profile: list(
    'Time-of-day steps; each rate holds until the next step and the day repeats. The first starts at `00:00`.',
    obj('One step of the profile.', {
      at: timeOfDay('Local time the step starts, `HH:MM` or `HH:MM:SS`; quote it.'),
      rate: rate('Arrival rate from then on.'),
    }).map(located),
    { min: 1 },
  )
    .also(checkProfileOrder)
    .optional('not set'),
  days: obj('Day-of-week factors on every rate.', {
    mon: day('Monday'),
    tue: day('Tuesday'),
    wed: day('Wednesday'),
    thu: day('Thursday'),
    fri: day('Friday'),
    sat: day('Saturday'),
    sun: day('Sunday'),
  }).withDefault({}),
  scale: num('Multiplies every rate (what-ifs: `--set arrivals.scale=1.3`).').withDefault(1),
})
  .also(checkRateOrProfile)
  .map(buildArrivals);

const serviceLevel = obj('How `service_level` is computed.', {
  threshold: duration('T of `service_level` when an SLA does not name one.', { above: 0 }).withDefault('20s'),
  definition: oneOf('Which service-level definition (see docs/metrics.md).', SERVICE_LEVEL_DEFINITIONS).withDefault('strict'),
  shortAbandon: duration('Abandons shorter than this are excluded by `exclude-short-abandons`.').withDefault('5s'),
}).withDefault({});

const sla = record(
  'SLAs: each metric with its expressions, checked at the end of the run (exit 1 when one fails).',
  'metric name such as `connect_rate` or `service_level(20s)`',
  list('Expressions such as `p(95) <= 3` or `>= 0.95`.', str('An SLA expression.').map(located), { min: 1, single: true }),
)
  .map(compileSlas)
  .withDefault({});

/** Everything in a scenario file; resolves to a Scenario without its `file`. */
export const SCENARIO = obj('A callsim scenario: one simulated stretch of a hotline.', {
  name: str('Name shown in reports.').optional("the file's base name without extension"),
  seed: whole('Seed of every random stream; the same seed replays a run exactly.').withDefault(1),
  start: instant('ISO 8601 instant of time 0, with its offset; sets the weekday and season.').withDefault('2026-07-06T00:00:00+08:00'),
  duration: duration('Length of the run; arrivals stop then, calls in progress finish.', { above: 0 }).withDefault('1d'),
  warmup: duration('Calls arriving before this are not counted; shorter than `duration`.').withDefault('0s'),
  interval: duration(
    `Length of the per-interval results (\`15m\`, \`30m\`, \`1h\`); no longer than \`duration\`, and long enough that intervals x (1 + centers + agent groups) stays within ${MAX_INTERVAL_ROWS.toLocaleString('en-US')} rows of results.`,
    { above: 0 },
  ).withDefault('1h'),
  ringPeriod: duration('One ring cycle (China: 1 s on, 4 s off).', { above: 0 }).withDefault('5s'),
  trunks: lines('Lines into the whole platform: a whole number or `unlimited`.').withDefault('unlimited'),
  calendar: CALENDAR,
  arrivals,
  callers: CALLERS,
  ivr: ivrField('The IVR in front of the agents (docs/ivr.md): `none` = straight to the agent queue.').withDefault('none'),
  centers: CENTERS,
  routing: obj('How the ACD picks an agent among the ready ones.', {
    strategy: oneOf(
      'Routing strategy: `longest-idle`, `round-robin`, `fewest-calls` (answered so far), or `skills`: a queue is served by agents with the skill of its name, highest level first, then longest idle.',
      ROUTING_STRATEGIES,
    ).withDefault('longest-idle'),
  }).withDefault({}),
  callbacks: CALLBACKS,
  conversation: CONVERSATION,
  serviceLevel,
  sla,
  signaling: oneOf(
    'How callers and the hotline talk in `callsim run`: `direct` (no messages; fastest) or `sip` (every caller a SIP user agent and the hotline one too, every message serialized and parsed, over the in-memory `network` in simulated time). `--signaling` sets it.',
    SIGNALING_MODES,
  ).withDefault('direct'),
  network: obj('The in-memory network under `signaling: sip`: latency and loss, so that retransmissions happen through the real SIP timers.', {
    latency: distribution('One-way latency of each datagram.').withDefault('0s'),
    loss: num('Share of datagrams lost, each independently; from 0 to 0.5.', { min: 0, max: 0.5 }).withDefault(0),
    t1: duration('SIP timer T1, the round-trip estimate: Timer A (INVITE retransmission) starts at T1 and doubles.', { above: 0 }).withDefault('500ms'),
    t2: duration('SIP timer T2: the cap of non-INVITE and 2xx retransmission intervals.', { above: 0 }).withDefault('4s'),
  })
    .map((n): NetworkSpec => ({
      latency: n.latency.kind === 'constant' && n.latency.value === 0 ? null : n.latency,
      loss: n.loss,
      timers: { t1: n.t1, t2: Math.max(n.t2, n.t1) },
    }))
    .withDefault({}),
})
  .also(checkWarmup)
  .also(checkInterval)
  .also(checkIntervalRows)
  .also(checkIvrInScenario)
  .also(checkSkillsRouting)
  .map((s, cur): Omit<Scenario, 'file'> => ({ ...s, name: s.name ?? cur.ctx.defaultName }));
