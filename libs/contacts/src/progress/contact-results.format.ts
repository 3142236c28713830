import type { ContactResultRow } from './contact-results.repository';
import { dayIn } from './reporting-day.util';

/**
 * The contact-results export's columns, one row per survey answer (a row with empty survey cells
 * for an attempt without one): what a VAN bulk upload of contact history maps (voter id, contact
 * type, result, survey question and response, date canvassed) and what a Parsons pipeline loads
 * as a Table, with the organization and campaign for the partner's own bookkeeping.
 */
export const CONTACT_RESULT_COLUMNS = [
  'external_voter_id',
  'contact_type',
  'result_code',
  'survey_question',
  'survey_response',
  'date_canvassed',
  'organization',
  'campaign',
] as const;

export type ContactResultRecord = Record<(typeof CONTACT_RESULT_COLUMNS)[number], string>;

/** VAN's contact types by channel. */
const CONTACT_TYPES: Readonly<Record<ContactResultRow['channel'], string>> = { phone: 'Phone', sms: 'SMS Text' };

/** Our dispositions (calls and texts) as VAN's standard result names. */
const RESULT_CODES: Readonly<Record<string, string>> = {
  contacted: 'Canvassed',
  replied: 'Canvassed',
  texted: 'Texted',
  not_home: 'Not Home',
  voicemail: 'Left Message',
  busy: 'Busy',
  wrong_number: 'Wrong Number',
  refused: 'Refused',
  moved: 'Moved',
  deceased: 'Deceased',
  do_not_call: 'Do Not Contact',
  call_back: 'Call Back',
  language_needed: 'Language Barrier',
};

/** A disposition we have no VAN name for is passed through as stored, never dropped. */
export function resultCodeOf(disposition: string): string {
  return RESULT_CODES[disposition] ?? disposition;
}

export function contactResultRecords(row: ContactResultRow, timeZone: string): ContactResultRecord[] {
  const base = {
    external_voter_id: row.sourceVoterId,
    contact_type: CONTACT_TYPES[row.channel],
    result_code: resultCodeOf(row.disposition),
    date_canvassed: dayIn(new Date(row.createdAt), timeZone),
    organization: row.organizationName,
    campaign: row.campaignName,
  };
  if (row.answers.length === 0) return [{ ...base, survey_question: '', survey_response: '' }];
  return row.answers.map((answer) => ({ ...base, survey_question: answer.questionKey, survey_response: answer.answer }));
}
