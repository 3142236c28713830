import { bayesOptimalAccuracy, expectedAccuracy, holdoutIndexes, pollCsv, samplePoll, type VoterTruth } from './synthetic-values-poll.generator';
import { VALUES_SEGMENT_KEYS } from './values-truth.model';

/** A truth built by hand: voter i has the probabilities rows[i] and source id `V{i}`. */
function truthOf(rows: ReadonlyArray<readonly number[]>): VoterTruth {
  return {
    voterIds: BigInt64Array.from(rows.map((_row, index) => BigInt(1000 + index))),
    sourceVoterIds: rows.map((_row, index) => `V${index}`),
    segmentKeys: VALUES_SEGMENT_KEYS,
    probabilities: Float64Array.from(rows.flat()),
    referenceYear: 2026,
    countyUrbanicity: new Map(),
  };
}

const uniformTruth = (voters: number, row: readonly number[]) => truthOf(Array.from({ length: voters }, () => row));

/** Pearson's chi-square of observed against expected counts. */
function chiSquare(observed: readonly number[], expected: readonly number[]): number {
  return observed.reduce((sum, count, index) => sum + (count - expected[index]) ** 2 / expected[index], 0);
}

// The 0.999 quantiles of chi-square with 3 and 9 degrees of freedom: a correct sampler fails a
// given seed about once in a thousand, a wrong one (a shifted segment, a skewed pick) by far.
const CHI_SQUARE_3_DEGREES = 16.27;
const CHI_SQUARE_9_DEGREES = 27.88;

describe('samplePoll', () => {
  it('should draw the same poll for the same seed and a different one for another seed', () => {
    const truth = uniformTruth(500, [0.25, 0.25, 0.25, 0.25]);
    const first = samplePoll(truth, 100, 42);
    const again = samplePoll(truth, 100, 42);
    const other = samplePoll(truth, 100, 43);
    expect(again.rows).toEqual(first.rows);
    expect(Array.from(again.respondentIndexes)).toEqual(Array.from(first.respondentIndexes));
    expect(Array.from(other.respondentIndexes)).not.toEqual(Array.from(first.respondentIndexes));
  });

  it('should poll distinct voters, each row the voter at its respondent index', () => {
    const truth = uniformTruth(300, [0.1, 0.2, 0.3, 0.4]);
    const poll = samplePoll(truth, 300, 7);
    expect(poll.rows).toHaveLength(300);
    expect(new Set(poll.respondentIndexes).size).toBe(300);
    poll.rows.forEach((row, position) => expect(row.sourceVoterId).toBe(`V${poll.respondentIndexes[position]}`));
    expect(samplePoll(truth, 0, 7).rows).toEqual([]);
  });

  it('should pick every voter equally often across seeds', () => {
    const truth = uniformTruth(10, [1, 0, 0, 0]);
    const picked = new Array<number>(10).fill(0);
    const polls = 20_000;
    for (let seed = 0; seed < polls; seed += 1) for (const index of samplePoll(truth, 3, seed).respondentIndexes) picked[index] += 1;
    expect(chiSquare(picked, new Array<number>(10).fill((polls * 3) / 10))).toBeLessThan(CHI_SQUARE_9_DEGREES);
  });

  it('should draw segments with the voters’ probabilities over 100,000 respondents', () => {
    const probabilities = [0.1, 0.2, 0.3, 0.4];
    const poll = samplePoll(uniformTruth(100_000, probabilities), 100_000, 2026);
    const counts = VALUES_SEGMENT_KEYS.map((key) => poll.rows.filter((row) => row.segment === key).length);
    expect(
      chiSquare(
        counts,
        probabilities.map((share) => share * 100_000),
      ),
    ).toBeLessThan(CHI_SQUARE_3_DEGREES);
  });

  it('should draw each voter’s segment from that voter’s own probabilities', () => {
    // Half the voters are certain pro_tax_base, half split between the other three; a sampler
    // that ignored the index (or read the wrong row) would mix the halves.
    const rows = Array.from({ length: 100_000 }, (_row, index) => (index % 2 === 0 ? [1, 0, 0, 0] : [0, 0.5, 0.25, 0.25]));
    const poll = samplePoll(truthOf(rows), 100_000, 5);
    const evenVoters = poll.rows.filter((_row, position) => poll.respondentIndexes[position] % 2 === 0);
    const oddVoters = poll.rows.filter((_row, position) => poll.respondentIndexes[position] % 2 === 1);
    expect(evenVoters.every((row) => row.segment === 'pro_tax_base')).toBe(true);
    const oddCounts = ['aspiring_poc', 'balanced_suburbans', 'other'].map((key) => oddVoters.filter((row) => row.segment === key).length);
    expect(oddCounts.reduce((sum, count) => sum + count, 0)).toBe(oddVoters.length);
    const expected = [0.5, 0.25, 0.25].map((share) => share * oddVoters.length);
    // two degrees of freedom here; the three-degree bound is looser still
    expect(chiSquare(oddCounts, expected)).toBeLessThan(CHI_SQUARE_3_DEGREES);
  });

  it('should never draw a segment of probability 0, even when rounding leaves the probabilities short of 1', () => {
    // a tenth short, so a tenth of the draws fall past the end and must land on a possible segment
    const poll = samplePoll(uniformTruth(20_000, [0.3, 0.6, 0, 0]), 20_000, 11);
    expect(poll.rows.every((row) => row.segment === 'pro_tax_base' || row.segment === 'aspiring_poc')).toBe(true);
  });

  it('should refuse to poll more voters than there are, or a fractional number', () => {
    const truth = uniformTruth(5, [0.25, 0.25, 0.25, 0.25]);
    expect(() => samplePoll(truth, 6, 1)).toThrow(RangeError);
    expect(() => samplePoll(truth, -1, 1)).toThrow(RangeError);
    expect(() => samplePoll(truth, 2.5, 1)).toThrow(RangeError);
  });
});

