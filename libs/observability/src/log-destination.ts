import { maskPhoneNumbersInJson } from './personal-data-masking.util';

/** Where JSON log lines go; tests swap it for one that records lines. */
export abstract class LogDestination {
  abstract write(line: string): void;
}

export class StdoutLogDestination extends LogDestination {
  write(line: string): void {
    process.stdout.write(line);
  }
}

/** Command-line tools keep stdout for their own output (a final JSON line), so their logs go to stderr. */
export class StderrLogDestination extends LogDestination {
  write(line: string): void {
    process.stderr.write(line);
  }
}

export class RecordingLogDestination extends LogDestination {
  readonly lines: string[] = [];

  write(line: string): void {
    this.lines.push(line);
  }

  entries(): Array<Record<string, unknown>> {
    return this.lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  }
}

/** The last wall before a line leaves the process: whatever slipped past key masking, no phone number gets out. */
export function phoneMaskingStream(destination: LogDestination): { write(line: string): void } {
  return { write: (line: string) => destination.write(maskPhoneNumbersInJson(line)) };
}
