import { Injectable } from '@nestjs/common';
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
import type { VoterSegmentView } from './voter-segment';

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
    const { model, taxonomy } = await this.context(actor.allianceId);
    const question = taxonomy.valuesQuestions.find((each) => each.key === request.questionKey);
    if (!question) {
      throw new DomainException(
        DomainErrorCode.ValidationFailed,
        `"${request.questionKey}" is not a values question of taxonomy version ${taxonomy.version}; the questions are ${taxonomy.valuesQuestions.map((each) => each.key).join(', ') || 'none'}`,
        { field: 'questionKey' },
      );
    }
    const answer = question.answers.find((each) => each.key === request.answerKey);
    if (!answer) {
      throw new DomainException(
        DomainErrorCode.ValidationFailed,
        `"${request.answerKey}" is not an answer to ${question.key}; the answers are ${question.answers.map((each) => each.key).join(', ')}`,
        { field: 'answerKey' },
      );
    }
    const keys = taxonomy.segments.map((segment) => segment.key);
    await this.rowScopes.run(actor.rowScope, async (manager) => {
      if (!(await this.evidence.visibleVoter(manager, actor.allianceId, voterId, { lock: true }))) throw new NotFoundDomainException('voter', voterId);
      const assignment = model ? await this.assignments.findForVoter(manager, model.id, voterId) : null;
      const prior = assignment?.modelProbabilities ?? keys.map(() => 1 / keys.length);
      const earlier = await this.evidence.listForVoter(manager, actor.allianceId, voterId);
      const before = posteriorOf(
        prior,
        keys,
        earlier.map((each) => each.likelihoods),
      );
      const after = posteriorOf(before, keys, [answer.likelihoods]);
      const beforeIndex = mostProbable(before, keys.length);
      const afterIndex = mostProbable(after, keys.length);
      const inserted = await this.evidence.insert(manager, {
        allianceId: actor.allianceId,
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
        recordedByUserId: actor.userId,
      });
      if (inserted && assignment && model) {
        await this.assignments.updateForVoter(manager, model.id, voterId, {
          segmentKey: keys[afterIndex],
          probability: after[afterIndex],
          evidenceCount: earlier.length + 1,
        });
      }
    });
    return this.voterSegment(actor, voterId);
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
