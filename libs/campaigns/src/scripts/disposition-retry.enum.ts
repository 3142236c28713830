/** Whether a voter may be called again after a disposition. */
export enum DispositionRetry {
  /** Try again later in this campaign: nobody answered, or the voter asked for another time or language. */
  Later = 'later',
  /** Done for this campaign (the call happened); a later campaign may call again. */
  NotThisCampaign = 'not_this_campaign',
  /** Final for the voter: never call them at this number again, in any campaign. */
  Never = 'never',
}
