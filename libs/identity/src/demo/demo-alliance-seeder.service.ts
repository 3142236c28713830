import { Injectable } from '@nestjs/common';
import { hash } from '@node-rs/argon2';
import { AppConfig } from '@app/config';
import { OrganizationKind } from '../entities/organization-kind.enum';
import { IdentityRepository } from '../identity.repository';
import { ARGON2ID_PARAMETERS } from '../passwords/argon2id-parameters.constant';
import { DEMO_ALLIANCE, DEMO_ANCHORS, DEMO_COUNTIES, DEMO_LOGINS } from './demo-alliance.data';

export interface DemoSeedReport {
  readonly alliance: string;
  readonly anchors: number;
  readonly members: number;
  readonly counties: number;
  readonly logins: ReadonlyArray<{ email: string; role: string; organization: string }>;
  readonly password: string;
}

/** A demo member organization's slug, from its name. */
export const demoOrganizationSlug = (name: string): string =>
  name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 60);

/** Seeds the demo alliance in one transaction; running it again changes nothing but password hashes. */
@Injectable()
export class DemoAllianceSeeder {
  constructor(
    private readonly identity: IdentityRepository,
    private readonly config: AppConfig,
  ) {}

  async seed(): Promise<DemoSeedReport> {
    const passwordHash = await hash(this.config.demo.password, ARGON2ID_PARAMETERS);
    return this.identity.transaction(async (repository) => {
      const alliance = await repository.upsertAlliance(DEMO_ALLIANCE.slug, DEMO_ALLIANCE.name);
      const scopes: Record<string, { id: string | null; name: string }> = { alliance: { id: null, name: alliance.name } };
      for (const [index, anchor] of DEMO_ANCHORS.entries()) {
        const anchorRow = await repository.upsertOrganization(alliance.id, {
          slug: anchor.slug,
          name: anchor.name,
          kind: OrganizationKind.Anchor,
          parentAnchorId: null,
          regionCounties: anchor.counties,
        });
        if (index === 0) scopes['first-anchor'] = { id: anchorRow.id, name: anchorRow.name };
        for (const [memberIndex, memberName] of anchor.members.entries()) {
          const member = await repository.upsertOrganization(alliance.id, {
            slug: demoOrganizationSlug(memberName),
            name: memberName,
            kind: OrganizationKind.Member,
            parentAnchorId: anchorRow.id,
            regionCounties: [],
          });
          if (index === 0 && memberIndex === 0) scopes['first-member'] = { id: member.id, name: member.name };
        }
      }
      const logins = [];
      for (const login of DEMO_LOGINS) {
        const user = await repository.upsertUser(login.email, login.displayName, passwordHash);
        const scope = scopes[login.scope];
        await repository.ensureMembership(user.id, alliance.id, scope.id, login.role);
        logins.push({ email: login.email, role: login.role, organization: scope.name });
      }
      const counts = await repository.countOrganizations(alliance.id);
      return { alliance: alliance.slug, ...counts, counties: DEMO_COUNTIES.length, logins, password: this.config.demo.password };
    });
  }
}
