import { DEFAULT_TAXONOMY } from '@app/segments/taxonomy/default-taxonomy.constant';
import { parseCallScript } from './call-script.parser';
import { renderWholeScript } from './call-script.renderer';
import { DEFAULT_CALL_SCRIPT } from './default-call-script.constant';
import { DEFAULT_SURVEY_QUESTIONS } from './default-survey-questions.constant';
import { parseSurveyQuestions } from './survey-question.parser';

const SEGMENT_KEYS = DEFAULT_TAXONOMY.segments.map((segment) => segment.key);

describe('DEFAULT_CALL_SCRIPT and DEFAULT_SURVEY_QUESTIONS', () => {
  it('should parse against the default taxonomy to exactly themselves', () => {
    const questions = parseSurveyQuestions(DEFAULT_SURVEY_QUESTIONS, DEFAULT_TAXONOMY);
    expect(questions).toStrictEqual(DEFAULT_SURVEY_QUESTIONS);
    const script = parseCallScript(DEFAULT_CALL_SCRIPT, { questions, segmentKeys: SEGMENT_KEYS, valuesQuestions: DEFAULT_TAXONOMY.valuesQuestions });
    expect(script).toStrictEqual(DEFAULT_CALL_SCRIPT);
  });

  it('should ask an open-to-reform scale question, a values question of the taxonomy and a yes/maybe/no pledge', () => {
    expect(DEFAULT_SURVEY_QUESTIONS.map((question) => question.kind)).toStrictEqual(['scale', 'values', 'single_choice']);
    const values = DEFAULT_SURVEY_QUESTIONS[1];
    expect(values.kind === 'values' && DEFAULT_TAXONOMY.valuesQuestions.some((question) => question.key === values.valuesQuestionKey)).toBe(true);
    expect(DEFAULT_SURVEY_QUESTIONS[2].choices.map((choice) => choice.value)).toStrictEqual(['yes', 'maybe', 'no']);
  });

  it('should word the case for reform for every default segment but "other", which hears the base text', () => {
    const pitch = DEFAULT_CALL_SCRIPT.steps.find((step) => step.questionKey === 'open_to_reform');
    expect(pitch?.variants.map((variant) => variant.segmentKey)).toStrictEqual(SEGMENT_KEYS.filter((key) => key !== 'other'));
  });

  it('should introduce the volunteer and organization to the voter by name', () => {
    const preview = renderWholeScript(DEFAULT_CALL_SCRIPT, DEFAULT_SURVEY_QUESTIONS, {
      voter: { firstName: 'Ana', city: 'Raleigh' },
      volunteer: { firstName: 'Sam' },
      organization: { name: 'Schools First' },
      segmentKey: 'aspiring_poc',
    });
    expect(preview.map((step) => step.stepId)).toStrictEqual(['introduction', 'make_the_case', 'values', 'pledge', 'thank_you', 'soft_close']);
    expect(preview[0].text).toMatch(/^Hi Ana, my name is Sam and I'm a volunteer with Schools First\. We're talking with neighbors in Raleigh /);
    expect(preview[1].variantSegmentKey).toBe('aspiring_poc');
    expect(preview.every((step) => !/[{}]/.test(`${step.title}${step.text}${step.question?.prompt ?? ''}`))).toBe(true);
  });
});
