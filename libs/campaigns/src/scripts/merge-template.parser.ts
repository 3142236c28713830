import { isMergeField, MERGE_FIELDS, type MergeField } from './merge-field';

export const MAX_MERGE_FALLBACK_LENGTH = 100;
const SNIPPET_LENGTH = 30;

export type MergeTemplatePart =
  { readonly kind: 'text'; readonly text: string } | { readonly kind: 'field'; readonly field: MergeField; readonly fallback: string | null };

export interface MergeTemplate {
  readonly parts: readonly MergeTemplatePart[];
  /** What is wrong, phrased to follow the name of the text ("… uses {voter.nickname}, which …"). */
  readonly problems: readonly string[];
}

/**
 * Splits a script text into literal text and merge fields (`{voter.first_name}`,
 * `{voter.first_name|there}`). Braces mean merge fields and nothing else: a script is read aloud,
 * so a brace never belongs in it, and a stray one is almost always a broken merge field
 * (`{voter.first_name` or `{{voter.first_name}}`) that would otherwise be read to the voter as
 * typed. There is therefore no escape for a literal brace; a lone `{` or `}`, double braces and
 * unknown names are all problems. A problem's characters stay in the parts as literal text, so
 * the renderer never drops words.
 */
export function parseMergeTemplate(text: string): MergeTemplate {
  const parts: MergeTemplatePart[] = [];
  const problems = new Set<string>();
  let literal = '';
  let index = 0;
  const flushLiteral = (): void => {
    if (literal !== '') parts.push({ kind: 'text', text: literal });
    literal = '';
  };
  while (index < text.length) {
    const character = text[index];
    if (character === '}') {
      problems.add('has a } that closes no merge field; braces are only for merge fields like {voter.first_name}');
      literal += character;
      index += 1;
      continue;
    }
    if (character !== '{') {
      literal += character;
      index += 1;
      continue;
    }
    if (text[index + 1] === '{') {
      const close = text.indexOf('}}', index);
      const end = close === -1 ? index + 2 : close + 2;
      const shown = close === -1 ? snippetAt(text, index) : text.slice(index, end);
      problems.add(`writes ${shown} with double braces; merge fields take single braces, like {voter.first_name}`);
      literal += text.slice(index, end);
      index = end;
      continue;
    }
    const end = closingBraceAfter(text, index);
    if (end === -1) {
      problems.add(`has a { that is not closed: "${snippetAt(text, index)}"; braces are only for merge fields like {voter.first_name}`);
      literal += character;
      index += 1;
      continue;
    }
    const body = text.slice(index + 1, end);
    const bar = body.indexOf('|');
    const name = (bar === -1 ? body : body.slice(0, bar)).trim();
    const fallback = bar === -1 ? '' : body.slice(bar + 1).trim();
    if (!isMergeField(name)) {
      problems.add(`uses {${body}}, which is not a merge field; the merge fields are ${MERGE_FIELDS.join(', ')}`);
      literal += text.slice(index, end + 1);
    } else {
      if (fallback.length > MAX_MERGE_FALLBACK_LENGTH)
        problems.add(`gives {${name}} a fallback of ${fallback.length} characters; a fallback is at most ${MAX_MERGE_FALLBACK_LENGTH}`);
      flushLiteral();
      parts.push({ kind: 'field', field: name, fallback: fallback === '' ? null : fallback });
    }
    index = end + 1;
  }
  flushLiteral();
  return { parts, problems: [...problems] };
}

/** The `}` closing the brace at `open`, or -1 when another brace or a line break comes first (the brace was never closed). */
function closingBraceAfter(text: string, open: number): number {
  for (let index = open + 1; index < text.length; index += 1) {
    const character = text[index];
    if (character === '}') return index;
    if (character === '{' || character === '\n') return -1;
  }
  return -1;
}

function snippetAt(text: string, start: number): string {
  const line = text.slice(start).split('\n')[0];
  return line.length > SNIPPET_LENGTH ? `${line.slice(0, SNIPPET_LENGTH)}…` : line;
}
