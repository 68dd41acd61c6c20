// What `callsim check` prints: each property with the layers that proved it, and for
// each violation the counterexample (calling number, time of day, keys, the call event by
// event), the property it breaks and the exact command that replays it; or as JSON.

import { CalendarScan, describeMoment, formatInstant } from './calendar-scan.js';
import type { CheckReport, Layer, Violation } from './check.js';
import { callingNumber, describeAreaCode } from './input.js';
import { describeEvent } from './call-point.js';
import { type PropertyName, PROPERTY_NAMES } from './properties.js';
import { type CallTrace, describeEffects, keysOf } from './trace.js';
import type { CalendarSpec } from '../calendar-types.js';

export interface ReportContext {
  /** The command that was run, without the replay flags: `npx callsim check FILE --set …`. */
  readonly command: string;
  /** The property the check was limited to (--property), which a fast-check replay needs too. */
  readonly only?: PropertyName;
  readonly calendar: CalendarSpec;
  readonly start: string;
  readonly color: boolean;
}

const paint = (on: boolean, code: number, s: string): string => (on ? `\u001b[${code}m${s}\u001b[0m` : s);
const num = (n: number): string => n.toLocaleString('en-US');

/** Properties checked by any layer, in catalogue order. */
export function propertiesChecked(r: CheckReport): PropertyName[] {
  const all = new Set<PropertyName>([...r.checked.static, ...r.checked.exhaustive, ...r.checked['model-based']]);
  return PROPERTY_NAMES.filter((p) => all.has(p));
}

export function replayCommand(v: Violation, ctx: { command: string; only?: PropertyName }): string {
  if ('property' in v.replay) return `${ctx.command} --property ${v.replay.property}`;
  const r = v.replay;
  const command = ctx.only !== undefined ? `${ctx.command} --property ${ctx.only}` : ctx.command;
  return `${command} --seed ${r.seed} --path ${shellWord(r.path)}${r.replayPath !== undefined ? ` --replay-path ${shellWord(r.replayPath)}` : ''}`;
}