describe('pollCsv', () => {
  it('should write a header and one line per row, quoting only fields that need it', () => {
    const csv = pollCsv([
      { sourceVoterId: 'AA000001', segment: 'pro_tax_base' },
      { sourceVoterId: 'has,comma', segment: 'other' },
      { sourceVoterId: 'say "hi"', segment: 'aspiring_poc' },
      { sourceVoterId: 'two\nlines', segment: 'balanced_suburbans' },
      { sourceVoterId: 'carriage\rreturn', segment: 'other' },
    ]);
    expect(csv).toBe(
      'voter_id,segment\n' +
        'AA000001,pro_tax_base\n' +
        '"has,comma",other\n' +
        '"say ""hi""",aspiring_poc\n' +
        '"two\nlines",balanced_suburbans\n' +
        '"carriage\rreturn",other\n',
    );
  });

  it('should write only the header for an empty poll', () => {
    expect(pollCsv([])).toBe('voter_id,segment\n');
  });
});

describe('bayesOptimalAccuracy and expectedAccuracy', () => {
  const truth = truthOf([
    [0.5, 0.3, 0.1, 0.1],
    [0.2, 0.2, 0.2, 0.4],
    [0.1, 0.6, 0.2, 0.1],
  ]);

  it('should average each given voter’s largest probability', () => {
    expect(bayesOptimalAccuracy(truth, Int32Array.from([0, 1]))).toBeCloseTo((0.5 + 0.4) / 2, 12);
    expect(bayesOptimalAccuracy(truth, Int32Array.from([2]))).toBeCloseTo(0.6, 12);
    // a voter listed twice counts twice
    expect(bayesOptimalAccuracy(truth, Int32Array.from([1, 1, 2]))).toBeCloseTo((0.4 + 0.4 + 0.6) / 3, 12);
  });

  it('should average the probability of each voter’s predicted segment', () => {
    const predictions = ['aspiring_poc', 'other', 'balanced_suburbans'];
    expect(expectedAccuracy(truth, Int32Array.from([0, 1, 2]), (index) => predictions[index])).toBeCloseTo((0.3 + 0.4 + 0.2) / 3, 12);
    expect(expectedAccuracy(truth, Int32Array.from([0, 1]), () => 'pro_tax_base')).toBeCloseTo((0.5 + 0.2) / 2, 12);
  });

  it('should equal the Bayes-optimal accuracy when every prediction is the most probable segment', () => {
    const best = ['pro_tax_base', 'other', 'aspiring_poc'];
    const all = Int32Array.from([0, 1, 2]);
    expect(expectedAccuracy(truth, all, (index) => best[index])).toBeCloseTo(bayesOptimalAccuracy(truth, all), 12);
  });

  it('should refuse unknown segments, no voters, and indexes outside the truth', () => {
    expect(() => expectedAccuracy(truth, Int32Array.from([0]), () => 'pro-tax-base')).toThrow(/not one of/);
    expect(() => bayesOptimalAccuracy(truth, new Int32Array(0))).toThrow(RangeError);
    expect(() => bayesOptimalAccuracy(truth, Int32Array.from([3]))).toThrow(RangeError);
    expect(() => expectedAccuracy(truth, Int32Array.from([-1]), () => 'other')).toThrow(RangeError);
  });
});

