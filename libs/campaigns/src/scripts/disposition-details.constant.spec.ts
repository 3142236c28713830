import { DISPOSITION_DETAILS } from './disposition-details.constant';
import { DispositionRetry } from './disposition-retry.enum';
import { Disposition } from './disposition.enum';

const dispositionsWhere = (test: (details: (typeof DISPOSITION_DETAILS)[Disposition]) => boolean): Disposition[] =>
  Object.values(Disposition).filter((disposition) => test(DISPOSITION_DETAILS[disposition]));

describe('DISPOSITION_DETAILS', () => {
  it('should describe every disposition, in the order of the enum', () => {
    expect(Object.keys(DISPOSITION_DETAILS)).toStrictEqual(Object.values(Disposition));
  });

  it('should give each disposition its own single lower-case shortcut key', () => {
    const keys = Object.values(DISPOSITION_DETAILS).map((details) => details.shortcutKey);
    for (const key of keys) expect(key).toMatch(/^[a-z]$/);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('should count only contacted, refused and do-not-call as conversations', () => {
    expect(dispositionsWhere((details) => details.isConversation)).toStrictEqual([Disposition.Contacted, Disposition.Refused, Disposition.DoNotCall]);
  });

  it('should never retry a wrong number, a voter who moved or died, or one who asked not to be called', () => {
    expect(dispositionsWhere((details) => details.retry === DispositionRetry.Never)).toStrictEqual([
      Disposition.WrongNumber,
      Disposition.Moved,
      Disposition.Deceased,
      Disposition.DoNotCall,
    ]);
  });

  it('should finish a contacted or refusing voter for the campaign and retry the rest later', () => {
    expect(dispositionsWhere((details) => details.retry === DispositionRetry.NotThisCampaign)).toStrictEqual([Disposition.Contacted, Disposition.Refused]);
    expect(dispositionsWhere((details) => details.retry === DispositionRetry.Later)).toStrictEqual([
      Disposition.NotHome,
      Disposition.Voicemail,
      Disposition.Busy,
      Disposition.CallBack,
      Disposition.LanguageNeeded,
    ]);
  });

  it('should keep the stored values', () => {
    expect(Object.values(Disposition)).toStrictEqual([
      'contacted',
      'not_home',
      'voicemail',
      'busy',
      'wrong_number',
      'refused',
      'moved',
      'deceased',
      'do_not_call',
      'call_back',
      'language_needed',
    ]);
  });
});
