import { DomainException } from '@app/common';
import { DEFAULT_TAXONOMY } from '@app/segments/taxonomy/default-taxonomy.constant';
import type { CallScript } from './call-script';
import { parseCallScript } from './call-script.parser';
import { renderScriptStep, renderWholeScript } from './call-script.renderer';
import type { ScriptMergeContext } from './script-merge-context';
import { parseSurveyQuestions } from './survey-question.parser';

const QUESTIONS = parseSurveyQuestions(
  [
    {
      key: 'pledge',
      kind: 'single_choice',
      prompt: 'Will you call, {voter.first_name|friend}?',
      choices: [
        { value: 'yes', label: 'Yes' },
        { value: 'no', label: 'No' },
      ],
    },
    { key: 'open', kind: 'scale', prompt: 'How open are you?' },
  ],
  DEFAULT_TAXONOMY,
);

const SCRIPT: CallScript = parseCallScript(
  {
    startStepId: 'pitch',
    steps: [
      {
        id: 'pitch',
        title: 'Pitch for {voter.first_name|the voter}',
        text: 'Hi {voter.first_name|there}, our schools in {voter.city|your town} come up short.',
        variants: [
          { segmentKey: 'pro_tax_base', text: '{voter.first_name|Friend}, the wealthy pay less than you.' },
          { segmentKey: 'balanced_suburbans', text: 'Your tax dollars should be spent well, {voter.first_name}.' },
        ],
        questionKey: 'open',
        next: 'pledge',
      },
      { id: 'pledge', title: 'Pledge', text: 'One last thing.', questionKey: 'pledge', branches: [{ answer: 'yes', next: 'thanks' }], next: 'close' },
      { id: 'thanks', title: 'Thanks', text: 'Thank you, {voter.first_name}!' },
      { id: 'close', title: 'Close', text: 'Goodbye from {organization.name}.' },
    ],
  },
  { questions: QUESTIONS, segmentKeys: DEFAULT_TAXONOMY.segments.map((segment) => segment.key), valuesQuestions: DEFAULT_TAXONOMY.valuesQuestions },
);

const VOTER: ScriptMergeContext = {
  voter: { firstName: 'Ana', lastName: 'Diaz', city: 'Raleigh', birthYear: 1990 },
  volunteer: { firstName: 'Sam' },
  organization: { name: 'Schools First' },
  segmentKey: null,
};

describe('renderScriptStep', () => {
  it("should read the variant written for the voter's segment", () => {
    const rendered = renderScriptStep(SCRIPT, QUESTIONS, 'pitch', { ...VOTER, segmentKey: 'pro_tax_base' });
    expect(rendered.text).toBe('Ana, the wealthy pay less than you.');
    expect(rendered.variantSegmentKey).toBe('pro_tax_base');
    expect(renderScriptStep(SCRIPT, QUESTIONS, 'pitch', { ...VOTER, segmentKey: 'balanced_suburbans' }).text).toBe(
      'Your tax dollars should be spent well, Ana.',
    );
  });

  it('should read the base text for a segment without a variant, or a voter without a segment', () => {
    for (const segmentKey of ['aspiring_poc', 'other', null]) {
      const rendered = renderScriptStep(SCRIPT, QUESTIONS, 'pitch', { ...VOTER, segmentKey });
      expect(rendered.text).toBe('Hi Ana, our schools in Raleigh come up short.');
      expect(rendered.variantSegmentKey).toBeNull();
    }
  });

  it('should fill merge fields in the title, the text and the question prompt, with fallbacks', () => {
    const unnamed = { ...VOTER, voter: { firstName: null, city: '' }, segmentKey: 'pro_tax_base' };
    const pitch = renderScriptStep(SCRIPT, QUESTIONS, 'pitch', unnamed);
    expect(pitch.title).toBe('Pitch for the voter');
    expect(pitch.text).toBe('Friend, the wealthy pay less than you.');
    expect(renderScriptStep(SCRIPT, QUESTIONS, 'pledge', unnamed).question?.prompt).toBe('Will you call, friend?');
    expect(renderScriptStep(SCRIPT, QUESTIONS, 'pledge', VOTER).question?.prompt).toBe('Will you call, Ana?');
  });

  it('should return the whole step: question with its choices, branches and next', () => {
    expect(renderScriptStep(SCRIPT, QUESTIONS, 'pledge', VOTER)).toStrictEqual({
      stepId: 'pledge',
      title: 'Pledge',
      text: 'One last thing.',
      variantSegmentKey: null,
      question: {
        key: 'pledge',
        kind: 'single_choice',
        prompt: 'Will you call, Ana?',
        choices: [
          { value: 'yes', label: 'Yes' },
          { value: 'no', label: 'No' },
        ],
      },
      branches: [{ answer: 'yes', next: 'thanks' }],
      next: 'close',
    });
    expect(renderScriptStep(SCRIPT, QUESTIONS, 'thanks', VOTER)).toMatchObject({ question: null, branches: [], next: null, text: 'Thank you, Ana!' });
  });

  it('should refuse a step the script does not have, or a question the list does not have', () => {
    expect(() => renderScriptStep(SCRIPT, QUESTIONS, 'outro', VOTER)).toThrow(DomainException);
    expect(() => renderScriptStep(SCRIPT, [], 'pledge', VOTER)).toThrow('Survey question pledge was not found');
  });
});

describe('renderWholeScript', () => {
  it('should render every step in walk order for a sample voter', () => {
    const rendered = renderWholeScript(SCRIPT, QUESTIONS, { ...VOTER, segmentKey: 'balanced_suburbans' });
    expect(rendered.map((step) => step.stepId)).toStrictEqual(['pitch', 'pledge', 'thanks', 'close']);
    expect(rendered.map((step) => step.text)).toStrictEqual([
      'Your tax dollars should be spent well, Ana.',
      'One last thing.',
      'Thank you, Ana!',
      'Goodbye from Schools First.',
    ]);
  });
});
