import { NotFoundDomainException } from '@app/common';
import type { CallScript, ScriptBranch, ScriptStep } from './call-script';
import { scriptStepOf, stepIdsInWalkOrder } from './call-script-navigation.util';
import { type MergeFieldValues, mergeFieldValuesOf, renderMergeTemplate } from './merge-template.renderer';
import type { ScriptMergeContext } from './script-merge-context';
import type { SurveyChoice, SurveyQuestion, SurveyQuestionKind } from './survey-question';

export interface RenderedSurveyQuestion {
  readonly key: string;
  readonly kind: SurveyQuestionKind;
  /** With merge fields filled in. */
  readonly prompt: string;
  readonly choices: readonly SurveyChoice[];
}

/** One step as the volunteer sees it for one voter: plain text, merge fields filled in. */
export interface RenderedScriptStep {
  readonly stepId: string;
  readonly title: string;
  readonly text: string;
  /** The segment whose variant was read, or null when the base text was. */
  readonly variantSegmentKey: string | null;
  readonly question: RenderedSurveyQuestion | null;
  readonly branches: readonly ScriptBranch[];
  readonly next: string | null;
}

/**
 * Renders one step for one voter: the variant written for the voter's segment when there is one
 * (else the base text), with merge fields filled in the title, text and question prompt. The
 * script and questions are expected to have been through `parseCallScript`.
 */
export function renderScriptStep(script: CallScript, questions: readonly SurveyQuestion[], stepId: string, context: ScriptMergeContext): RenderedScriptStep {
  return renderStep(scriptStepOf(script, stepId), questions, mergeFieldValuesOf(context), context.segmentKey);
}

/** Every step reachable from the start, in walk order, rendered for one (sample) voter: the live preview of a script. */
export function renderWholeScript(script: CallScript, questions: readonly SurveyQuestion[], context: ScriptMergeContext): RenderedScriptStep[] {
  const values = mergeFieldValuesOf(context);
  return stepIdsInWalkOrder(script).map((stepId) => renderStep(scriptStepOf(script, stepId), questions, values, context.segmentKey));
}

function renderStep(step: ScriptStep, questions: readonly SurveyQuestion[], values: MergeFieldValues, segmentKey: string | null): RenderedScriptStep {
  const variant = segmentKey === null ? undefined : step.variants.find((each) => each.segmentKey === segmentKey);
  return {
    stepId: step.id,
    title: renderMergeTemplate(step.title, values),
    text: renderMergeTemplate(variant?.text ?? step.text, values),
    variantSegmentKey: variant?.segmentKey ?? null,
    question: step.questionKey === null ? null : renderQuestion(step.questionKey, questions, values),
    branches: step.branches,
    next: step.next,
  };
}

function renderQuestion(key: string, questions: readonly SurveyQuestion[], values: MergeFieldValues): RenderedSurveyQuestion {
  const question = questions.find((each) => each.key === key);
  if (question === undefined) throw new NotFoundDomainException('Survey question', key);
  return { key, kind: question.kind, prompt: renderMergeTemplate(question.prompt, values), choices: question.choices };
}
