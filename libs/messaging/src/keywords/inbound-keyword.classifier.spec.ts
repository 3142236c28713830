import { classifyInboundKeyword, HELP_KEYWORDS, type InboundKeyword, OPT_IN_KEYWORDS, OPT_OUT_KEYWORDS } from './inbound-keyword.classifier';

describe('classifyInboundKeyword', () => {
  describe('the keyword lists', () => {
    it.each(OPT_OUT_KEYWORDS.map((keyword) => [keyword]))('should classify %p as opt-out', (keyword) => {
      expect(classifyInboundKeyword(keyword)).toBe('opt-out');
    });

    it.each(OPT_IN_KEYWORDS.map((keyword) => [keyword]))('should classify %p as opt-in', (keyword) => {
      expect(classifyInboundKeyword(keyword)).toBe('opt-in');
    });

    it.each(HELP_KEYWORDS.map((keyword) => [keyword]))('should classify %p as help', (keyword) => {
      expect(classifyInboundKeyword(keyword)).toBe('help');
    });

    it('should hold exactly the keywords Twilio handles on a long code, and no word in two lists', () => {
      expect([...OPT_OUT_KEYWORDS].sort()).toStrictEqual(['CANCEL', 'END', 'OPTOUT', 'QUIT', 'REVOKE', 'STOP', 'STOPALL', 'UNSUBSCRIBE']);
      expect([...OPT_IN_KEYWORDS].sort()).toStrictEqual(['START', 'UNSTOP', 'YES']);
      expect([...HELP_KEYWORDS].sort()).toStrictEqual(['HELP', 'INFO']);
      expect(new Set([...OPT_OUT_KEYWORDS, ...OPT_IN_KEYWORDS, ...HELP_KEYWORDS]).size).toBe(13);
    });
  });

  const cases: ReadonlyArray<readonly [string, string, InboundKeyword | null]> = [
    // case
    ['lower case', 'stop', 'opt-out'],
    ['title case', 'Stop', 'opt-out'],
    ['mixed case', 'sToPaLl', 'opt-out'],
    ['lower-case opt-in', 'unstop', 'opt-in'],
    ['lower-case help', 'info', 'help'],
    // whitespace around the word
    ['leading and trailing spaces', '  STOP  ', 'opt-out'],
    ['a trailing newline', 'STOP\n', 'opt-out'],
    ['tabs and carriage returns', '\t\r\nStop\r\n', 'opt-out'],
    ['no-break spaces', '\u00a0STOP\u00a0', 'opt-out'],
    ['an ideographic space', '\u3000STOP\u3000', 'opt-out'],
    // punctuation and symbols around the word
    ['a full stop', 'Stop.', 'opt-out'],
    ['exclamation marks', '  STOP!!', 'opt-out'],
    ['asterisks for emphasis', '*stop*', 'opt-out'],
    ['a question mark', 'Stop?', 'opt-out'],
    ['Spanish question marks', '¿Stop?', 'opt-out'],
    ['quotes', '"STOP"', 'opt-out'],
    ['curly quotes', '\u201cStop\u201d', 'opt-out'],
    ['guillemets', '«STOP»', 'opt-out'],
    ['parentheses', '(stop)', 'opt-out'],
    ['dashes around', '--END--', 'opt-out'],
    ['an ellipsis', 'Quit…', 'opt-out'],
    ['a hashtag', '#unsubscribe', 'opt-out'],
    ['punctuation and spaces mixed', ' . STOP ! ', 'opt-out'],
    ['punctuation around help', 'HELP?!', 'help'],
    ['punctuation around opt-in', 'Start.', 'opt-in'],
    // emoji around the word
    ['a trailing emoji after a space', 'STOP 🙏', 'opt-out'],
    ['a leading emoji', '🛑STOP', 'opt-out'],
    ['an emoji with a skin-tone modifier', 'stop 👋🏽', 'opt-out'],
    ['a ZWJ emoji sequence', 'STOP 👨‍👩‍👧', 'opt-out'],
    ['an emoji with a variation selector', 'STOP ✋️', 'opt-out'],
    ['a flag', '🇺🇸 Yes 🇺🇸', 'opt-in'],
    // Unicode normalisation (NFKC) and invisible characters
    ['full-width letters', 'ＳＴＯＰ', 'opt-out'],
    ['full-width letters and punctuation', 'ｓｔｏｐ！', 'opt-out'],
    ['mathematical bold letters', '𝐒𝐓𝐎𝐏', 'opt-out'],
    ['circled letters', 'Ⓢⓣⓞⓟ', 'opt-out'],
    ['a long s', 'ſtop', 'opt-out'],
    ['a zero-width space inside the word', 'ST\u200bOP', 'opt-out'],
    ['a byte-order mark before the word', '\ufeffSTOP', 'opt-out'],
    ['a soft hyphen inside the word', 'UNSUB\u00adSCRIBE', 'opt-out'],
    ['a right-to-left mark after the word', 'STOP\u200f', 'opt-out'],
    // the spelled "opt out" the FCC names
    ['OPT OUT as two words', 'opt out', 'opt-out'],
    ['OPT-OUT hyphenated', 'Opt-Out', 'opt-out'],
    ['OPT_OUT with an underscore', 'OPT_OUT', 'opt-out'],
    ['OPT OUT with punctuation and spaces around', '  Opt out!! ', 'opt-out'],
    ['OPT OUT in full-width letters', 'ＯＰＴ　ＯＵＴ', 'opt-out'],
    // conversation: more than one word
    ['a keyword followed by another word', 'STOP PLEASE', null],
    ['a negated keyword', "don't stop", null],
    ['a keyword inside a sentence', 'Please stop texting me', null],
    ['a keyword twice', 'STOP STOP', null],
    ['STOP ALL as two words', 'STOP ALL', null],
    ['a keyword on two lines with a signature', 'STOP\nSent from my iPhone', null],
    ['a survey answer starting with yes', 'Yes, I will vote', null],
    ['help in a sentence', 'help me register', null],
    ['opt out in a sentence', 'opt out of this', null],
    // conversation: not the word itself
    ['a longer word that starts with a keyword', 'stopped', null],
    ['a word that contains a keyword', 'nonstop', null],
    ['a typo', 'stpo', null],
    ['a doubled letter', 'STOPP', null],
    ['interior full stops', 'S.T.O.P', null],
    ['interior spaces', 'S T O P', null],
    ['an interior hyphen', 'UN-STOP', null],
    ['a digit after the word', 'STOP2', null],
    ['a digit before the word, as a separate word', '1 STOP', null],
    ['a Cyrillic lookalike letter', 'STO\u0420', null],
    ['an all-Cyrillic lookalike word', '\u0421\u0422\u041e\u0420', null],
    ['a dotless i', 'ınfo', null],
    ['a dotted capital I', 'İNFO', null],
    ['an accented letter', 'stöp', null],
    ['a combining accent on the last letter', 'STOP\u0301', null],
    ['a keyword in another language', 'ARRET', null],
    ['an unlisted opt-in word', 'SUBSCRIBE', null],
    ['an unlisted help word', 'SUPPORT', null],
    // nothing to classify
    ['an empty body', '', null],
    ['whitespace only', '   \n ', null],
    ['punctuation only', '?!.', null],
    ['an emoji only', '🛑', null],
    ['a number', '1', null],
  ];

  it.each(cases)('should classify %s (%p) as %p', (_description, body, expected) => {
    expect(classifyInboundKeyword(body)).toBe(expected);
  });

  it('should find the keyword in a 1,600-character body of punctuation around it', () => {
    const padding = '!'.repeat(798);

    expect(classifyInboundKeyword(`${padding}STOP${padding}`)).toBe('opt-out');
    expect(classifyInboundKeyword(`a${'!'.repeat(1_598)}a`)).toBeNull();
  });
});
