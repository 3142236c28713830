import { OPEN_TO_REFORM_SCALE } from './open-to-reform-scale.constant';
import type { SurveyQuestion } from './survey-question';

/**
 * The questions of the starter script (`DEFAULT_CALL_SCRIPT`). The values question asks one of
 * the default taxonomy's values questions, reworded for the phone; its choices are that
 * question's answers, as `parseSurveyQuestions` fills them in.
 */
export const DEFAULT_SURVEY_QUESTIONS: readonly SurveyQuestion[] = [
  {
    key: 'open_to_reform',
    kind: 'scale',
    prompt: 'On a scale of 1 to 5, where 1 is not at all open and 5 is very open, how open are you to changing how we pay for our schools and local services?',
    choices: OPEN_TO_REFORM_SCALE,
  },
  {
    key: 'families_get_ahead',
    kind: 'values',
    valuesQuestionKey: 'government_helps_families_get_ahead',
    prompt: 'Do you agree or disagree: government should do more to help working families get ahead?',
    choices: [
      { value: 'agree', label: 'Agree' },
      { value: 'neutral', label: 'Neither' },
      { value: 'disagree', label: 'Disagree' },
    ],
  },
  {
    key: 'pledge_to_call',
    kind: 'single_choice',
    prompt: 'Can we count on you to call your state representative and ask them to support fair funding for our schools?',
    choices: [
      { value: 'yes', label: 'Yes' },
      { value: 'maybe', label: 'Maybe' },
      { value: 'no', label: 'No' },
    ],
  },
];
