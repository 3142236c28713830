import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { DomainErrorCode, DomainException, NotFoundDomainException } from '@app/common';
import { allianceWideAccess, RowScopeRunner } from '@app/database';
import { SegmentAssignmentRepository } from '../apply/segment-assignment.repository';
import { explainVoter } from '../explanations/segment-explainer';
import { VoterAttributesRepository } from '../features/voter-attributes.repository';
import { mostProbable } from '../models/segment-classifier';
import type { SegmentModelRecord } from '../models/segment-model';
import { SegmentModelRepository } from '../models/segment-model.repository';
import type { SegmentActor } from '../segment-actor';
import type { SegmentTaxonomy } from '../taxonomy/segment-taxonomy';
import { SegmentTaxonomyService } from '../taxonomy/segment-taxonomy.service';
import { posteriorOf } from './bayesian-update';
import { EVIDENCE_SOURCES, type EvidenceSource, type SegmentEvidenceRecord, SegmentEvidenceRepository } from './segment-evidence.repository';
import type { SegmentSummary, VoterSegmentView } from './voter-segment';

export interface ValuesAnswerRequest {
  readonly questionKey: string;
  readonly answerKey: string;
  readonly source: EvidenceSource;
  /** The contact attempt or message the answer came from: the same reference twice records once. */
  readonly sourceReference?: string | null;
}

/**
 * What conversations teach us: an answer to a values question updates the voter's segment by
 * Bayes' rule (see `posteriorOf`), is kept with its source, and shows in the voter's segment view.
 */
@Injectable()
export class SegmentEvidenceService {
  constructor(
    private readonly rowScopes: RowScopeRunner,
    private readonly evidence: SegmentEvidenceRepository,
    private readonly assignments: SegmentAssignmentRepository,
    private readonly models: SegmentModelRepository,
    private readonly taxonomies: SegmentTaxonomyService,
    private readonly attributes: VoterAttributesRepository,
  ) {}

  async recordAnswer(actor: SegmentActor, voterId: string, request: ValuesAnswerRequest): Promise<VoterSegmentView> {
    if (!EVIDENCE_SOURCES.includes(request.source)) {
      throw new DomainException(DomainErrorCode.ValidationFailed, `source must be one of ${EVIDENCE_SOURCES.join(', ')}`, { field: 'source' });
    }
    const context = await this.context(actor.allianceId);
    const answer = answerOf(context.taxonomy, request);
    if ('problem' in answer) throw new DomainException(DomainErrorCode.ValidationFailed, answer.problem, { field: answer.field });
    await this.rowScopes.run(actor.rowScope, async (manager) => {
      if (!(await this.evidence.visibleVoter(manager, actor.allianceId, voterId))) throw new NotFoundDomainException('voter', voterId);
      await this.applyAnswers(manager, context, { allianceId: actor.allianceId, userId: actor.userId }, voterId, [answer]);
    });
    return this.voterSegment(actor, voterId);
  }

  /**
   * Records a conversation's values answers inside the caller's transaction, whose row scope has
   * already admitted the voter (a calling session holding them). An answer the current taxonomy no
   * longer knows (it changed after the script was written) is left out and named in the result, so
   * the conversation itself is still saved.
   */
  async recordAnswersWithin(
    manager: EntityManager,
    recorder: { readonly allianceId: string; readonly userId: string | null },
    voterId: string,
    requests: readonly ValuesAnswerRequest[],
  ): Promise<{ readonly recorded: number; readonly unknown: readonly string[] }> {
    if (requests.length === 0) return { recorded: 0, unknown: [] };
    const context = await this.contextWithin(manager, recorder.allianceId);
    if (context === null) return { recorded: 0, unknown: requests.map((each) => each.questionKey) };
    const answers = requests.map((each) => answerOf(context.taxonomy, each));
    const known = answers.filter((each): each is ResolvedAnswer => !('problem' in each));
    const unknown = requests.filter((_, index) => 'problem' in answers[index]).map((each) => each.questionKey);
    return { recorded: known.length === 0 ? 0 : await this.applyAnswers(manager, context, recorder, voterId, known), unknown };
  }

