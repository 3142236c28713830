import type { MergeField } from './merge-field';
import { parseMergeTemplate } from './merge-template.parser';
import type { ScriptMergeContext } from './script-merge-context';

export type MergeFieldValues = Readonly<Record<MergeField, string>>;

const OLDEST_PLAUSIBLE_AGE = 130;

/**
 * Fills a script text's merge fields. The result is plain text: nothing is escaped, so the
 * console must show it as text, never as HTML. An empty value shows the field's fallback, or
 * nothing; when it shows nothing, the space before it goes too, so "Hi {voter.first_name}, …"
 * reads "Hi, …" rather than "Hi , …".
 */
export function renderMergeTemplate(template: string, values: MergeFieldValues): string {
  const { parts } = parseMergeTemplate(template);
  let output = '';
  for (const [index, part] of parts.entries()) {
    if (part.kind === 'text') {
      output += part.text;
      continue;
    }
    const value = values[part.field] || part.fallback || '';
    if (value === '' && output.endsWith(' ')) {
      const following = parts[index + 1];
      if (following === undefined || (following.kind === 'text' && /^[\s,.!?;:]/.test(following.text))) output = output.slice(0, -1);
    }
    output += value;
  }
  return output;
}

/**
 * The value of every merge field for one call, cleaned so a value cannot break the script's
 * lines. Voter files store names and cities in capitals ("MARIA", "SAN JOSE"); those read as
 * shouting on the call screen, so a voter value in one case is put in name case ("Maria",
 * "San Jose"). A value already in mixed case was written by a person and is kept as it is.
 */
export function mergeFieldValuesOf(context: ScriptMergeContext): MergeFieldValues {
  return {
    'voter.first_name': nameCased(cleaned(context.voter.firstName)),
    'voter.last_name': nameCased(cleaned(context.voter.lastName)),
    'voter.city': nameCased(cleaned(context.voter.city)),
    'voter.age': ageOf(context),
    'volunteer.first_name': cleaned(context.volunteer.firstName),
    'organization.name': cleaned(context.organization.name),
  };
}

function cleaned(value: string | null | undefined): string {
  return (value ?? '').replace(/[\s\p{Cc}]+/gu, ' ').trim();
}

function nameCased(value: string): string {
  if (value !== value.toUpperCase() && value !== value.toLowerCase()) return value;
  return value.toLowerCase().replace(/(^|[\s'’-])(\p{L})/gu, (_, before: string, letter: string) => before + letter.toUpperCase());
}

/** From the birth year alone the age can be a year high before the birthday; close enough to say on a call. */
function ageOf(context: ScriptMergeContext): string {
  const { age, birthYear } = context.voter;
  const years =
    typeof age === 'number'
      ? Math.floor(age)
      : typeof birthYear === 'number'
        ? (context.now ?? new Date()).getUTCFullYear() - Math.floor(birthYear)
        : Number.NaN;
  return Number.isFinite(years) && years >= 0 && years <= OLDEST_PLAUSIBLE_AGE ? String(years) : '';
}
