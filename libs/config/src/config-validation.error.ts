export interface InvalidVariable {
  readonly name: string;
  readonly expected: string;
}

/** Raised once, at start-up, listing every variable that is wrong and what it expects. */
export class ConfigValidationError extends Error {
  constructor(readonly invalidVariables: readonly InvalidVariable[]) {
    super(
      [
        `Invalid configuration: ${invalidVariables.length} environment variable(s) need fixing.`,
        ...invalidVariables.map((variable) => `  ${variable.name}: ${variable.expected}`),
      ].join('\n'),
    );
    this.name = 'ConfigValidationError';
  }
}
