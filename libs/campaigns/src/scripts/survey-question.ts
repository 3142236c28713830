/** How a survey question is answered; each kind decides which answers are allowed. */
export const SURVEY_QUESTION_KINDS = ['single_choice', 'scale', 'free_text', 'values'] as const;
export type SurveyQuestionKind = (typeof SURVEY_QUESTION_KINDS)[number];

/** One answer a volunteer can pick: `value` is what is stored, `label` what the volunteer sees. */
export interface SurveyChoice {
  readonly value: string;
  readonly label: string;
}

interface SurveyQuestionFields {
  /** Stable identifier the answers are stored under (lower snake case). */
  readonly key: string;
  /** What the volunteer asks; may use merge fields such as `{voter.first_name}`. */
  readonly prompt: string;
  /** The allowed answers in display order; empty for a free-text question. */
  readonly choices: readonly SurveyChoice[];
}

/**
 * A question asked during a call. A `values` question is one of the alliance's segment taxonomy
 * questions asked on the phone: its choices are that question's answers, so the answer can be
 * used as evidence of the voter's segment.
 */
export type SurveyQuestion =
  | (SurveyQuestionFields & { readonly kind: 'single_choice' | 'scale' | 'free_text' })
  | (SurveyQuestionFields & { readonly kind: 'values'; readonly valuesQuestionKey: string });

/**
 * The part of a taxonomy values question scripts need. The segments lib's `ValuesQuestion` fits
 * as it is, so callers pass `taxonomy.valuesQuestions` without mapping it.
 */
export interface ValuesQuestionReference {
  readonly key: string;
  readonly prompt: string;
  readonly answers: ReadonlyArray<{ readonly key: string; readonly label: string }>;
}
