import { Injectable } from '@nestjs/common';
import { DomainErrorCode, DomainException, NotFoundDomainException } from '@app/common';
import { RowScopeRunner } from '@app/database';
import { assertAllianceWide, type SegmentActor } from '../segment-actor';
import { AuditLogService } from '@app/identity';
import { VoterAttributesRepository } from '../features/voter-attributes.repository';
import { parseValuesPoll } from '../polls/values-poll.parser';
import { describeRule } from '../rules/segment-rule.describer';
import { parseRuleModel } from '../rules/segment-rule.parser';
import { SegmentTaxonomyService } from '../taxonomy/segment-taxonomy.service';
import type { PollSummary, SegmentModelRecord, TrainingOptions } from './segment-model';
import { SegmentModelRepository } from './segment-model.repository';

export interface NewTrainedModelRequest {
  readonly name?: string;
  readonly fileName: string;
  readonly content: Buffer | string;
  readonly folds?: number;
  readonly seed?: number;
  /** Refuse the poll when more than this share of its rows match no voter (default 0.2). */
  readonly maxUnmatchedRate?: number;
}

export interface RuleCounts {
  readonly total: number;
  readonly bySegment: Readonly<Record<string, number>>;
  /** Voters each rule wins (a voter counts for the first rule they meet only). */
  readonly byRule: readonly number[];
  readonly fallback: number;
  readonly rules: readonly string[];
}

export const DEFAULT_TRAINING_OPTIONS: TrainingOptions = { folds: 5, seed: 1, l2Grid: [0.3, 0.1, 0.03, 0.01, 0.003, 0.001] };
export const DEFAULT_MAX_UNMATCHED_RATE = 0.2;
/** Fewer respondents than this cannot say anything a data lead should act on. */
export const MIN_RESPONDENTS = 50;
const UNMATCHED_EXAMPLES = 20;

/** Creating models: rule lists (ready at once) and trained ones (queued with their poll). */
@Injectable()
export class SegmentModelService {
  constructor(
    private readonly models: SegmentModelRepository,
    private readonly taxonomies: SegmentTaxonomyService,
    private readonly attributes: VoterAttributesRepository,
    private readonly rowScopes: RowScopeRunner,
    private readonly audit: AuditLogService,
  ) {}

  list(allianceId: string): Promise<SegmentModelRecord[]> {
    return this.models.list(allianceId);
  }

  async find(allianceId: string, id: string): Promise<SegmentModelRecord> {
    const model = await this.models.find(allianceId, id);
    if (!model) throw new NotFoundDomainException('segment model', id);
    return model;
  }

  allianceOf(id: string): Promise<string | null> {
    return this.models.allianceOf(id);
  }

  async createRules(actor: SegmentActor, request: { readonly name: string; readonly definition: unknown }): Promise<SegmentModelRecord> {
    assertAllianceWide(actor, 'Writing a rule model');
    const taxonomy = await this.taxonomies.current(actor.allianceId);
    const definition = parseRuleModel(request.definition, taxonomy);
    const model = await this.models.transaction((manager) =>
      this.models.insert(manager, {
        allianceId: actor.allianceId,
        taxonomyId: taxonomy.id,
        name: request.name,
        kind: 'rules',
        definition,
        trainingOptions: {},
        poll: null,
        createdByUserId: actor.userId,
        correlationId: null,
      }),
    );
    await this.audit.record(actor, 'segments.rule_model_created', { subjectType: 'segment_model', subjectId: model.id, details: { version: model.version } });
    return model;
  }

  /** The live count behind the rules editor: how many of the voters the actor may see each rule and segment would take. */
  async countRules(actor: SegmentActor, body: unknown): Promise<RuleCounts> {
    const taxonomy = await this.taxonomies.current(actor.allianceId);
    const definition = parseRuleModel(body, taxonomy);
    const winners = await this.rowScopes.run(actor.rowScope, (manager) => this.attributes.countRuleWinners(manager, actor.allianceId, definition, new Date()));
    const bySegment: Record<string, number> = Object.fromEntries(taxonomy.segments.map((segment) => [segment.key, 0]));
    let total = 0;
    for (const [rule, voters] of winners) {
      total += voters;
      const segment = rule === -1 ? definition.fallbackSegment : definition.rules[rule].segment;
      bySegment[segment] += voters;
    }
    return {
      total,
      bySegment,
      byRule: definition.rules.map((_, index) => winners.get(index) ?? 0),
      fallback: winners.get(-1) ?? 0,
      rules: definition.rules.map((rule) => describeRule(rule, taxonomy)),
    };
  }

