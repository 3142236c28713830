import type { SurveyChoice } from './survey-question';

/**
 * The 1–5 "open to reform" scale every `scale` question uses. The values are fixed so answers
 * from different campaigns can be compared; a question may reword the labels, not the values.
 */
export const OPEN_TO_REFORM_SCALE: readonly SurveyChoice[] = [
  { value: '1', label: '1 – not at all open' },
  { value: '2', label: '2 – slightly open' },
  { value: '3', label: '3 – somewhat open' },
  { value: '4', label: '4 – quite open' },
  { value: '5', label: '5 – very open' },
];
