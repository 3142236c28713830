import { type CannedResponse, type InitialMessage, mergeFieldValuesOf, renderMergeTemplate, type ScriptMergeContext } from '@app/campaigns';

/** The text a voter gets: the variant written for their values segment when there is one, else the base template. */
export interface RenderedInitialMessage {
  readonly body: string;
  /** The segment whose variant was used; null when the base template was. */
  readonly segmentKey: string | null;
}

/** Texts must fit Twilio's cap (and the message table's CHECK): 10 segments, 1,600 characters. */
export const MAX_TEXT_LENGTH = 1_600;

/**
 * Renders a campaign's initial message for one voter. Merge fields are filled by the scripts'
 * renderer, so a text reads exactly as the same words would on a call card.
 */
export function renderInitialMessage(initialMessage: InitialMessage, context: ScriptMergeContext): RenderedInitialMessage {
  const variant = context.segmentKey === null ? undefined : initialMessage.variants.find((each) => each.segmentKey === context.segmentKey);
  const body = renderMergeTemplate(variant?.template ?? initialMessage.template, mergeFieldValuesOf(context)).trim();
  return { body, segmentKey: variant === undefined ? null : variant.segmentKey };
}

/** The canned responses with their merge fields filled for the voter of one conversation. */
export function renderCannedResponses(responses: readonly CannedResponse[], context: ScriptMergeContext): CannedResponse[] {
  const values = mergeFieldValuesOf(context);
  return responses.map((response) => ({ key: response.key, title: response.title, body: renderMergeTemplate(response.body, values).trim() }));
}

/** A phone as the texter may see it: its last four digits, never the whole number. */
export function phoneLastDigits(phone: string): string {
  return phone.slice(-4);
}
