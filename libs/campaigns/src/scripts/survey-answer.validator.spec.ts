import { DomainErrorCode, DomainException } from '@app/common';
import { DEFAULT_SURVEY_QUESTIONS } from './default-survey-questions.constant';
import type { SurveyQuestion } from './survey-question';
import { MAX_FREE_TEXT_ANSWER_LENGTH, validateSurveyAnswer } from './survey-answer.validator';

const [SCALE, VALUES, PLEDGE] = DEFAULT_SURVEY_QUESTIONS;
const COMMENTS: SurveyQuestion = { key: 'comments', kind: 'free_text', prompt: 'Anything else?', choices: [] };

function refusal(question: SurveyQuestion, answer: string): DomainException {
  try {
    validateSurveyAnswer(question, answer);
  } catch (error) {
    if (error instanceof DomainException) return error;
    throw error;
  }
  throw new Error(`expected "${answer}" to be refused`);
}

describe('validateSurveyAnswer', () => {
  it('should accept a single choice value, ignoring case and spaces', () => {
    expect(validateSurveyAnswer(PLEDGE, 'yes')).toBe('yes');
    expect(validateSurveyAnswer(PLEDGE, ' Maybe ')).toBe('maybe');
  });

  it('should refuse a single choice answer that is not a choice value, naming the question and the answers', () => {
    const error = refusal(PLEDGE, 'perhaps');
    expect(error.code).toBe(DomainErrorCode.ValidationFailed);
    expect(error.message).toBe('"perhaps" is not an answer to question "pledge_to_call"; the answers are yes, maybe, no');
    expect(error.details).toStrictEqual({ questionKey: 'pledge_to_call', allowedAnswers: ['yes', 'maybe', 'no'] });
    // A label is not a value.
    expect(refusal(VALUES, 'Neither').details.allowedAnswers).toStrictEqual(['agree', 'neutral', 'disagree']);
  });

  it('should accept the scale values 1 to 5 and nothing else', () => {
    expect(['1', '2', '3', '4', ' 5 '].map((answer) => validateSurveyAnswer(SCALE, answer))).toStrictEqual(['1', '2', '3', '4', '5']);
    for (const answer of ['0', '6', '3.0', 'three', '', '1 – not at all open']) {
      expect(refusal(SCALE, answer).message).toContain('the answers are 1, 2, 3, 4, 5');
    }
  });

  it("should accept a values question's taxonomy answer keys", () => {
    expect(validateSurveyAnswer(VALUES, 'Disagree')).toBe('disagree');
    expect(refusal(VALUES, 'yes').message).toContain('question "families_get_ahead"');
  });

  it('should trim a free text answer and give it \\n line endings', () => {
    expect(validateSurveyAnswer(COMMENTS, '  Call me\r\nafter six \r ')).toBe('Call me\nafter six');
  });

  it(`should accept free text up to ${MAX_FREE_TEXT_ANSWER_LENGTH} characters and refuse more`, () => {
    expect(validateSurveyAnswer(COMMENTS, 'a'.repeat(MAX_FREE_TEXT_ANSWER_LENGTH))).toHaveLength(MAX_FREE_TEXT_ANSWER_LENGTH);
    const error = refusal(COMMENTS, 'a'.repeat(MAX_FREE_TEXT_ANSWER_LENGTH + 1));
    expect(error.message).toBe('The answer to question "comments" has 1,001 characters; a free-text answer is 1 to 1,000 characters');
    expect(error.details).toStrictEqual({ questionKey: 'comments', maxLength: 1000 });
  });

  it('should refuse an empty answer', () => {
    expect(refusal(COMMENTS, ' \n ').message).toContain('is empty');
    expect(refusal(PLEDGE, '').message).toContain('"" is not an answer');
  });

  it('should shorten a long wrong answer in the message', () => {
    expect(refusal(PLEDGE, 'x'.repeat(200)).message).toContain(`"${'x'.repeat(40)}…"`);
  });
});