  /** The segment a call card shows, read inside the caller's transaction (whose scope admits the voter); null while nothing is known. */
  async segmentWithin(manager: EntityManager, allianceId: string, voterId: string): Promise<SegmentSummary | null> {
    const context = await this.contextWithin(manager, allianceId);
    if (context === null) return null;
    const { model, taxonomy } = context;
    const keys = taxonomy.segments.map((segment) => segment.key);
    const assignment = model ? await this.assignments.findForVoter(manager, model.id, voterId) : null;
    const evidence = await this.evidence.listForVoter(manager, allianceId, voterId);
    if (assignment === null && evidence.length === 0) return null;
    const current = posteriorOf(
      assignment?.modelProbabilities ?? keys.map(() => 1 / keys.length),
      keys,
      evidence.map((each) => each.likelihoods),
    );
    const index = mostProbable(current, keys.length);
    const segment = taxonomy.segments[index];
    return { key: segment.key, name: segment.name, colour: segment.colour, probability: round(current[index]) };
  }

  /** Answers in order, each one Bayes' step on the last; one row each, once per source reference. Returns how many were new. */
  private async applyAnswers(
    manager: EntityManager,
    { model, taxonomy }: EvidenceContext,
    recorder: { readonly allianceId: string; readonly userId: string | null },
    voterId: string,
    answers: readonly ResolvedAnswer[],
  ): Promise<number> {
    await this.evidence.lockVoter(manager, recorder.allianceId, voterId);
    const keys = taxonomy.segments.map((segment) => segment.key);
    const assignment = model ? await this.assignments.findForVoter(manager, model.id, voterId) : null;
    const earlier = (await this.evidence.listForVoter(manager, recorder.allianceId, voterId)).map((each) => each.likelihoods);
    let before = posteriorOf(assignment?.modelProbabilities ?? keys.map(() => 1 / keys.length), keys, earlier);
    let recorded = 0;
    for (const { request, question, answer } of answers) {
      const after = posteriorOf(before, keys, [answer.likelihoods]);
      const beforeIndex = mostProbable(before, keys.length);
      const afterIndex = mostProbable(after, keys.length);
      const inserted = await this.evidence.insert(manager, {
        allianceId: recorder.allianceId,
        voterId,
        taxonomyId: taxonomy.id,
        questionKey: question.key,
        answerKey: answer.key,
        likelihoods: answer.likelihoods,
        source: request.source,
        sourceReference: request.sourceReference ?? null,
        modelId: model?.id ?? null,
        segmentBefore: assignment ? keys[beforeIndex] : null,
        probabilityBefore: assignment ? before[beforeIndex] : null,
        segmentAfter: keys[afterIndex],
        probabilityAfter: after[afterIndex],
        recordedByUserId: recorder.userId,
      });
      if (inserted === null) continue;
      recorded += 1;
      before = after;
    }
    if (recorded > 0 && assignment && model) {
      const index = mostProbable(before, keys.length);
      await this.assignments.updateForVoter(manager, model.id, voterId, {
        segmentKey: keys[index],
        probability: before[index],
        evidenceCount: earlier.length + recorded,
      });
    }
    return recorded;
  }

  /** `explain: false` skips the explanation and the place figures behind it (the call card needs only the segment). */
  async voterSegment(actor: SegmentActor, voterId: string, options: { readonly explain?: boolean } = {}): Promise<VoterSegmentView> {
    const { model, taxonomy } = await this.context(actor.allianceId);
    const keys = taxonomy.segments.map((segment) => segment.key);
    const { assignment, evidence } = await this.rowScopes.run(actor.rowScope, async (manager) => {
      if (!(await this.evidence.visibleVoter(manager, actor.allianceId, voterId))) throw new NotFoundDomainException('voter', voterId);
      return {
        assignment: model ? await this.assignments.findForVoter(manager, model.id, voterId) : null,
        evidence: await this.evidence.listForVoter(manager, actor.allianceId, voterId),
      };
    });
    const prior = assignment?.modelProbabilities ?? null;
    const current = posteriorOf(
      prior ?? keys.map(() => 1 / keys.length),
      keys,
      evidence.map((each) => each.likelihoods),
    );
    const known = prior !== null || evidence.length > 0;
    const segmentIndex = mostProbable(current, keys.length);
    const segment = known ? taxonomy.segments[segmentIndex] : null;
    // The precinct and county figures behind an explanation are the alliance's, not the reader's
    // slice of it: read alliance-wide, once the reader's own scope has shown the voter may be seen.
    // Only this voter's row and aggregates come back.
    const voter =
      assignment && model && options.explain !== false
        ? await this.rowScopes.run(allianceWideAccess(actor.allianceId).rowScope, async (manager) =>
            (await this.attributes.findByIds(manager, actor.allianceId, [voterId], new Date())).get(voterId),
          )
        : undefined;
    return {
      voterId,
      model: model && assignment ? { id: model.id, version: model.version, name: model.name, kind: model.kind } : null,
      segment: segment ? { key: segment.key, name: segment.name, colour: segment.colour, description: segment.description } : null,
      probability: known ? round(current[segmentIndex]) : null,
      probabilities: known ? byKey(keys, current) : {},
      modelProbabilities: prior ? byKey(keys, prior) : {},
      explanation: voter && model && segment ? explainVoter(model, taxonomy, voter, segment.key) : null,
      evidence: evidence.map((each) => describeEvidence(each, taxonomy)),
    };
  }

