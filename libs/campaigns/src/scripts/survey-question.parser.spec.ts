import { DomainErrorCode, DomainException } from '@app/common';
import { DEFAULT_TAXONOMY } from '@app/segments/taxonomy/default-taxonomy.constant';
import { OPEN_TO_REFORM_SCALE } from './open-to-reform-scale.constant';
import type { ValidationIssue } from './script-input.reader';
import { MAX_SURVEY_QUESTIONS, parseSurveyQuestions } from './survey-question.parser';

const CONTEXT = { valuesQuestions: DEFAULT_TAXONOMY.valuesQuestions };

function issuesOf(input: unknown): ValidationIssue[] {
  try {
    parseSurveyQuestions(input, CONTEXT);
  } catch (error) {
    if (!(error instanceof DomainException)) throw error;
    expect(error.code).toBe(DomainErrorCode.ValidationFailed);
    return error.details.issues as ValidationIssue[];
  }
  throw new Error(`expected ${JSON.stringify(input)} to be refused`);
}

function refusedPaths(input: unknown): string[] {
  return issuesOf(input).map((issue) => issue.path);
}

const PLEDGE = {
  key: 'pledge',
  kind: 'single_choice',
  prompt: 'Will you call your representative?',
  choices: [
    { value: 'yes', label: 'Yes' },
    { value: 'no', label: 'No' },
  ],
};