  /**
   * Checks a values poll and records it with a queued model, all or nothing: a malformed poll,
   * one mostly for another alliance, or one too small to learn from is refused and nothing is
   * written. Training itself is a job (`SegmentModelTrainingService.train`).
   */
  async createTrained(actor: SegmentActor, request: NewTrainedModelRequest): Promise<SegmentModelRecord> {
    assertAllianceWide(actor, 'Training a model');
    const options = trainingOptionsOf(request);
    const maxUnmatchedRate = request.maxUnmatchedRate ?? DEFAULT_MAX_UNMATCHED_RATE;
    if (!(maxUnmatchedRate >= 0 && maxUnmatchedRate <= 1)) {
      throw new DomainException(DomainErrorCode.ValidationFailed, 'maxUnmatchedRate must be a share between 0 and 1', { field: 'maxUnmatchedRate' });
    }
    const taxonomy = await this.taxonomies.current(actor.allianceId);
    const rows = parseValuesPoll(
      request.content,
      taxonomy.segments.map((segment) => segment.key),
    );
    const model = await this.rowScopes.run(actor.rowScope, async (manager) => {
      const voters = await this.models.matchVoters(
        manager,
        actor.allianceId,
        rows.map((row) => row.sourceVoterId),
      );
      const unmatched = rows.filter((row) => !voters.has(row.sourceVoterId));
      const inactive = rows.filter((row) => voters.get(row.sourceVoterId)?.active === false);
      const matched = rows.length - unmatched.length - inactive.length;
      const examples = unmatched.slice(0, UNMATCHED_EXAMPLES).map((row) => row.sourceVoterId);
      if (unmatched.length / rows.length > maxUnmatchedRate) {
        throw new DomainException(
          DomainErrorCode.ValidationFailed,
          `${unmatched.length} of ${rows.length} poll rows (${percent(unmatched.length / rows.length)}) match no voter of this alliance, more than the ${percent(maxUnmatchedRate)} allowed; ` +
            `is the poll for this alliance and keyed by the voter file's ids? Unmatched ids include ${examples.slice(0, 5).join(', ')}`,
          { field: 'poll', unmatched: unmatched.length, rows: rows.length, unmatchedExamples: examples },
        );
      }
      if (matched < Math.max(MIN_RESPONDENTS, options.folds)) {
        throw new DomainException(
          DomainErrorCode.ValidationFailed,
          `only ${matched} poll respondents match active voters; at least ${Math.max(MIN_RESPONDENTS, options.folds)} are needed to train and evaluate a model`,
          { field: 'poll', matched },
        );
      }
      const bySegment: Record<string, number> = Object.fromEntries(taxonomy.segments.map((segment) => [segment.key, 0]));
      for (const row of rows) if (voters.get(row.sourceVoterId)?.active) bySegment[row.segment] += 1;
      const poll: PollSummary = {
        fileName: request.fileName,
        rows: rows.length,
        matched,
        unmatched: unmatched.length,
        inactive: inactive.length,
        unmatchedExamples: examples,
        bySegment,
      };
      const created = await this.models.insert(manager, {
        allianceId: actor.allianceId,
        taxonomyId: taxonomy.id,
        name: request.name ?? `Trained on ${request.fileName}`,
        kind: 'trained',
        definition: null,
        trainingOptions: options,
        poll,
        createdByUserId: actor.userId,
        correlationId: null,
      });
      await this.models.insertPollResponses(
        manager,
        created.id,
        actor.allianceId,
        rows.map((row) => {
          const voter = voters.get(row.sourceVoterId);
          return { lineNumber: row.lineNumber, sourceVoterId: row.sourceVoterId, voterId: voter?.active ? voter.id : null, segmentKey: row.segment };
        }),
      );
      return created;
    });
    await this.audit.record(actor, 'segments.poll_uploaded', {
      subjectType: 'segment_model',
      subjectId: model.id,
      details: { version: model.version, rows: rows.length, matched: model.poll?.matched, unmatched: model.poll?.unmatched },
    });
    return model;
  }
}

function trainingOptionsOf(request: NewTrainedModelRequest): TrainingOptions {
  const folds = request.folds ?? DEFAULT_TRAINING_OPTIONS.folds;
  const seed = request.seed ?? DEFAULT_TRAINING_OPTIONS.seed;
  if (!Number.isInteger(folds) || folds < 2 || folds > 20) {
    throw new DomainException(DomainErrorCode.ValidationFailed, 'folds must be a whole number from 2 to 20', { field: 'folds' });
  }
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffff_ffff) {
    throw new DomainException(DomainErrorCode.ValidationFailed, 'seed must be a whole number from 0 to 4294967295', { field: 'seed' });
  }
  return { folds, seed, l2Grid: DEFAULT_TRAINING_OPTIONS.l2Grid };
}

function percent(share: number): string {
  return `${(share * 100).toFixed(share < 0.1 ? 1 : 0)}%`;
}
