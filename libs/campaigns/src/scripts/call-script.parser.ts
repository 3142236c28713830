import type { CallScript, ScriptBranch, ScriptStep, ScriptVariant } from './call-script';
import { childPath, ScriptInputReader } from './script-input.reader';
import type { SurveyQuestion, ValuesQuestionReference } from './survey-question';
import { MAX_SURVEY_CHOICES } from './survey-question.parser';

export const MAX_SCRIPT_STEPS = 100;
export const MAX_STEP_TEXT_LENGTH = 2_000;
export const MAX_STEP_TITLE_LENGTH = 100;

const SCRIPT_PROPERTIES = ['startStepId', 'steps'];
const STEP_PROPERTIES = ['id', 'title', 'text', 'variants', 'questionKey', 'branches', 'next'];
const VARIANT_PROPERTIES = ['segmentKey', 'text'];
const BRANCH_PROPERTIES = ['answer', 'next'];

export interface CallScriptContext {
  /** The campaign's survey questions, as `parseSurveyQuestions` returned them. */
  readonly questions: readonly SurveyQuestion[];
  /** The segment keys of the alliance's taxonomy; a variant may be written for each. */
  readonly segmentKeys: readonly string[];
  /** The taxonomy's values questions, to catch a values question the taxonomy no longer has. */
  readonly valuesQuestions: readonly ValuesQuestionReference[];
}

/** A step as read, kept with where it came from so later checks can name it. */
interface StepRead {
  readonly path: string;
  readonly step: ScriptStep;
  /** The step's question when `questionKey` names a known one. */
  readonly question: SurveyQuestion | null;
  /** Whether `next` and every branch were read as written; if not, the step's links are incomplete and the graph cannot be judged. */
  readonly linksRead: boolean;
}

/**
 * Reads a call script from a request body against the campaign's questions and the alliance's
 * taxonomy, refusing with every problem listed and located (`steps[2].branches[0].next`).
 *
 * Loops are allowed, because "go back to the pitch" after a hesitant answer is a real script, but
 * only when they can be left: every step reachable from the start must have some path to the end
 * of the script (a step whose `next` is null). A loop a volunteer could never leave is refused.
 * Every step must be reachable from the start, since an unreachable step is a mistake the author
 * cannot see in a walk-through. These two graph checks run once ids and references are right, so
 * a misspelt step id is reported once instead of again as an unreachable step.
 */
export function parseCallScript(input: unknown, context: CallScriptContext): CallScript {
  const reader = new ScriptInputReader();
  const script = reader.object(input, '', 'the call script');
  if (script === null) throw reader.failure('The call script');
  reader.onlyProperties(script, SCRIPT_PROPERTIES, '');
  const stepsInput = reader.list(script.steps, 'steps', 1, MAX_SCRIPT_STEPS, 'steps');
  const steps = (stepsInput ?? []).map((each, index) => readStep(each, `steps[${index}]`, context, reader)).filter((step) => step !== null);
  const startStepId = typeof script.startStepId === 'string' ? script.startStepId : null;
  if (stepsInput === null) {
    if (startStepId === null) reader.report('startStepId', `startStepId must be the id of a step, got ${JSON.stringify(script.startStepId) ?? 'nothing'}`);
  } else {
    const referencesHold = checkReferences(steps, startStepId, reader);
    const linksRead = steps.length === stepsInput.length && steps.every((read) => read.linksRead);
    if (referencesHold && linksRead && startStepId !== null) checkGraph(steps, startStepId, reader);
  }
  if (reader.hasIssues || startStepId === null) throw reader.failure('The call script');
  return { startStepId, steps: steps.map((read) => read.step) };
}

function readStep(value: unknown, path: string, context: CallScriptContext, reader: ScriptInputReader): StepRead | null {
  const step = reader.object(value, path, 'step');
  if (step === null) return null;
  reader.onlyProperties(step, STEP_PROPERTIES, path);
  // A malformed id is reported here but still stands for the step, so references to it are not reported as well.
  const id = typeof step.id === 'string' ? step.id : '';
  reader.key(step.id, `${path}.id`);
  const owner = `step "${id || path}"`;
  const title = reader.template(step.title, `${path}.title`, 1, MAX_STEP_TITLE_LENGTH, owner) ?? '';
  const text = reader.template(step.text, `${path}.text`, 1, MAX_STEP_TEXT_LENGTH, owner) ?? '';
  const variants = readVariants(step.variants, `${path}.variants`, owner, context, reader);
  const { questionKey, question } = readQuestionKey(step.questionKey, `${path}.questionKey`, context, reader);
  const branchesInput = step.branches;
  const branches = readBranches(branchesInput, `${path}.branches`, owner, questionKey, question, reader);
  const next = readNext(step.next, `${path}.next`, reader);
  const nextRead = step.next === undefined || step.next === null || next !== null;
  const branchesRead = branchesInput === undefined || branchesInput === null || (Array.isArray(branchesInput) && branches.length === branchesInput.length);
  return { path, step: { id, title, text, variants, questionKey, branches, next }, question, linksRead: nextRead && branchesRead };
}

