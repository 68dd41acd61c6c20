// The IVR inside a simulated day of the default scenario: where calls go, when, and that
// what the run did is what the menu allows.

import test from 'ava';
import type { CallRecord } from '../sim/acd/records.js';
import { BusinessCalendar } from '../sim/ivr/calendar.js';
import { loadScenario } from '../sim/scenario/load.js';
import type { Scenario } from '../sim/scenario/types.js';
import { recordRun } from './record-run.js';

function day(sets: string[] = []): { scenario: Scenario; calls: CallRecord[] } {
  const scenario = loadScenario('scenarios/12333-province.yaml', { sets });
  return { scenario, calls: recordRun(scenario).calls };
}

const { scenario, calls } = day();
const calendar = new BusinessCalendar(scenario.calendar, scenario.start);
const keysOf = (c: CallRecord): string[] => c.ivrPath.split(' ').filter((x) => x.startsWith('=')).map((x) => x.slice(1));

test('every call meets the IVR, and a day has every kind of ending', (t) => {
  t.true(calls.length > 20000);
  t.true(calls.every((c) => c.ivrAnswered === c.arrival + scenario.ivr!.answerDelay && c.ivrPath.startsWith('welcome main')));
  const exits = new Set(calls.map((c) => c.ivrExit));
  // Key 9 to a city of the province stays inside; only other codes would leave.
  t.deepEqual([...exits].sort(), ['caller-hangup', 'queue', 'system-hangup']);
});

test('key 0 in agent hours: a Jilin City (0432) caller reaches the Jilin City queue; 0431 callers choose province or Changchun', (t) => {
  const zeroNow = (c: CallRecord) => c.ivrExit === 'queue' && keysOf(c)[0] === '0';
  const jilin = calls.filter((c) => c.areaCode === '0432' && zeroNow(c));
  t.true(jilin.length > 100);
  // Served in Jilin City, unless it waited two minutes and dispatch sent it to the province center.
  t.true(jilin.every((c) => c.queue === 'general' && (c.center === 'jilin' ? c.dispatchedFrom === '' : c.center === 'province' && c.dispatchedFrom === 'jilin')));
  t.true(jilin.filter((c) => c.center === 'jilin').length > jilin.length / 2);
  const capital = calls.filter((c) => c.areaCode === '0431' && zeroNow(c));
  for (const c of capital) {
    const keys = keysOf(c);
    t.is(c.dispatchedFrom === '' ? c.center : c.dispatchedFrom, keys[1] === '1' ? 'province' : 'changchun', c.ivrPath);
    t.regex(c.ivrPath, /^welcome main =0 agent =[12]$/);
  }
  t.true(capital.some((c) => c.center === 'province') && capital.some((c) => c.center === 'changchun'));
  // Numbers from outside the province go to the province center.
  t.true(calls.filter((c) => c.areaCode === '021' && zeroNow(c)).every((c) => c.center === 'province' && c.dispatchedFrom === ''));
});

test('complaints (key 5) queue at the caller\'s center ahead of ordinary calls', (t) => {
  const complaints = calls.filter((c) => c.ivrExit === 'queue' && c.queue === 'complaint');
  t.true(complaints.length > 50);
  t.true(complaints.every((c) => c.priority === -1 && keysOf(c).at(-1) === '5'));
});

test('nobody reaches an agent queue outside agent hours', (t) => {
  const queued = calls.filter((c) => c.ivrExit === 'queue');
  t.true(queued.length > 5000);
  for (const c of queued) t.true(calendar.agentHours(c.queued), `queued at ${calendar.localDate(c.queued)} ${calendar.secondsOfDay(c.queued)}`);
  const night = calls.filter((c) => !calendar.agentHours(c.arrival) && !calendar.agentHours(c.ivrLeft));
  t.true(night.length > 500);
  t.true(night.every((c) => c.ivrExit !== 'queue'));
  // Out of hours keys 0, 5 and 9 are invalid: callers who press them hear the error and the menu again.
  const invalidAtNight = night.filter((c) => c.invalidKeys > 0);
  t.true(invalidAtNight.length > 50);
});

test('IVR times add up: time in the IVR ends where the queue starts', (t) => {
  for (const c of calls) {
    t.true(c.ivrLeft >= c.ivrAnswered);
    if (c.ivrExit === 'queue') t.is(c.queued, c.ivrLeft);
    else t.true(Number.isNaN(c.queued));
  }
});

test('the same seed gives the same IVR paths; arrivals scaled up give more calls', (t) => {
  const again = day();
  t.deepEqual(again.calls.map((c) => c.ivrPath), calls.map((c) => c.ivrPath));
  const busier = day(['arrivals.scale=1.3']);
  t.true(busier.calls.length > calls.length * 1.2);
});

test('key 9 and a city\'s area code: the call starts over in that city\'s IVR and queues there', (t) => {
  const codeOf = new Map(scenario.centers.flatMap((c) => c.areaCodes.map((a) => [a, c.id] as const)));
  let checked = 0;
  for (const c of calls) {
    const tokens = c.ivrPath.split(' ');
    // Key 9 in the main menu (not a 9 among the digits of an ID number).
    let nine = -1;
    tokens.forEach((tok, i) => {
      if (tok === '=9' && tokens[i - 1] === 'main') nine = i;
    });
    if (nine < 0 || c.ivrExit !== 'queue') continue;
    const code = tokens.slice(nine + 1, nine + 5).map((k) => k.slice(1)).join('');
    const after = tokens.slice(nine + 5);
    t.is(after[0], 'welcome', c.ivrPath); // the other center's IVR greets the caller again
    if (!codeOf.has(code)) continue;
    const choseProvince = code === '0431' && after.slice(-2).join(' ') === 'agent =1';
    const queuedAt = c.dispatchedFrom === '' ? c.center : c.dispatchedFrom;
    t.is(queuedAt, choseProvince ? 'province' : codeOf.get(code)!, c.ivrPath);
    checked++;
  }
  t.true(checked > 20);
});

test('a Yanbian (0433) caller who presses 0 is answered by a Yanbian agent unless dispatch moved the call, and the record says so', (t) => {
  const yanbian = calls.filter((c) => c.areaCode === '0433' && c.outcome === 'answered' && keysOf(c)[0] === '0');
  t.true(yanbian.length > 100);
  for (const c of yanbian) {
    if (c.dispatchedFrom === '') t.true(c.center === 'yanbian' && c.agent.startsWith('yanbian/'), c.agent);
    else t.true(c.dispatchedFrom === 'yanbian' && c.center === 'province' && c.agent.startsWith('province/'), c.agent);
  }
});
