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
  /** Where `endobj` starts: the body ends there. */
  end: number;
};

export type ObjectIndex = {
  /** Every complete definition (`N G obj … endobj`), in file order. */
  definitions: ObjectDefinition[];
  /**
   * Where each header with no `endobj` of its own before the next header starts (a broken or hostile
   * file), in file order: positions only, so a file of millions of bare headers costs no objects.
   */
  unterminatedStarts: number[];
};

const isSpace = (c: number) => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09 || c === 0x0c || c === 0;
const isDigit = (c: number) => c >= 0x30 && c <= 0x39;
/** PDF delimiters and white space: what may follow a keyword. */
const isDelimiter = (c: number) =>
  Number.isNaN(c) || isSpace(c) || '()<>[]{}/%'.includes(String.fromCharCode(c));

/** Where the digits that end just before `at` start (at most 10 of them); `at` when there are none. */
function digitsFrom(text: string, at: number): number {
  let from = at;
  while (from > 0 && at - from < 10 && isDigit(text.charCodeAt(from - 1))) from--;
  return from;
}

const spacesFrom = (text: string, at: number) => {
  let i = at;
  while (i > 0 && at - i < 32 && isSpace(text.charCodeAt(i - 1))) i--;
  return i;
};

/**
 * One pass over every `obj`: a header opens a definition, `endobj` closes the latest open one. A header
 * followed by another header before any `endobj` is unterminated: only where it starts is kept.
 *
 * `N G` before an `obj` is read backwards over a bounded stretch. Lenient on purpose (no delimiter needed
 * before N, none between G and obj): a viewer that jumps to an object's offset reads it whatever precedes
 * it, so every such header must be found here too. The open header is kept as positions, and an object is
 * made only for a complete definition: a 20 MB file of bare headers allocates nothing per header (with an
 * object per header, and object spread, its index took 5 s; now about 0.3 s).
 */
export function indexObjects(text: string): ObjectIndex {
  const definitions: ObjectDefinition[] = [];
  const unterminatedStarts: number[] = [];
  // The open header: where N starts (-1: none), where N and G end, where its body starts.
  let start = -1;
  let numEnd = 0;
  let genFrom = 0;
  let genEnd = 0;
  let bodyStart = 0;
  for (let at = text.indexOf('obj'); at >= 0; at = text.indexOf('obj', at + 3)) {
    if (!isDelimiter(text.charCodeAt(at + 3))) continue;
    if (at >= 3 && text.startsWith('end', at - 3)) {
      if (start >= 0) {
        definitions.push({
          num: Number(text.slice(start, numEnd)),
          gen: Number(text.slice(genFrom, genEnd)),
          start,
          bodyStart,
          end: at - 3,
        });
      }
      start = -1;
      continue;
    }
    const gEnd = spacesFrom(text, at);
    const gFrom = digitsFrom(text, gEnd);
    if (gFrom === gEnd) continue;
    const nEnd = spacesFrom(text, gFrom);
    if (nEnd === gFrom) continue;
    const nFrom = digitsFrom(text, nEnd);
    if (nFrom === nEnd) continue;
    if (start >= 0) unterminatedStarts.push(start);
    start = nFrom;
    numEnd = nEnd;
    genFrom = gFrom;
    genEnd = gEnd;
    bodyStart = at + 3;
  }
  if (start >= 0) unterminatedStarts.push(start);
  return { definitions, unterminatedStarts };
}

/**
 * How many `obj` keywords open a definition (not `endobj`), counted up to `stopAfter + 1`: a cheap
 * bound on the objects a parser would build, taken before handing the file to one.
 */
export function countObjectHeaders(text: string, stopAfter: number): number {
  let count = 0;
  for (let at = text.indexOf('obj'); at >= 0 && count <= stopAfter; at = text.indexOf('obj', at + 3)) {
    if (!isDelimiter(text.charCodeAt(at + 3))) continue;
    if (at >= 3 && text.startsWith('end', at - 3)) continue;
    count++;
  }
  return count;
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