function readVariants(value: unknown, path: string, owner: string, context: CallScriptContext, reader: ScriptInputReader): ScriptVariant[] {
  if (value === undefined || value === null) return [];
  const list = reader.list(value, path, 0, context.segmentKeys.length, 'variants, one per segment at most');
  const owners = new Map<string, number>();
  return (list ?? []).flatMap((each, index) => {
    const variantPath = `${path}[${index}]`;
    const variant = reader.object(each, variantPath, 'variant');
    if (variant === null) return [];
    reader.onlyProperties(variant, VARIANT_PROPERTIES, variantPath);
    const segmentKey = variant.segmentKey;
    if (typeof segmentKey !== 'string' || !context.segmentKeys.includes(segmentKey)) {
      reader.report(
        `${variantPath}.segmentKey`,
        `${variantPath}.segmentKey must be one of the taxonomy's segments (${context.segmentKeys.join(', ')}), got ${JSON.stringify(segmentKey) ?? 'nothing'}`,
      );
    } else if (owners.has(segmentKey)) {
      reader.report(`${variantPath}.segmentKey`, `${variantPath}.segmentKey "${segmentKey}" already has a variant in ${path}[${owners.get(segmentKey)}]`);
    } else {
      owners.set(segmentKey, index);
    }
    const text = reader.template(variant.text, `${variantPath}.text`, 1, MAX_STEP_TEXT_LENGTH, `${owner}, variant "${String(segmentKey)}"`);
    return typeof segmentKey === 'string' && text !== null ? [{ segmentKey, text }] : [];
  });
}

function readQuestionKey(
  value: unknown,
  path: string,
  context: CallScriptContext,
  reader: ScriptInputReader,
): { questionKey: string | null; question: SurveyQuestion | null } {
  if (value === undefined || value === null) return { questionKey: null, question: null };
  const question = context.questions.find((each) => each.key === value);
  if (question === undefined) {
    const known = context.questions.map((each) => each.key).join(', ') || 'none';
    reader.report(path, `${path} must name one of the campaign's survey questions (${known}), got ${JSON.stringify(value)}`);
    return { questionKey: typeof value === 'string' ? value : null, question: null };
  }
  if (question.kind === 'values' && !context.valuesQuestions.some((each) => each.key === question.valuesQuestionKey)) {
    reader.report(
      path,
      `${path}: question "${question.key}" asks values question "${question.valuesQuestionKey}", which the alliance's taxonomy does not have`,
    );
  }
  return { questionKey: question.key, question };
}

function readBranches(
  value: unknown,
  path: string,
  owner: string,
  questionKey: string | null,
  question: SurveyQuestion | null,
  reader: ScriptInputReader,
): ScriptBranch[] {
  if (value === undefined || value === null) return [];
  // A branch per answer at most, and no question has more answers than a single choice may.
  const list = reader.list(value, path, 0, MAX_SURVEY_CHOICES, 'branches');
  if (list === null || list.length === 0) return [];
  if (questionKey === null) {
    reader.report(path, `${path}: ${owner} asks no question, so it has no answer to branch on; set questionKey or remove the branches`);
  } else if (question?.kind === 'free_text') {
    reader.report(path, `${path}: question "${question.key}" takes free text, so its answer cannot choose the next step`);
  }
  // With no usable question, checking the answers would only repeat the problem above.
  const answers = question === null || question.kind === 'free_text' ? null : question.choices.map((choice) => choice.value);
  const owners = new Map<string, number>();
  return list.flatMap((each, index) => {
    const branchPath = `${path}[${index}]`;
    const branch = reader.object(each, branchPath, 'branch');
    if (branch === null) return [];
    reader.onlyProperties(branch, BRANCH_PROPERTIES, branchPath);
    const answer = branch.answer;
    if (typeof answer !== 'string') {
      reader.report(`${branchPath}.answer`, `${branchPath}.answer must be one of the question's answers, got ${JSON.stringify(answer) ?? 'nothing'}`);
    } else if (answers !== null && !answers.includes(answer)) {
      reader.report(`${branchPath}.answer`, `${branchPath}.answer "${answer}" is not an answer to question "${questionKey}" (${answers.join(', ')})`);
    } else if (owners.has(answer)) {
      reader.report(`${branchPath}.answer`, `${branchPath}.answer "${answer}" already has a branch in ${path}[${owners.get(answer)}]`);
    } else {
      owners.set(answer, index);
    }
    const next = branch.next;
    if (typeof next !== 'string') reader.report(`${branchPath}.next`, `${branchPath}.next must be the id of a step, got ${JSON.stringify(next) ?? 'nothing'}`);
    return typeof answer === 'string' && typeof next === 'string' ? [{ answer, next }] : [];
  });
}