  /** The active model and the taxonomy it classifies into; the current taxonomy while no model is active. */
  private async context(allianceId: string): Promise<{ model: SegmentModelRecord | null; taxonomy: SegmentTaxonomy }> {
    const model = await this.models.active(allianceId);
    const taxonomy = model ? await this.taxonomies.find(allianceId, model.taxonomyId) : await this.taxonomies.current(allianceId);
    return { model, taxonomy };
  }

  /** The same, on the caller's connection (no second connection while it holds one); null before the alliance has any taxonomy. */
  private async contextWithin(manager: EntityManager, allianceId: string): Promise<EvidenceContext | null> {
    const { modelId, modelTaxonomyId, latestTaxonomyId } = await this.models.activeAndLatestTaxonomy(manager, allianceId);
    const taxonomyId = modelTaxonomyId ?? latestTaxonomyId;
    if (taxonomyId === null) return null;
    return { model: modelId === null ? null : { id: modelId }, taxonomy: await this.taxonomies.find(allianceId, taxonomyId, manager) };
  }
}

interface EvidenceContext {
  /** The active model: its id is all an answer or a card needs of it. */
  readonly model: { readonly id: string } | null;
  readonly taxonomy: SegmentTaxonomy;
}

interface ResolvedAnswer {
  readonly request: ValuesAnswerRequest;
  readonly question: SegmentTaxonomy['valuesQuestions'][number];
  readonly answer: SegmentTaxonomy['valuesQuestions'][number]['answers'][number];
}

/** The taxonomy's question and answer for a request, or what is wrong with it. */
function answerOf(taxonomy: SegmentTaxonomy, request: ValuesAnswerRequest): ResolvedAnswer | { readonly problem: string; readonly field: string } {
  const question = taxonomy.valuesQuestions.find((each) => each.key === request.questionKey);
  if (!question) {
    return {
      problem: `"${request.questionKey}" is not a values question of taxonomy version ${taxonomy.version}; the questions are ${taxonomy.valuesQuestions.map((each) => each.key).join(', ') || 'none'}`,
      field: 'questionKey',
    };
  }
  const answer = question.answers.find((each) => each.key === request.answerKey);
  if (!answer) {
    return {
      problem: `"${request.answerKey}" is not an answer to ${question.key}; the answers are ${question.answers.map((each) => each.key).join(', ')}`,
      field: 'answerKey',
    };
  }
  return { request, question, answer };
}

function describeEvidence(evidence: SegmentEvidenceRecord, taxonomy: SegmentTaxonomy): VoterSegmentView['evidence'][number] {
  const question = taxonomy.valuesQuestions.find((each) => each.key === evidence.questionKey);
  return {
    questionKey: evidence.questionKey,
    question: question?.prompt ?? evidence.questionKey,
    answerKey: evidence.answerKey,
    answer: question?.answers.find((each) => each.key === evidence.answerKey)?.label ?? evidence.answerKey,
    source: evidence.source,
    segmentAfter: evidence.segmentAfter,
    probabilityAfter: evidence.probabilityAfter,
    createdAt: evidence.createdAt,
  };
}

function byKey(keys: readonly string[], values: ArrayLike<number>): Record<string, number> {
  return Object.fromEntries(keys.map((key, index) => [key, round(values[index])]));
}

function round(value: number): number {
  return Math.round(value * 10000) / 10000;
}
