import { Injectable } from '@nestjs/common';
import { DomainErrorCode, DomainException, NotFoundDomainException } from '@app/common';
import { type ActingOrganization, AuditLogService, type Authorization, countyKey, MembershipRole } from '@app/identity';
import { VoterSearchRepository } from '@app/voter-file';
import { splitPrecincts } from './precinct-split.util';
import { type TurfFilter, voterFilterOf } from './turf-filter';
import { type TurfRecord, TurfRepository } from './turf.repository';

export type TurfSplitMethod = 'precinct' | 'equal';
export const MAX_TURF_PARTS = 500;

export interface NewTurfRequest {
  readonly name: string;
  /** The anchor cutting it, by slug; needed only by someone who leads several. */
  readonly anchor?: string;
  readonly filter: TurfFilter;
}

/**
 * Cutting turf: a live count for a filter, a saved draft, its materialized voters, and its
 * split into parts. An anchor cuts only inside its region; the alliance (its admins) anywhere.
 */
@Injectable()
export class TurfService {
  constructor(
    private readonly turfs: TurfRepository,
    private readonly voters: VoterSearchRepository,
    private readonly audit: AuditLogService,
  ) {}

  /** How many active voters a filter matches, inside what the caller may cut. */
  async count(authorization: Authorization, anchor: string | undefined, filter: TurfFilter): Promise<number> {
    this.cutter(authorization, anchor, filter);
    return this.voters.count(voterFilterOf(authorization.allianceId, filter), authorization);
  }

  async create(authorization: Authorization, request: NewTurfRequest): Promise<TurfRecord> {
    const cutter = this.cutter(authorization, request.anchor, request.filter);
    const turf = await this.turfs.inScope(authorization, (manager) =>
      this.turfs.insert(manager, {
        allianceId: authorization.allianceId,
        organizationId: cutter?.id ?? null,
        parentTurfId: null,
        name: request.name,
        filter: request.filter,
        createdByUserId: authorization.userId,
      }),
    );
    await this.audit.record(authorization, 'turf.created', { subjectType: 'turf', subjectId: turf.id, details: { filter: request.filter } });
    return turf;
  }

  /** Freezes a draft's voters: later imports change the voter file, not the turf. */
  async materialize(authorization: Authorization, turfId: string): Promise<TurfRecord> {
    const turf = await this.changeable(authorization, turfId);
    await this.turfs.inScope(authorization, async (manager) => {
      const locked = await this.turfs.lock(manager, turf.id);
      if (locked.status === 'materialized')
        throw new DomainException(DomainErrorCode.Conflict, `Turf "${turf.name}" is already materialized`, { turf: turf.id });
      await this.turfs.materialize(manager, turf.id, voterFilterOf(turf.allianceId, turf.filter), authorization);
    });
    return (await this.turfs.find(authorization.allianceId, turf.id))!;
  }

  /**
   * Splits a materialized turf into parts: by precinct (whole precincts, sizes as even as that
   * allows) or into equal parts (sizes differ by at most one). The parts are turfs of their own.
   */
  async split(authorization: Authorization, turfId: string, parts: number, method: TurfSplitMethod): Promise<TurfRecord[]> {
    const turf = await this.changeable(authorization, turfId);
    if (!Number.isInteger(parts) || parts < 2 || parts > MAX_TURF_PARTS) {
      throw new DomainException(DomainErrorCode.ValidationFailed, `parts must be a whole number from 2 to ${MAX_TURF_PARTS}; got ${parts}`, {
        parameter: 'parts',
      });
    }
    const created = await this.turfs.inScope(authorization, async (manager) => {
      const locked = await this.turfs.lock(manager, turf.id);
      if (locked.status !== 'materialized')
        throw new DomainException(DomainErrorCode.Conflict, `Materialize turf "${turf.name}" before splitting it`, { turf: turf.id });
      const existing = await this.turfs.countParts(manager, turf.id);
      if (existing > 0) throw new DomainException(DomainErrorCode.Conflict, `Turf "${turf.name}" is already split into ${existing} parts`, { turf: turf.id });
      if ((locked.voterCount ?? 0) < parts) {
        throw new DomainException(DomainErrorCode.ValidationFailed, `Turf "${turf.name}" has ${locked.voterCount ?? 0} voters: too few for ${parts} parts`, {
          parameter: 'parts',
        });
      }
      const groups = method === 'precinct' ? await this.turfs.precinctGroups(manager, turf.id) : [];
      if (method === 'precinct' && groups.length < parts) {
        throw new DomainException(
          DomainErrorCode.ValidationFailed,
          `Turf "${turf.name}" spans ${groups.length} precincts, so it makes at most ${groups.length} parts that keep precincts whole`,
          { parameter: 'parts', precincts: groups.length },
        );
      }
      const partTurfs: TurfRecord[] = [];
      for (let index = 0; index < parts; index += 1) {
        partTurfs.push(
          await this.turfs.insert(
            manager,
            {
              allianceId: turf.allianceId,
              organizationId: turf.organizationId,
              parentTurfId: turf.id,
              name: `${turf.name.slice(0, 170)} (${index + 1} of ${parts})`,
              filter: turf.filter,
              createdByUserId: authorization.userId,
            },
            { voterCount: 0 },
          ),
        );
      }
      const partIds = partTurfs.map((part) => part.id);
      if (method === 'precinct') {
        const assignment = splitPrecincts(groups, parts);
        await this.turfs.fillPartsByPrecinct(
          manager,
          turf.id,
          groups,
          assignment.map((part) => partIds[part]),
        );
      } else {
        await this.turfs.fillEqualParts(manager, turf.id, partIds);
      }
      const sizes = await this.turfs.partSizes(manager, partIds);
      for (const id of partIds) await this.turfs.setVoterCount(manager, id, sizes.get(id) ?? 0);
      return partTurfs.map((part) => ({ ...part, voterCount: sizes.get(part.id) ?? 0 }));
    });
    await this.audit.record(authorization, 'turf.split', { subjectType: 'turf', subjectId: turf.id, details: { parts, method } });
    return created;
  }

