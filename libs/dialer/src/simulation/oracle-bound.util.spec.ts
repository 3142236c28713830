import { oracleBound } from './oracle-bound.util';
import { PARAMETER_SETS } from './parameter-sets.constant';
import { applyScenarios } from './stress-scenarios.constant';

describe('oracleBound', () => {
  it('is 3600 / E[H] for the three sets (§5.6: 20.0, 48.0, 65.5)', () => {
    expect(oracleBound(PARAMETER_SETS.S5).bound).toBeCloseTo(20, 6);
    expect(oracleBound(PARAMETER_SETS.M20).bound).toBeCloseTo(48, 6);
    expect(oracleBound(PARAMETER_SETS.L100).bound).toBeCloseTo(65.45, 2);
  });

  it('is capped by calls per second (§5.6 at CPS 1: 144 not binding, 21.6 and 2.9 binding)', () => {
    const atOneCps = (name: 'S5' | 'M20' | 'L100') => oracleBound({ ...PARAMETER_SETS[name], callsPerSecond: 1 });
    expect(atOneCps('S5').callsPerSecondCap).toBeCloseTo(144, 6);
    expect(atOneCps('S5').bound).toBeCloseTo(20, 6);
    expect(atOneCps('M20').bound).toBeCloseTo(21.6, 6);
    expect(atOneCps('L100').bound).toBeCloseTo(2.88, 6);
  });

  it('is capped by lines (Little’s law) and by a finite list', () => {
    const fewLines = oracleBound({ ...PARAMETER_SETS.L100, settings: { ...PARAMETER_SETS.L100.settings, maxLinesPerVolunteer: 2 } });
    expect(fewLines.bound).toBe(fewLines.lineCap);
    expect(fewLines.lineCap).toBeLessThan(40);
    // 10,000 leads × 0.2 humans over 5 volunteers × 3 h.
    expect(oracleBound({ ...PARAMETER_SETS.S5, leads: { ...PARAMETER_SETS.S5.leads, count: 1000 } }).leadCap).toBeCloseTo(13.33, 2);
  });

  it('is capped by clickers when mobile leads can only be dialed through them', () => {
    const allMobile = {
      ...PARAMETER_SETS.L100,
      leads: { ...PARAMETER_SETS.L100.leads, lineTypes: { landline: 0, mobile: 1, unknown: 0 } },
      clickers: { clicksPerSecond: 1, approvedPerVolunteer: 2 },
    };
    expect(oracleBound(allMobile).bound).toBeCloseTo((3600 * 1 * 0.08) / 100, 6);
    // With unlimited landlines beside them, clickers cap nothing.
    expect(oracleBound(applyScenarios(PARAMETER_SETS.L100, ['line-type-split'])).clickerCap).toBe(Infinity);
  });
});
