// Scenario and menu files are UTF-8 text. Read leniently, a file saved as Latin-1 or GBK (an
// older editor, a menu prompt typed in Chinese) had each character it could not decode
// replaced by U+FFFD without a word: `name: café` ran as `caf�`, and a UTF-16 file became a
// wall of NULs quoted back as one YAML error. Here such a file is a positioned mistake: the
// line and column of the first byte that is not UTF-8.

import { readFileSync } from 'node:fs';
import type { ScenarioIssue } from './errors.js';

const strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/** A file whose bytes are not UTF-8 text; `issue` says where, in the file it names. */
export class NotUtf8Error extends Error {
  override readonly name = 'NotUtf8Error';
  constructor(readonly issue: ScenarioIssue) {
    super(issue.message);
  }
}

/** Reads `path` as UTF-8 text (a UTF-8 byte-order mark is dropped); throws NotUtf8Error, or as readFileSync does. */
export function readUtf8File(path: string): string {
  return decodeUtf8(readFileSync(path), path);
}

/** `bytes` as text; throws NotUtf8Error naming `file` and the first byte that is not UTF-8. */
export function decodeUtf8(bytes: Uint8Array, file: string): string {
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    throw new NotUtf8Error({
      pos: { file, line: 1, column: 1 },
      path: '',
      message: 'the file is UTF-16 text (it starts with a UTF-16 byte-order mark)',
      expected: 'a UTF-8 text file',
      hint: 'save it as UTF-8',
    });
  }
  try {
    return strict.decode(bytes);
  } catch {
    const at = Math.max(firstInvalidByte(bytes), 0);
    const lineStart = bytes.lastIndexOf(0x0a, at - 1) + 1;
    let line = 1;
    for (let i = 0; i < lineStart; i++) if (bytes[i] === 0x0a) line++;
    // columns count characters, as an editor shows them; the bytes before `at` are valid
    const column = [...strict.decode(bytes.subarray(lineStart, at))].length + 1;
    throw new NotUtf8Error({
      pos: { file, line, column },
      path: '',
      message: `byte 0x${bytes[at]!.toString(16).padStart(2, '0')} is not UTF-8`,
      expected: 'a UTF-8 text file',
      hint: 'save the file as UTF-8; Latin-1 and GBK are not',
    });
  }
}

/** Offset of the first byte that does not start or continue a well-formed UTF-8 sequence (RFC 3629), or -1. */
export function firstInvalidByte(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    // continuation bytes after the lead byte, and the range of the first one (no overlongs, no surrogates)
    const [n, lo, hi] =
      b >= 0xc2 && b <= 0xdf ? [1, 0x80, 0xbf]
      : b === 0xe0 ? [2, 0xa0, 0xbf]
      : b === 0xed ? [2, 0x80, 0x9f]
      : b >= 0xe1 && b <= 0xef ? [2, 0x80, 0xbf]
      : b === 0xf0 ? [3, 0x90, 0xbf]
      : b === 0xf4 ? [3, 0x80, 0x8f]
      : b >= 0xf1 && b <= 0xf3 ? [3, 0x80, 0xbf]
      : [0, 0, 0];
    if (n === 0 || i + n >= bytes.length) return i;
    const first = bytes[i + 1]!;
    if (first < lo || first > hi) return i;
    for (let k = 2; k <= n; k++) if ((bytes[i + k]! & 0xc0) !== 0x80) return i;
    i += n + 1;
  }
  return -1;
}
