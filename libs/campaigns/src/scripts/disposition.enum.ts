/** How a call to a voter ended, as the volunteer records it. The values are stored; never rename one. */
export enum Disposition {
  Contacted = 'contacted',
  NotHome = 'not_home',
  Voicemail = 'voicemail',
  Busy = 'busy',
  WrongNumber = 'wrong_number',
  Refused = 'refused',
  Moved = 'moved',
  Deceased = 'deceased',
  DoNotCall = 'do_not_call',
  CallBack = 'call_back',
  LanguageNeeded = 'language_needed',
}
