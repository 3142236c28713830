import { invalidInput } from '../invalid-input.error';
import type { SegmentDefinition, SegmentTaxonomyInput, ValuesAnswer, ValuesQuestion } from './segment-taxonomy';

export const MAX_SEGMENTS = 12;
const KEY = /^[a-z][a-z0-9_]{0,39}$/;
const COLOUR = /^#[0-9a-f]{6}$/i;
const MAX_QUESTIONS = 50;
const MAX_ANSWERS = 10;

/**
 * Reads a taxonomy from a request body, refusing anything malformed with the field named. Keys
 * are unique; a values question's likelihoods name only the taxonomy's segments, and each
 * segment's likelihoods over a question's answers may not all be zero (no answer could then come
 * from that segment, and one answer would rule it out for ever).
 */
export function parseSegmentTaxonomy(body: unknown): SegmentTaxonomyInput {
  const input = objectAt(body, 'taxonomy');
  const segmentsInput = input.segments;
  if (!Array.isArray(segmentsInput) || segmentsInput.length < 2 || segmentsInput.length > MAX_SEGMENTS) {
    throw invalidInput('segments', `segments must be a list of 2 to ${MAX_SEGMENTS} segments`);
  }
  const segments = segmentsInput.map((each, index) => parseSegment(each, `segments[${index}]`));
  assertUniqueKeys(segments, 'segments');
  const keys = new Set(segments.map((segment) => segment.key));
  const questionsInput = input.valuesQuestions ?? [];
  if (!Array.isArray(questionsInput) || questionsInput.length > MAX_QUESTIONS) {
    throw invalidInput('valuesQuestions', `valuesQuestions must be a list of at most ${MAX_QUESTIONS} questions`);
  }
  const valuesQuestions = questionsInput.map((each, index) => parseQuestion(each, `valuesQuestions[${index}]`, keys));
  assertUniqueKeys(valuesQuestions, 'valuesQuestions');
  return { segments, valuesQuestions };
}

function parseSegment(value: unknown, field: string): SegmentDefinition {
  const segment = objectAt(value, field);
  return {
    key: keyAt(segment.key, `${field}.key`),
    name: textAt(segment.name, `${field}.name`, 1, 100),
    description: textAt(segment.description ?? '', `${field}.description`, 0, 1000),
    colour: colourAt(segment.colour, `${field}.colour`),
  };
}

function parseQuestion(value: unknown, field: string, segmentKeys: ReadonlySet<string>): ValuesQuestion {
  const question = objectAt(value, field);
  const answersInput = question.answers;
  if (!Array.isArray(answersInput) || answersInput.length < 2 || answersInput.length > MAX_ANSWERS) {
    throw invalidInput(`${field}.answers`, `${field}.answers must be a list of 2 to ${MAX_ANSWERS} answers`);
  }
  const answers = answersInput.map((each, index) => parseAnswer(each, `${field}.answers[${index}]`, segmentKeys));
  assertUniqueKeys(answers, `${field}.answers`);
  for (const key of segmentKeys) {
    if (answers.every((answer) => (answer.likelihoods[key] ?? 1) === 0)) {
      throw invalidInput(`${field}.answers`, `${field}: every answer has likelihood 0 for segment "${key}"; at least one answer must be possible`);
    }
  }
  return { key: keyAt(question.key, `${field}.key`), prompt: textAt(question.prompt, `${field}.prompt`, 1, 500), answers };
}

function parseAnswer(value: unknown, field: string, segmentKeys: ReadonlySet<string>): ValuesAnswer {
  const answer = objectAt(value, field);
  const likelihoodsInput = objectAt(answer.likelihoods, `${field}.likelihoods`);
  const likelihoods: Record<string, number> = {};
  for (const [segment, probability] of Object.entries(likelihoodsInput)) {
    if (!segmentKeys.has(segment)) {
      throw invalidInput(`${field}.likelihoods.${segment}`, `${field}.likelihoods names "${segment}", which is not a segment of this taxonomy`);
    }
    if (typeof probability !== 'number' || !Number.isFinite(probability) || probability < 0 || probability > 1) {
      throw invalidInput(`${field}.likelihoods.${segment}`, `${field}.likelihoods.${segment} must be a probability between 0 and 1`);
    }
    likelihoods[segment] = probability;
  }
  return { key: keyAt(answer.key, `${field}.key`), label: textAt(answer.label, `${field}.label`, 1, 200), likelihoods };
}

function objectAt(value: unknown, field: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalidInput(field, `${field} must be an object`);
  return value as Record<string, unknown>;
}

function keyAt(value: unknown, field: string): string {
  if (typeof value !== 'string' || !KEY.test(value)) {
    throw invalidInput(field, `${field} must be lower case letters, digits and underscores, starting with a letter (at most 40), got ${JSON.stringify(value)}`);
  }
  return value;
}

function textAt(value: unknown, field: string, min: number, max: number): string {
  const text = typeof value === 'string' ? value.trim() : null;
  if (text === null || text.length < min || text.length > max) throw invalidInput(field, `${field} must be text of ${min} to ${max} characters`);
  return text;
}

function colourAt(value: unknown, field: string): string {
  if (typeof value !== 'string' || !COLOUR.test(value)) throw invalidInput(field, `${field} must be a colour like #1565c0, got ${JSON.stringify(value)}`);
  return value.toLowerCase();
}

function assertUniqueKeys(items: ReadonlyArray<{ readonly key: string }>, field: string): void {
  const seen = new Set<string>();
  for (const [index, item] of items.entries()) {
    if (seen.has(item.key)) throw invalidInput(`${field}[${index}].key`, `${field}[${index}].key "${item.key}" is used twice`);
    seen.add(item.key);
  }
}
