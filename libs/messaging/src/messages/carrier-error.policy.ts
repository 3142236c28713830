/**
 * What a carrier error code means for the phone, beyond this one text. Twilio's codes, as its error
 * dictionary names them; the ones that say the recipient can never get a text from us are kept
 * against the phone so no later text or campaign tries again (peer tools retried them, and bounced).
 */
export type PhoneConsequence =
  /** 21610: the recipient replied STOP to the carrier; they are opted out. */
  | 'opted-out'
  /** 21211 (invalid To), 30005 (unknown handset). */
  | 'invalid-number'
  /** 21614 (not a mobile number), 30006 (landline or unreachable carrier). */
  | 'not-mobile'
  | null;

const CONSEQUENCES: Readonly<Record<string, Exclude<PhoneConsequence, null>>> = {
  '21610': 'opted-out',
  '21211': 'invalid-number',
  '30005': 'invalid-number',
  '21614': 'not-mobile',
  '30006': 'not-mobile',
};

export function phoneConsequenceOf(errorCode: string | null | undefined): PhoneConsequence {
  if (errorCode === null || errorCode === undefined) return null;
  return CONSEQUENCES[errorCode] ?? null;
}

/** The conversation's closing reason for a phone that cannot be texted. */
export function closedReasonOf(consequence: Exclude<PhoneConsequence, null>): 'opted_out' | 'invalid_number' | 'not_mobile' {
  if (consequence === 'opted-out') return 'opted_out';
  return consequence === 'invalid-number' ? 'invalid_number' : 'not_mobile';
}

/** phone_status's word for it (opt-outs live in opt_out instead). */
export function phoneStatusOf(consequence: 'invalid-number' | 'not-mobile'): 'invalid_number' | 'not_mobile' {
  return consequence === 'invalid-number' ? 'invalid_number' : 'not_mobile';
}
