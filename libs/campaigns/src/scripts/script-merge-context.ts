/**
 * What a script is rendered for: one voter, called by one volunteer of one organization. Any
 * value may be missing; the text then shows the merge field's fallback, or nothing.
 */
export interface ScriptMergeContext {
  readonly voter: {
    readonly firstName?: string | null;
    readonly lastName?: string | null;
    readonly city?: string | null;
    /** The voter file stores only the birth year; the age is worked out from it when `age` is absent. */
    readonly birthYear?: number | null;
    readonly age?: number | null;
  };
  readonly volunteer: { readonly firstName?: string | null };
  readonly organization: { readonly name?: string | null };
  /** The voter's values segment; picks the step variant written for it. */
  readonly segmentKey: string | null;
  /** The moment the age is worked out for; the current time when absent. */
  readonly now?: Date;
}
