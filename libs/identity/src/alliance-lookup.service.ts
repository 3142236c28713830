import { Injectable } from '@nestjs/common';
import { DomainErrorCode, DomainException } from '@app/common';
import type { AllianceEntity } from './entities/alliance.entity';
import { IdentityRepository } from './identity.repository';

const LISTED_SLUGS = 20;

/** Finds the alliance an operator means: by slug, or the only one when a deployment has just one. */
@Injectable()
export class AllianceLookupService {
  constructor(private readonly identity: IdentityRepository) {}

  async resolve(slug: string | undefined): Promise<AllianceEntity> {
    if (slug !== undefined) {
      const alliance = await this.identity.findAllianceBySlug(slug);
      if (alliance) return alliance;
      const known = await this.identity.listAllianceSlugs(LISTED_SLUGS);
      throw new DomainException(DomainErrorCode.NotFound, `There is no alliance "${slug}"; known alliances: ${known.join(', ') || 'none (run seed demo)'}`, {
        slug,
      });
    }
    const known = await this.identity.listAllianceSlugs(2);
    if (known.length === 1) return (await this.identity.findAllianceBySlug(known[0]))!;
    throw new DomainException(
      DomainErrorCode.ValidationFailed,
      known.length === 0
        ? 'There is no alliance yet; create one first (npm run cli -- seed demo)'
        : 'There are several alliances; say which one by its slug (the alliance parameter, or --alliance on the command line)',
    );
  }
}
