import { DomainErrorCode, DomainException } from '@app/common';
import { DEFAULT_TAXONOMY } from '@app/segments/taxonomy/default-taxonomy.constant';
import { type CallScriptContext, MAX_SCRIPT_STEPS, MAX_STEP_TEXT_LENGTH, parseCallScript } from './call-script.parser';
import { DEFAULT_SURVEY_QUESTIONS } from './default-survey-questions.constant';
import type { ValidationIssue } from './script-input.reader';
import { parseSurveyQuestions } from './survey-question.parser';

const QUESTIONS = parseSurveyQuestions([...DEFAULT_SURVEY_QUESTIONS, { key: 'comments', kind: 'free_text', prompt: 'Anything else?' }], DEFAULT_TAXONOMY);
const CONTEXT: CallScriptContext = {
  questions: QUESTIONS,
  segmentKeys: DEFAULT_TAXONOMY.segments.map((segment) => segment.key),
  valuesQuestions: DEFAULT_TAXONOMY.valuesQuestions,
};

type StepInput = Record<string, unknown>;

/** A valid script: intro → pitch → pledge, which branches to thanks or close. */
function script(change: (steps: StepInput[]) => void = () => undefined): { startStepId: unknown; steps: StepInput[] } {
  const steps: StepInput[] = [
    { id: 'intro', title: 'Introduction', text: 'Hi {voter.first_name|there}, this is {volunteer.first_name}.', next: 'pitch' },
    {
      id: 'pitch',
      title: 'Pitch',
      text: 'Our schools come up short.',
      variants: [{ segmentKey: 'pro_tax_base', text: 'You already know the wealthy pay less.' }],
      questionKey: 'open_to_reform',
      next: 'pledge',
    },
    {
      id: 'pledge',
      title: 'Pledge',
      text: 'Lawmakers vote this spring.',
      questionKey: 'pledge_to_call',
      branches: [
        { answer: 'yes', next: 'thanks' },
        { answer: 'no', next: 'close' },
      ],
      next: 'close',
    },
    { id: 'thanks', title: 'Thanks', text: 'Thank you!' },
    { id: 'close', title: 'Close', text: 'Have a good day.', next: null },
  ];
  change(steps);
  return { startStepId: 'intro', steps };
}

function issuesOf(input: unknown, context: CallScriptContext = CONTEXT): ValidationIssue[] {
  try {
    parseCallScript(input, context);
  } catch (error) {
    if (!(error instanceof DomainException)) throw error;
    expect(error.code).toBe(DomainErrorCode.ValidationFailed);
    return error.details.issues as ValidationIssue[];
  }
  throw new Error(`expected ${JSON.stringify(input)} to be refused`);
}

function refusedPaths(input: unknown, context?: CallScriptContext): string[] {
  return issuesOf(input, context).map((issue) => issue.path);
}

/** The one issue the script has, checked to be at `path`. */
function onlyIssue(input: unknown, path: string): ValidationIssue {
  const issues = issuesOf(input);
  expect(issues.map((issue) => issue.path)).toStrictEqual([path]);
  return issues[0];
}

/** `count` steps in a chain, each leading to the next, the last ending the script. */
function chain(count: number): { startStepId: string; steps: StepInput[] } {
  const steps = Array.from({ length: count }, (_, index) => ({
    id: `step_${index}`,
    title: `Step ${index}`,
    text: 'Hello.',
    next: index + 1 < count ? `step_${index + 1}` : null,
  }));
  return { startStepId: 'step_0', steps };
}