function readNext(value: unknown, path: string, reader: ScriptInputReader): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value === 'string') return value;
  reader.report(path, `${path} must be the id of a step, or null to end the script, got ${JSON.stringify(value)}`);
  return null;
}

/** Unique ids, a start step and targets that exist; true when all hold, so the graph can be walked. */
function checkReferences(steps: readonly StepRead[], startStepId: string | null, reader: ScriptInputReader): boolean {
  let holds = true;
  const refuse = (path: string, message: string): void => {
    reader.report(path, message);
    holds = false;
  };
  const owners = new Map<string, string>();
  for (const { path, step } of steps) {
    const earlier = owners.get(step.id);
    if (earlier !== undefined) refuse(childPath(path, 'id'), `${path}.id "${step.id}" is already the id of ${earlier}`);
    else if (step.id !== '') owners.set(step.id, path);
  }
  const known = [...owners.keys()];
  const missing = (id: string): boolean => !owners.has(id);
  if (startStepId === null || missing(startStepId)) {
    refuse('startStepId', `startStepId must be the id of one of the steps (${known.join(', ') || 'none'}), got ${JSON.stringify(startStepId) ?? 'nothing'}`);
  }
  for (const { path, step } of steps) {
    if (step.next !== null && missing(step.next)) refuse(`${path}.next`, `${path}.next names step "${step.next}", which is not a step of this script`);
    for (const [index, branch] of step.branches.entries()) {
      if (missing(branch.next))
        refuse(`${path}.branches[${index}].next`, `${path}.branches[${index}].next names step "${branch.next}", which is not a step of this script`);
    }
  }
  return holds && steps.every((read) => read.step.id !== '');
}

/** Every step reachable from the start, and every reachable step able to reach the end. */
function checkGraph(steps: readonly StepRead[], startStepId: string, reader: ScriptInputReader): void {
  const byId = new Map(steps.map((read) => [read.step.id, read.step]));
  const successorsOf = (step: ScriptStep): string[] => [...step.branches.map((branch) => branch.next), ...(step.next === null ? [] : [step.next])];
  const reachable = new Set<string>([startStepId]);
  const queue = [startStepId];
  for (let index = 0; index < queue.length; index += 1) {
    const step = byId.get(queue[index]);
    for (const successor of step === undefined ? [] : successorsOf(step)) {
      if (!reachable.has(successor)) {
        reachable.add(successor);
        queue.push(successor);
      }
    }
  }
  // The steps that can finish the call: those that end it, then those with a successor that can.
  const canFinish = new Set(steps.filter((read) => read.step.next === null).map((read) => read.step.id));
  for (let grew = true; grew;) {
    grew = false;
    for (const { step } of steps) {
      if (!canFinish.has(step.id) && successorsOf(step).some((successor) => canFinish.has(successor))) {
        canFinish.add(step.id);
        grew = true;
      }
    }
  }
  for (const { path, step } of steps) {
    if (!reachable.has(step.id)) {
      reader.report(path, `${path} (step "${step.id}") cannot be reached from the start step "${startStepId}"`);
    } else if (!canFinish.has(step.id)) {
      reader.report(
        path,
        `${path} (step "${step.id}") is in a loop with no way out: no path from it reaches the end of the script; give a step of the loop a branch or next that leads out`,
      );
    }
  }
}
