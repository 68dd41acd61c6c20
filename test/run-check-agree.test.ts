// `callsim run` and `callsim check` must agree on what a menu allows: the centers the
// checker proves reachable are the ones a simulated day reaches, and a menu the checker
// rejects for queueing outside agent hours does queue calls outside agent hours when run.

import test from 'ava';
import type { CallRecord } from '../sim/acd/records.js';
import { BusinessCalendar } from '../sim/ivr/calendar.js';
import { checkIvr } from '../sim/ivr/check/check.js';
import { loadScenario } from '../sim/scenario/load.js';
import type { Scenario } from '../sim/scenario/types.js';
import { recordRun } from './record-run.js';

const simulateCalls = (scenario: Scenario): CallRecord[] => recordRun(scenario).calls;

function check(scenario: Scenario) {
  return checkIvr(
    {
      ivr: scenario.ivr!,
      calendar: scenario.calendar,
      start: scenario.start,
      centers: scenario.centers,
      callerAreaCodes: Object.keys(scenario.callers.areaCodes),
    },
    { seed: scenario.seed, runs: 200 },
  );
}

test('the default scenario: the checker passes, and a day reaches exactly the centers it proves reachable, never out of hours', (t) => {
  const scenario = loadScenario('scenarios/12333-province.yaml');
  const report = check(scenario);
  t.true(report.pass);
  const calls = simulateCalls(scenario);
  const reached = new Set(calls.filter((c) => c.ivrExit === 'queue').map((c) => c.center));
  t.deepEqual([...reached].sort(), [...report.exhaustive!.centersReached].sort());
  const calendar = new BusinessCalendar(scenario.calendar, scenario.start);
  t.true(calls.filter((c) => c.ivrExit === 'queue').every((c) => calendar.agentHours(c.queued)));
});

test('a menu the checker rejects for queueing out of hours queues calls out of hours when run', (t) => {
  const scenario = loadScenario('scenarios/ivr/broken/queue-out-of-hours-scenario.yaml', { sets: ['duration=2d'] });
  const report = check(scenario);
  t.false(report.pass);
  t.true(report.violations.some((v) => v.property === 'no-queue-outside-hours'));
  const calendar = new BusinessCalendar(scenario.calendar, scenario.start);
  const outOfHours = simulateCalls(scenario).filter((c) => c.ivrExit === 'queue' && !calendar.agentHours(c.queued));
  t.true(outOfHours.length > 0);
});
