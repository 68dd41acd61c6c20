import test from 'ava';
import { ScenarioError, type ScenarioIssue } from './errors.js';
import { parseScenario } from './load.js';
import type { CalendarSpec } from './types.js';

const doc = (calendar: string): string => `calendar:\n${calendar}arrivals: { rate: 1/s }\ncenters:\n  - { id: c, groups: [{ count: 1 }] }\n`;

const calendarOf = (calendar: string): CalendarSpec => parseScenario(doc(calendar), 'cal.yaml').calendar;

function issuesOf(calendar: string): readonly ScenarioIssue[] {
  try {
    parseScenario(doc(calendar), 'cal.yaml');
  } catch (e) {
    if (e instanceof ScenarioError) return e.issues;
    throw e;
  }
  throw new Error('expected a ScenarioError');
}

const season = (name: string, from: string, to: string, open = '08:00', close = '17:00'): string =>
  `    - { name: ${name}, from: "${from}", to: "${to}", agentHours: { open: "${open}", close: "${close}" } }\n`;

test("the default is the seed's: summer May-September 08:00-18:00, winter 08:00-17:00, Monday to Friday", (t) => {
  t.deepEqual(calendarOf('  timeZone: Asia/Shanghai\n'), {
    timeZone: 'Asia/Shanghai',
    seasons: [
      { name: 'summer', from: '05-01', to: '09-30', open: 8 * 3600, close: 18 * 3600 },
      { name: 'winter', from: '10-01', to: '04-30', open: 8 * 3600, close: 17 * 3600 },
    ],
    agentDays: [0, 1, 2, 3, 4],
    holidays: [],
    workdays: [],
  });
});

test('one season for the whole year, `24:00` as the close, weekdays in any order, dates', (t) => {
  const c = calendarOf(`  timeZone: Asia/Harbin
  seasons:
${season('all', '01-01', '12-31', '00:00', '24:00')}  agentDays: [sun, mon, sat]
  holidays: ["2026-10-01", "2028-02-29"]
  workdays: ["2026-10-10"]
`);
  t.deepEqual(c.seasons, [{ name: 'all', from: '01-01', to: '12-31', open: 0, close: 86400 }]);
  t.deepEqual(c.agentDays, [0, 5, 6]);
  t.deepEqual(c.holidays, ['2026-10-01', '2028-02-29']);
  t.deepEqual(c.workdays, ['2026-10-10']);
});

test('a gap in the seasons names the days no season has, 02-29 included', (t) => {
  const [gap] = issuesOf(`  seasons:\n${season('summer', '05-01', '09-30')}${season('winter', '10-01', '02-28')}`);
  t.is(gap!.message, '`02-29` to `04-30` are in no season');
  t.deepEqual([gap!.path, gap!.pos!.line, gap!.pos!.column], ['calendar.seasons', 3, 5]);
  const [leap] = issuesOf(`  seasons:\n${season('a', '03-01', '02-28')}`);
  t.is(leap!.message, '`02-29` is in no season');
  const [several] = issuesOf(`  seasons:\n${season('a', '01-02', '06-30')}${season('b', '07-02', '12-30')}`);
  t.is(several!.message, '`07-01`, `12-31` to `01-01` are in no season', 'a gap across the new year is one span');
});

test('overlapping seasons are reported at the later one, with the days both claim', (t) => {
  const [overlap] = issuesOf(`  seasons:\n${season('summer', '05-01', '10-15')}${season('winter', '10-01', '04-30')}`);
  t.is(overlap!.message, '`10-01` to `10-15` are in both `summer` and `winter`');
  t.deepEqual([overlap!.path, overlap!.pos!.line], ['calendar.seasons[1].from', 4]);
  const same = issuesOf(`  seasons:\n${season('a', '01-01', '12-31')}${season('a', '06-01', '06-01')}`);
  t.deepEqual(
    same.map((i) => [i.path, i.message]),
    [
      ['calendar.seasons[1].name', 'the season name `a` is already used'],
      ['calendar.seasons[1].from', '`06-01` is in both `a` and `a`'],
    ],
  );
});

test('agents open before they close; days and dates are real; weekdays and dates once', (t) => {
  const issues = issuesOf(`  seasons:
${season('summer', '05-01', '09-30', '18:00', '08:00')}${season('winter', '10-01', '04-31')}  agentDays: [mon, tue, mon, fry]
  holidays: ["2026-02-29", "2026-10-01", "2026-10-01"]
`);
  t.deepEqual(
    issues.map((i) => [i.path, i.message, i.hint]),
    [
      ['calendar.seasons[0].agentHours.close', 'agents close (08:00) before they open (18:00)', undefined],
      ['calendar.seasons[1].to', '`04-31` is not a day of the year', undefined],
      ['calendar.agentDays[2]', '`mon` is listed twice', undefined],
      ['calendar.agentDays[3]', '`fry` is not one of `mon`, `tue`, `wed`, `thu`, `fri`, `sat`, `sun`', 'did you mean `fri`?'],
      ['calendar.holidays[0]', '`2026-02-29` is not a real date', undefined],
      ['calendar.holidays[2]', '`2026-10-01` is listed twice', undefined],
    ],
  );
  // Seasons with bad hours still cover their days: a gap is found all the same.
  const [gap, hours] = issuesOf(`  seasons:\n${season('a', '01-01', '06-30', '09:00', '09:00')}`);
  t.is(hours!.path, 'calendar.seasons[0].agentHours.close');
  t.is(gap!.message, '`07-01` to `12-31` are in no season');
});

test('a date is not both a holiday and a working day', (t) => {
  const [both] = issuesOf('  holidays: ["2026-10-01"]\n  workdays: ["2026-10-08", "2026-10-01"]\n');
  t.deepEqual([both!.path, both!.message, both!.pos!.line, both!.pos!.column], ['calendar.workdays[1]', '`2026-10-01` is both a holiday and a working day', 3, 28]);
  t.is(issuesOf('  holidays: [2026-02-30]\n')[0]!.message, '`2026-02-30` is not a real date');
  t.is(issuesOf('  agentDays: mon\n')[0]!.message, '`mon` is not a list');
});
