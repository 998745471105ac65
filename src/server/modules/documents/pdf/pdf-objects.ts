/**
 * Every object definition of a PDF, found in one pass over its bytes (as latin1 text): each
 * `N G obj … endobj`, in every revision, including the ones a parser that keeps the last definition
 * forgets. Nothing here rescans the file per object: every search moves forward only, so a file of any
 * shape costs time in proportion to its size.
 */

export type ObjectDefinition = {
  num: number;
  gen: number;
  /** Where `N G obj` starts. */
  start: number;
  /** Just after `obj`. */
  bodyStart: number;
  /** Where `endobj` starts (the body ends there), or the next header's start when there is no endobj. */
  end: number;
  terminated: boolean;
};

export type ObjectIndex = {
  definitions: ObjectDefinition[];
  /** Headers with no `endobj` of their own before the next header: a broken or hostile file. */
  unterminated: number;
};

const isSpace = (c: number) => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09 || c === 0x0c || c === 0;
const isDigit = (c: number) => c >= 0x30 && c <= 0x39;
/** PDF delimiters and white space: what may follow a keyword. */
const isDelimiter = (c: number) =>
  Number.isNaN(c) || isSpace(c) || '()<>[]{}/%'.includes(String.fromCharCode(c));

/** The digits that end just before `at` (at most 10 of them), or null. */
function digitsBefore(text: string, at: number): { value: number; from: number } | null {
  let from = at;
  while (from > 0 && at - from < 10 && isDigit(text.charCodeAt(from - 1))) from--;
  return from === at ? null : { value: Number(text.slice(from, at)), from };
}

/**
 * `N G` just before the `obj` at `at`, read backwards over a bounded stretch; null when it is not a
 * header. Lenient on purpose (no delimiter needed before N, none between G and obj): a viewer that jumps
 * to an object's offset reads it whatever precedes it, so every such header must be found here too.
 */
function headerBefore(text: string, at: number): { num: number; gen: number; start: number } | null {
  let i = at;
  while (i > 0 && at - i < 32 && isSpace(text.charCodeAt(i - 1))) i--;
  const gen = digitsBefore(text, i);
  if (!gen) return null;
  i = gen.from;
  const gap = i;
  while (i > 0 && gap - i < 32 && isSpace(text.charCodeAt(i - 1))) i--;
  if (i === gap) return null;
  const num = digitsBefore(text, i);
  return num ? { num: num.value, gen: gen.value, start: num.from } : null;
}

/**
 * One pass over every `obj`: a header opens a definition, `endobj` closes the latest open one. A header
 * followed by another header before any `endobj` is counted as unterminated and ends where it starts.
 */
export function indexObjects(text: string): ObjectIndex {
  const definitions: ObjectDefinition[] = [];
  let unterminated = 0;
  let open: { num: number; gen: number; start: number; bodyStart: number } | null = null;
  for (let at = text.indexOf('obj'); at >= 0; at = text.indexOf('obj', at + 3)) {
    if (!isDelimiter(text.charCodeAt(at + 3))) continue;
    if (at >= 3 && text.startsWith('end', at - 3)) {
      if (open) definitions.push({ ...open, end: at - 3, terminated: true });
      open = null;
      continue;
    }
    const header = headerBefore(text, at);
    if (!header) continue;
    // An unterminated definition still counts up to the next header: what it holds is checked too.
    if (open) {
      unterminated++;
      definitions.push({ ...open, end: header.start, terminated: false });
    }
    open = { ...header, bodyStart: at + 3 };
  }
  if (open) {
    unterminated++;
    definitions.push({ ...open, end: text.length, terminated: false });
  }
  return { definitions, unterminated };
}

export type Token =
  | { kind: 'name'; value: string }
  | { kind: 'keyword'; value: string; end: number }
  | { kind: 'other' };

/** `/J#53` is `/JS`: names are compared decoded. */
function decodeName(raw: string) {
  return raw.includes('#')
    ? raw.replace(/#([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)))
    : raw;
}

/**
 * The tokens of PDF syntax from `from` to `to`: names decoded, strings and comments skipped (a name
 * written inside a string is text, not a key), keywords (`stream`, `R`, numbers) reported with where
 * they end so the caller can skip a stream's data. Linear: every step moves forward.
 */
export function* tokens(text: string, from: number, to: number): Generator<Token> {
  let i = from;
  while (i < to) {
    const c = text.charCodeAt(i);
    if (isSpace(c)) {
      i++;
    } else if (c === 0x25 /* % */) {
      while (i < to && text.charCodeAt(i) !== 0x0a && text.charCodeAt(i) !== 0x0d) i++;
    } else if (c === 0x2f /* / */) {
      let j = i + 1;
      while (j < to && !isDelimiter(text.charCodeAt(j))) j++;
      yield { kind: 'name', value: decodeName(text.slice(i + 1, j)) };
      i = j;
    } else if (c === 0x28 /* ( */) {
      let depth = 1;
      i++;
      while (i < to && depth > 0) {
        const s = text.charCodeAt(i);
        if (s === 0x5c /* \ */) i++;
        else if (s === 0x28) depth++;
        else if (s === 0x29) depth--;
        i++;
      }
      yield { kind: 'other' };
    } else if (c === 0x3c /* < */ && text.charCodeAt(i + 1) !== 0x3c) {
      // A loop, not indexOf: a file of lone `<` must not search to its end for each one.
      i++;
      while (i < to && text.charCodeAt(i) !== 0x3e) i++;
      i++;
      yield { kind: 'other' };
    } else if ('<>[]{}'.includes(text[i] as string)) {
      i += c === 0x3c || c === 0x3e ? (text.charCodeAt(i + 1) === c ? 2 : 1) : 1;
      yield { kind: 'other' };
    } else {
      let j = i + 1;
      while (j < to && !isDelimiter(text.charCodeAt(j))) j++;
      yield { kind: 'keyword', value: text.slice(i, j), end: j };
      i = j;
    }
  }
}
