import test from 'ava';
import fc from 'fast-check';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ScenarioError } from './errors.js';
import { MINIMAL_EXAMPLE } from './example-scenarios.js';
import { loadScenario } from './load.js';
import { decodeUtf8, firstInvalidByte, NotUtf8Error } from './source-text.js';

const bytes = (...parts: (string | number[])[]): Uint8Array =>
  Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : Buffer.from(p))));

function issueOf(b: Uint8Array): unknown {
  const e = (() => {
    try {
      decodeUtf8(b, 'f.yaml');
    } catch (err) {
      return err;
    }
    return undefined;
  })();
  if (!(e instanceof NotUtf8Error)) throw new Error('no NotUtf8Error');
  return { ...e.issue.pos, message: e.issue.message };
}

test('UTF-8 text decodes, a UTF-8 byte-order mark dropped', (t) => {
  t.is(decodeUtf8(bytes('name: 吉林 12333 ☎\n'), 'f.yaml'), 'name: 吉林 12333 ☎\n');
  t.is(decodeUtf8(bytes([0xef, 0xbb, 0xbf], 'seed: 1\n'), 'f.yaml'), 'seed: 1\n');
});

test('the first byte that is not UTF-8 is named with its line and its column in characters', (t) => {
  // `café` saved as Latin-1
  t.deepEqual(issueOf(bytes('seed: 1\nname: caf', [0xe9], ' hotline\n')), { file: 'f.yaml', line: 2, column: 10, message: 'byte 0xe9 is not UTF-8' });
  // after two Chinese characters (three bytes each): column 9, not 13
  t.deepEqual(issueOf(bytes('name: 吉林', [0xe9], '\n')), { file: 'f.yaml', line: 1, column: 9, message: 'byte 0xe9 is not UTF-8' });
  // a sequence cut short at the end of the file, an overlong `/`, a surrogate
  t.deepEqual(issueOf(bytes('# ', [0xe4, 0xb8])), { file: 'f.yaml', line: 1, column: 3, message: 'byte 0xe4 is not UTF-8' });
  t.deepEqual(issueOf(bytes('a\n\nb', [0xc0, 0xaf])), { file: 'f.yaml', line: 3, column: 2, message: 'byte 0xc0 is not UTF-8' });
  t.deepEqual(issueOf(bytes([0xed, 0xa0, 0x80])), { file: 'f.yaml', line: 1, column: 1, message: 'byte 0xed is not UTF-8' });
});

test('a UTF-16 file is said to be UTF-16, not quoted back as garbage', (t) => {
  const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('seed: 1\n', 'utf16le')]);
  t.deepEqual(issueOf(le), { file: 'f.yaml', line: 1, column: 1, message: 'the file is UTF-16 text (it starts with a UTF-16 byte-order mark)' });
});

test('firstInvalidByte agrees with the strict TextDecoder on any bytes: -1 exactly when they decode', (t) => {
  const strict = new TextDecoder('utf-8', { fatal: true });
  // bytes near the edges of UTF-8's ranges, and valid characters, mixed
  const interesting = fc.oneof(
    fc.integer({ min: 0, max: 255 }).map((b) => [b]),
    fc.constantFrom(0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf, 0xc0, 0xc1, 0xc2, 0xdf, 0xe0, 0xed, 0xef, 0xf0, 0xf4, 0xf5, 0xff).map((b) => [b]),
    fc.string({ unit: 'grapheme' }).map((s) => [...Buffer.from(s, 'utf8')]),
  );
  fc.assert(
    fc.property(fc.array(interesting, { maxLength: 12 }), (parts) => {
      const b = Uint8Array.from(parts.flat());
      let decodes = true;
      try {
        strict.decode(b);
      } catch {
        decodes = false;
      }
      const at = firstInvalidByte(b);
      if (decodes !== (at === -1)) return false;
      // everything before the byte named is valid
      if (at > 0) strict.decode(b.subarray(0, at));
      return true;
    }),
    { numRuns: 2000 },
  );
  t.pass();
});

test('a scenario or its menu file in Latin-1 is exit-2 input with a position, not a run with U+FFFD in it', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'callsim-'));
  const scenario = join(dir, 'latin1.yaml');
  writeFileSync(scenario, Buffer.from(`seed: 3\nname: caf\u00e9\n${MINIMAL_EXAMPLE}`, 'latin1'));
  const e = t.throws(() => loadScenario(scenario), { instanceOf: ScenarioError });
  t.is(e.message, `${scenario}:2:10: byte 0xe9 is not UTF-8; expected a UTF-8 text file (save the file as UTF-8; Latin-1 and GBK are not)`);

  writeFileSync(join(dir, 'menu.yaml'), Buffer.from('entry: main\nmenus:\n  main:\n    prompt: "Bienvenue \u00e0 12333"\n', 'latin1'));
  const withMenu = join(dir, 'with-menu.yaml');
  writeFileSync(withMenu, `${MINIMAL_EXAMPLE}\nivr: menu.yaml\n`);
  const m = t.throws(() => loadScenario(withMenu), { instanceOf: ScenarioError });
  t.is(m.issues.length, 1, m.message);
  t.deepEqual(m.issues[0]!.pos, { file: join(dir, 'menu.yaml'), line: 4, column: 24 });
});
