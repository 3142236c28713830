import { DomainErrorCode, DomainException } from '@app/common';
import { DEFAULT_TAXONOMY } from './default-taxonomy.constant';
import { MAX_SEGMENTS, parseSegmentTaxonomy } from './segment-taxonomy.parser';

interface AnswerBody {
  key: unknown;
  label: unknown;
  likelihoods: unknown;
}

interface QuestionBody {
  key: unknown;
  prompt: unknown;
  answers: AnswerBody[];
}

interface SegmentBody {
  key: unknown;
  name: unknown;
  description?: unknown;
  colour: unknown;
}

interface TaxonomyBody {
  segments: SegmentBody[];
  valuesQuestions?: QuestionBody[];
}

/** A fresh, mutable copy of the default taxonomy, so each test spoils exactly one thing. */
function defaultBody(): TaxonomyBody {
  return JSON.parse(JSON.stringify(DEFAULT_TAXONOMY)) as TaxonomyBody;
}

function bodyWith(change: (body: TaxonomyBody) => void): TaxonomyBody {
  const body = defaultBody();
  change(body);
  return body;
}

function segment(key: string): SegmentBody {
  return { key, name: `Segment ${key}`, description: '', colour: '#123abc' };
}

function refusal(body: unknown): DomainException {
  try {
    parseSegmentTaxonomy(body);
  } catch (error) {
    if (error instanceof DomainException) return error;
    throw error;
  }
  throw new Error(`expected ${JSON.stringify(body)} to be refused`);
}

function refusedField(body: unknown): unknown {
  const error = refusal(body);
  expect(error.code).toBe(DomainErrorCode.ValidationFailed);
  return error.details.field;
}

function likelihoodsOf(body: TaxonomyBody, question: number, answer: number): Record<string, unknown> {
  return body.valuesQuestions![question].answers[answer].likelihoods as Record<string, unknown>;
}

