import { burnUp, type DailyReach, projectToTarget } from './burn-up.projection';

const days = (first: string, counts: readonly number[]): DailyReach[] =>
  counts.map((newlyReached, index) => ({ day: new Date(Date.parse(`${first}T00:00:00Z`) + index * 86_400_000).toISOString().slice(0, 10), newlyReached }));

describe('burn-up', () => {
  it('should fill quiet days, sum days given twice, and stop at the day asked for', () => {
    expect(
      burnUp(
        [
          { day: '2026-11-03', newlyReached: 20 },
          { day: '2026-11-01', newlyReached: 10 },
          { day: '2026-11-03', newlyReached: 5 },
          { day: '2026-11-09', newlyReached: 99 },
        ],
        '2026-11-04',
      ),
    ).toEqual([
      { day: '2026-11-01', newlyReached: 10, reached: 10 },
      { day: '2026-11-02', newlyReached: 0, reached: 10 },
      { day: '2026-11-03', newlyReached: 25, reached: 35 },
      { day: '2026-11-04', newlyReached: 0, reached: 35 },
    ]);
    expect(burnUp([], '2026-11-04')).toEqual([]);
  });

  it('should refuse a day that is not one, naming it', () => {
    expect(() => burnUp([{ day: '2026-13-01', newlyReached: 1 }], '2026-11-04')).toThrow('not a day (YYYY-MM-DD): "2026-13-01"');
    expect(() => burnUp([], '11/04/2026')).toThrow('"11/04/2026"');
  });
});

describe('projection to the target', () => {
  it('should project the last 14 days’ pace to the target date and say when it gets there', () => {
    // 100 a day for 20 days, then 300 today: the last 14 days are 13 × 100 + 300 = 1,600, 114.29 a day.
    const projection = projectToTarget({
      daily: days('2026-11-01', [...Array(20).fill(100), 300]),
      today: '2026-11-21',
      target: 5000,
      targetDate: '2026-12-31',
    });
    expect(projection.reached).toBe(2300);
    expect(projection.windowDays).toBe(14);
    expect(projection.recentPerDay).toBeCloseTo(1600 / 14, 10);
    // 40 days left: 2,300 + 40 × 114.29 = 6,871; the 2,700 missing take ceil(23.6) = 24 days.
    expect(projection.projectedAtTargetDate).toBe(6871);
    expect(projection.projectedReachDate).toBe('2026-12-15');
    expect(projection.requiredPerDay).toBe(67.5);
    expect(projection.onTrack).toBe(true);
  });

  it('should measure a campaign younger than the window over the days it has run', () => {
    const projection = projectToTarget({ daily: days('2026-11-01', [50, 0, 40]), today: '2026-11-03', target: 1000, targetDate: '2026-11-13' });
    expect(projection).toMatchObject({ reached: 90, windowDays: 3, recentPerDay: 30, projectedAtTargetDate: 390, onTrack: false, requiredPerDay: 91 });
    // 910 missing at 30 a day: 31 days after today.
    expect(projection.projectedReachDate).toBe('2026-12-04');
  });

  it('should give the day a reached target was reached, and need nothing more', () => {
    const projection = projectToTarget({ daily: days('2026-11-01', [60, 60]), today: '2026-11-05', target: 100, targetDate: '2026-12-31' });
    expect(projection).toMatchObject({ reached: 120, projectedReachDate: '2026-11-02', requiredPerDay: 0, onTrack: true });
  });

  it('should give no date at a pace of zero, and no daily need once the target date has passed', () => {
    expect(projectToTarget({ daily: [], today: '2026-11-05', target: 500_000, targetDate: '2026-12-31' })).toEqual({
      reached: 0,
      target: 500_000,
      targetDate: '2026-12-31',
      recentPerDay: 0,
      windowDays: 0,
      projectedAtTargetDate: 0,
      projectedReachDate: null,
      requiredPerDay: 500_000 / 56,
      onTrack: false,
    });
    const late = projectToTarget({ daily: days('2026-12-20', [10, 10]), today: '2027-01-05', target: 100, targetDate: '2026-12-31' });
    expect(late).toMatchObject({ reached: 20, projectedAtTargetDate: 20, requiredPerDay: null, onTrack: false });
  });

  it('should refuse a window that is not a whole number of days', () => {
    expect(() => projectToTarget({ daily: [], today: '2026-11-05', target: 1, targetDate: '2026-12-31', windowDays: 0 })).toThrow('windowDays');
  });
});