describe('parseSurveyQuestions', () => {
  describe('accepting', () => {
    it('should accept a single choice question as it is, trimming its texts', () => {
      expect(parseSurveyQuestions([{ ...PLEDGE, prompt: '  Will you call your representative? ' }], CONTEXT)).toStrictEqual([PLEDGE]);
    });

    it('should give a scale question the open-to-reform labels when it lists no choices', () => {
      expect(parseSurveyQuestions([{ key: 'open', kind: 'scale', prompt: 'How open are you?' }], CONTEXT)).toStrictEqual([
        { key: 'open', kind: 'scale', prompt: 'How open are you?', choices: OPEN_TO_REFORM_SCALE },
      ]);
      expect(OPEN_TO_REFORM_SCALE.map((choice) => choice.value)).toStrictEqual(['1', '2', '3', '4', '5']);
      expect(OPEN_TO_REFORM_SCALE[0].label).toBe('1 – not at all open');
      expect(OPEN_TO_REFORM_SCALE[4].label).toBe('5 – very open');
    });

    it('should let a scale question reword its labels', () => {
      const choices = ['Never', 'Hardly', 'Maybe', 'Likely', 'Surely'].map((label, index) => ({ value: String(index + 1), label }));
      expect(parseSurveyQuestions([{ key: 'open', kind: 'scale', prompt: 'How open?', choices }], CONTEXT)[0].choices).toStrictEqual(choices);
    });

    it('should accept a free text question, with no choices or an empty list', () => {
      const parsed = parseSurveyQuestions(
        [
          { key: 'comments', kind: 'free_text', prompt: 'Anything else, {voter.first_name|friend}?' },
          { key: 'concerns', kind: 'free_text', prompt: 'Any concerns?', choices: [] },
        ],
        CONTEXT,
      );
      expect(parsed).toStrictEqual([
        { key: 'comments', kind: 'free_text', prompt: 'Anything else, {voter.first_name|friend}?', choices: [] },
        { key: 'concerns', kind: 'free_text', prompt: 'Any concerns?', choices: [] },
      ]);
    });

    it("should take a values question's choices, and by default its prompt, from the taxonomy", () => {
      expect(parseSurveyQuestions([{ key: 'pace', kind: 'values', valuesQuestionKey: 'pace_of_change' }], CONTEXT)).toStrictEqual([
        {
          key: 'pace',
          kind: 'values',
          prompt: 'Does our state need big changes, or steady improvements to what works?',
          choices: [
            { value: 'big_changes', label: 'Big changes' },
            { value: 'steady_improvements', label: 'Steady improvements' },
          ],
          valuesQuestionKey: 'pace_of_change',
        },
      ]);
    });

    it("should replace the choices sent with a values question by the taxonomy's answers", () => {
      const [question] = parseSurveyQuestions(
        [{ key: 'pace', kind: 'values', valuesQuestionKey: 'pace_of_change', prompt: 'Big or steady?', choices: [{ value: 'old', label: 'Old' }] }],
        CONTEXT,
      );
      expect(question.prompt).toBe('Big or steady?');
      expect(question.choices.map((choice) => choice.value)).toStrictEqual(['big_changes', 'steady_improvements']);
    });

    it('should accept an empty list', () => {
      expect(parseSurveyQuestions([], CONTEXT)).toStrictEqual([]);
    });
  });

  describe('refusing', () => {
    it(`should refuse a list that is not one, or longer than ${MAX_SURVEY_QUESTIONS}`, () => {
      expect(refusedPaths({ questions: [] })).toStrictEqual(['questions']);
      const many = Array.from({ length: MAX_SURVEY_QUESTIONS + 1 }, (_, index) => ({ ...PLEDGE, key: `pledge_${index}` }));
      expect(refusedPaths(many)).toStrictEqual(['questions']);
    });

    it('should refuse a question that is not an object', () => {
      expect(refusedPaths([PLEDGE, 'pledge'])).toStrictEqual(['questions[1]']);
    });

    it('should refuse an unknown property, kind or key format', () => {
      expect(refusedPaths([{ ...PLEDGE, choise: [] }])).toStrictEqual(['questions[0].choise']);
      expect(refusedPaths([{ ...PLEDGE, kind: 'multiple_choice' }])).toStrictEqual(['questions[0].kind']);
      expect(refusedPaths([{ ...PLEDGE, key: 'Pledge-2' }])).toStrictEqual(['questions[0].key']);
    });

    it('should refuse a key used twice', () => {
      const [issue] = issuesOf([PLEDGE, { ...PLEDGE, prompt: 'Again?' }]);
      expect(issue).toStrictEqual({ path: 'questions[1].key', message: 'questions[1].key "pledge" is already the key of questions[0]' });
    });

    it('should refuse a missing or over-long prompt, or one with an unknown merge field', () => {
      expect(refusedPaths([{ ...PLEDGE, prompt: ' ' }])).toStrictEqual(['questions[0].prompt']);
      expect(refusedPaths([{ ...PLEDGE, prompt: 'a'.repeat(501) }])).toStrictEqual(['questions[0].prompt']);
      const [issue] = issuesOf([{ ...PLEDGE, prompt: 'Will you, {voter.nick}?' }]);
      expect(issue.path).toBe('questions[0].prompt');
      expect(issue.message).toContain('question "pledge"');
      expect(issue.message).toContain('{voter.nick}');
    });

    it('should refuse a single choice question with fewer than 2 or more than 12 choices', () => {
      expect(refusedPaths([{ ...PLEDGE, choices: [{ value: 'yes', label: 'Yes' }] }])).toStrictEqual(['questions[0].choices']);
      const thirteen = Array.from({ length: 13 }, (_, index) => ({ value: `choice_${index}`, label: `Choice ${index}` }));
      expect(refusedPaths([{ ...PLEDGE, choices: thirteen }])).toStrictEqual(['questions[0].choices']);
      expect(refusedPaths([{ ...PLEDGE, choices: undefined }])).toStrictEqual(['questions[0].choices']);
    });

    it('should refuse a choice value that is not a slug, is used twice, or has no label', () => {
      const choices = [
        { value: 'Yes!', label: 'Yes' },
        { value: 'no', label: 'No' },
        { value: 'no', label: 'Nope' },
        { value: 'maybe', label: '' },
      ];
      expect(refusedPaths([{ ...PLEDGE, choices }])).toStrictEqual([
        'questions[0].choices[0].value',
        'questions[0].choices[2].value',
        'questions[0].choices[3].label',
      ]);
    });

    it('should refuse scale choices that are not the values 1 to 5 in order', () => {
      const choices = OPEN_TO_REFORM_SCALE.map((choice) => ({ ...choice }));
      expect(refusedPaths([{ key: 'open', kind: 'scale', prompt: 'Open?', choices: choices.slice(0, 4) }])).toStrictEqual(['questions[0].choices']);
      const swapped = [choices[1], choices[0], ...choices.slice(2)];
      expect(refusedPaths([{ key: 'open', kind: 'scale', prompt: 'Open?', choices: swapped }])).toStrictEqual([
        'questions[0].choices[0].value',
        'questions[0].choices[1].value',
      ]);
    });

    it('should refuse choices on a free text question', () => {
      expect(refusedPaths([{ key: 'comments', kind: 'free_text', prompt: 'Anything else?', choices: PLEDGE.choices }])).toStrictEqual(['questions[0].choices']);
    });

    it('should refuse a values question naming no question of the taxonomy', () => {
      const [issue] = issuesOf([{ key: 'pace', kind: 'values', valuesQuestionKey: 'pace_of_reform' }]);
      expect(issue.path).toBe('questions[0].valuesQuestionKey');
      expect(issue.message).toContain('fund_schools_by_taxing_wealth, government_helps_families_get_ahead, pace_of_change');
      expect(refusedPaths([{ key: 'pace', kind: 'values', prompt: 'Pace?' }])).toStrictEqual(['questions[0].valuesQuestionKey']);
    });

    it('should refuse a values question asked twice', () => {
      const question = { key: 'pace', kind: 'values', valuesQuestionKey: 'pace_of_change' };
      expect(refusedPaths([question, { ...question, key: 'pace_again' }])).toStrictEqual(['questions[1].valuesQuestionKey']);
    });

    it('should refuse a valuesQuestionKey on a question of another kind', () => {
      expect(refusedPaths([{ ...PLEDGE, valuesQuestionKey: 'pace_of_change' }])).toStrictEqual(['questions[0].valuesQuestionKey']);
    });

    it('should list every problem of every question at once', () => {
      const error = (() => {
        try {
          parseSurveyQuestions(
            [
              { ...PLEDGE, key: 'Bad' },
              { key: 'comments', kind: 'essay', prompt: 'Why?' },
              { ...PLEDGE, prompt: '' },
            ],
            CONTEXT,
          );
        } catch (caught) {
          return caught as DomainException;
        }
        throw new Error('expected a refusal');
      })();
      expect(error.message).toMatch(/^The survey question list has 3 problems: questions\[0\]\.key must be/);
      expect((error.details.issues as ValidationIssue[]).map((issue) => issue.path)).toStrictEqual([
        'questions[0].key',
        'questions[1].kind',
        'questions[2].prompt',
      ]);
    });
  });
});
