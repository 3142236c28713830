import { NotFoundDomainException } from '@app/common';
import type { CallScript, ScriptStep } from './call-script';

/**
 * The step after `stepId` given the answer to its question: the branch for that answer, else the
 * step's `next`; null ends the script. `answer` is compared as stored, so pass what
 * `validateSurveyAnswer` returned; no answer (the voter skipped the question) follows `next`.
 */
export function nextStepId(script: CallScript, stepId: string, answer?: string): string | null {
  const step = scriptStepOf(script, stepId);
  const branch = answer === undefined ? undefined : step.branches.find((each) => each.answer === answer);
  return branch?.next ?? step.next;
}

export function scriptStepOf(script: CallScript, stepId: string): ScriptStep {
  const step = script.steps.find((each) => each.id === stepId);
  if (step === undefined) throw new NotFoundDomainException('Script step', stepId);
  return step;
}

/**
 * Step ids breadth first from the start, branches in order before `next`, each once: the order a
 * preview lists them in, so the main path reads first and a loop back does not repeat a step.
 */
export function stepIdsInWalkOrder(script: CallScript): string[] {
  const byId = new Map(script.steps.map((step) => [step.id, step]));
  const order = [script.startStepId];
  for (let index = 0; index < order.length; index += 1) {
    const step = byId.get(order[index]);
    if (step === undefined) continue;
    for (const successor of [...step.branches.map((branch) => branch.next), step.next]) {
      if (successor !== null && byId.has(successor) && !order.includes(successor)) order.push(successor);
    }
  }
  return order.filter((id) => byId.has(id));
}