  /** The alliance a turf belongs to; a missing turf is a 404. */
  async allianceOf(turfId: string): Promise<string> {
    const allianceId = await this.turfs.allianceOf(turfId);
    if (allianceId === null) throw new NotFoundDomainException('Turf', turfId);
    return allianceId;
  }

  /** The turf the caller may see: the alliance's, or what their organizations cut or hold. */
  list(authorization: Authorization): Promise<TurfRecord[]> {
    return this.turfs.list(authorization.allianceId, visibleOrganizations(authorization));
  }

  /** A turf the caller may see; another organization's answers as a missing one. */
  async visible(authorization: Authorization, turfId: string): Promise<TurfRecord> {
    const [turf] = await this.turfs.list(authorization.allianceId, visibleOrganizations(authorization), turfId);
    if (!turf) throw new NotFoundDomainException('Turf', turfId);
    return turf;
  }

  /** A turf the caller may change: the alliance's admins any, an anchor lead its anchor's. */
  async changeable(authorization: Authorization, turfId: string): Promise<TurfRecord> {
    const turf = await this.visible(authorization, turfId);
    if (!authorization.allianceWide && !this.anchorsOf(authorization).some((anchor) => anchor.id === turf.organizationId)) {
      throw new DomainException(DomainErrorCode.Forbidden, `Turf "${turf.name}" was cut by another organization: only it or the alliance may change it`);
    }
    return turf;
  }

  /** Who is cutting: the alliance (null), or one anchor the caller leads, whose region must hold the filter's counties. */
  private cutter(authorization: Authorization, anchorSlug: string | undefined, filter: TurfFilter): ActingOrganization | null {
    if (authorization.allianceWide) return null;
    const anchors = this.anchorsOf(authorization);
    const anchor = anchorSlug === undefined ? (anchors.length === 1 ? anchors[0] : undefined) : anchors.find((each) => each.slug === anchorSlug);
    if (anchor === undefined) {
      throw anchorSlug === undefined
        ? new DomainException(
            DomainErrorCode.ValidationFailed,
            `You lead several anchors; name one with anchor (${anchors.map((each) => each.slug).join(', ')})`,
            {
              parameter: 'anchor',
            },
          )
        : new DomainException(DomainErrorCode.Forbidden, `You do not lead an anchor "${anchorSlug}"`, { parameter: 'anchor' });
    }
    const region = anchor.regionCounties;
    if (filter.counties === undefined) {
      throw new DomainException(
        DomainErrorCode.ValidationFailed,
        `An anchor cuts turf inside its region: name counties in filter.county (${region.join(', ')})`,
        {
          parameter: 'filter.county',
          region,
        },
      );
    }
    const outside = filter.counties.filter((county) => !region.includes(countyKey(county)));
    if (outside.length > 0) {
      throw new DomainException(
        DomainErrorCode.Forbidden,
        `${outside.join(', ')} ${outside.length === 1 ? 'is' : 'are'} outside ${anchor.name}'s region (${region.join(', ')})`,
        {
          parameter: 'filter.county',
          outside,
          region,
        },
      );
    }
    return anchor;
  }

  private anchorsOf(authorization: Authorization): ActingOrganization[] {
    return authorization.actingOrganizations.filter((organization) => organization.role === MembershipRole.AnchorLead);
  }
}

/** Null for the whole alliance; else the organizations whose turf the caller sees (an anchor's members included). */
export function visibleOrganizations(authorization: Authorization): readonly string[] | null {
  if (authorization.allianceWide) return null;
  return authorization.rowScope.kind === 'organizations' ? authorization.rowScope.organizationIds : [];
}
