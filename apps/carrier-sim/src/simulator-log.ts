import { maskPhoneNumbersInJson } from '@app/observability/personal-data-masking.util';

export type SimulatorLogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface SimulatorLogEntry {
  readonly level: SimulatorLogLevel;
  readonly message: string;
  readonly [field: string]: unknown;
}

/** Where the simulator reports; entries carry SIDs and statuses, never phone numbers. */
export type SimulatorLog = (entry: SimulatorLogEntry) => void;

const SEVERITY = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;
export type SimulatorLogThreshold = (typeof SEVERITY)[number];

/**
 * One JSON line per entry (`{"level","time","service","message",…}`), entries below `minimumLevel`
 * dropped. Lines pass the same phone-number mask as the other services' logs before they leave.
 */
export function jsonLineLog(minimumLevel: SimulatorLogThreshold = 'info', write: (line: string) => void = (line) => process.stdout.write(line)): SimulatorLog {
  const threshold = SEVERITY.indexOf(minimumLevel);
  return (entry) => {
    if (SEVERITY.indexOf(entry.level) < threshold) return;
    const { level, message, ...fields } = entry;
    write(`${maskPhoneNumbersInJson(JSON.stringify({ level, time: new Date().toISOString(), service: 'carrier-sim', message, ...fields }))}\n`);
  };
}

export const SILENT_LOG: SimulatorLog = () => undefined;
