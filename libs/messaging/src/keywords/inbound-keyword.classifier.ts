/** What a voter's reply asks of us when it is a keyword rather than conversation. */
export type InboundKeyword = 'opt-out' | 'opt-in' | 'help';

/*
 * Twilio's default lists for long codes (data-and-contracts §2.9). We keep Twilio's lists rather than
 * inventing our own: whatever Twilio blocks at the carrier, we must already have blocked, or the
 * worker keeps sending into error 21610.
 */
export const OPT_OUT_KEYWORDS = ['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT', 'REVOKE', 'OPTOUT'] as const;
/*
 * YES is also an ordinary answer to a survey question ("Can we count on your vote?"). The caller
 * must treat opt-in as meaningful only for a phone that is opted out, and still file the reply in
 * the conversation. Twilio ignores YES on toll-free numbers; classifying it here costs nothing there.
 */
export const OPT_IN_KEYWORDS = ['START', 'UNSTOP', 'YES'] as const;
export const HELP_KEYWORDS = ['HELP', 'INFO'] as const;

const KEYWORD_KINDS: ReadonlyMap<string, InboundKeyword> = new Map<string, InboundKeyword>([
  ...OPT_OUT_KEYWORDS.map((keyword) => [keyword, 'opt-out'] as const),
  ...OPT_IN_KEYWORDS.map((keyword) => [keyword, 'opt-in'] as const),
  ...HELP_KEYWORDS.map((keyword) => [keyword, 'help'] as const),
]);

// Invisible format characters (zero-width space and joiner, byte-order mark, soft hyphen, direction
// marks) are removed everywhere: the voter saw "STOP", and a keyboard or a copy-paste may have put
// them inside the word as easily as around it.
const INVISIBLE_FORMAT_CHARACTERS = /\p{Cf}/gu;
const LETTER_OR_DIGIT = /^[\p{L}\p{N}]$/u;
// The keyword lists are ASCII. Requiring ASCII after normalisation makes upper-casing
// locale-independent (no Turkish dotless i turning "ınfo" into INFO) and leaves lookalike letters from
// other scripts (Cyrillic "СТОР") unmatched, as Twilio leaves them.
const ASCII_WORD = /^[A-Za-z]+$/;
/*
 * The FCC's 2024 revocation rule names "opt out" among the words that revoke consent by text, and it
 * is naturally written as two words. Treating the spaced or hyphenated spelling as OPTOUT can only
 * stop texts to someone who asked us to stop; it is the one multi-word form accepted.
 */
const SPELLED_OPT_OUT = /^opt[\s._-]*out$/i;

/**
 * The keyword an inbound text is, or null when it is conversation.
 *
 * A keyword is a message that consists of one word from the lists, as Twilio decides: "STOP PLEASE",
 * "don't stop" and "stopped" are conversation. Before comparing, the body is normalised so that what
 * the voter sees as the word STOP counts as STOP:
 * - NFKC folds full-width ("ＳＴＯＰ"), mathematical-bold and circled letters, and ligatures to ASCII,
 *   which is how such text looks on the phone's screen;
 * - case is ignored;
 * - anything that is neither a letter nor a digit before the first or after the last letter or digit
 *   is ignored: whitespace, punctuation ("Stop.", "STOP!!", "*stop*", "¿Stop?"), quotes and emoji
 *   ("STOP 🙏"). A question mark is ignored too: "Stop?" is still a request to stop, and erring
 *   towards opting out is the side the law protects;
 * - inside the word nothing is ignored but invisible format characters, so "S.T.O.P", "ST OP" and
 *   "STOP2" are conversation. There is no fuzzy matching: it would also catch "stopped".
 * Conversation is not dropped: the caller files every inbound text, keyword or not.
 */
export function classifyInboundKeyword(body: string): InboundKeyword | null {
  const word = trimToLettersAndDigits(body.replace(INVISIBLE_FORMAT_CHARACTERS, '').normalize('NFKC'));
  if (SPELLED_OPT_OUT.test(word)) return 'opt-out';
  if (!ASCII_WORD.test(word)) return null;
  return KEYWORD_KINDS.get(word.toUpperCase()) ?? null;
}

// A loop over code points rather than a `[^\p{L}\p{N}]+$` regular expression, which backtracks
// quadratically on a long run of punctuation and a body may be 1,600 characters.
function trimToLettersAndDigits(text: string): string {
  const characters = Array.from(text);
  let first = 0;
  while (first < characters.length && !LETTER_OR_DIGIT.test(characters[first])) first += 1;
  let last = characters.length;
  while (last > first && !LETTER_OR_DIGIT.test(characters[last - 1])) last -= 1;
  return characters.slice(first, last).join('');
}