describe('parseSegmentTaxonomy', () => {
  describe('accepting', () => {
    it('should accept the default taxonomy unchanged', () => {
      expect(parseSegmentTaxonomy(defaultBody())).toEqual(DEFAULT_TAXONOMY);
    });

    it('should accept the smallest and the largest number of segments', () => {
      const two = parseSegmentTaxonomy({ segments: [segment('first'), segment('second')] });
      expect(two.segments.map((each) => each.key)).toEqual(['first', 'second']);

      const largest = Array.from({ length: MAX_SEGMENTS }, (_, index) => segment(`segment_${index}`));
      expect(parseSegmentTaxonomy({ segments: largest }).segments).toHaveLength(12);
    });

    it('should read a taxonomy without values questions as having none', () => {
      expect(parseSegmentTaxonomy({ segments: [segment('first'), segment('second')] }).valuesQuestions).toEqual([]);
    });

    it('should read a missing description as empty', () => {
      const parsed = parseSegmentTaxonomy({
        segments: [
          { key: 'first', name: 'First', colour: '#000000' },
          { key: 'second', name: 'Second', colour: '#ffffff' },
        ],
      });
      expect(parsed.segments.map((each) => each.description)).toEqual(['', '']);
    });

    it('should lower-case colours', () => {
      const parsed = parseSegmentTaxonomy(
        bodyWith((body) => {
          body.segments[0].colour = '#2E7D32';
          body.segments[1].colour = '#Ef6C0A';
        }),
      );
      expect(parsed.segments[0].colour).toBe('#2e7d32');
      expect(parsed.segments[1].colour).toBe('#ef6c0a');
    });

    it('should trim names, descriptions, prompts and labels', () => {
      const parsed = parseSegmentTaxonomy(
        bodyWith((body) => {
          body.segments[0].name = '  Pro-Tax Base \t';
          body.segments[0].description = '\n Already supports reform.  ';
          body.valuesQuestions![0].prompt = '   Should the wealthiest pay more?  ';
          body.valuesQuestions![0].answers[0].label = ' Yes ';
        }),
      );
      expect(parsed.segments[0].name).toBe('Pro-Tax Base');
      expect(parsed.segments[0].description).toBe('Already supports reform.');
      expect(parsed.valuesQuestions[0].prompt).toBe('Should the wealthiest pay more?');
      expect(parsed.valuesQuestions[0].answers[0].label).toBe('Yes');
    });

    it('should accept likelihoods of exactly 0 and exactly 1', () => {
      const parsed = parseSegmentTaxonomy(
        bodyWith((body) => {
          likelihoodsOf(body, 0, 0).pro_tax_base = 1;
          likelihoodsOf(body, 0, 1).pro_tax_base = 0;
          likelihoodsOf(body, 0, 2).pro_tax_base = 0;
        }),
      );
      expect(parsed.valuesQuestions[0].answers.map((answer) => answer.likelihoods.pro_tax_base)).toEqual([1, 0, 0]);
    });

    it('should accept an answer that leaves a segment out, which counts as uninformative', () => {
      const parsed = parseSegmentTaxonomy(
        bodyWith((body) => {
          for (const answer of body.valuesQuestions![2].answers) delete (answer.likelihoods as Record<string, unknown>).other;
        }),
      );
      expect(parsed.valuesQuestions[2].answers.every((answer) => !('other' in answer.likelihoods))).toBe(true);
    });

    it('should accept a segment with likelihood 0 for some answers as long as one answer is possible', () => {
      const parsed = parseSegmentTaxonomy(
        bodyWith((body) => {
          likelihoodsOf(body, 0, 0).balanced_suburbans = 0;
          likelihoodsOf(body, 0, 1).balanced_suburbans = 0;
        }),
      );
      expect(parsed.valuesQuestions[0].answers[2].likelihoods.balanced_suburbans).toBe(0.35);
    });

    it('should accept keys of exactly 40 characters', () => {
      const longest = `k${'x'.repeat(39)}`;
      const parsed = parseSegmentTaxonomy({ segments: [segment(longest), segment('second')] });
      expect(parsed.segments[0].key).toBe(longest);
    });
  });

  describe('refusing', () => {
    it('should refuse a body that is not an object', () => {
      expect(refusedField(null)).toBe('taxonomy');
      expect(refusedField([])).toBe('taxonomy');
      expect(refusedField('segments')).toBe('taxonomy');
    });

    it('should refuse fewer than 2 segments', () => {
      expect(refusedField({ segments: [segment('only')] })).toBe('segments');
      expect(refusedField({ segments: [] })).toBe('segments');
    });

    it('should refuse more than 12 segments', () => {
      const thirteen = Array.from({ length: 13 }, (_, index) => segment(`segment_${index}`));
      expect(refusedField({ segments: thirteen })).toBe('segments');
    });

    it('should refuse segments that are not a list', () => {
      expect(refusedField({ segments: { first: segment('first') } })).toBe('segments');
      expect(refusedField({})).toBe('segments');
    });

    it('should refuse a segment that is not an object', () => {
      expect(refusedField({ segments: [segment('first'), 'second'] })).toBe('segments[1]');
    });

    it('should refuse a segment key with upper-case letters', () => {
      expect(refusedField(bodyWith((body) => (body.segments[0].key = 'Pro_tax_base')))).toBe('segments[0].key');
    });

    it('should refuse a segment key starting with a digit', () => {
      expect(refusedField(bodyWith((body) => (body.segments[1].key = '2nd_segment')))).toBe('segments[1].key');
    });

    it('should refuse a segment key longer than 40 characters', () => {
      expect(refusedField(bodyWith((body) => (body.segments[2].key = `k${'x'.repeat(40)}`)))).toBe('segments[2].key');
    });

    it('should refuse a segment key with characters other than letters, digits and underscores', () => {
      expect(refusedField(bodyWith((body) => (body.segments[3].key = 'everyone-else')))).toBe('segments[3].key');
      expect(refusedField(bodyWith((body) => (body.segments[3].key = '')))).toBe('segments[3].key');
      expect(refusedField(bodyWith((body) => (body.segments[3].key = 7)))).toBe('segments[3].key');
    });

    it('should refuse a segment key used twice, naming the second use', () => {
      const error = refusal(bodyWith((body) => (body.segments[2].key = 'aspiring_poc')));
      expect(error.details.field).toBe('segments[2].key');
      expect(error.message).toContain('aspiring_poc');
    });

    it('should refuse a colour that is not #rrggbb', () => {
      for (const colour of ['red', '#fff', '#12345', '#1234567', '#12345g', '1565c0', '', null]) {
        expect(refusedField(bodyWith((body) => (body.segments[1].colour = colour)))).toBe('segments[1].colour');
      }
    });

    it('should refuse an empty or blank name', () => {
      expect(refusedField(bodyWith((body) => (body.segments[0].name = '')))).toBe('segments[0].name');
      expect(refusedField(bodyWith((body) => (body.segments[0].name = '   ')))).toBe('segments[0].name');
      expect(refusedField(bodyWith((body) => delete body.segments[0].name))).toBe('segments[0].name');
    });

    it('should refuse a name longer than 100 characters', () => {
      expect(refusedField(bodyWith((body) => (body.segments[3].name = 'n'.repeat(101))))).toBe('segments[3].name');
    });

    it('should refuse a description longer than 1000 characters', () => {
      expect(refusedField(bodyWith((body) => (body.segments[2].description = 'd'.repeat(1001))))).toBe('segments[2].description');
    });

    it('should refuse values questions that are not a list', () => {
      expect(refusedField({ segments: [segment('first'), segment('second')], valuesQuestions: 'none' })).toBe('valuesQuestions');
    });

    it('should refuse more than 50 values questions', () => {
      const body = defaultBody();
      const question = body.valuesQuestions![0];
      body.valuesQuestions = Array.from({ length: 51 }, (_, index) => ({ ...question, key: `question_${index}` }));
      expect(refusedField(body)).toBe('valuesQuestions');
    });

    it('should refuse likelihoods naming a segment the taxonomy does not have', () => {
      const error = refusal(bodyWith((body) => (likelihoodsOf(body, 0, 1).swing_voters = 0.5)));
      expect(error.details.field).toBe('valuesQuestions[0].answers[1].likelihoods.swing_voters');
      expect(error.message).toContain('swing_voters');
    });

    it('should refuse a likelihood above 1', () => {
      expect(refusedField(bodyWith((body) => (likelihoodsOf(body, 1, 2).other = 1.01)))).toBe('valuesQuestions[1].answers[2].likelihoods.other');
    });

    it('should refuse a likelihood below 0', () => {
      expect(refusedField(bodyWith((body) => (likelihoodsOf(body, 2, 0).aspiring_poc = -0.1)))).toBe('valuesQuestions[2].answers[0].likelihoods.aspiring_poc');
    });

    it('should refuse a likelihood that is not a finite number', () => {
      for (const likelihood of ['0.5', Number.NaN, Number.POSITIVE_INFINITY, null]) {
        expect(refusedField(bodyWith((body) => (likelihoodsOf(body, 0, 0).pro_tax_base = likelihood)))).toBe(
          'valuesQuestions[0].answers[0].likelihoods.pro_tax_base',
        );
      }
    });

    it('should refuse likelihoods that are not an object', () => {
      expect(refusedField(bodyWith((body) => (body.valuesQuestions![1].answers[0].likelihoods = [0.5, 0.5])))).toBe(
        'valuesQuestions[1].answers[0].likelihoods',
      );
    });

    it('should refuse a question whose answers all give 0 for one segment', () => {
      const error = refusal(
        bodyWith((body) => {
          for (const answer of body.valuesQuestions![1].answers) (answer.likelihoods as Record<string, unknown>).balanced_suburbans = 0;
        }),
      );
      expect(error.details.field).toBe('valuesQuestions[1].answers');
      expect(error.message).toContain('"balanced_suburbans"');
    });

    it('should accept a segment that one answer leaves out and every other answer gives 0', () => {
      const parsed = parseSegmentTaxonomy(
        bodyWith((body) => {
          likelihoodsOf(body, 2, 0).other = 0;
          delete likelihoodsOf(body, 2, 1).other;
        }),
      );
      expect(parsed.valuesQuestions[2].answers[0].likelihoods.other).toBe(0);
      expect(parsed.valuesQuestions[2].answers[1].likelihoods).not.toHaveProperty('other');
    });

    it('should refuse an answer key used twice in one question, naming the second use', () => {
      expect(refusedField(bodyWith((body) => (body.valuesQuestions![0].answers[2].key = 'yes')))).toBe('valuesQuestions[0].answers[2].key');
    });

    it('should accept the same answer key in two different questions', () => {
      const parsed = parseSegmentTaxonomy(bodyWith((body) => (body.valuesQuestions![1].answers[0].key = 'yes')));
      expect(parsed.valuesQuestions[1].answers[0].key).toBe('yes');
    });

    it('should refuse a question with fewer than 2 answers', () => {
      expect(refusedField(bodyWith((body) => body.valuesQuestions![2].answers.splice(1)))).toBe('valuesQuestions[2].answers');
      expect(refusedField(bodyWith((body) => (body.valuesQuestions![2].answers = [])))).toBe('valuesQuestions[2].answers');
    });

    it('should refuse a question with more than 10 answers', () => {
      const body = defaultBody();
      const answer = body.valuesQuestions![0].answers[0];
      body.valuesQuestions![0].answers = Array.from({ length: 11 }, (_, index) => ({ ...answer, key: `answer_${index}` }));
      expect(refusedField(body)).toBe('valuesQuestions[0].answers');
    });

    it('should refuse a bad answer key or an empty label', () => {
      expect(refusedField(bodyWith((body) => (body.valuesQuestions![0].answers[1].key = 'Not_sure')))).toBe('valuesQuestions[0].answers[1].key');
      expect(refusedField(bodyWith((body) => (body.valuesQuestions![0].answers[1].label = ' ')))).toBe('valuesQuestions[0].answers[1].label');
    });

    it('should refuse a bad question key, a question key used twice, or an empty prompt', () => {
      expect(refusedField(bodyWith((body) => (body.valuesQuestions![1].key = 'Government')))).toBe('valuesQuestions[1].key');
      expect(refusedField(bodyWith((body) => (body.valuesQuestions![2].key = 'fund_schools_by_taxing_wealth')))).toBe('valuesQuestions[2].key');
      expect(refusedField(bodyWith((body) => (body.valuesQuestions![0].prompt = '')))).toBe('valuesQuestions[0].prompt');
    });
  });
});
