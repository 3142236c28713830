/** A phone's line type as Crossroads keeps it (campaign_contact.line_type, call.line_type); NULL there means not known yet. */
export const LINE_TYPES = ['landline', 'mobile', 'voip', 'unknown'] as const;
export type LineType = (typeof LINE_TYPES)[number];

/**
 * Twilio Lookup v2 line_type_intelligence `type` → our line type. Only `landline` may ever be
 * dialed without a volunteer's action (the pacer's automatic dials); everything else waits for a
 * click, so where a type is doubtful it goes to the side that needs one:
 *
 * | Twilio                                                   | ours      | why |
 * |----------------------------------------------------------|-----------|-----|
 * | landline                                                 | landline  | a fixed line: the only type an automatic dial may reach |
 * | mobile                                                   | mobile    | the TCPA's cellular numbers |
 * | pager                                                    | mobile    | the TCPA names paging services beside cellular ones |
 * | fixedVoip, nonFixedVoip                                  | voip      | may ring a mobile app or charge the callee: never automatic |
 * | personal, tollFree, premium, sharedCost, uan, voicemail  | unknown   | forwarding or business services: what rings at the end is not known |
 * | unknown, null, anything new                              | unknown   | |
 */
const FROM_LOOKUP: Readonly<Record<string, LineType>> = {
  landline: 'landline',
  mobile: 'mobile',
  pager: 'mobile',
  fixedVoip: 'voip',
  nonFixedVoip: 'voip',
};

export function lineTypeFromLookup(twilioType: string | null | undefined): LineType {
  if (twilioType === null || twilioType === undefined) return 'unknown';
  return Object.prototype.hasOwnProperty.call(FROM_LOOKUP, twilioType) ? FROM_LOOKUP[twilioType] : 'unknown';
}

/** Whether the pacer may dial this line type by itself (a consented number aside). NULL (not known) is unknown: no. */
export function mayDialAutomatically(lineType: string | null): boolean {
  return lineType === 'landline';
}
