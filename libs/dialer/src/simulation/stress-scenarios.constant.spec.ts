import { PARAMETER_SETS } from './parameter-sets.constant';
import { applyScenarios, isStressScenarioName, STRESS_SCENARIO_NAMES } from './stress-scenarios.constant';

describe('stress scenarios', () => {
  it('compose left to right without touching the base set', () => {
    const base = PARAMETER_SETS.M20;
    const stressed = applyScenarios(base, ['amd-error', 'async-amd', 'carrier-cps-1', 'thirty-day-accounting']);
    expect(stressed.amd).toMatchObject({ mode: 'async', humanMisclassified: 0.05, machineMisclassified: 0.05 });
    expect(stressed.callsPerSecond).toBe(1);
    expect(stressed.shifts).toBe(20);
    expect(base.amd.mode).toBe('sync');
    expect(base.callsPerSecond).toBe(5);
  });

  it('route 60% of leads to clickers at 0.5, 1 and 2 clicks per second', () => {
    const rates = ['line-type-split-slow-clickers', 'line-type-split', 'line-type-split-fast-clickers'].map((name) => {
      if (!isStressScenarioName(name)) throw new Error(name);
      const parameters = applyScenarios(PARAMETER_SETS.L100, [name]);
      expect(parameters.leads.lineTypes.mobile).toBe(0.6);
      return parameters.clickers?.clicksPerSecond;
    });
    expect(rates).toEqual([0.5, 1, 2]);
  });

  it('name every §5.7 case', () => {
    expect(STRESS_SCENARIO_NAMES).toEqual(
      expect.arrayContaining([
        'answer-rate-drift',
        'volunteer-churn',
        'amd-error',
        'async-amd',
        'carrier-cps-1',
        'carrier-latency',
        'line-type-split',
        'thirty-day-accounting',
      ]),
    );
    expect(isStressScenarioName('no-such-scenario')).toBe(false);
  });
});
