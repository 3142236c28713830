import { Disposition } from './disposition.enum';
import { DispositionRetry } from './disposition-retry.enum';

export interface DispositionDetails {
  readonly label: string;
  /** The single key that records it on the call screen (lower case; distinct across dispositions). */
  readonly shortcutKey: string;
  /** Whether the volunteer had a conversation with the voter, the measure a phone bank's contact rate is built on. */
  readonly isConversation: boolean;
  readonly retry: DispositionRetry;
}

/**
 * Every disposition's label, shortcut and meaning, in the order the call screen lists them.
 *
 * A conversation is a live exchange with the voter that settled the call: contacted, refused and
 * do-not-call (a voter can only ask not to be called by talking to us). Call back and language
 * needed are not conversations: nothing was settled, the voter is called again, and counting
 * them would count one voter twice once that later call happens. Wrong number, moved and
 * deceased reached someone other than the voter.
 *
 * Final (never retried): wrong number, moved, deceased and do-not-call, which are facts about the
 * number or the voter's consent rather than about this campaign. Contacted and refused finish the
 * voter for this campaign only. The rest are retried, a language-needed voter by a volunteer who
 * speaks their language.
 *
 * Shortcut keys are the label's initial where it is free; do-not-call is x (crossed off) and call
 * back is a (call again), as c and d were taken.
 */
export const DISPOSITION_DETAILS: Readonly<Record<Disposition, DispositionDetails>> = {
  [Disposition.Contacted]: { label: 'Contacted', shortcutKey: 'c', isConversation: true, retry: DispositionRetry.NotThisCampaign },
  [Disposition.NotHome]: { label: 'Not home', shortcutKey: 'n', isConversation: false, retry: DispositionRetry.Later },
  [Disposition.Voicemail]: { label: 'Voicemail', shortcutKey: 'v', isConversation: false, retry: DispositionRetry.Later },
  [Disposition.Busy]: { label: 'Busy', shortcutKey: 'b', isConversation: false, retry: DispositionRetry.Later },
  [Disposition.WrongNumber]: { label: 'Wrong number', shortcutKey: 'w', isConversation: false, retry: DispositionRetry.Never },
  [Disposition.Refused]: { label: 'Refused', shortcutKey: 'r', isConversation: true, retry: DispositionRetry.NotThisCampaign },
  [Disposition.Moved]: { label: 'Moved', shortcutKey: 'm', isConversation: false, retry: DispositionRetry.Never },
  [Disposition.Deceased]: { label: 'Deceased', shortcutKey: 'd', isConversation: false, retry: DispositionRetry.Never },
  [Disposition.DoNotCall]: { label: 'Do not call', shortcutKey: 'x', isConversation: true, retry: DispositionRetry.Never },
  [Disposition.CallBack]: { label: 'Call back later', shortcutKey: 'a', isConversation: false, retry: DispositionRetry.Later },
  [Disposition.LanguageNeeded]: { label: 'Language needed', shortcutKey: 'l', isConversation: false, retry: DispositionRetry.Later },
};
