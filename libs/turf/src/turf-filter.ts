import { DomainErrorCode, DomainException } from '@app/common';
import { parseVoterFilterCriteria, VOTER_FILTER_PARAMETERS, type VoterFilter, type VoterFilterCriteria, type VoterFilterParameter } from '@app/voter-file';

/** What a turf was cut by: the voter search's criteria (active voters only), stored as JSON with the turf. */
export type TurfFilter = Omit<VoterFilterCriteria, 'active'>;

const TURF_FILTER_PARAMETERS = VOTER_FILTER_PARAMETERS.filter((parameter) => parameter !== 'active');

/**
 * Reads a turf filter from a JSON body, with the voter search's parameter names (`county`,
 * `ageMin`, ...): lists as arrays or comma-separated strings, numbers and booleans as themselves.
 * Anything else is refused with the parameter named.
 */
export function parseTurfFilter(body: unknown): TurfFilter {
  if (body === undefined || body === null) return {};
  if (typeof body !== 'object' || Array.isArray(body)) throw invalid('filter', 'filter must be an object');
  const input: Partial<Record<VoterFilterParameter, string | string[]>> = {};
  for (const [key, value] of Object.entries(body as Record<string, unknown>)) {
    if (!(TURF_FILTER_PARAMETERS as readonly string[]).includes(key)) {
      throw invalid(key, `filter.${key} is not a turf filter; use ${TURF_FILTER_PARAMETERS.join(', ')}`);
    }
    input[key as VoterFilterParameter] = textOf(key, value);
  }
  const { active: _active, ...criteria } = parseVoterFilterCriteria(input, { label: (parameter) => `filter.${parameter}` });
  return criteria;
}

export function voterFilterOf(allianceId: string, filter: TurfFilter): VoterFilter {
  return { allianceId, ...filter, active: true };
}

function textOf(key: string, value: unknown): string | string[] {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value) && value.every((each) => typeof each === 'string')) return value as string[];
  throw invalid(key, `filter.${key} must be a string, a number, a boolean or a list of strings`);
}

function invalid(key: string, message: string): DomainException {
  return new DomainException(DomainErrorCode.ValidationFailed, message, { parameter: key === 'filter' ? key : `filter.${key}` });
}
