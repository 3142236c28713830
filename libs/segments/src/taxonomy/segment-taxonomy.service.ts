import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { NotFoundDomainException } from '@app/common';
import { AuditLogService } from '@app/identity';
import { assertAllianceWide, type SegmentActor } from '../segment-actor';
import { DEFAULT_TAXONOMY } from './default-taxonomy.constant';
import type { SegmentTaxonomy, SegmentTaxonomyInput } from './segment-taxonomy';
import { SegmentTaxonomyRepository } from './segment-taxonomy.repository';

const SAVE_ATTEMPTS = 5;
const CACHED_VERSIONS = 200;

/** An alliance's values taxonomy: the default until a data lead edits it; every edit is a new version. */
@Injectable()
export class SegmentTaxonomyService {
  private readonly versions = new Map<string, SegmentTaxonomy>();

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

  /** A version by id: versions never change, so each is read once per process. */
  async find(allianceId: string, id: string, manager?: EntityManager): Promise<SegmentTaxonomy> {
    const cached = this.versions.get(id);
    if (cached?.allianceId === allianceId) return cached;
    const taxonomy = await this.taxonomies.find(allianceId, id, manager);
    if (!taxonomy) throw new NotFoundDomainException('segment taxonomy', id);
    if (this.versions.size >= CACHED_VERSIONS) this.versions.clear();
    this.versions.set(id, taxonomy);
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
