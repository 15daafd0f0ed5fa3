/**
 * Estimated tokens of a text: tokenx's heuristic (the same segments and per-segment rules, so the same numbers;
 * a test holds them equal), computed in one pass over char codes. tokenx splits with a regex and runs up to nine
 * more regexes per segment, which costs about 0.2 µs per character: 20 ms for the 90 KB prompt a coding agent
 * sends with its tools. This costs a few ns per character.
 *
 * Segments are the maximal runs of whitespace, of ASCII punctuation and of everything else. Whitespace counts
 * 1 when it carries structure (a newline followed by whitespace), else 0; punctuation 1 up to 3 characters, else
 * one per 2. Other runs: a run with a letter of a listed language counts code points per that language's
 * characters per token; CJK by character (kana 1.35 per token); digits one per 3; up to 3 characters 1; else one
 * per 6.
 */

const DEFAULT_CHARS_PER_TOKEN = 6;
const SHORT_SEGMENT = 3;
const KANA_CHARS_PER_TOKEN = 1.35;

/** tokenx's language table, in its order: the first language with a letter in a segment sets its ratio. */
const LANGUAGES: ReadonlyArray<{ pattern: RegExp; charsPerToken: number }> = [
  { pattern: /[äöüßẞ]/i, charsPerToken: 2.6 },
  { pattern: /[éèêëàâîïôûùüÿçœæáíóúñ]/i, charsPerToken: 3 },
  { pattern: /[ąćęłńóśźżěščřžýůúďťň]/i, charsPerToken: 2.5 },
  { pattern: /[\u0430-\u044F\u0451]/i, charsPerToken: 4 },
  { pattern: /[\u03AC-\u03CE]/i, charsPerToken: 2.75 },
];
/** A segment made only of emoji (a pictograph, then pictographs and emoji components) counts 0.75 characters per token. */
const EMOJI_CHARS_PER_TOKEN = 0.75;
const CJK =
  /[\u4E00-\u9FFF\u3400-\u4DBF\u3000-\u30FF\uFF00-\uFFEF\u2E80-\u2EFF\u31C0-\u31EF\u3200-\u32FF\u3300-\u33FF\uAC00-\uD7AF\u1100-\u11FF\u3130-\u318F\uA960-\uA97F\uD7B0-\uD7FF]/;
const WHITESPACE = /\s/;
const PICTOGRAPHIC = /^\p{Extended_Pictographic}$/u;
const EMOJI_COMPONENT = /^\p{Emoji_Component}$/u;
const PUNCTUATION = '.,!?;(){}[]<>:/\\|@#$%^&*+=`~_"-';

// Per code unit (BMP) or code point (astral): its class and the flags the rules read, computed once each.
const KIND_OTHER = 0;
const KIND_SPACE = 1;
const KIND_PUNCT = 2;
const KIND_MASK = 3;
const F_DIGIT = 4;
const F_CJK = 8;
const F_KANA = 16;
const F_PICTO = 32;
const F_EMOJI_PART = 64;
const LANG_SHIFT = 7; // 3 bits: index into LANGUAGES, or NO_LANGUAGE
const NO_LANGUAGE = 7;
const COMPUTED = 1 << 10;

const unitTraits = new Uint16Array(0x10000);
const astralTraits = new Map<number, number>();

function computeTraits(codePoint: number): number {
  const ch = String.fromCodePoint(codePoint);
  let traits = COMPUTED;
  if (WHITESPACE.test(ch)) traits |= KIND_SPACE;
  else if (codePoint < 0x80 && PUNCTUATION.includes(ch)) traits |= KIND_PUNCT;
  if (codePoint >= 0x30 && codePoint <= 0x39) traits |= F_DIGIT;
  if (codePoint <= 0xffff && CJK.test(ch)) traits |= F_CJK;
  if (codePoint >= 0x3040 && codePoint <= 0x30ff) traits |= F_KANA;
  if (PICTOGRAPHIC.test(ch)) traits |= F_PICTO;
  if (EMOJI_COMPONENT.test(ch)) traits |= F_EMOJI_PART;
  let language = NO_LANGUAGE;
  if (codePoint <= 0xffff) language = LANGUAGES.findIndex((l) => l.pattern.test(ch));
  return traits | ((language < 0 ? NO_LANGUAGE : language) << LANG_SHIFT);
}

/** A UTF-16 code unit's traits (a lone surrogate is its own code point: String.fromCodePoint keeps it as it is). */
function traitsOf(unit: number): number {
  return unitTraits[unit]! || (unitTraits[unit] = computeTraits(unit));
}

function astralTraitsOf(codePoint: number): number {
  let traits = astralTraits.get(codePoint);
  if (traits === undefined) astralTraits.set(codePoint, (traits = computeTraits(codePoint)));
  return traits;
}

/**
 * Estimated tokens of `texts` joined by newlines, without building the joined string (joining a large
 * JSON.stringify result costs more than counting it). Equal to counting the joined text: only whitespace runs
 * cross the joints, and they are counted whole.
 */
export function countJoinedTokens(texts: readonly string[]): number {
  let tokens = 0;
  let space = ''; // the whitespace run that reaches the current joint
  for (let k = 0; k < texts.length; k++) {
    const text = texts[k]!;
    if (k > 0) space += '\n';
    let lead = 0;
    while (lead < text.length && isSpace(text.charCodeAt(lead))) lead++;
    if (lead === text.length) {
      space += text;
      continue;
    }
    let trail = text.length;
    while (isSpace(text.charCodeAt(trail - 1))) trail--;
    tokens += countTextTokens(space + text.slice(0, lead)) + countInner(text, lead, trail);
    space = text.slice(trail);
  }
  return tokens + countTextTokens(space);
}

