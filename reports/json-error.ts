// Where a JSON text goes wrong, as line and column: JSON.parse says "at position 8" in Node 20,
// or, for an unexpected token, quotes the text and says nowhere. This re-reads the text after
// JSON.parse has refused it (RFC 8259's grammar, nothing else) and stops at the first character
// that cannot be there, saying what could.

/** The first offending place in `text`, or undefined if it is valid JSON after all. */
export interface JsonSyntaxError {
  /** 1-based, as editors count; the column counts UTF-16 code units. */
  readonly line: number;
  readonly column: number;
  /** What was expected there and what was found, e.g. "expected a double-quoted property name, found `,`". */
  readonly message: string;
}

class Stop {
  constructor(
    readonly offset: number,
    readonly expected: string,
  ) {}
}

/** Finds the first syntax error in `text`. Nesting deeper than the stack allows is not located. */
export function jsonSyntaxError(text: string): JsonSyntaxError | undefined {
  let i = 0;
  const ws = (): void => {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++;
  };
  const stop = (expected: string): never => {
    throw new Stop(i, expected);
  };
  const literal = (word: string): void => {
    for (const c of word) {
      if (text[i] !== c) stop(`\`${word}\``);
      i++;
    }
  };
  const digits = (what: string): void => {
    if (!/[0-9]/.test(text[i] ?? '')) stop(what);
    while (/[0-9]/.test(text[i] ?? '')) i++;
  };
  const string = (): void => {
    i++; // the opening quote
    for (;;) {
      const c = text[i];
      if (c === undefined) stop('a closing `"`');
      if (c === '"') return void i++;
      if (c!.charCodeAt(0) < 0x20) stop('a character of a string (control characters must be escaped)');
      if (c === '\\') {
        i++;
        const e = text[i];
        if (e === 'u') {
          i++;
          for (let k = 0; k < 4; k++, i++) if (!/[0-9a-fA-F]/.test(text[i] ?? '')) stop('four hex digits after `\\u`');
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) i++;
        else stop('an escape: one of `\\"`, `\\\\`, `\\/`, `\\b`, `\\f`, `\\n`, `\\r`, `\\t`, `\\uXXXX`');
      } else i++;
    }
  };
  const value = (): void => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      ws();
      if (text[i] === '}') return void i++;
      for (;;) {
        ws();
        if (text[i] !== '"') stop('a double-quoted property name');
        string();
        ws();
        if (text[i] !== ':') stop('`:` after the property name');
        i++;
        value();
        ws();
        if (text[i] === '}') return void i++;
        if (text[i] !== ',') stop('`,` or `}` after a property');
        i++;
      }
    }
    if (c === '[') {
      i++;
      ws();
      if (text[i] === ']') return void i++;
      for (;;) {
        value();
        ws();
        if (text[i] === ']') return void i++;
        if (text[i] !== ',') stop('`,` or `]` after an array element');
        i++;
      }
    }
    if (c === '"') return string();
    if (c === 't') return literal('true');
    if (c === 'f') return literal('false');
    if (c === 'n') return literal('null');
    if (c === '-' || /[0-9]/.test(c ?? '')) {
      if (c === '-') i++;
      if (text[i] === '0') i++;
      else digits('a digit');
      if (text[i] === '.') {
        i++;
        digits('a digit after the decimal point');
      }
      if (text[i] === 'e' || text[i] === 'E') {
        i++;
        if (text[i] === '+' || text[i] === '-') i++;
        digits('a digit of the exponent');
      }
      return;
    }
    stop('a value (an object, array, string, number, `true`, `false` or `null`)');
  };
  try {
    value();
    ws();
    if (i < text.length) stop('nothing after the value');
    return undefined;
  } catch (e) {
    if (!(e instanceof Stop)) return undefined; // nested too deep to follow: nothing to say
    return { ...lineColumn(text, e.offset), message: `expected ${e.expected}, found ${found(text, e.offset)}` };
  }
}

function found(text: string, offset: number): string {
  if (offset >= text.length) return 'the end of the text';
  const c = text[offset]!;
  if (c === '\uFEFF') return 'a byte-order mark';
  if (c === '\n' || c === '\r') return 'the end of the line';
  if (c === '\t') return 'a tab';
  if (c.charCodeAt(0) < 0x20) return `the control character U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
  return `\`${c}\``;
}

function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let k = text.indexOf('\n'); k !== -1 && k < offset; k = text.indexOf('\n', k + 1)) {
    line++;
    start = k + 1;
  }
  return { line, column: offset - start + 1 };
}
