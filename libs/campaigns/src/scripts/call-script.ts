/** The text a voter in one segment hears instead of the step's base text. */
export interface ScriptVariant {
  readonly segmentKey: string;
  readonly text: string;
}

/** Where the call goes when the step's question got this answer (a choice value). */
export interface ScriptBranch {
  readonly answer: string;
  readonly next: string;
}

export interface ScriptStep {
  /** Unique within the script (lower snake case); branches and `next` point at it. */
  readonly id: string;
  /** A short label for the volunteer; may use merge fields. */
  readonly title: string;
  /** What the volunteer reads, with merge fields; the text for voters no variant is for. */
  readonly text: string;
  /** Per-segment wording of `text`: the message that speaks to that voter's values. */
  readonly variants: readonly ScriptVariant[];
  /** The survey question asked at this step, if any. */
  readonly questionKey: string | null;
  /** The next step by answer; answers without a branch (or no answer) follow `next`. */
  readonly branches: readonly ScriptBranch[];
  /** The default next step; null ends the script. */
  readonly next: string | null;
}

/**
 * A phone-bank call script: a graph of steps walked from `startStepId`. Loops are allowed as long
 * as every step can still reach the end (see `parseCallScript`).
 */
export interface CallScript {
  readonly startStepId: string;
  readonly steps: readonly ScriptStep[];
}
