import type { PARTIES, PROPENSITIES, RACE_ETHNICITIES, VoterPhone } from './voter-file.client';

export const PARTY_LABELS: Record<(typeof PARTIES)[number], string> = {
  democratic: 'Democratic',
  republican: 'Republican',
  unaffiliated: 'Unaffiliated',
  libertarian: 'Libertarian',
  green: 'Green',
  other: 'Other party',
  unknown: 'Unknown',
};

export const PROPENSITY_LABELS: Record<(typeof PROPENSITIES)[number], string> = {
  new: 'New',
  occasional: 'Occasional',
  frequent: 'Frequent',
};

export const RACE_ETHNICITY_LABELS: Record<(typeof RACE_ETHNICITIES)[number], string> = {
  hispanic: 'Hispanic or Latino',
  white: 'White',
  black: 'Black',
  asian: 'Asian',
  native_american: 'Native American',
  pacific_islander: 'Pacific Islander',
  multiracial: 'Multiracial',
  other: 'Other',
  unknown: 'Unknown',
};

export const LINE_TYPE_LABELS: Record<NonNullable<VoterPhone['lineType']>, string> = {
  mobile: 'mobile',
  landline: 'landline',
  voip: 'VoIP',
  unknown: 'type unknown',
};