describe('holdoutIndexes', () => {
  const truth = uniformTruth(100, [0.25, 0.25, 0.25, 0.25]);
  const poll = Int32Array.from({ length: 40 }, (_value, index) => index * 2);

  it('should draw distinct voters outside the poll, in ascending order, the same for the same seed', () => {
    const holdout = holdoutIndexes(truth, poll, 30, 9);
    expect(holdout).toHaveLength(30);
    expect(new Set(holdout).size).toBe(30);
    const polled = new Set(poll);
    expect(Array.from(holdout).some((index) => polled.has(index))).toBe(false);
    expect(Array.from(holdout)).toEqual(Array.from(holdout).sort((left, right) => left - right));
    expect(Array.from(holdoutIndexes(truth, poll, 30, 9))).toEqual(Array.from(holdout));
    expect(Array.from(holdoutIndexes(truth, poll, 30, 10))).not.toEqual(Array.from(holdout));
  });

  it('should give every voter outside the poll when asked for at least as many as there are', () => {
    const expected = Array.from({ length: 100 }, (_value, index) => index).filter((index) => index % 2 === 1 || index >= 80);
    expect(Array.from(holdoutIndexes(truth, poll, 60, 1))).toEqual(expected);
    expect(Array.from(holdoutIndexes(truth, poll, 1000, 1))).toEqual(expected);
  });

  it('should pick the voters outside the poll equally often across seeds', () => {
    const picked = new Array<number>(100).fill(0);
    const draws = 2000;
    for (let seed = 0; seed < draws; seed += 1) for (const index of holdoutIndexes(truth, poll, 6, seed)) picked[index] += 1;
    const available = Array.from({ length: 100 }, (_value, index) => index).filter((index) => index % 2 === 1 || index >= 80);
    expect(picked.filter((_count, index) => !available.includes(index)).every((count) => count === 0)).toBe(true);
    const counts = available.map((index) => picked[index]);
    // 59 degrees of freedom: the 0.999 quantile is about 98.3
    expect(chiSquare(counts, new Array<number>(60).fill((draws * 6) / 60))).toBeLessThan(98.3);
  });

  it('should refuse a negative size and indexes outside the truth', () => {
    expect(() => holdoutIndexes(truth, poll, -1, 1)).toThrow(RangeError);
    expect(() => holdoutIndexes(truth, Int32Array.from([100]), 5, 1)).toThrow(RangeError);
  });
});
