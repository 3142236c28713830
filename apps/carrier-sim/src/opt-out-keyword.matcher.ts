/** What a single-keyword text asks of Twilio's default opt-out handling on long codes. */
export type OptOutKeywordKind = 'opt-out' | 'opt-in' | 'help';

// Twilio's default English keywords (shared/reference/data-and-contracts.md §2.9); the simulator keeps
// its own list rather than the platform's, so a mistake in one cannot hide the same mistake in the other.
const KEYWORDS: Readonly<Record<string, OptOutKeywordKind>> = {
  STOP: 'opt-out',
  STOPALL: 'opt-out',
  UNSUBSCRIBE: 'opt-out',
  CANCEL: 'opt-out',
  END: 'opt-out',
  QUIT: 'opt-out',
  REVOKE: 'opt-out',
  OPTOUT: 'opt-out',
  START: 'opt-in',
  UNSTOP: 'opt-in',
  YES: 'opt-in',
  HELP: 'help',
  INFO: 'help',
};

// Whitespace and punctuation around the word ("Stop.", " STOP!! ") do not change it; anything inside does.
const SURROUNDING = /^[\s\p{P}\p{S}]+|[\s\p{P}\p{S}]+$/gu;

/** The keyword's kind when the whole body is one keyword (case-insensitive), else null: "STOP PLEASE" is an ordinary text. */
export function matchOptOutKeyword(body: string): OptOutKeywordKind | null {
  const word = body.replace(SURROUNDING, '').toUpperCase();
  return Object.hasOwn(KEYWORDS, word) ? KEYWORDS[word] : null;
}
