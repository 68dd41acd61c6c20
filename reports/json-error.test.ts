import test from 'ava';
import fc from 'fast-check';
import { jsonSyntaxError } from './json-error.js';

test('a syntax error is placed at its line and column, saying what was expected and what was found', (t) => {
  t.deepEqual(jsonSyntaxError('{"callsim": {"summaryFormat": 1},, }'), { line: 1, column: 34, message: 'expected a double-quoted property name, found `,`' });
  t.deepEqual(jsonSyntaxError('{\n  "a": tru\n}'), { line: 2, column: 11, message: 'expected `true`, found the end of the line' });
  t.deepEqual(jsonSyntaxError('["a\u0001"]')?.message, 'expected a character of a string (control characters must be escaped), found the control character U+0001');
  t.deepEqual(jsonSyntaxError('{"a":\n  [1, 2\n'), { line: 3, column: 1, message: 'expected `,` or `]` after an array element, found the end of the text' });
  t.deepEqual(jsonSyntaxError('{"a": 1}\nx'), { line: 2, column: 1, message: 'expected nothing after the value, found `x`' });
  t.deepEqual(jsonSyntaxError(''), { line: 1, column: 1, message: 'expected a value (an object, array, string, number, `true`, `false` or `null`), found the end of the text' });
  t.deepEqual(jsonSyntaxError('\uFEFF{}')?.message, 'expected a value (an object, array, string, number, `true`, `false` or `null`), found a byte-order mark');
  t.deepEqual(jsonSyntaxError('["\\u12g4"]'), { line: 1, column: 7, message: 'expected four hex digits after `\\u`, found `g`' });
  t.deepEqual(jsonSyntaxError('[01]'), { line: 1, column: 3, message: 'expected `,` or `]` after an array element, found `1`' });
  t.deepEqual(jsonSyntaxError('[1.]')?.column, 4);
});

test('it agrees with JSON.parse on what is valid JSON', (t) => {
  // valid texts, and texts with one character changed, inserted or removed
  const texts = fc.oneof(
    fc.json(),
    fc.tuple(fc.json(), fc.nat(), fc.constantFrom(',', ']', '}', '"', ':', '0', '.', 'e', '-', 'x', ' ', '\\', '\u0001', '')).map(([s, at, c]) => {
      const i = s.length === 0 ? 0 : at % s.length;
      return at % 2 === 0 ? s.slice(0, i) + c + s.slice(i + 1) : s.slice(0, i) + c + s.slice(i);
    }),
  );
  fc.assert(
    fc.property(texts, (s) => {
      let valid = true;
      try {
        JSON.parse(s);
      } catch {
        valid = false;
      }
      return valid === (jsonSyntaxError(s) === undefined);
    }),
  );
  t.pass();
});

test('nesting deeper than the stack: nothing to say (the caller keeps JSON.parse\'s own message)', (t) => {
  t.is(jsonSyntaxError('['.repeat(200_000)), undefined);
});