describe('parseCallScript', () => {
  describe('accepting', () => {
    it('should accept a valid script, spelling out every optional field and trimming texts', () => {
      const parsed = parseCallScript(
        script((steps) => {
          steps[3].text = '  Thank you!\n';
        }),
        CONTEXT,
      );
      expect(parsed.startStepId).toBe('intro');
      expect(parsed.steps[0]).toStrictEqual({
        id: 'intro',
        title: 'Introduction',
        text: 'Hi {voter.first_name|there}, this is {volunteer.first_name}.',
        variants: [],
        questionKey: null,
        branches: [],
        next: 'pitch',
      });
      expect(parsed.steps[3]).toStrictEqual({ id: 'thanks', title: 'Thanks', text: 'Thank you!', variants: [], questionKey: null, branches: [], next: null });
      expect(parsed.steps[2].branches).toStrictEqual([
        { answer: 'yes', next: 'thanks' },
        { answer: 'no', next: 'close' },
      ]);
    });

    it('should read its own output back unchanged', () => {
      const parsed = parseCallScript(script(), CONTEXT);
      expect(parseCallScript(parsed, CONTEXT)).toStrictEqual(parsed);
    });

    it('should accept a loop back to the pitch that can be left', () => {
      const parsed = parseCallScript(
        script((steps) => {
          (steps[2].branches as unknown[]).push({ answer: 'maybe', next: 'pitch' });
        }),
        CONTEXT,
      );
      expect(parsed.steps[2].branches).toContainEqual({ answer: 'maybe', next: 'pitch' });
    });

    it('should accept a step that loops to itself on an answer', () => {
      expect(() =>
        parseCallScript(
          script((steps) => {
            (steps[2].branches as unknown[]).push({ answer: 'maybe', next: 'pledge' });
          }),
          CONTEXT,
        ),
      ).not.toThrow();
    });

    it('should accept a branch on a values question by its taxonomy answer', () => {
      const parsed = parseCallScript(
        script((steps) => {
          steps[1].questionKey = 'families_get_ahead';
          steps[1].branches = [{ answer: 'disagree', next: 'close' }];
        }),
        CONTEXT,
      );
      expect(parsed.steps[1].branches).toStrictEqual([{ answer: 'disagree', next: 'close' }]);
    });

    it(`should accept ${MAX_SCRIPT_STEPS} steps and texts of ${MAX_STEP_TEXT_LENGTH} characters`, () => {
      expect(parseCallScript(chain(MAX_SCRIPT_STEPS), CONTEXT).steps).toHaveLength(MAX_SCRIPT_STEPS);
      const long = script((steps) => {
        steps[0].text = 'a'.repeat(MAX_STEP_TEXT_LENGTH);
      });
      expect(parseCallScript(long, CONTEXT).steps[0].text).toHaveLength(MAX_STEP_TEXT_LENGTH);
    });
  });

  describe('refusing', () => {
    it('should refuse a script that is not an object', () => {
      expect(refusedPaths(null)).toStrictEqual(['']);
      expect(refusedPaths([script()])).toStrictEqual(['']);
      expect(issuesOf('intro')[0].message).toBe('the call script must be an object');
    });

    it('should refuse properties the model does not have', () => {
      expect(refusedPaths({ ...script(), start: 'intro' })).toStrictEqual(['start']);
      const issue = onlyIssue(
        script((steps) => {
          steps[3].nxt = 'close';
        }),
        'steps[3].nxt',
      );
      expect(issue.message).toContain('id, title, text, variants, questionKey, branches, next');
    });

    it(`should refuse steps that are missing, empty or more than ${MAX_SCRIPT_STEPS}`, () => {
      expect(refusedPaths({ startStepId: 'intro' })).toStrictEqual(['steps']);
      expect(refusedPaths({ startStepId: 'intro', steps: [] })).toStrictEqual(['steps']);
      expect(refusedPaths({})).toStrictEqual(['steps', 'startStepId']);
      expect(refusedPaths(chain(MAX_SCRIPT_STEPS + 1))).toStrictEqual(['steps']);
    });

    it('should refuse a step that is not an object', () => {
      expect(refusedPaths({ startStepId: 'step_0', steps: [...chain(1).steps, 'goodbye'] })).toStrictEqual(['steps[1]']);
    });

    it('should refuse a step id that is not a slug', () => {
      expect(
        refusedPaths(
          script((steps) => {
            steps[3].id = 'Thank-You';
            (steps[2].branches as Array<{ next: string }>)[0].next = 'Thank-You';
          }),
        ),
      ).toStrictEqual(['steps[3].id']);
    });

    it('should refuse a step id used twice', () => {
      const issue = onlyIssue(
        script((steps) => {
          steps[4].id = 'thanks';
          steps[2].branches = [];
          steps[2].next = 'thanks';
        }),
        'steps[4].id',
      );
      expect(issue.message).toBe('steps[4].id "thanks" is already the id of steps[3]');
    });

    it('should refuse a missing or unknown start step', () => {
      expect(refusedPaths({ ...script(), startStepId: undefined })).toStrictEqual(['startStepId']);
      const issue = onlyIssue({ ...script(), startStepId: 'hello' }, 'startStepId');
      expect(issue.message).toBe('startStepId must be the id of one of the steps (intro, pitch, pledge, thanks, close), got "hello"');
    });

    it('should refuse a next step that does not exist, naming it', () => {
      const issue = onlyIssue(
        script((steps) => {
          steps[0].next = 'pich';
        }),
        'steps[0].next',
      );
      expect(issue.message).toBe('steps[0].next names step "pich", which is not a step of this script');
      expect(
        refusedPaths(
          script((steps) => {
            steps[0].next = 7;
          }),
        ),
      ).toStrictEqual(['steps[0].next']);
    });

    it('should refuse a branch to a step that does not exist', () => {
      const issue = onlyIssue(
        script((steps) => {
          (steps[2].branches as Array<{ next: string }>)[0].next = 'thank_you';
        }),
        'steps[2].branches[0].next',
      );
      expect(issue.message).toContain('"thank_you"');
      expect(
        refusedPaths(
          script((steps) => {
            steps[2].branches = [{ answer: 'yes' }];
          }),
        ),
      ).toStrictEqual(['steps[2].branches[0].next']);
    });

    it('should refuse branches on a step that asks no question', () => {
      const issue = onlyIssue(
        script((steps) => {
          steps[0].branches = [{ answer: 'yes', next: 'pitch' }];
        }),
        'steps[0].branches',
      );
      expect(issue.message).toContain('step "intro" asks no question');
    });

    it('should refuse branches on a free text question', () => {
      const issue = onlyIssue(
        script((steps) => {
          steps[1].questionKey = 'comments';
          steps[1].branches = [{ answer: 'anything', next: 'close' }];
        }),
        'steps[1].branches',
      );
      expect(issue.message).toContain('question "comments" takes free text');
    });

    it("should refuse a branch answer that is not among the question's choices, listing them", () => {
      const issue = onlyIssue(
        script((steps) => {
          (steps[2].branches as Array<{ answer: string }>)[1].answer = 'perhaps';
        }),
        'steps[2].branches[1].answer',
      );
      expect(issue.message).toBe('steps[2].branches[1].answer "perhaps" is not an answer to question "pledge_to_call" (yes, maybe, no)');
      expect(
        refusedPaths(
          script((steps) => {
            steps[1].branches = [{ answer: '6', next: 'close' }];
          }),
        ),
      ).toStrictEqual(['steps[1].branches[0].answer']);
    });

    it('should refuse branches that are not a list, or more than a question has answers', () => {
      expect(refusedPaths(script((steps) => void (steps[2].branches = { yes: 'thanks' })))).toStrictEqual(['steps[2].branches']);
      const thirteen = Array.from({ length: 13 }, () => ({ answer: 'yes', next: 'thanks' }));
      expect(refusedPaths(script((steps) => void (steps[2].branches = thirteen)))).toStrictEqual(['steps[2].branches']);
    });

    it('should refuse two branches for the same answer', () => {
      expect(
        refusedPaths(
          script((steps) => {
            (steps[2].branches as unknown[]).push({ answer: 'yes', next: 'close' });
          }),
        ),
      ).toStrictEqual(['steps[2].branches[2].answer']);
    });

    it('should refuse an unknown question key, listing the known ones', () => {
      const issue = onlyIssue(
        script((steps) => {
          steps[1].questionKey = 'openness';
          steps[1].branches = [{ answer: 'whatever', next: 'close' }];
        }),
        'steps[1].questionKey',
      );
      expect(issue.message).toContain('(open_to_reform, families_get_ahead, pledge_to_call, comments)');
    });

    it('should refuse a values question the taxonomy no longer has', () => {
      const withoutFamilies = {
        ...CONTEXT,
        valuesQuestions: DEFAULT_TAXONOMY.valuesQuestions.filter((question) => question.key !== 'government_helps_families_get_ahead'),
      };
      const input = script((steps) => {
        steps[1].questionKey = 'families_get_ahead';
      });
      const [issue] = issuesOf(input, withoutFamilies);
      expect(issue).toStrictEqual({
        path: 'steps[1].questionKey',
        message:
          'steps[1].questionKey: question "families_get_ahead" asks values question "government_helps_families_get_ahead", which the alliance\'s taxonomy does not have',
      });
    });

    it('should refuse a variant for an unknown segment, or a second one for a segment', () => {
      const issue = onlyIssue(
        script((steps) => {
          steps[1].variants = [{ segmentKey: 'swing_voters', text: 'Hello.' }];
        }),
        'steps[1].variants[0].segmentKey',
      );
      expect(issue.message).toContain('(pro_tax_base, aspiring_poc, balanced_suburbans, other)');
      expect(
        refusedPaths(
          script((steps) => {
            steps[1].variants = [
              { segmentKey: 'aspiring_poc', text: 'One.' },
              { segmentKey: 'aspiring_poc', text: 'Two.' },
            ];
          }),
        ),
      ).toStrictEqual(['steps[1].variants[1].segmentKey']);
    });

    it('should refuse variants that are not a list, or more than there are segments', () => {
      expect(
        refusedPaths(
          script((steps) => {
            steps[1].variants = { pro_tax_base: 'Hello.' };
          }),
        ),
      ).toStrictEqual(['steps[1].variants']);
      const five = ['pro_tax_base', 'aspiring_poc', 'balanced_suburbans', 'other', 'other'].map((segmentKey) => ({ segmentKey, text: 'Hi.' }));
      expect(
        refusedPaths(
          script((steps) => {
            steps[1].variants = five;
          }),
        ),
      ).toStrictEqual(['steps[1].variants']);
    });

    it('should refuse an unknown merge field, naming the step and the field', () => {
      const issue = onlyIssue(
        script((steps) => {
          steps[0].text = 'Hi {voter.nickname}!';
        }),
        'steps[0].text',
      );
      expect(issue.message).toMatch(/^steps\[0\]\.text \(step "intro"\) uses \{voter\.nickname\}, which is not a merge field/);
    });

    it('should check merge fields in titles and variant texts too', () => {
      expect(
        refusedPaths(
          script((steps) => {
            steps[0].title = 'Intro for {voter.name}';
            steps[1].variants = [{ segmentKey: 'pro_tax_base', text: 'Hi {voter.first}' }];
          }),
        ),
      ).toStrictEqual(['steps[0].title', 'steps[1].variants[0].text']);
      const [issue] = issuesOf(
        script((steps) => {
          steps[1].variants = [{ segmentKey: 'pro_tax_base', text: 'Hi {voter.first}' }];
        }),
      );
      expect(issue.message).toContain('(step "pitch", variant "pro_tax_base")');
    });

    it('should refuse a stray brace', () => {
      expect(
        onlyIssue(
          script((steps) => void (steps[3].text = 'Thanks { see you')),
          'steps[3].text',
        ).message,
      ).toContain('not closed');
      expect(
        onlyIssue(
          script((steps) => void (steps[3].text = 'Thanks :}')),
          'steps[3].text',
        ).message,
      ).toContain('closes no merge field');
    });

    it(`should refuse a text over ${MAX_STEP_TEXT_LENGTH} characters, an empty text and a long title`, () => {
      const issue = onlyIssue(
        script((steps) => {
          steps[0].text = 'a'.repeat(MAX_STEP_TEXT_LENGTH + 1);
        }),
        'steps[0].text',
      );
      expect(issue.message).toBe('steps[0].text must be text of 1 to 2000 characters (it has 2001)');
      expect(refusedPaths(script((steps) => void (steps[0].text = '   ')))).toStrictEqual(['steps[0].text']);
      expect(refusedPaths(script((steps) => void (steps[0].title = 'a'.repeat(101))))).toStrictEqual(['steps[0].title']);
      expect(
        refusedPaths(
          script((steps) => {
            steps[1].variants = [{ segmentKey: 'pro_tax_base', text: 'a'.repeat(MAX_STEP_TEXT_LENGTH + 1) }];
          }),
        ),
      ).toStrictEqual(['steps[1].variants[0].text']);
    });

    it('should refuse a step that cannot be reached from the start', () => {
      const issue = onlyIssue(
        script((steps) => {
          steps[2].branches = [{ answer: 'no', next: 'close' }];
        }),
        'steps[3]',
      );
      expect(issue.message).toBe('steps[3] (step "thanks") cannot be reached from the start step "intro"');
    });

    it('should refuse a loop that can never be left', () => {
      const input = {
        startStepId: 'intro',
        steps: [
          { id: 'intro', title: 'Intro', text: 'Hi.', next: 'pitch' },
          { id: 'pitch', title: 'Pitch', text: 'Our schools.', questionKey: 'pledge_to_call', branches: [{ answer: 'yes', next: 'again' }], next: 'intro' },
          { id: 'again', title: 'Again', text: 'Once more.', next: 'pitch' },
        ],
      };
      const issues = issuesOf(input);
      expect(issues.map((issue) => issue.path)).toStrictEqual(['steps[0]', 'steps[1]', 'steps[2]']);
      expect(issues[1].message).toContain('step "pitch") is in a loop with no way out');
    });

    it('should report a misspelt step once, not again as unreachable', () => {
      expect(
        refusedPaths(
          script((steps) => {
            steps[2].branches = [{ answer: 'yes', next: 'thnaks' }];
          }),
        ),
      ).toStrictEqual(['steps[2].branches[0].next']);
    });

    it('should list every problem at once, and count them in the message', () => {
      const input = script((steps) => {
        steps[0].next = 'pich';
        steps[1].variants = [{ segmentKey: 'swing', text: 'Hi.' }];
        steps[3].text = 'Thanks {voter.nickname}';
      });
      const error = (() => {
        try {
          parseCallScript(input, CONTEXT);
        } catch (caught) {
          return caught as DomainException;
        }
        throw new Error('expected a refusal');
      })();
      expect(error.message).toMatch(/^The call script has 3 problems: steps\[1\]\.variants\[0\]\.segmentKey must be/);
      expect((error.details.issues as ValidationIssue[]).map((issue) => issue.path)).toStrictEqual([
        'steps[1].variants[0].segmentKey',
        'steps[3].text',
        'steps[0].next',
      ]);
    });

    it('should cut a long list of problems short in the message but keep all of them in the details', () => {
      const input = chain(8);
      for (const step of input.steps) step.text = '{nope}';
      const error = (() => {
        try {
          parseCallScript(input, CONTEXT);
        } catch (caught) {
          return caught as DomainException;
        }
        throw new Error('expected a refusal');
      })();
      expect(error.message).toMatch(/; and 3 more$/);
      expect(error.details.issues).toHaveLength(8);
    });
  });
});
