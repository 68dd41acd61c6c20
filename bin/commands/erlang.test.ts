import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import test from 'ava';
import yargs from 'yargs';
import { EXIT, UsageError } from '../exit-codes.js';
import { erlangCommand } from './erlang.js';

// The compiled test runs from dist/bin/commands/; the repository root is three levels up.
const root = fileURLToPath(new URL('../../../', import.meta.url));

/** |actual − expected| within half a unit of the last published digit. */
function near(actual: unknown, published: string): boolean {
  const decimals = published.split('.')[1]?.length ?? 0;
  return typeof actual === 'number' && Math.abs(actual - Number(published)) <= 0.5 * 10 ** -decimals;
}

/** The command alone, through yargs, in this process. */
async function inProcess(argv: string[]): Promise<{ code: number | undefined; stdout: string }> {
  let code: number | undefined;
  let stdout = '';
  await yargs()
    .command(
      erlangCommand(
        (c) => {
          code = c;
        },
        (text) => {
          stdout += text;
        },
      ),
    )
    .strict()
    .fail((msg, err) => {
      throw err ?? new UsageError(msg);
    })
    .parseAsync(argv);
  return { code, stdout };
}

/** The whole CLI, as a user runs it. */
function cli(argv: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['dist/bin/callsim.js', ...argv], { cwd: root, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const publishedC = ['erlang', 'c', '--rate', '100/30m', '--aht', '180s', '--agents', '14', '--target', '20s', '--json'];
const publishedA = [...publishedC, '--patience', '5m'];
publishedA[1] = 'a';

test('in process: Erlang C JSON carries the published figures and nothing that does not apply', async (t) => {
  const { code, stdout } = await inProcess(publishedC);
  t.is(code, EXIT.ok);
  const json = JSON.parse(stdout) as Record<string, unknown>;
  t.true(near(json.waitProbability, '0.1741319'));
  t.true(near(json.serviceLevel, '0.88835'));
  t.true(near(json.asa, '7.83594'));
  t.true(near(json.occupancy, '0.7142857'));
  t.deepEqual(Object.keys(json).sort(), ['asa', 'occupancy', 'serviceLevel', 'waitProbability']);
});

test('in process: Erlang A JSON carries the published figures, strict service level first', async (t) => {
  const { code, stdout } = await inProcess(publishedA);
  t.is(code, EXIT.ok);
  const json = JSON.parse(stdout) as Record<string, unknown> & { serviceLevel: number; serviceLevels: Record<string, number> };
  t.true(near(json.waitProbability, '0.14526'));
  t.true(near(json.abandonProbability, '0.013984'));
  t.true(near(json.serviceLevel, '0.916792'));
  t.is(json.serviceLevels.strict, json.serviceLevel);
  t.deepEqual(Object.keys(json.serviceLevels).sort(), ['answered', 'shortAbandonsExcluded', 'strict', 'virtual', 'wait']);
});

test('in process: the table is aligned and names the threshold', async (t) => {
  const { stdout } = await inProcess(publishedC.slice(0, -1));
  const lines = stdout.trimEnd().split('\n');
  const serviceLevel = lines.find((l) => l.includes('service level (20s)'));
  t.truthy(serviceLevel);
  t.regex(serviceLevel!, /88\.84 %$/);
  // Every measure's value ends in the same column.
  const valueRows = lines.filter((l) => /^ {2}\S/.test(l) && !l.includes('offered load'));
  t.true(valueRows.length >= 5);
  t.is(new Set(valueRows.map((l) => l.length)).size, 1, stdout);
});

test('in process: solving for the fewest lines and agents', async (t) => {
  const b = await inProcess(['erlang', 'b', '--rate', '10/h', '--aht', '1h', '--blocking', '2%', '--json']);
  t.is((JSON.parse(b.stdout) as { agents: number }).agents, 17);

  const c = await inProcess(['erlang', 'c', '--rate', '100/30m', '--aht', '180s', '--target', '20s', '--sl', '80%', '--json']);
  const solved = JSON.parse(c.stdout) as { agents: number; serviceLevel: number };
  t.true(solved.serviceLevel >= 0.8);
  const fewer = await inProcess([...publishedC.slice(0, 7), String(solved.agents - 1), '--target', '20s', '--json']);
  t.true((JSON.parse(fewer.stdout) as { serviceLevel: number }).serviceLevel < 0.8);

  const a = await inProcess([
    ...['erlang', 'a', '--rate', '100/30m', '--aht', '180s', '--patience', '5m'],
    ...['--target', '20s', '--sl', '0.9', '--sl-definition', 'virtual', '--abandon', '1%', '--json'],
  ]);
  const m = JSON.parse(a.stdout) as { agents: number; abandonProbability: number; serviceLevels: { virtual: number } };
  t.true(Number.isInteger(m.agents) && m.serviceLevels.virtual >= 0.9 && m.abandonProbability <= 0.01);
});

test('in process: --agents in exponent notation is the whole number it writes, as `count: 1e6` is in a scenario', async (t) => {
  const json = async (agents: string): Promise<unknown> => JSON.parse((await inProcess(['erlang', 'c', '--rate', '10/s', '--aht', '180s', '--agents', agents, '--json'])).stdout);
  t.deepEqual(await json('1e6'), await json('1000000'));
  t.deepEqual(await json('2.5e3'), await json('2500'));
  t.is((await json('1e6') as { occupancy: number }).occupancy, 0.0018, '1800 Erlangs on a million agents');
});

test('in process: bad and contradictory flags are usage errors that name the flag', async (t) => {
  const cases: Array<[string[], RegExp]> = [
    [['erlang', 'c', '--rate', 'five', '--aht', '180s', '--agents', '14'], /--rate `five`: expected a rate/],
    [['erlang', 'c', '--rate', '1/s', '--aht', '0s', '--agents', '14'], /--aht `0s`/],
    [['erlang', 'c', '--rate', '1/s', '--aht', '3m', '--agents', '2.5'], /--agents `2.5`: expected a whole number/],
    // the formulas take time in proportion to the agents: 1e9 ran for minutes
    [['erlang', 'c', '--rate', '1/s', '--aht', '3m', '--agents', '1e9'], /--agents `1e9`: expected a whole number of agents from 1 to 10000000/],
    [['erlang', 'a', '--rate', '1/s', '--aht', '3m', '--agents', '200'], /--patience is required/],
    [['erlang', 'c', '--rate', '1/s', '--aht', '3m', '--agents', '200', '--patience', '5m'], /--patience does not apply/],
    [['erlang', 'b', '--rate', '1/s', '--aht', '3m', '--agents', '200', '--blocking', '2%'], /--agents and --blocking/],
    [['erlang', 'c', '--rate', '1/s', '--aht', '3m', '--sl', '80%'], /--sl needs --target/],
    [['erlang', 'c', '--rate', '1/s', '--aht', '3m', '--target', '20s', '--sl', '100%'], /--sl `100%`/],
    [['erlang', 'c', '--rate', '1/s', '--aht', '3m'], /give --agents, or a goal/],
    [['erlang', 'a', '--rate', '1/s', '--aht', '3m', '--patience', '1m', '--abandon', '5%', '--sl-definition', 'toString'], /--sl-definition/],
  ];
  for (const [argv, message] of cases) {
    const err = await t.throwsAsync(inProcess(argv), { instanceOf: UsageError }, argv.join(' '));
    t.regex(err?.message ?? '', message);
  }
});

// The compiled CLI end to end: what CI and users actually run.

test('cli: published Erlang C figures as exactly one JSON object, exit 0', (t) => {
  const r = cli(publishedC);
  t.is(r.status, EXIT.ok, r.stderr);
  t.is(r.stdout.trim().split('\n').length, 1);
  const json = JSON.parse(r.stdout) as Record<string, unknown>;
  t.true(near(json.waitProbability, '0.1741319'));
  t.true(near(json.serviceLevel, '0.88835'));
  t.true(near(json.asa, '7.83594'));
  t.true(near(json.occupancy, '0.7142857'));
});

test('cli: published Erlang A figures', (t) => {
  const r = cli(publishedA);
  t.is(r.status, EXIT.ok, r.stderr);
  const json = JSON.parse(r.stdout) as Record<string, unknown>;
  t.true(near(json.waitProbability, '0.14526'));
  t.true(near(json.abandonProbability, '0.013984'));
  t.true(near(json.serviceLevel, '0.916792'));
});

test('cli: a bad --rate exits 2 with a message naming it and no stack trace', (t) => {
  const r = cli(['erlang', 'c', '--rate', 'five', '--aht', '180s', '--agents', '14']);
  t.is(r.status, EXIT.invalid);
  t.regex(r.stderr, /--rate/);
  t.regex(r.stderr, /five/);
  t.notRegex(r.stderr, /\n\s+at /);
  t.is(r.stdout, '');
});

test('cli: the fewest lines for 2 % blocking at 10 Erlangs is 17', (t) => {
  const r = cli(['erlang', 'b', '--rate', '10/h', '--aht', '1h', '--blocking', '2%']);
  t.is(r.status, EXIT.ok, r.stderr);
  t.regex(r.stdout, /lines needed\s+17\n/);
  const json = cli(['erlang', 'b', '--rate', '10/h', '--aht', '1h', '--blocking', '2%', '--json']);
  t.is((JSON.parse(json.stdout) as { agents: number }).agents, 17);
});
