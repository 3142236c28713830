import { PARTIES, PROPENSITIES } from './voter-file.client';
import { PARTY_LABELS, PROPENSITY_LABELS } from './voter-labels';
import type { TurfFilter } from './turf.client';

/** The turf filter as typed: lists of what is ticked, text as it stands. */
export interface TurfFilterDraft {
  readonly counties: readonly string[];
  /** Several separated by commas. */
  readonly precincts: string;
  readonly zips: string;
  readonly parties: readonly string[];
  readonly propensities: readonly string[];
  /** Values-segment keys. */
  readonly segments: readonly string[];
  readonly ageMin: string;
  readonly ageMax: string;
  /** '', 'true' or 'false'. */
  readonly hasPhone: string;
}

export const EMPTY_TURF_FILTER: TurfFilterDraft = {
  counties: [],
  precincts: '',
  zips: '',
  parties: [],
  propensities: [],
  segments: [],
  ageMin: '',
  ageMax: '',
  hasPhone: '',
};

function listOf(text: string): string[] {
  return text
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '');
}

/** Numbers go as numbers; anything else goes as typed, for the API to refuse with a message naming the field. */
function numberOrText(text: string): number | string | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  const value = Number(trimmed);
  return Number.isFinite(value) ? value : trimmed;
}

/** The turf filter with values segments: keys under the alliance's active model (none active: nobody matches). */
export interface SegmentTurfFilter extends TurfFilter {
  segment?: string[];
}

/** The filter to send, with empty parts left out (an empty list would match nobody). */
export function turfFilterOf(draft: TurfFilterDraft): SegmentTurfFilter {
  const filter: SegmentTurfFilter = {};
  if (draft.counties.length > 0) filter.county = [...draft.counties];
  const precincts = listOf(draft.precincts);
  if (precincts.length > 0) filter.precinct = precincts;
  const zips = listOf(draft.zips);
  if (zips.length > 0) filter.zip = zips;
  if (draft.parties.length > 0) filter.party = [...draft.parties];
  if (draft.propensities.length > 0) filter.propensity = [...draft.propensities];
  if (draft.segments.length > 0) filter.segment = [...draft.segments];
  const ageMin = numberOrText(draft.ageMin);
  if (ageMin !== undefined) filter.ageMin = ageMin;
  const ageMax = numberOrText(draft.ageMax);
  if (ageMax !== undefined) filter.ageMax = ageMax;
  if (draft.hasPhone !== '') filter.hasPhone = draft.hasPhone === 'true';
  return filter;
}

/**
 * A saved turf's filter in words: "Counties WAKE, DURHAM · Democratic · ages 30–50". The API
 * keeps criteria under its own names (counties, parties, …); the request names are read too.
 * Segments are named by `segmentName` when given, otherwise by their keys in words.
 */
export function describeTurfFilter(filter: Record<string, unknown>, segmentName?: (key: string) => string): string {
  const list = (...keys: string[]): string[] => {
    for (const key of keys) {
      const value = filter[key];
      if (Array.isArray(value)) return value.map(String);
      if (typeof value === 'string') return [value];
    }
    return [];
  };
  const parts: string[] = [];
  const counties = list('counties', 'county');
  if (counties.length > 0) parts.push(`${counties.length === 1 ? 'County' : 'Counties'} ${counties.join(', ')}`);
  const precincts = list('precincts', 'precinct');
  if (precincts.length > 0) parts.push(`${precincts.length === 1 ? 'precinct' : 'precincts'} ${precincts.join(', ')}`);
  const zips = list('zips', 'zip');
  if (zips.length > 0) parts.push(`ZIP ${zips.join(', ')}`);
  const parties = list('parties', 'party');
  if (parties.length > 0) parts.push(parties.map((party) => PARTY_LABELS[party as (typeof PARTIES)[number]] ?? party).join(' or '));
  const propensities = list('propensities', 'propensity');
  if (propensities.length > 0)
    parts.push(`${propensities.map((value) => PROPENSITY_LABELS[value as (typeof PROPENSITIES)[number]] ?? value).join(' or ')} voters`.toLowerCase());
  const segments = list('segments', 'segment');
  if (segments.length > 0)
    parts.push(`${segments.length === 1 ? 'segment' : 'segments'} ${segments.map((key) => segmentName?.(key) ?? key.replace(/_/g, ' ')).join(' or ')}`);
  const ageMin = filter.ageMin;
  const ageMax = filter.ageMax;
  if (ageMin !== undefined && ageMax !== undefined) parts.push(`ages ${String(ageMin)}–${String(ageMax)}`);
  else if (ageMin !== undefined) parts.push(`aged ${String(ageMin)} or more`);
  else if (ageMax !== undefined) parts.push(`aged ${String(ageMax)} or less`);
  if (filter.hasPhone === true) parts.push('with a phone');
  if (filter.hasPhone === false) parts.push('without a phone');
  return parts.length === 0 ? 'Every active voter' : parts.join(' · ');
}
