import { OPEN_TO_REFORM_SCALE } from './open-to-reform-scale.constant';
import { ScriptInputReader } from './script-input.reader';
import { SURVEY_QUESTION_KINDS, type SurveyChoice, type SurveyQuestion, type SurveyQuestionKind, type ValuesQuestionReference } from './survey-question';

export const MAX_SURVEY_QUESTIONS = 50;
export const MAX_SURVEY_PROMPT_LENGTH = 500;
export const MIN_SURVEY_CHOICES = 2;
export const MAX_SURVEY_CHOICES = 12;
export const MAX_SURVEY_CHOICE_LABEL_LENGTH = 100;

const QUESTION_PROPERTIES = ['key', 'kind', 'prompt', 'choices', 'valuesQuestionKey'];
const CHOICE_PROPERTIES = ['value', 'label'];

export interface SurveyQuestionContext {
  /** The values questions of the alliance's current taxonomy (`taxonomy.valuesQuestions` fits). */
  readonly valuesQuestions: readonly ValuesQuestionReference[];
}

/**
 * Reads a campaign's survey questions from a request body, refusing with every problem listed
 * (`questions[1].choices[0].value`). Per kind:
 * - `single_choice`: 2 to 12 choices with unique lower snake case values.
 * - `scale`: the 1–5 open-to-reform scale; `choices` may be left out (default labels) or reword
 *   the labels of exactly the values 1 to 5.
 * - `free_text`: no choices; answers are text of up to 1,000 characters.
 * - `values`: `valuesQuestionKey` names a question of the taxonomy, whose answers become the
 *   choices. Choices sent with it are replaced, so the taxonomy stays the one source of its
 *   answers and re-reading a saved list picks up a relabelled answer. The prompt defaults to the
 *   taxonomy's. Each taxonomy question may be asked by one survey question only, or one call
 *   would count as two pieces of evidence for the voter's segment.
 */
export function parseSurveyQuestions(input: unknown, context: SurveyQuestionContext): SurveyQuestion[] {
  const reader = new ScriptInputReader();
  const list = reader.list(input, 'questions', 0, MAX_SURVEY_QUESTIONS, 'questions') ?? [];
  const questions = list.map((each, index) => readQuestion(each, `questions[${index}]`, context, reader));
  const keyOwners = new Map<string, number>();
  const valuesOwners = new Map<string, number>();
  for (const [index, question] of questions.entries()) {
    if (question === null) continue;
    const earlier = keyOwners.get(question.key);
    if (earlier !== undefined)
      reader.report(`questions[${index}].key`, `questions[${index}].key "${question.key}" is already the key of questions[${earlier}]`);
    else keyOwners.set(question.key, index);
    if (question.kind !== 'values') continue;
    const asked = valuesOwners.get(question.valuesQuestionKey);
    if (asked !== undefined) {
      reader.report(
        `questions[${index}].valuesQuestionKey`,
        `questions[${index}].valuesQuestionKey "${question.valuesQuestionKey}" is already asked by questions[${asked}]; ask each values question once`,
      );
    } else valuesOwners.set(question.valuesQuestionKey, index);
  }
  if (reader.hasIssues) throw reader.failure('The survey question list');
  return questions.filter((question): question is SurveyQuestion => question !== null);
}

function readQuestion(value: unknown, path: string, context: SurveyQuestionContext, reader: ScriptInputReader): SurveyQuestion | null {
  const question = reader.object(value, path, 'question');
  if (question === null) return null;
  reader.onlyProperties(question, QUESTION_PROPERTIES, path);
  const key = reader.key(question.key, `${path}.key`);
  const owner = `question "${key ?? path}"`;
  const kind = kindAt(question.kind, `${path}.kind`, reader);
  if (kind === null) return null;
  if (kind !== 'values' && question.valuesQuestionKey !== undefined) {
    reader.report(`${path}.valuesQuestionKey`, `${path}.valuesQuestionKey is only for a values question; ${owner} is ${kind}`);
  }
  if (kind === 'values') {
    const asked = valuesQuestionAt(question.valuesQuestionKey, `${path}.valuesQuestionKey`, context, reader);
    const prompt = reader.template(question.prompt ?? asked?.prompt, `${path}.prompt`, 1, MAX_SURVEY_PROMPT_LENGTH, owner);
    if (key === null || asked === null || prompt === null) return null;
    const choices = asked.answers.map((answer) => ({ value: answer.key, label: answer.label }));
    return { key, kind, prompt, choices, valuesQuestionKey: asked.key };
  }
  const prompt = reader.template(question.prompt, `${path}.prompt`, 1, MAX_SURVEY_PROMPT_LENGTH, owner);
  const choices = choicesOf(kind, question.choices, `${path}.choices`, owner, reader);
  if (key === null || prompt === null || choices === null) return null;
  return { key, kind, prompt, choices };
}