export function shellWord(s: string): string {
  return /^[A-Za-z0-9_:.,/+=@%-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

export function formatCheckReport(r: CheckReport, ctx: ReportContext): string {
  const ok = (s: string): string => paint(ctx.color, 32, s);
  const bad = (s: string): string => paint(ctx.color, 31, s);
  const dim = (s: string): string => paint(ctx.color, 2, s);
  const lines: string[] = [];
  lines.push(`IVR ${r.ivrFile}`);
  lines.push(
    dim(
      `contexts: ${r.contexts.moments.map(describeMoment).join('; ')}; callers with ${r.contexts.areaCodes.length} kind${r.contexts.areaCodes.length === 1 ? '' : 's'} of number (${r.contexts.areaCodes.map((m) => m.map((c) => c || 'no area code').join('/')).join(', ')})`,
    ),
  );
  if (r.replaying) lines.push(dim('replaying one fast-check counterexample (model-based runs only)'));
  const failed = new Map<PropertyName, Violation[]>();
  for (const v of r.violations) failed.set(v.property, [...(failed.get(v.property) ?? []), v]);
  const names = propertiesChecked(r);
  const width = Math.max(...names.map((n) => n.length), 10);
  for (const p of names) {
    const layers: string[] = [];
    const note = (layer: Layer, text: string): void => {
      if (!r.checked[layer].includes(p)) return;
      const broken = failed.get(p)?.some((v) => v.layer === layer);
      layers.push(broken ? bad(`${text} ✗`) : text);
    };
    note('static', 'static');
    note('exhaustive', r.exhaustive ? `exhaustive (${num(r.exhaustive.states)} states)` : 'exhaustive');
    const calls = r.modelBased ? `${num(r.modelBased.runs)} random call${r.modelBased.runs === 1 ? '' : 's'}` : 'random calls';
    const stopped = r.violations.some((v) => v.layer === 'model-based') && !failed.get(p)?.some((v) => v.layer === 'model-based');
    note('model-based', stopped ? `${calls} (stopped at a failure)` : calls);
    const mark = failed.has(p) ? bad('✗') : ok('✓');
    lines.push(`${mark} ${p.padEnd(width)}  ${layers.join(', ')}`);
  }
  if (r.exhaustive?.truncated) {
    lines.push(bad(`! the state space passed ${num(r.exhaustive.states)} states: every-path-ends and centers-reachable were not proved exhaustively`));
  }
  if (r.stoppedAfterStatic) lines.push(bad('! the menus are not sound enough to run: fix the static problems first'));

  const scan = r.violations.some((v) => v.trace) ? new CalendarScan(ctx.calendar, ctx.start, 1) : undefined;
  for (const v of r.violations) {
    lines.push('');
    const how = v.layer === 'model-based' ? (r.replaying ? ', replayed' : `, shrunk ${v.shrinks ?? 0} time${v.shrinks === 1 ? '' : 's'}`) : '';
    lines.push(`${bad('✗')} ${v.property} ${dim(`[${v.layer}${how}]`)}`);
    lines.push(`  ${v.message}`);
    if (v.trace && scan) lines.push(...formatTrace(v.trace, ctx, scan).map((l) => `  ${l}`));
    lines.push(`  replay: ${replayCommand(v, ctx)}`);
  }
  lines.push('');
  const n = names.length;
  const runs = r.modelBased ? `${num(r.modelBased.runs)} random call${r.modelBased.runs === 1 ? '' : 's'} (seed ${r.modelBased.seed})` : undefined;
  const states = r.exhaustive ? `${num(r.exhaustive.states)} states` : undefined;
  const over = [states, runs].filter((x) => x !== undefined).join(' and ');
  if (r.pass && r.replaying) lines.push(ok('the replayed call breaks nothing now'));
  if (r.pass) {
    const bound = r.exhaustive && !r.exhaustive.truncated ? `; a silent caller leaves within ${r.exhaustive.silentBound} prompts and time-outs` : '';
    lines.push(ok(`${n} propert${n === 1 ? 'y holds' : 'ies hold'}${over ? ` over ${over}` : ''}${bound}`));
  } else {
    lines.push(bad(`${failed.size} of ${n} propert${n === 1 ? 'y' : 'ies'} broken${over ? ` (${over})` : ''}`));
  }
  return `${lines.join('\n')}\n`;
}

function formatTrace(t: CallTrace, ctx: ReportContext, scan: CalendarScan): string[] {
  const tz = ctx.calendar.timeZone;
  const clock = (at: number): string => (t.start === undefined ? '' : formatInstant(ctx.start, tz, t.start + at).slice(-8));
  const out = [
    `calling number: ${callingNumber(t.areaCode)}${t.areaCode ? ` (${describeAreaCode(t.areaCode)})` : ''}`,
    t.start === undefined
      ? `call starts:    ${describeMoment(t.moment)} (the calendar has no such time long enough for this call)`
      : `call starts:    ${formatInstant(ctx.start, tz, t.start)} ${tz} (${describeMoment(scan.moment(t.start))})`,
    `keys:           ${keysOf(t)}`,
  ];
  const rows = t.steps.map((s, i) => {
    const at = `+${s.at.toFixed(1)}s`.padEnd(9);
    const what =
      s.event === null
        ? `-- agent hours ${s.moment.agentHours ? 'open' : 'close'} --`
        : `${describeEvent(s.event)}${describeEffects(s.effects) ? ` → ${describeEffects(s.effects)}` : ''}`;
    const loop = t.loopFrom !== undefined && i === t.loopFrom ? '   ⟲ repeats from here' : '';
    return `  ${at}${clock(s.at).padEnd(10)}${what}${loop}`;
  });
  if (t.loopFrom !== undefined) rows.push('  … and so on, for ever');
  return [...out, ...rows];
}

/** The report as JSON (for --json). */
export function checkReportJson(r: CheckReport, ctx: ReportContext): string {
  const tz = ctx.calendar.timeZone;
  const json = {
    ivr: r.ivrFile,
    pass: r.pass,
    properties: propertiesChecked(r).map((p) => ({
      name: p,
      layers: (['static', 'exhaustive', 'model-based'] as const).filter((l) => r.checked[l].includes(p)),
      pass: !r.violations.some((v) => v.property === p),
    })),
    violations: r.violations.map((v) => ({
      property: v.property,
      layer: v.layer,
      message: v.message,
      ...(v.trace
        ? {
            counterexample: {
              callingNumber: callingNumber(v.trace.areaCode),
              areaCode: v.trace.areaCode,
              start: v.trace.start === undefined ? null : `${formatInstant(ctx.start, tz, v.trace.start)} ${tz}`,
              keys: keysOf(v.trace),
              events: v.trace.steps.map((s) => ({
                at: s.at,
                event: s.event === null ? { kind: 'clock', agentHours: s.moment.agentHours } : s.event,
                menu: s.menu,
                effects: s.effects.filter((e) => e.kind !== 'play' && e.kind !== 'collect'),
              })),
              ...(v.trace.loopFrom !== undefined ? { loopFrom: v.trace.loopFrom } : {}),
            },
          }
        : {}),
      replay: { ...v.replay, command: replayCommand(v, ctx) },
    })),
    exhaustive: r.exhaustive ?? null,
    modelBased: r.modelBased ?? null,
  };
  return `${JSON.stringify(json, null, 2)}\n`;
}
