/** One member of a JSON object's text: its key, and where the member and its value end in the text. */
export interface JsonMember {
  key: string;
  /** Where the member's key starts. */
  start: number;
  /** Just past the member's value. */
  end: number;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

/**
 * The top-level members of the JSON object `text` holds, as spans of the text, found without parsing the values:
 * strings are skipped with `indexOf`, nested values by counting brackets outside strings. For text that
 * JSON.parse accepted; anything this scanner does not follow (not an object, trailing text) gives undefined.
 */
export function objectMembers(text: string): JsonMember[] | undefined {
  let i = skipSpace(text, 0);
  if (text.charCodeAt(i) !== OPEN_BRACE) return undefined;
  i = skipSpace(text, i + 1);
  const members: JsonMember[] = [];
  if (text.charCodeAt(i) === CLOSE_BRACE) return skipSpace(text, i + 1) === text.length ? members : undefined;
  for (;;) {
    if (text.charCodeAt(i) !== QUOTE) return undefined;
    const start = i;
    const keyEnd = stringEnd(text, i);
    if (keyEnd === -1) return undefined;
    const rawKey = text.slice(i + 1, keyEnd - 1);
    const key = rawKey.includes('\\') ? (JSON.parse(text.slice(i, keyEnd)) as string) : rawKey;
    i = skipSpace(text, keyEnd);
    if (text.charCodeAt(i) !== COLON) return undefined;
    const end = valueEnd(text, skipSpace(text, i + 1));
    if (end === -1) return undefined;
    members.push({ key, start, end });
    i = skipSpace(text, end);
    const next = text.charCodeAt(i);
    if (next === COMMA) i = skipSpace(text, i + 1);
    else if (next === CLOSE_BRACE) return skipSpace(text, i + 1) === text.length ? members : undefined;
    else return undefined;
  }
}

function skipSpace(text: string, i: number): number {
  for (;;) {
    const c = text.charCodeAt(i);
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return i;
    i++;
  }
}

/** Just past the closing quote of the string whose opening quote is at `i`; -1 when it has none. */
function stringEnd(text: string, i: number): number {
  let from = i + 1;
  for (;;) {
    const quote = text.indexOf('"', from);
    if (quote === -1) return -1;
    let backslashes = 0;
    while (text.charCodeAt(quote - 1 - backslashes) === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return quote + 1;
    from = quote + 1;
  }
}

/** Just past the value that starts at `i`; -1 when it does not end. */
function valueEnd(text: string, i: number): number {
  const first = text.charCodeAt(i);
  if (first === QUOTE) return stringEnd(text, i);
  if (first === OPEN_BRACE || first === OPEN_BRACKET) {
    let depth = 0;
    for (let j = i; j < text.length; j++) {
      const c = text.charCodeAt(j);
      if (c === QUOTE) {
        const end = stringEnd(text, j);
        if (end === -1) return -1;
        j = end - 1;
      } else if (c === OPEN_BRACE || c === OPEN_BRACKET) depth++;
      else if ((c === CLOSE_BRACE || c === CLOSE_BRACKET) && --depth === 0) return j + 1;
    }
    return -1;
  }
  // a number, true, false or null: up to the next delimiter
  let j = i;
  for (; j < text.length; j++) {
    const c = text.charCodeAt(j);
    if (c === COMMA || c === CLOSE_BRACE || c === CLOSE_BRACKET || c <= 0x20) break;
  }
  return j > i ? j : -1;
}