function kindAt(value: unknown, path: string, reader: ScriptInputReader): SurveyQuestionKind | null {
  if ((SURVEY_QUESTION_KINDS as readonly unknown[]).includes(value)) return value as SurveyQuestionKind;
  reader.report(path, `${path} must be one of ${SURVEY_QUESTION_KINDS.join(', ')}, got ${JSON.stringify(value) ?? 'nothing'}`);
  return null;
}

function valuesQuestionAt(value: unknown, path: string, context: SurveyQuestionContext, reader: ScriptInputReader): ValuesQuestionReference | null {
  const found = context.valuesQuestions.find((question) => question.key === value);
  if (found !== undefined) return found;
  const known = context.valuesQuestions.map((question) => question.key).join(', ') || 'none';
  reader.report(path, `${path} must name one of the taxonomy's values questions (${known}), got ${JSON.stringify(value) ?? 'nothing'}`);
  return null;
}

function choicesOf(kind: Exclude<SurveyQuestionKind, 'values'>, value: unknown, path: string, owner: string, reader: ScriptInputReader): SurveyChoice[] | null {
  switch (kind) {
    case 'free_text':
      if (value === undefined || (Array.isArray(value) && value.length === 0)) return [];
      reader.report(path, `${path}: ${owner} takes free text, so it has no choices`);
      return null;
    case 'scale':
      return value === undefined ? [...OPEN_TO_REFORM_SCALE] : scaleChoicesAt(value, path, reader);
    case 'single_choice':
      return singleChoicesAt(value, path, reader);
  }
}

/** A scale may reword its labels, never its values, so answers stay comparable across campaigns. */
function scaleChoicesAt(value: unknown, path: string, reader: ScriptInputReader): SurveyChoice[] | null {
  const list = reader.list(value, path, OPEN_TO_REFORM_SCALE.length, OPEN_TO_REFORM_SCALE.length, 'choices, the values 1 to 5 in order');
  if (list === null) return null;
  const choices = list.map((each, index) => {
    const choicePath = `${path}[${index}]`;
    const choice = reader.object(each, choicePath, 'choice');
    if (choice === null) return null;
    reader.onlyProperties(choice, CHOICE_PROPERTIES, choicePath);
    const expected = OPEN_TO_REFORM_SCALE[index].value;
    if (choice.value !== expected) {
      reader.report(
        `${choicePath}.value`,
        `${choicePath}.value must be "${expected}" (a scale runs 1 to 5 in order), got ${JSON.stringify(choice.value) ?? 'nothing'}`,
      );
    }
    const label = reader.text(choice.label, `${choicePath}.label`, 1, MAX_SURVEY_CHOICE_LABEL_LENGTH);
    return label === null ? null : { value: expected, label };
  });
  return choices.every((choice) => choice !== null) ? choices : null;
}

function singleChoicesAt(value: unknown, path: string, reader: ScriptInputReader): SurveyChoice[] | null {
  const list = reader.list(value, path, MIN_SURVEY_CHOICES, MAX_SURVEY_CHOICES, 'choices');
  if (list === null) return null;
  const owners = new Map<string, number>();
  const choices = list.map((each, index) => {
    const choicePath = `${path}[${index}]`;
    const choice = reader.object(each, choicePath, 'choice');
    if (choice === null) return null;
    reader.onlyProperties(choice, CHOICE_PROPERTIES, choicePath);
    const choiceValue = reader.key(choice.value, `${choicePath}.value`);
    const label = reader.text(choice.label, `${choicePath}.label`, 1, MAX_SURVEY_CHOICE_LABEL_LENGTH);
    if (choiceValue !== null) {
      const earlier = owners.get(choiceValue);
      if (earlier !== undefined) reader.report(`${choicePath}.value`, `${choicePath}.value "${choiceValue}" is already the value of ${path}[${earlier}]`);
      else owners.set(choiceValue, index);
    }
    return choiceValue === null || label === null ? null : { value: choiceValue, label };
  });
  return choices.every((choice) => choice !== null) ? choices : null;
}
