import { Injectable } from '@nestjs/common';
import { NotFoundDomainException } from '@app/common';
import { AuditLogService } from '@app/identity';
import { assertAllianceWide, type SegmentActor } from '../segment-actor';
import { DEFAULT_TAXONOMY } from './default-taxonomy.constant';
import type { SegmentTaxonomy, SegmentTaxonomyInput } from './segment-taxonomy';
import { SegmentTaxonomyRepository } from './segment-taxonomy.repository';

const SAVE_ATTEMPTS = 5;

/** An alliance's values taxonomy: the default until a data lead edits it; every edit is a new version. */
@Injectable()
export class SegmentTaxonomyService {
  constructor(
    private readonly taxonomies: SegmentTaxonomyRepository,
    private readonly audit: AuditLogService,
  ) {}

  /** The alliance's current version, writing the default as version 1 the first time it is asked for. */
  async current(allianceId: string): Promise<SegmentTaxonomy> {
    const latest = await this.taxonomies.latest(allianceId);
    if (latest) return latest;
    await this.taxonomies.insertNext(allianceId, DEFAULT_TAXONOMY, null);
    const created = await this.taxonomies.latest(allianceId);
    if (!created) throw new Error(`the default segment taxonomy of alliance ${allianceId} could not be written`);
    return created;
  }

  async find(allianceId: string, id: string): Promise<SegmentTaxonomy> {
    const taxonomy = await this.taxonomies.find(allianceId, id);
    if (!taxonomy) throw new NotFoundDomainException('segment taxonomy', id);
    return taxonomy;
  }

  async save(actor: SegmentActor, input: SegmentTaxonomyInput): Promise<SegmentTaxonomy> {
    assertAllianceWide(actor, 'Editing the segment taxonomy');
    for (let attempt = 0; attempt < SAVE_ATTEMPTS; attempt += 1) {
      const saved = await this.taxonomies.insertNext(actor.allianceId, input, actor.userId);
      if (saved) {
        await this.audit.record(actor, 'segments.taxonomy_saved', {
          subjectType: 'segment_taxonomy',
          subjectId: saved.id,
          details: { version: saved.version, segments: saved.segments.map((segment) => segment.key) },
        });
        return saved;
      }
    }
    throw new Error(`could not save a new segment taxonomy version for alliance ${actor.allianceId} after ${SAVE_ATTEMPTS} attempts`);
  }
}
