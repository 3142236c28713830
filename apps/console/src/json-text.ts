export type JsonReading = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly message: string };

/**
 * Reads JSON typed in an editor, or says where it stops being JSON in the words an author can act
 * on ("line 4, column 12"), since the browser's own message counts characters from the start.
 */
export function readJsonText(text: string, what: string): JsonReading {
  if (text.trim() === '') return { ok: false, message: `${what} is empty.` };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    const raw = error instanceof Error ? error.message : String(error);
    const position = /at position (\d+)/.exec(raw);
    const problem = raw.replace(/\s*in JSON at position \d+.*$/s, '').replace(/^JSON\.parse: /, '');
    if (position === null) return { ok: false, message: `${what} is not valid JSON: ${problem}.` };
    const before = text.slice(0, Number(position[1]));
    const line = before.split('\n').length;
    const column = before.length - before.lastIndexOf('\n');
    return { ok: false, message: `${what} is not valid JSON at line ${line}, column ${column}: ${problem}.` };
  }
}

/**
 * The order a person reads a script's and a question's fields in (what it is, what is said, where
 * it goes); the server stores them as jsonb, which hands keys back shortest first.
 */
const READING_ORDER = [
  'startStepId',
  'id',
  'key',
  'kind',
  'segmentKey',
  'answer',
  'value',
  'label',
  'title',
  'prompt',
  'valuesQuestionKey',
  'text',
  'variants',
  'questionKey',
  'choices',
  'branches',
  'next',
  'steps',
];

function inReadingOrder(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(inReadingOrder);
  if (typeof value !== 'object' || value === null) return value;
  const rank = (key: string) => (READING_ORDER.includes(key) ? READING_ORDER.indexOf(key) : READING_ORDER.length);
  const keys = Object.keys(value).sort((a, b) => rank(a) - rank(b));
  return Object.fromEntries(keys.map((key) => [key, inReadingOrder((value as Record<string, unknown>)[key])]));
}

/** Pretty JSON for an editor: two-space indents, fields in reading order. */
export function jsonText(value: unknown): string {
  return JSON.stringify(inReadingOrder(value), null, 2);
}

/** "steps[2].branches[0].next" → ["steps", 2, "branches", 0, "next"]. */
function pathSegments(path: string): Array<string | number> {
  const segments: Array<string | number> = [];
  for (const match of path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) segments.push(match[2] === undefined ? match[1] : Number(match[2]));
  return segments;
}

/**
 * Where in a JSON text the value at `path` is (start and end offsets), or the nearest enclosing
 * value that is there (a property the path names may be missing); null when the text is not
 * JSON. Lets a problem the server names by path be shown where it is in the editor.
 */
export function locateJsonPath(text: string, path: string): { start: number; end: number } | null {
  const wanted = pathSegments(path);
  let index = 0;
  const fail: () => never = () => {
    throw new SyntaxError('not JSON');
  };
  const skipSpace = () => {
    while (index < text.length && /\s/.test(text[index])) index += 1;
  };
  const expect = (character: string) => {
    skipSpace();
    if (text[index] !== character) fail();
    index += 1;
  };
  const readString = (): string => {
    skipSpace();
    const start = index;
    if (text[index] !== '"') fail();
    for (index += 1; index < text.length && text[index] !== '"'; index += 1) if (text[index] === '\\') index += 1;
    index += 1;
    return JSON.parse(text.slice(start, index)) as string;
  };
  // Skips one value, whatever it is, leaving `index` just after it.
  const skipValue = (): void => {
    skipSpace();
    const character = text[index];
    if (character === '"') {
      readString();
      return;
    }
    if (character === '{' || character === '[') {
      const close = character === '{' ? '}' : ']';
      index += 1;
      skipSpace();
      if (text[index] === close) {
        index += 1;
        return;
      }
      for (;;) {
        if (close === '}') {
          readString();
          expect(':');
        }
        skipValue();
        skipSpace();
        if (text[index] === ',') index += 1;
        else return expect(close);
      }
    }
    const literal = /^(-?\d+(\.\d+)?([eE][+-]?\d+)?|true|false|null)/.exec(text.slice(index));
    if (literal === null) return fail();
    index += literal[0].length;
  };
  // Finds segment `depth` of the path inside the value at `index`; the value itself when the path ends or goes no further.
  const find = (depth: number): { start: number; end: number } => {
    skipSpace();
    const start = index;
    const segment = wanted[depth];
    const opening = text[index];
    if (segment !== undefined && ((opening === '{' && typeof segment === 'string') || (opening === '[' && typeof segment === 'number'))) {
      const close = opening === '{' ? '}' : ']';
      index += 1;
      skipSpace();
      for (let position = 0; text[index] !== close; position += 1) {
        const name = close === '}' ? readString() : position;
        if (close === '}') expect(':');
        if (name === segment) return find(depth + 1);
        skipValue();
        skipSpace();
        if (text[index] === ',') index += 1;
        else if (text[index] !== close) fail();
        skipSpace();
      }
      index = start;
    }
    skipValue();
    return { start, end: index };
  };
  try {
    return find(0);
  } catch {
    return null;
  }
}