/** Texts at least this long are counted once: agents send the same system prompt, tools and history every turn. */
const REMEMBERED_MIN_CHARS = 1024;

/**
 * Counts already taken, by text. Looking a text up costs a hash and a compare, a fraction of counting it (V8
 * hashes a string longer than 16 K characters by its length). Bounded: counts go to a generation of at most
 * `generationChars` characters of text; when it is full it becomes the old generation, the one before is
 * dropped, and a count found in the old one moves to the new one.
 */
export class RememberedCounts {
  private current = new Map<string, number>();
  private previous = new Map<string, number>();
  private chars = 0;

  constructor(private readonly generationChars: number) {}

  get(text: string): number | undefined {
    const count = this.current.get(text);
    if (count !== undefined) return count;
    const old = this.previous.get(text);
    if (old !== undefined) this.set(text, old);
    return old;
  }

  /** Remembers a count; a text longer than a generation is not remembered. */
  set(text: string, count: number): void {
    if (text.length > this.generationChars) return;
    if (this.chars + text.length > this.generationChars) {
      this.previous = this.current;
      this.current = new Map();
      this.chars = 0;
    }
    this.current.set(text, count);
    this.chars += text.length;
  }

  /** Characters of text held (both generations), for tests. */
  get heldChars(): number {
    let chars = 0;
    for (const text of this.previous.keys()) chars += text.length;
    return chars + this.chars;
  }
}

/** About 4 MB of prompt text at most, across both generations. */
const remembered = new RememberedCounts(2 * 1024 * 1024);

/** countTextTokens of a text's part without its leading and trailing whitespace (which depend on the text alone). */
function countInner(text: string, lead: number, trail: number): number {
  if (trail - lead < REMEMBERED_MIN_CHARS) return countTextTokens(text, lead, trail);
  let count = remembered.get(text);
  if (count === undefined) remembered.set(text, (count = countTextTokens(text, lead, trail)));
  return count;
}

function isSpace(unit: number): boolean {
  return (traitsOf(unit) & KIND_MASK) === KIND_SPACE;
}

/** Estimated tokens of `text`, or of its part from `from` to `to` (equal to tokenx's `estimateTokenCount`). */
export function countTextTokens(text: string, from = 0, to = text.length): number {
  let tokens = 0;
  let i = from;
  while (i < to) {
    const start = i;
    let unit = text.charCodeAt(i);
    let traits = traitsOf(unit);
    const kind = traits & KIND_MASK;
    if (kind === KIND_SPACE) {
      let structured = false;
      let prevNewline = false;
      do {
        if (prevNewline) structured = true;
        prevNewline = unit === 0x0a;
        if (++i === to) break;
        unit = text.charCodeAt(i);
        traits = traitsOf(unit);
      } while ((traits & KIND_MASK) === KIND_SPACE);
      if (structured) tokens += 1;
      continue;
    }
    if (kind === KIND_PUNCT) {
      do {
        if (++i === to) break;
        unit = text.charCodeAt(i);
        traits = traitsOf(unit);
      } while ((traits & KIND_MASK) === KIND_PUNCT);
      const length = i - start;
      tokens += length <= SHORT_SEGMENT ? 1 : Math.ceil(length / 2);
      continue;
    }
    // a run of other characters: ASCII ones only decide "all digits" and end an emoji run
    let language = NO_LANGUAGE;
    let codePoints = 0;
    let kana = 0;
    let cjk = false;
    let digits = true;
    let emoji = true;
    do {
      if (unit < 0x80) {
        if (!(traits & F_DIGIT)) digits = false;
        emoji = emoji && codePoints > 0 && (traits & F_EMOJI_PART) !== 0;
      } else {
        if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < to) {
          const low = text.charCodeAt(i + 1);
          if (low >= 0xdc00 && low <= 0xdfff) {
            traits = astralTraitsOf((unit - 0xd800) * 0x400 + (low - 0xdc00) + 0x10000);
            i++;
          }
        }
        const lang = (traits >> LANG_SHIFT) & 7;
        if (lang < language) language = lang;
        if (traits & F_CJK) cjk = true;
        if (traits & F_KANA) kana++;
        digits = false;
        if (emoji && !(traits & (codePoints === 0 ? F_PICTO : F_PICTO | F_EMOJI_PART))) emoji = false;
      }
      codePoints++;
      if (++i === to) break;
      unit = text.charCodeAt(i);
      traits = traitsOf(unit);
    } while ((traits & KIND_MASK) === KIND_OTHER);
    const length = i - start;
    if (language !== NO_LANGUAGE) tokens += Math.ceil(codePoints / LANGUAGES[language]!.charsPerToken);
    else if (emoji) tokens += Math.ceil(codePoints / EMOJI_CHARS_PER_TOKEN);
    else if (cjk) tokens += codePoints - kana + Math.ceil(kana / KANA_CHARS_PER_TOKEN);
    else if (digits) tokens += Math.ceil(length / 3);
    else tokens += length <= SHORT_SEGMENT ? 1 : Math.ceil(length / DEFAULT_CHARS_PER_TOKEN);
  }
  return tokens;
}
