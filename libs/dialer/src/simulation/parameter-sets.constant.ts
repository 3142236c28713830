import { DEFAULT_PACING_SETTINGS } from '../pacing/pacing-defaults.constant';
import type { SimulationParameters } from './simulation-parameters';

export type ParameterSetName = 'S5' | 'M20' | 'L100';
export const PARAMETER_SET_NAMES: readonly ParameterSetName[] = ['S5', 'M20', 'L100'];

/** What §5.3 of the dialer-pacing reference fixes for every set; a set overrides the bank's own figures. */
const MODEL_DEFAULTS: Omit<SimulationParameters, 'volunteers' | 'outcomes' | 'talk' | 'wrapUp' | 'callsPerSecond' | 'hours'> = {
  seed: 1,
  mode: 'predictive',
  warmUpMinutes: 15,
  shifts: 1,
  shiftStartLocalHour: 16,
  tickMs: 1000,
  decideOnEvents: true,
  decisionDebounceMs: 250,
  ringTimeoutSeconds: 20,
  humanRing: { mean: 10, sd: 5 },
  machineRing: { mean: 15, sd: 6 },
  failSeconds: { min: 3, max: 6 },
  greetingSeconds: { min: 0.5, max: 1.5 },
  amd: { mode: 'sync', humanEndSeconds: 1.2, machineSeconds: 3.5, humanMisclassified: 0, machineMisclassified: 0 },
  bridgeSeconds: 0.3,
  misroutedMachineSeconds: 5,
  settings: DEFAULT_PACING_SETTINGS,
  leads: { count: null, zones: [{ utcOffsetHours: 0, share: 1 }], lineTypes: { landline: 1, mobile: 0, unknown: 0 }, consentedShare: 0 },
  clickers: null,
  drift: null,
  churn: null,
  webhook: null,
  hotShift: null,
  faults: {},
};

/** The three banks of §5.6 (the table there, exactly). */
export const PARAMETER_SETS: Readonly<Record<ParameterSetName, SimulationParameters>> = {
  S5: {
    ...MODEL_DEFAULTS,
    volunteers: 5,
    outcomes: { human: 0.2, machine: 0.2, failed: 0.1 },
    talk: { mean: 150, sd: 90 },
    wrapUp: { mean: 30, sd: 15 },
    callsPerSecond: 1,
    hours: 3,
  },
  M20: {
    ...MODEL_DEFAULTS,
    volunteers: 20,
    outcomes: { human: 0.12, machine: 0.25, failed: 0.15 },
    talk: { mean: 60, sd: 45 },
    wrapUp: { mean: 15, sd: 10 },
    callsPerSecond: 5,
    hours: 3,
  },
  L100: {
    ...MODEL_DEFAULTS,
    volunteers: 100,
    outcomes: { human: 0.08, machine: 0.3, failed: 0.15 },
    talk: { mean: 45, sd: 30 },
    wrapUp: { mean: 10, sd: 5 },
    callsPerSecond: 30,
    hours: 4,
  },
};
