import { equalPartSizes, type PrecinctGroup, splitPrecincts } from './precinct-split.util';

const groups = (sizes: readonly number[]): PrecinctGroup[] => sizes.map((voters, index) => ({ county: 'WAKE', precinct: `P${index}`, voters }));
const partSizes = (sizes: readonly number[], parts: number): number[] => {
  const assignment = splitPrecincts(groups(sizes), parts);
  const totals = new Array<number>(parts).fill(0);
  assignment.forEach((part, index) => (totals[part] += sizes[index]));
  return totals;
};

describe('splitPrecincts', () => {
  it('should keep precincts whole, in order, and balance the parts', () => {
    const assignment = splitPrecincts(groups([100, 100, 100, 100, 100, 100]), 3);
    expect(assignment).toEqual([0, 0, 1, 1, 2, 2]);
  });

  it('should give every part at least one precinct, even when one precinct dwarfs the rest', () => {
    const assignment = splitPrecincts(groups([10_000, 5, 5, 5]), 4);
    expect(assignment).toEqual([0, 1, 2, 3]);
  });

  it('should end a part where the running total comes nearest its share', () => {
    expect(splitPrecincts(groups([1, 1, 100, 100]), 2)).toEqual([0, 0, 0, 1]);
    expect(splitPrecincts(groups([100, 1, 1, 100]), 2)).toEqual([0, 0, 1, 1]);
  });

  it('should never go back to an earlier part (runs stay contiguous) and use every part', () => {
    const sizes = Array.from({ length: 300 }, (_, index) => 50 + ((index * 7919) % 400));
    const assignment = splitPrecincts(groups(sizes), 27);
    for (let index = 1; index < assignment.length; index += 1) expect(assignment[index] - assignment[index - 1]).toBeGreaterThanOrEqual(0);
    expect(new Set(assignment).size).toBe(27);
    const totals = partSizes(sizes, 27);
    const share = sizes.reduce((a, b) => a + b, 0) / 27;
    // Each part is within one precinct (at most 449 voters) of its share.
    for (const total of totals) expect(Math.abs(total - share)).toBeLessThan(450);
  });

  it('should refuse more parts than precincts', () => {
    expect(() => splitPrecincts(groups([1, 2]), 3)).toThrow('2 precincts cannot make 3 parts');
  });
});

describe('equalPartSizes', () => {
  it('should differ by at most one and add up to the total', () => {
    expect(equalPartSizes(10, 3)).toEqual([4, 3, 3]);
    expect(equalPartSizes(1_000_003, 27).reduce((a, b) => a + b, 0)).toBe(1_000_003);
  });
});
