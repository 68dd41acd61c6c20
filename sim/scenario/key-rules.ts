// The keys of maps whose keys are the user's data: DTMF keys of a menu's options, the
// choices a caller makes in a menu (a key, or staying silent, or hanging up), and area
// codes. YAML reads `1:` as a number and `0431:` as 431, so a key is judged by how it was
// written: `1` is the key 1, `01`, `10` and an unquoted area code are errors.

import type { Scalar } from 'yaml';
import { KEYS, type Key } from '../ivr/types.js';
import type { KeyRule } from './schema-shapes.js';
import { didYouMean } from './suggest.js';

const KEY_WORDS = '`0`-`9`, `"*"` or `"#"`';

/** The key as written when YAML read it as a number (`1` and `01` both read as 1). */
function text(key: Scalar, written: string | undefined): string | undefined {
  if (typeof key.value === 'string') return key.value;
  if (typeof key.value === 'number') return written ?? String(key.value);
  return undefined;
}

function isKey(word: string): word is Key {
  return (KEYS as readonly string[]).includes(word);
}

/** A DTMF key: `0`-`9`, `*`, `#`. */
export const OPTION_KEYS: KeyRule = {
  read: (key, written) => {
    const word = text(key, written);
    if (word !== undefined && isKey(word)) return { key: word };
    return { problem: `\`${word ?? written ?? '?'}\` is not a phone key` };
  },
  expected: `one key: ${KEY_WORDS}`,
  schema: { enum: [...KEYS] },
};

/** What a caller does in a menu besides pressing a key. */
export const CHOICE_WORDS = ['silent', 'hangup'] as const;

/** A key, `silent` (no key: a time-out) or `hangup`. */
export const CHOICE_KEYS: KeyRule = {
  read: (key, written) => {
    const word = text(key, written);
    if (word !== undefined && (isKey(word) || (CHOICE_WORDS as readonly string[]).includes(word))) return { key: word };
    const shown = word ?? written ?? '?';
    return { problem: `\`${shown}\` is not a choice`, hint: didYouMean(shown, CHOICE_WORDS, { prefixes: true }) };
  },
  expected: `${KEY_WORDS}, \`silent\` or \`hangup\``,
  schema: { enum: [...KEYS, ...CHOICE_WORDS] },
};

/** An area code, quoted so that its leading zero stays (`"0431"`). */
export const AREA_CODE_KEYS: KeyRule = {
  read: (key, written) => {
    if (typeof key.value === 'string' && /^[0-9]+$/.test(key.value)) return { key: key.value };
    if (typeof key.value === 'number') {
      const shown = written ?? String(key.value);
      return { problem: `\`${shown}\` is not a quoted area code`, hint: `quote it: "${shown}"` };
    }
    return { problem: `\`${typeof key.value === 'string' ? key.value : (written ?? String(key.value))}\` is not an area code` };
  },
  expected: 'an area code of digits, quoted: `"0431"`',
  schema: { pattern: '^[0-9]+$' },
};
