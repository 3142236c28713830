import { DomainErrorCode, DomainException } from '@app/common';
import { parseMergeTemplate } from './merge-template.parser';

/** One thing wrong with a script or question list: where (`steps[2].branches[0].next`) and what. */
export interface ValidationIssue {
  readonly path: string;
  readonly message: string;
}

/** Lower snake case, like the taxonomy's keys, so a values answer key is also a valid choice value. */
const KEY = /^[a-z][a-z0-9_]{0,39}$/;
const ISSUES_IN_MESSAGE = 5;

/**
 * Reads untrusted JSON field by field, collecting every problem instead of stopping at the first,
 * so an author sees all of them in one round trip. Each read returns null when the value is
 * unusable; the caller carries on with what it has and throws `failure()` at the end.
 */
export class ScriptInputReader {
  private readonly issues: ValidationIssue[] = [];

  get hasIssues(): boolean {
    return this.issues.length > 0;
  }

  report(path: string, message: string): void {
    this.issues.push({ path, message });
  }

  /** The refusal listing every issue; `subject` opens the message ("The call script"). */
  failure(subject: string): DomainException {
    const count = this.issues.length;
    const listed = this.issues.slice(0, ISSUES_IN_MESSAGE).map((issue) => issue.message);
    const more = count > ISSUES_IN_MESSAGE ? `; and ${count - ISSUES_IN_MESSAGE} more` : '';
    const message = `${subject} has ${count === 1 ? 'a problem' : `${count} problems`}: ${listed.join('; ')}${more}`;
    return new DomainException(DomainErrorCode.ValidationFailed, message, { issues: [...this.issues] });
  }

  object(value: unknown, path: string, what: string): Record<string, unknown> | null {
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
    this.report(path, `${labelOf(path, what)} must be an object`);
    return null;
  }

  /** Refuses properties the model does not have, so a misspelt `nxet` is not silently ignored. */
  onlyProperties(object: Record<string, unknown>, allowed: readonly string[], path: string): void {
    for (const property of Object.keys(object)) {
      if (!allowed.includes(property)) {
        this.report(childPath(path, property), `${childPath(path, property)} is not a known property; use ${allowed.join(', ')}`);
      }
    }
  }

  list(value: unknown, path: string, minimum: number, maximum: number, what: string): unknown[] | null {
    if (Array.isArray(value) && value.length >= minimum && value.length <= maximum) return value;
    const count = Array.isArray(value) ? ` (it has ${value.length})` : '';
    this.report(path, `${path} must be a list of ${minimum === 0 ? `at most ${maximum}` : `${minimum} to ${maximum}`} ${what}${count}`);
    return null;
  }

  key(value: unknown, path: string): string | null {
    if (typeof value === 'string' && KEY.test(value)) return value;
    this.report(
      path,
      `${path} must be lower case letters, digits and underscores, starting with a letter (at most 40), got ${JSON.stringify(value) ?? 'nothing'}`,
    );
    return null;
  }

  /** Trimmed text of `minimum` to `maximum` characters. */
  text(value: unknown, path: string, minimum: number, maximum: number): string | null {
    const text = typeof value === 'string' ? value.trim() : null;
    if (text !== null && text.length >= minimum && text.length <= maximum) return text;
    const length = text === null ? '' : ` (it has ${text.length})`;
    this.report(path, `${path} must be text of ${minimum} to ${maximum} characters${length}`);
    return null;
  }

  /** Text that may hold merge fields; `owner` names what it belongs to (`step "pitch"`) in each message. */
  template(value: unknown, path: string, minimum: number, maximum: number, owner: string): string | null {
    const text = this.text(value, path, minimum, maximum);
    if (text === null) return null;
    const { problems } = parseMergeTemplate(text);
    for (const problem of problems) this.report(path, `${path} (${owner}) ${problem}`);
    return problems.length === 0 ? text : null;
  }
}

export function childPath(path: string, property: string): string {
  return path === '' ? property : `${path}.${property}`;
}

function labelOf(path: string, what: string): string {
  return path === '' ? what : path;
}
