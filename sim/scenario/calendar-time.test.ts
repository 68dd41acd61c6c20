import test from 'ava';
import { weekOffset } from './calendar-time.js';

test('week offsets count from local Monday midnight in the scenario\'s time zone', (t) => {
  t.is(weekOffset('2026-07-06T00:00:00+08:00', 'Asia/Shanghai'), 0); // a Monday in Beijing
  t.is(weekOffset('2026-07-05T16:00:00Z', 'Asia/Shanghai'), 0); // the same instant
  t.is(weekOffset('2026-07-10T13:30:00+08:00', 'Asia/Shanghai'), 4 * 86400 + 13.5 * 3600); // Friday afternoon
  t.is(weekOffset('2026-07-06T00:00:00+08:00', 'UTC'), 6 * 86400 + 16 * 3600); // Sunday 16:00 in UTC
});
