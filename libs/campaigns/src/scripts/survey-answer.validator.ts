import { DomainErrorCode, DomainException } from '@app/common';
import type { SurveyQuestion } from './survey-question';

export const MAX_FREE_TEXT_ANSWER_LENGTH = 1_000;
const QUOTED_ANSWER_LENGTH = 40;

/**
 * The answer as it is stored, or a refusal naming the question and what it allows. A choice
 * answer is matched on its value, ignoring case and surrounding spaces, and returned as the
 * choice's value; a free-text answer is trimmed, with line endings made `\n`. An empty answer is
 * refused: a skipped question is recorded by not answering it.
 */
export function validateSurveyAnswer(question: SurveyQuestion, answer: string): string {
  const trimmed = answer.replace(/\r\n?/g, '\n').trim();
  if (question.kind === 'free_text') {
    if (trimmed === '' || trimmed.length > MAX_FREE_TEXT_ANSWER_LENGTH) {
      const problem = trimmed === '' ? 'is empty' : `has ${trimmed.length.toLocaleString('en-US')} characters`;
      throw new DomainException(
        DomainErrorCode.ValidationFailed,
        `The answer to question "${question.key}" ${problem}; a free-text answer is 1 to ${MAX_FREE_TEXT_ANSWER_LENGTH.toLocaleString('en-US')} characters`,
        { questionKey: question.key, maxLength: MAX_FREE_TEXT_ANSWER_LENGTH },
      );
    }
    return trimmed;
  }
  const allowed = question.choices.map((choice) => choice.value);
  const match = allowed.find((value) => value === trimmed.toLowerCase());
  if (match !== undefined) return match;
  const quoted = trimmed.length > QUOTED_ANSWER_LENGTH ? `${trimmed.slice(0, QUOTED_ANSWER_LENGTH)}…` : trimmed;
  throw new DomainException(
    DomainErrorCode.ValidationFailed,
    `"${quoted}" is not an answer to question "${question.key}"; the answers are ${allowed.join(', ')}`,
    { questionKey: question.key, allowedAnswers: allowed },
  );
}

/**
 * A set of answers to a campaign's questions, each checked by `validateSurveyAnswer`: refused naming
 * the answer (`answers[i]`) for a question the campaign does not ask or one answered twice.
 */
export function validateSurveyAnswers(
  questions: readonly SurveyQuestion[],
  answers: readonly { readonly questionKey: string; readonly answer: string }[],
): { questionKey: string; answer: string }[] {
  const seen = new Set<string>();
  return answers.map((each, index) => {
    const question = questions.find((candidate) => candidate.key === each.questionKey);
    if (question === undefined) {
      throw new DomainException(
        DomainErrorCode.ValidationFailed,
        `answers[${index}].questionKey: "${each.questionKey}" is not a question of this campaign (${questions.map((candidate) => candidate.key).join(', ') || 'none'})`,
        { field: `answers[${index}].questionKey` },
      );
    }
    if (seen.has(question.key)) {
      throw new DomainException(DomainErrorCode.ValidationFailed, `answers[${index}]: "${question.key}" is answered twice`, { field: `answers[${index}]` });
    }
    seen.add(question.key);
    return { questionKey: question.key, answer: validateSurveyAnswer(question, each.answer) };
  });
}
