import type { RenderedScript, ScriptStep, SurveyAnswer } from './calling.client';

/** A script cannot grow a path longer than this, even round a loop the volunteer keeps taking. */
const MAX_PATH = 200;

/**
 * Where a call is in its script: the steps visited so far (the last is the one being read) and
 * the answers given, by question key. Answers outlive a step taken back, so going back and forth
 * keeps what the voter said; only the answers of questions on the path are saved.
 */
export interface ScriptWalk {
  readonly path: readonly string[];
  readonly answers: Readonly<Record<string, string>>;
}

export function startWalk(script: RenderedScript): ScriptWalk {
  const start = script.steps.some((step) => step.stepId === script.startStepId) ? script.startStepId : script.steps[0]?.stepId;
  return { path: start === undefined ? [] : [start], answers: {} };
}

export function stepOf(script: RenderedScript, stepId: string | undefined): ScriptStep | null {
  return script.steps.find((step) => step.stepId === stepId) ?? null;
}

export function currentStep(script: RenderedScript, walk: ScriptWalk): ScriptStep | null {
  return stepOf(script, walk.path[walk.path.length - 1]);
}

/** The step after `step` for its answer: the answer's branch, else `next`; null ends the script. */
export function followingStepId(step: ScriptStep, answers: ScriptWalk['answers']): string | null {
  const answer = step.question === null ? undefined : answers[step.question.key];
  const branch = answer === undefined ? undefined : step.branches.find((each) => each.answer === answer);
  return branch?.next ?? step.next;
}

/**
 * Records the answer to the question of the step at `index` and moves on to where that answer
 * leads. Answering an earlier step again drops the steps after it, as the call now goes elsewhere.
 */
export function answerStep(script: RenderedScript, walk: ScriptWalk, index: number, answer: string): ScriptWalk {
  const step = stepOf(script, walk.path[index]);
  if (step?.question == null) return walk;
  const answers = { ...walk.answers, [step.question.key]: answer };
  const following = followingStepId(step, answers);
  const kept = walk.path.slice(0, index + 1);
  return { answers, path: following === null || kept.length >= MAX_PATH ? kept : [...kept, following] };
}

/** Free-text answers are typed in place: recorded without moving on. */
export function typeAnswer(walk: ScriptWalk, questionKey: string, text: string): ScriptWalk {
  return { ...walk, answers: { ...walk.answers, [questionKey]: text } };
}

/** Goes on from the current step (no question, a typed answer, or a question the voter passed on). */
export function continueWalk(script: RenderedScript, walk: ScriptWalk): ScriptWalk {
  const step = currentStep(script, walk);
  if (step === null || walk.path.length >= MAX_PATH) return walk;
  const following = followingStepId(step, walk.answers);
  return following === null ? walk : { ...walk, path: [...walk.path, following] };
}

/** Back to the step at `index` (the previous one by default), keeping every answer. */
export function returnTo(walk: ScriptWalk, index = walk.path.length - 2): ScriptWalk {
  return index < 0 || index >= walk.path.length - 1 ? walk : { ...walk, path: walk.path.slice(0, index + 1) };
}

/** The answers to save: one per question on the path, free text trimmed, empty ones left out. */
export function answersOnPath(script: RenderedScript, walk: ScriptWalk): SurveyAnswer[] {
  const seen = new Set<string>();
  const answers: SurveyAnswer[] = [];
  for (const stepId of walk.path) {
    const key = stepOf(script, stepId)?.question?.key;
    if (key === undefined || seen.has(key)) continue;
    seen.add(key);
    const answer = walk.answers[key]?.trim();
    if (answer) answers.push({ questionKey: key, answer });
  }
  return answers;
}
