import { DomainErrorCode } from '@app/common';
import type { CallScript } from './call-script';
import { nextStepId, scriptStepOf, stepIdsInWalkOrder } from './call-script-navigation.util';
import { DEFAULT_CALL_SCRIPT } from './default-call-script.constant';

/** intro → pitch → pledge; pledge: yes → thanks, maybe → back to pitch, anything else → close. */
const LOOPING_SCRIPT: CallScript = {
  startStepId: 'intro',
  steps: [
    { id: 'close', title: 'Close', text: 'Bye.', variants: [], questionKey: null, branches: [], next: null },
    { id: 'intro', title: 'Intro', text: 'Hi.', variants: [], questionKey: null, branches: [], next: 'pitch' },
    { id: 'pitch', title: 'Pitch', text: 'Schools.', variants: [], questionKey: null, branches: [], next: 'pledge' },
    {
      id: 'pledge',
      title: 'Pledge',
      text: 'Will you?',
      variants: [],
      questionKey: 'pledge_to_call',
      branches: [
        { answer: 'yes', next: 'thanks' },
        { answer: 'maybe', next: 'pitch' },
      ],
      next: 'close',
    },
    { id: 'thanks', title: 'Thanks', text: 'Thanks!', variants: [], questionKey: null, branches: [], next: null },
  ],
};

/** The steps a call visits from the start, giving each step's answer from `answers`. */
function walk(script: CallScript, answers: Readonly<Record<string, string>>): string[] {
  const visited: string[] = [];
  for (let stepId: string | null = script.startStepId; stepId !== null && visited.length < 20; stepId = nextStepId(script, stepId, answers[stepId])) {
    visited.push(stepId);
  }
  return visited;
}

describe('nextStepId', () => {
  it('should follow the branch for the answer', () => {
    expect(nextStepId(LOOPING_SCRIPT, 'pledge', 'yes')).toBe('thanks');
    expect(nextStepId(LOOPING_SCRIPT, 'pledge', 'maybe')).toBe('pitch');
  });

  it('should follow next for an answer without a branch, or no answer', () => {
    expect(nextStepId(LOOPING_SCRIPT, 'pledge', 'no')).toBe('close');
    expect(nextStepId(LOOPING_SCRIPT, 'pledge')).toBe('close');
    expect(nextStepId(LOOPING_SCRIPT, 'intro', 'yes')).toBe('pitch');
  });

  it('should compare answers as stored', () => {
    expect(nextStepId(LOOPING_SCRIPT, 'pledge', 'YES')).toBe('close');
  });

  it('should answer null at the end of the script', () => {
    expect(nextStepId(LOOPING_SCRIPT, 'thanks')).toBeNull();
  });

  it('should refuse a step the script does not have', () => {
    expect(() => nextStepId(LOOPING_SCRIPT, 'outro')).toThrow('Script step outro was not found');
    expect(() => scriptStepOf(LOOPING_SCRIPT, 'outro')).toThrow(expect.objectContaining({ code: DomainErrorCode.NotFound }) as unknown as Error);
  });

  it('should walk the default script to the thank-you on a yes and to the soft close otherwise', () => {
    const answered = { make_the_case: '4', values: 'agree' };
    expect(walk(DEFAULT_CALL_SCRIPT, { ...answered, pledge: 'yes' })).toStrictEqual(['introduction', 'make_the_case', 'values', 'pledge', 'thank_you']);
    expect(walk(DEFAULT_CALL_SCRIPT, { ...answered, pledge: 'no' })).toStrictEqual(['introduction', 'make_the_case', 'values', 'pledge', 'soft_close']);
    expect(walk(DEFAULT_CALL_SCRIPT, { ...answered, pledge: 'maybe' })).toStrictEqual(['introduction', 'make_the_case', 'values', 'pledge', 'soft_close']);
    expect(walk(DEFAULT_CALL_SCRIPT, {})).toStrictEqual(['introduction', 'make_the_case', 'values', 'pledge', 'soft_close']);
  });

  it('should go round a loop back to the pitch and leave it', () => {
    let pledges = 0;
    const visited: string[] = [];
    for (let stepId: string | null = 'intro'; stepId !== null;) {
      visited.push(stepId);
      const answer = stepId === 'pledge' ? (pledges++ === 0 ? 'maybe' : 'yes') : undefined;
      stepId = nextStepId(LOOPING_SCRIPT, stepId, answer);
    }
    expect(visited).toStrictEqual(['intro', 'pitch', 'pledge', 'pitch', 'pledge', 'thanks']);
  });
});

describe('stepIdsInWalkOrder', () => {
  it('should list steps breadth first from the start, branches before next, each once', () => {
    expect(stepIdsInWalkOrder(LOOPING_SCRIPT)).toStrictEqual(['intro', 'pitch', 'pledge', 'thanks', 'close']);
  });

  it('should leave out steps that cannot be reached', () => {
    const script: CallScript = { ...LOOPING_SCRIPT, startStepId: 'pledge' };
    expect(stepIdsInWalkOrder(script)).toStrictEqual(['pledge', 'thanks', 'pitch', 'close']);
  });
});
