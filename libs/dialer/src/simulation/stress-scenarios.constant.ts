import type { SimulationParameters } from './simulation-parameters';

export type StressScenario = (parameters: SimulationParameters) => SimulationParameters;

function lineTypeSplit(clicksPerSecond: number): StressScenario {
  return (parameters) => ({
    ...parameters,
    leads: { ...parameters.leads, lineTypes: { landline: 0.4, mobile: 0.6, unknown: 0 }, consentedShare: 0 },
    clickers: { clicksPerSecond, approvedPerVolunteer: 2 },
  });
}

/**
 * The stress cases of §5.7 as named overrides of a parameter set; they compose left to right
 * (`applyScenarios(PARAMETER_SETS.M20, ['amd-error', 'carrier-latency'])`). Small-N cold start needs no
 * scenario: every run starts with empty statistics.
 */
export const STRESS_SCENARIOS = {
  /** p_h ramps linearly from +50% at the start of each shift to −50% at its end (no-answers absorb the change). */
  'answer-rate-drift': (parameters) => ({ ...parameters, drift: { shape: 'ramp', from: 1.5, to: 0.5 } }),
  /** p_h is +50% for the first half of each shift, then drops at once to −50%. */
  'answer-rate-step': (parameters) => ({ ...parameters, drift: { shape: 'step', from: 1.5, to: 0.5 } }),
  /** Staggered logins over 30 min, one 5–15 min break each, a quarter of the bank leaving early with lines in flight. */
  'volunteer-churn': (parameters) => ({
    ...parameters,
    churn: { loginSpreadMinutes: 30, breakWindow: [0.25, 0.75], breakMinutes: { min: 5, max: 15 }, earlyLogoutShare: 0.25, logoutWindow: [0.5, 0.95] },
  }),
  'amd-error': (parameters) => ({ ...parameters, amd: { ...parameters.amd, humanMisclassified: 0.05, machineMisclassified: 0.05 } }),
  'async-amd': (parameters) => ({ ...parameters, amd: { ...parameters.amd, mode: 'async' } }),
  /** The carrier's default of one call per second (the queueing knob, separate from webhook latency). */
  'carrier-cps-1': (parameters) => ({ ...parameters, callsPerSecond: 1 }),
  /** Status callbacks reach the dialer after a log-normal delay (median 0.25 s, p99 2 s); 1 in 1,000 is lost and retried 5 s later. */
  'carrier-latency': (parameters) => ({ ...parameters, webhook: { medianSeconds: 0.25, p99Seconds: 2, lostCallbackRate: 0.001, retrySeconds: 5 } }),
  /** 60% of leads are mobile: only clickers (1 click/s) or a volunteer's own action may start them. */
  'line-type-split': lineTypeSplit(1),
  'line-type-split-slow-clickers': lineTypeSplit(0.5),
  'line-type-split-fast-clickers': lineTypeSplit(2),
  /** 20 shifts in a row; the 11th runs hot (p_h × 1.5, unannounced) so the 30-day record has to absorb it. */
  'thirty-day-accounting': (parameters) => ({ ...parameters, shifts: 20, hotShift: { shiftIndex: 10, humanRateMultiplier: 1.5 } }),
} satisfies Record<string, StressScenario>;

export type StressScenarioName = keyof typeof STRESS_SCENARIOS;
export const STRESS_SCENARIO_NAMES = Object.keys(STRESS_SCENARIOS) as StressScenarioName[];

export function isStressScenarioName(name: string): name is StressScenarioName {
  return Object.prototype.hasOwnProperty.call(STRESS_SCENARIOS, name);
}

export function applyScenarios(parameters: SimulationParameters, names: readonly StressScenarioName[]): SimulationParameters {
  return names.reduce<SimulationParameters>((current, name) => STRESS_SCENARIOS[name](current), parameters);
}
