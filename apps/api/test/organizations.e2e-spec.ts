import type { INestApplication, INestApplicationContext } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { MembershipRole, type OrganizationEntity } from '@app/identity';
import { RecordingLogDestination } from '@app/observability';
import { IdentityFactory, type MembershipGrant, type SignedInAgent, signInAs, type TestContext } from '@app/testing';
import { closeApiUnderTest, startApiUnderTest } from './api-under-test';

interface OrganizationBody {
  id: string;
  slug: string;
  name: string;
  kind: string;
  regionCounties: string[];
  anchor: { id: string; slug: string; name: string } | null;
  members: Array<{ id: string; slug: string; name: string }>;
}

interface PersonBody {
  userId: string;
  email: string;
  displayName: string;
  memberships: Array<{ id: string; organization: { slug: string } | null; role: string }>;
}

describe('organizations, people and memberships (/api/organizations, /api/people, /api/memberships)', () => {
  let context: TestContext;
  let app: INestApplication;
  let owner: INestApplicationContext;
  let ownerSql: DataSource;
  let identity: IdentityFactory;
  const logs = new RecordingLogDestination();
  const emails: string[] = [];

  let allianceId: string;
  let allianceSlug: string;
  let otherAllianceSlug: string;
  let anchorOne: OrganizationEntity;
  let anchorTwo: OrganizationEntity;
  let memberOneA: OrganizationEntity;
  let memberOneB: OrganizationEntity;
  let memberTwoA: OrganizationEntity;
  let foreignAnchor: OrganizationEntity;

  let admin: SignedInAgent;
  let anchorLead: SignedInAgent;
  let orgLead: SignedInAgent;
  let dataLead: SignedInAgent;
  let volunteer: SignedInAgent;
  let foreignAdmin: SignedInAgent;

  beforeAll(async () => {
    ({ context, owner, app } = await startApiUnderTest({ logDestination: logs }));
    ownerSql = owner.get(DataSource);
    identity = new IdentityFactory(ownerSql);

    const alliance = await identity.alliance();
    const other = await identity.alliance();
    [allianceId, allianceSlug, otherAllianceSlug] = [alliance.id, alliance.slug, other.slug];
    anchorOne = await identity.anchor(allianceId, { name: 'Anchor One', regionCounties: ['Alameda', 'Contra Costa'] });
    anchorTwo = await identity.anchor(allianceId, { name: 'Anchor Two', regionCounties: ['Fresno'] });
    memberOneA = await identity.member(allianceId, anchorOne.id, { name: 'Member One A' });
    memberOneB = await identity.member(allianceId, anchorOne.id, { name: 'Member One B' });
    memberTwoA = await identity.member(allianceId, anchorTwo.id, { name: 'Member Two A' });
    foreignAnchor = await identity.anchor(other.id, { name: 'Foreign Anchor' });

    admin = await as({ organizationId: null, role: MembershipRole.AllianceAdmin });
    anchorLead = await as({ organizationId: anchorOne.id, role: MembershipRole.AnchorLead });
    orgLead = await as({ organizationId: memberOneA.id, role: MembershipRole.OrgLead });
    dataLead = await as({ organizationId: null, role: MembershipRole.DataLead });
    volunteer = await as({ organizationId: memberOneA.id, role: MembershipRole.Volunteer });
    foreignAdmin = await signInAs(server(), ownerSql, [{ allianceId: other.id, organizationId: null, role: MembershipRole.AllianceAdmin }]);
    emails.push(foreignAdmin.email);
  }, 60_000);

  afterAll(async () => {
    await closeApiUnderTest({ app, owner, context });
  });

  const server = () => app.getHttpServer();

  async function as(grant: Omit<MembershipGrant, 'allianceId'>, ...more: Array<Omit<MembershipGrant, 'allianceId'>>): Promise<SignedInAgent> {
    const agent = await signInAs(
      server(),
      ownerSql,
      [grant, ...more].map((each) => ({ allianceId, ...each })),
    );
    emails.push(agent.email);
    return agent;
  }

  const post = (who: SignedInAgent, path: string, body: object) => who.agent.post(path).set('X-CSRF-Token', who.csrfToken).send(body);
  const patch = (who: SignedInAgent, path: string, body: object) => who.agent.patch(path).set('X-CSRF-Token', who.csrfToken).send(body);
  const remove = (who: SignedInAgent, path: string) => who.agent.delete(path).set('X-CSRF-Token', who.csrfToken);

  let slugCounter = 0;
  const newSlug = (prefix: string) => `${prefix}-${++slugCounter}-${Date.now().toString(36)}`;

  async function auditEvents(action: string, subjectId: string): Promise<Array<{ actor_user_id: string | null; details: Record<string, unknown> }>> {
    return ownerSql.query(`SELECT actor_user_id, details FROM audit_event WHERE alliance_id = $1 AND action = $2 AND subject_id = $3 ORDER BY id`, [
      allianceId,
      action,
      subjectId,
    ]);
  }

  async function membershipOf(userId: string): Promise<string> {
    const [{ id }] = await ownerSql.query(`SELECT id FROM membership WHERE user_id = $1`, [userId]);
    return id;
  }

  describe('organizations', () => {
    it('should list anchors with their region and members, and members with their anchor, to every role of the alliance', async () => {
      const listed = await volunteer.agent.get('/api/organizations').expect(200);
      expect(listed.body.alliance).toBe(allianceSlug);
      const bySlug = new Map((listed.body.organizations as OrganizationBody[]).map((organization) => [organization.slug, organization]));
      expect(bySlug.get(anchorOne.slug)).toEqual({
        id: anchorOne.id,
        slug: anchorOne.slug,
        name: 'Anchor One',
        kind: 'anchor',
        regionCounties: ['Alameda', 'Contra Costa'],
        anchor: null,
        members: expect.arrayContaining([
          { id: memberOneA.id, slug: memberOneA.slug, name: 'Member One A' },
          { id: memberOneB.id, slug: memberOneB.slug, name: 'Member One B' },
        ]),
      });
      expect(bySlug.get(memberTwoA.slug)).toMatchObject({
        kind: 'member',
        regionCounties: [],
        anchor: { id: anchorTwo.id, slug: anchorTwo.slug, name: 'Anchor Two' },
        members: [],
      });
      expect(bySlug.has(foreignAnchor.slug)).toBe(false);
      const kinds = (listed.body.organizations as OrganizationBody[]).map((organization) => organization.kind);
      expect(kinds).toEqual([...kinds].sort());

      const one = await dataLead.agent.get(`/api/organizations/${memberOneA.slug}`).expect(200);
      expect(one.body).toMatchObject({ slug: memberOneA.slug, anchor: { slug: anchorOne.slug } });
    });

    it('should let only an alliance admin create an anchor, and record it in the audit log', async () => {
      const body = { kind: 'anchor', slug: newSlug('anchor'), name: '  Inland   Coalition ', regionCounties: ['Riverside', ' San  Bernardino', 'riverside'] };
      for (const refused of [anchorLead, orgLead, dataLead, volunteer]) {
        const response = await post(refused, '/api/organizations', body).expect(403);
        expect(response.body.code).toBe('forbidden');
      }
      const created = await post(admin, '/api/organizations', body).expect(201);
      expect(created.body).toMatchObject({
        slug: body.slug,
        name: 'Inland Coalition',
        kind: 'anchor',
        regionCounties: ['Riverside', 'San Bernardino'],
        anchor: null,
        members: [],
      });
      expect(await auditEvents('organization.created', created.body.id)).toEqual([
        { actor_user_id: admin.userId, details: { slug: body.slug, kind: 'anchor', parentAnchorId: null } },
      ]);
      const taken = await post(admin, '/api/organizations', body).expect(409);
      expect(taken.body).toMatchObject({ code: 'conflict', details: { field: 'slug' } });
    });

    it("should let an alliance admin add a member under any anchor, and an anchor's lead only under its own", async () => {
      const underOne = await post(anchorLead, '/api/organizations', {
        kind: 'member',
        slug: newSlug('member'),
        name: 'New Member',
        anchor: anchorOne.slug,
      }).expect(201);
      expect(underOne.body).toMatchObject({ kind: 'member', anchor: { slug: anchorOne.slug }, regionCounties: [] });
      const refused = await post(anchorLead, '/api/organizations', { kind: 'member', slug: newSlug('member'), name: 'X', anchor: anchorTwo.slug }).expect(403);
      expect(refused.body.message).toContain(anchorTwo.slug);
      for (const other of [orgLead, dataLead, volunteer]) {
        await post(other, '/api/organizations', { kind: 'member', slug: newSlug('member'), name: 'X', anchor: anchorOne.slug }).expect(403);
      }
      await post(admin, '/api/organizations', { kind: 'member', slug: newSlug('member'), name: 'Y', anchor: anchorTwo.slug }).expect(201);
      const anchorView = await admin.agent.get(`/api/organizations/${anchorOne.slug}`).expect(200);
      expect((anchorView.body as OrganizationBody).members.map((member) => member.slug)).toContain(underOne.body.slug);
    });

    it.each([
      [{ slug: 'ok-slug', name: 'N', regionCounties: ['A'] }, /kind must be one of anchor, member/, undefined],
      [{ kind: 'anchor', name: 'N', regionCounties: ['A'] }, /slug must be 1 to 63 lower-case letters/, undefined],
      [{ kind: 'anchor', slug: 'Bad Slug', name: 'N', regionCounties: ['A'] }, /slug must be 1 to 63 lower-case letters/, undefined],
      [{ kind: 'anchor', slug: 'ok-slug', regionCounties: ['A'] }, /name must be 1 to 200 characters/, undefined],
      [{ kind: 'anchor', slug: 'ok-slug', name: '   ', regionCounties: ['A'] }, /name must not be blank/, 'name'],
      [{ kind: 'anchor', slug: 'ok-slug', name: 'N' }, /regionCounties must list the counties/, 'regionCounties'],
      [{ kind: 'anchor', slug: 'ok-slug', name: 'N', regionCounties: [] }, /regionCounties must list at least one county/, 'regionCounties'],
      [{ kind: 'anchor', slug: 'ok-slug', name: 'N', regionCounties: 'Alameda' }, /regionCounties must be a list of county names/, undefined],
      [{ kind: 'anchor', slug: 'ok-slug', name: 'N', regionCounties: ['A'], anchor: 'x' }, /anchor must be left out/, 'anchor'],
      [{ kind: 'member', slug: 'ok-slug', name: 'N' }, /anchor must name the anchor/, 'anchor'],
      [{ kind: 'member', slug: 'ok-slug', name: 'N', anchor: 'a', regionCounties: ['A'] }, /regionCounties must be left out/, 'regionCounties'],
      [{ kind: 'anchor', slug: 'ok-slug', name: 'N', regionCounties: ['A'], colour: 'red' }, /property colour should not exist/, undefined],
    ])('should answer 400 naming the field for %p', async (body, message, field) => {
      const response = await post(admin, '/api/organizations', body).expect(400);
      expect(response.body.message).toMatch(message);
      if (field !== undefined) expect(response.body.details).toEqual({ field });
    });

    it('should refuse a member under a member organization or an unknown anchor', async () => {
      const underMember = await post(admin, '/api/organizations', { kind: 'member', slug: newSlug('member'), name: 'N', anchor: memberOneA.slug }).expect(400);
      expect(underMember.body.details).toEqual({ field: 'anchor' });
      const unknown = await post(admin, '/api/organizations', { kind: 'member', slug: newSlug('member'), name: 'N', anchor: 'no-such-anchor' }).expect(404);
      expect(unknown.body.details).toEqual({ field: 'anchor' });
    });

    it("should let an anchor's lead rename its own anchor only, and only an alliance admin redraw a region", async () => {
      const renamed = await patch(anchorLead, `/api/organizations/${anchorOne.slug}`, { name: 'Anchor One Renamed' }).expect(200);
      expect(renamed.body).toMatchObject({ name: 'Anchor One Renamed', regionCounties: ['Alameda', 'Contra Costa'] });
      await patch(anchorLead, `/api/organizations/${anchorTwo.slug}`, { name: 'Not Mine' }).expect(403);
      await patch(anchorLead, `/api/organizations/${memberOneA.slug}`, { name: 'Not An Anchor' }).expect(403);
      await patch(anchorLead, `/api/organizations/${anchorOne.slug}`, { regionCounties: ['Kern'] }).expect(403);
      for (const other of [orgLead, dataLead, volunteer]) await patch(other, `/api/organizations/${memberOneA.slug}`, { name: 'No' }).expect(403);

      const redrawn = await patch(admin, `/api/organizations/${anchorOne.slug}`, { regionCounties: ['Alameda', 'Santa Clara'] }).expect(200);
      expect(redrawn.body).toMatchObject({ name: 'Anchor One Renamed', regionCounties: ['Alameda', 'Santa Clara'] });
      await patch(admin, `/api/organizations/${memberOneB.slug}`, { name: 'Member One B, Renamed' }).expect(200);
      const memberRegion = await patch(admin, `/api/organizations/${memberOneB.slug}`, { regionCounties: ['Kern'] }).expect(400);
      expect(memberRegion.body.details).toEqual({ field: 'regionCounties' });
      const nothing = await patch(admin, `/api/organizations/${memberOneB.slug}`, {}).expect(400);
      expect(nothing.body.message).toMatch(/Nothing to change/);
      const events = await auditEvents('organization.updated', anchorOne.id);
      expect(events.map((event) => event.details)).toEqual([{ changed: ['name'] }, { changed: ['regionCounties'] }]);
      expect(events[0].actor_user_id).toBe(anchorLead.userId);
    });

    it('should refuse to delete an anchor that still has members, or an organization people belong to, naming why', async () => {
      const anchorRefused = await remove(admin, `/api/organizations/${anchorTwo.slug}`).expect(409);
      expect(anchorRefused.body).toMatchObject({ code: 'conflict', details: { reason: 'has_members' } });
      expect(anchorRefused.body.message).toMatch(/still anchors \d+ member organization/);
      const peopleRefused = await remove(admin, `/api/organizations/${memberOneA.slug}`).expect(409);
      expect(peopleRefused.body).toMatchObject({ details: { reason: 'has_people' } });
      expect(peopleRefused.body.message).toMatch(/still belong|still belongs/);
      await admin.agent.get(`/api/organizations/${anchorTwo.slug}`).expect(200);
    });

    it('should let only an alliance admin delete an organization, and audit it', async () => {
      const anchor = await post(admin, '/api/organizations', { kind: 'anchor', slug: newSlug('gone'), name: 'Gone', regionCounties: ['Kern'] }).expect(201);
      const member = await post(admin, '/api/organizations', { kind: 'member', slug: newSlug('gone'), name: 'Gone', anchor: anchor.body.slug }).expect(201);
      await remove(anchorLead, `/api/organizations/${member.body.slug}`).expect(403);
      await remove(orgLead, `/api/organizations/${member.body.slug}`).expect(403);
      await remove(admin, `/api/organizations/${member.body.slug}`).expect(204);
      await remove(admin, `/api/organizations/${anchor.body.slug}`).expect(204);
      await admin.agent.get(`/api/organizations/${anchor.body.slug}`).expect(404);
      await remove(admin, `/api/organizations/${anchor.body.slug}`).expect(404);
      expect(await auditEvents('organization.deleted', anchor.body.id)).toEqual([
        { actor_user_id: admin.userId, details: { slug: anchor.body.slug, kind: 'anchor' } },
      ]);
    });

    it("should answer 404 for another alliance's organizations, whichever way they are asked for", async () => {
      await admin.agent.get(`/api/organizations/${foreignAnchor.slug}`).expect(404);
      await admin.agent.get(`/api/organizations/${foreignAnchor.slug}`).query({ alliance: otherAllianceSlug }).expect(404);
      await admin.agent.get('/api/organizations').query({ alliance: otherAllianceSlug }).expect(404);
      await patch(admin, `/api/organizations/${foreignAnchor.slug}`, { name: 'Mine Now' }).expect(404);
      await patch(admin, `/api/organizations/${foreignAnchor.slug}?alliance=${otherAllianceSlug}`, { name: 'Mine Now' }).expect(404);
      await remove(admin, `/api/organizations/${foreignAnchor.slug}`).expect(404);
      await post(admin, '/api/organizations', { kind: 'member', slug: newSlug('member'), name: 'N', anchor: foreignAnchor.slug }).expect(404);
      await foreignAdmin.agent.get(`/api/organizations/${anchorOne.slug}`).expect(404);
      const [{ name }] = await ownerSql.query(`SELECT name FROM organization WHERE id = $1`, [foreignAnchor.id]);
      expect(name).toBe('Foreign Anchor');
    });

    it('should need a session, and the anti-CSRF token for changes', async () => {
      await anchorLead.agent.get('/api/organizations').expect(200);
      const noToken = await admin.agent
        .post('/api/organizations')
        .send({ kind: 'anchor', slug: newSlug('csrf'), name: 'N', regionCounties: ['A'] })
        .expect(403);
      expect(noToken.body.message).toMatch(/X-CSRF-Token/);
      await admin.agent.delete(`/api/organizations/${memberOneB.slug}`).expect(403);
    });
  });

  describe('people', () => {
    it('should show an alliance admin everyone, alliance-wide roles included', async () => {
      const response = await admin.agent.get('/api/people').expect(200);
      const people = response.body.people as PersonBody[];
      const ids = people.map((person) => person.userId);
      for (const each of [admin, anchorLead, orgLead, dataLead, volunteer]) expect(ids).toContain(each.userId);
      expect(ids).not.toContain(foreignAdmin.userId);
      expect(people.find((person) => person.userId === dataLead.userId)?.memberships).toEqual([
        { id: expect.any(String), organization: null, role: 'data_lead', createdAt: expect.any(String) },
      ]);
      expect(people.find((person) => person.userId === volunteer.userId)).toMatchObject({
        email: volunteer.email,
        displayName: 'Test User',
        memberships: [{ organization: { slug: memberOneA.slug, kind: 'member' }, role: 'volunteer' }],
      });
    });

    it("should show an anchor's lead its anchor's and members' people, an org lead its own, and refuse volunteers and data leads", async () => {
      const inOtherAnchor = await as({ organizationId: memberTwoA.id, role: MembershipRole.Volunteer });
      const seenByAnchor = ((await anchorLead.agent.get('/api/people').expect(200)).body.people as PersonBody[]).map((person) => person.userId);
      expect(seenByAnchor).toEqual(expect.arrayContaining([anchorLead.userId, orgLead.userId, volunteer.userId]));
      expect(seenByAnchor).not.toContain(inOtherAnchor.userId);
      expect(seenByAnchor).not.toContain(admin.userId);
      expect(seenByAnchor).not.toContain(dataLead.userId);

      const seenByOrgLead = ((await orgLead.agent.get('/api/people').expect(200)).body.people as PersonBody[]).map((person) => person.userId);
      expect(seenByOrgLead.sort()).toEqual([orgLead.userId, volunteer.userId].sort());

      await volunteer.agent.get('/api/people').expect(403);
      await dataLead.agent.get('/api/people').expect(403);
    });

    it('should list the people of one organization to those who manage it, 403 to others, 404 for unknown or foreign ones', async () => {
      const own = await orgLead.agent.get(`/api/organizations/${memberOneA.slug}/people`).expect(200);
      expect(own.body.organization).toEqual({ id: memberOneA.id, slug: memberOneA.slug, name: 'Member One A' });
      expect((own.body.people as PersonBody[]).map((person) => person.userId).sort()).toEqual([orgLead.userId, volunteer.userId].sort());
      await orgLead.agent.get(`/api/organizations/${memberOneB.slug}/people`).expect(403);
      await anchorLead.agent.get(`/api/organizations/${memberOneA.slug}/people`).expect(200);
      await anchorLead.agent.get(`/api/organizations/${memberTwoA.slug}/people`).expect(403);
      await volunteer.agent.get(`/api/organizations/${memberOneA.slug}/people`).expect(403);
      await admin.agent.get(`/api/organizations/${memberTwoA.slug}/people`).expect(200);
      await admin.agent.get('/api/organizations/no-such-org/people').expect(404);
      await admin.agent.get(`/api/organizations/${foreignAnchor.slug}/people`).expect(404);
      await admin.agent.get(`/api/organizations/${foreignAnchor.slug}/people`).query({ alliance: otherAllianceSlug }).expect(404);
    });
  });

  describe('memberships', () => {
    it('should let an org lead make a volunteer of its own organization an org lead, audit it, and show the change', async () => {
      const person = await as({ organizationId: memberOneA.id, role: MembershipRole.Volunteer });
      const membershipId = await membershipOf(person.userId);
      const changed = await patch(orgLead, `/api/memberships/${membershipId}`, { role: 'org_lead' }).expect(200);
      expect(changed.body).toMatchObject({
        userId: person.userId,
        memberships: [{ id: membershipId, role: 'org_lead', organization: { slug: memberOneA.slug } }],
      });
      const [{ role }] = await ownerSql.query(`SELECT role FROM membership WHERE id = $1`, [membershipId]);
      expect(role).toBe('org_lead');
      expect(await auditEvents('membership.role_changed', membershipId)).toEqual([
        {
          actor_user_id: orgLead.userId,
          details: { userId: person.userId, organizationId: memberOneA.id, from: 'volunteer', to: 'org_lead' },
        },
      ]);
    });

    it('should never let anyone grant a role above their own, nor change a membership above it', async () => {
      // An org lead of an anchor: it reaches the anchor, where anchor_lead can be held, but may not grant it.
      const anchorOrgLead = await as({ organizationId: anchorOne.id, role: MembershipRole.OrgLead });
      const anchorVolunteer = await as({ organizationId: anchorOne.id, role: MembershipRole.Volunteer });
      const volunteerMembership = await membershipOf(anchorVolunteer.userId);
      const above = await patch(anchorOrgLead, `/api/memberships/${volunteerMembership}`, { role: 'anchor_lead' }).expect(403);
      expect(above.body.message).toMatch(/does not allow granting anchor_lead/);
      const anchorLeadMembership = await membershipOf(anchorLead.userId);
      await patch(anchorOrgLead, `/api/memberships/${anchorLeadMembership}`, { role: 'volunteer' }).expect(403);
      await remove(anchorOrgLead, `/api/memberships/${anchorLeadMembership}`).expect(403);
      // An anchor lead may grant its own role in its anchor, but never touch the alliance-wide roles.
      await patch(anchorLead, `/api/memberships/${volunteerMembership}`, { role: 'anchor_lead' }).expect(200);
      const dataLeadMembership = await membershipOf(dataLead.userId);
      await patch(anchorLead, `/api/memberships/${dataLeadMembership}`, { role: 'alliance_admin' }).expect(403);
      await remove(anchorLead, `/api/memberships/${dataLeadMembership}`).expect(403);
      const [{ role }] = await ownerSql.query(`SELECT role FROM membership WHERE id = $1`, [dataLeadMembership]);
      expect(role).toBe('data_lead');
    });

    it('should keep each lead to the organizations it manages, and volunteers and data leads out', async () => {
      const elsewhere = await as({ organizationId: memberTwoA.id, role: MembershipRole.Volunteer });
      const elsewhereMembership = await membershipOf(elsewhere.userId);
      const sibling = await as({ organizationId: memberOneB.id, role: MembershipRole.Volunteer });
      const siblingMembership = await membershipOf(sibling.userId);
      const refused = await patch(anchorLead, `/api/memberships/${elsewhereMembership}`, { role: 'org_lead' }).expect(403);
      expect(refused.body.message).toMatch(/do not manage the organization/);
      await patch(orgLead, `/api/memberships/${siblingMembership}`, { role: 'org_lead' }).expect(403);
      await patch(volunteer, `/api/memberships/${siblingMembership}`, { role: 'org_lead' }).expect(403);
      await patch(dataLead, `/api/memberships/${siblingMembership}`, { role: 'org_lead' }).expect(403);
      await patch(anchorLead, `/api/memberships/${siblingMembership}`, { role: 'org_lead' }).expect(200);
      await patch(admin, `/api/memberships/${elsewhereMembership}`, { role: 'org_lead' }).expect(200);
    });

    it('should answer 400 for a role that does not fit the membership, naming the field', async () => {
      const person = await as({ organizationId: memberOneA.id, role: MembershipRole.Volunteer });
      const membershipId = await membershipOf(person.userId);
      const unknownRole = await patch(admin, `/api/memberships/${membershipId}`, { role: 'boss' }).expect(400);
      expect(unknownRole.body.message).toBe('role must be one of alliance_admin, anchor_lead, org_lead, data_lead, volunteer');
      const allianceWide = await patch(admin, `/api/memberships/${membershipId}`, { role: 'alliance_admin' }).expect(400);
      expect(allianceWide.body.details).toEqual({ field: 'role' });
      const anchorRoleInMember = await patch(admin, `/api/memberships/${membershipId}`, { role: 'anchor_lead' }).expect(400);
      expect(anchorRoleInMember.body).toMatchObject({ message: expect.stringMatching(/anchor organization/), details: { field: 'role' } });
      const dataLeadMembership = await membershipOf(dataLead.userId);
      const intoOrganization = await patch(admin, `/api/memberships/${dataLeadMembership}`, { role: 'volunteer' }).expect(400);
      expect(intoOrganization.body.details).toEqual({ field: 'role' });
      const badId = await patch(admin, '/api/memberships/not-a-uuid', { role: 'volunteer' }).expect(400);
      expect(badId.body.message).toBe('id must be a UUID');
      await patch(admin, `/api/memberships/${membershipId}`, {}).expect(400);
    });

    it('should answer 409 when the person already holds the new role there', async () => {
      const person = await as(
        { organizationId: memberOneA.id, role: MembershipRole.Volunteer },
        { organizationId: memberOneA.id, role: MembershipRole.OrgLead },
      );
      const [{ id: volunteerMembership }] = await ownerSql.query(`SELECT id FROM membership WHERE user_id = $1 AND role = 'volunteer'`, [person.userId]);
      const conflict = await patch(admin, `/api/memberships/${volunteerMembership}`, { role: 'org_lead' }).expect(409);
      expect(conflict.body.details).toEqual({ field: 'role' });
    });

    it('should answer 404 for a membership of another alliance or none at all', async () => {
      const foreignMembership = await membershipOf(foreignAdmin.userId);
      const foreign = await patch(admin, `/api/memberships/${foreignMembership}`, { role: 'data_lead' }).expect(404);
      // The same answer as for a membership that does not exist: nothing says it exists elsewhere.
      expect(foreign.body.message).toBe(`Membership ${foreignMembership} was not found`);
      await remove(admin, `/api/memberships/${foreignMembership}`).expect(404);
      const none = await remove(admin, '/api/memberships/00000000-0000-4000-8000-000000000000').expect(404);
      expect(none.body.message).toBe('Membership 00000000-0000-4000-8000-000000000000 was not found');
      const [{ count }] = await ownerSql.query(`SELECT count(*)::int AS count FROM membership WHERE id = $1 AND role = 'alliance_admin'`, [foreignMembership]);
      expect(count).toBe(1);
    });

    it('should let managers remove memberships they manage, audit it, and refuse the rest', async () => {
      const person = await as({ organizationId: memberOneA.id, role: MembershipRole.Volunteer });
      const membershipId = await membershipOf(person.userId);
      await remove(volunteer, `/api/memberships/${membershipId}`).expect(403);
      await remove(orgLead, `/api/memberships/${membershipId}`).expect(204);
      await remove(orgLead, `/api/memberships/${membershipId}`).expect(404);
      expect(await auditEvents('membership.removed', membershipId)).toEqual([
        { actor_user_id: orgLead.userId, details: { userId: person.userId, organizationId: memberOneA.id, role: 'volunteer' } },
      ]);
      // The removed person's session no longer reaches the organization.
      await person.agent.get('/api/organizations').expect(403);
    });
  });

  describe('the last alliance admin', () => {
    let soleAllianceId: string;

    const asSole = (role: MembershipRole) => signInAs(server(), ownerSql, [{ allianceId: soleAllianceId, organizationId: null, role }]);

    beforeAll(async () => {
      soleAllianceId = (await identity.alliance()).id;
    });

    it('should refuse to remove or demote the only admin, even by themselves', async () => {
      const only = await asSole(MembershipRole.AllianceAdmin);
      const membershipId = await membershipOf(only.userId);
      const removal = await remove(only, `/api/memberships/${membershipId}`).expect(409);
      expect(removal.body).toMatchObject({ code: 'conflict', details: { reason: 'last_alliance_admin' } });
      const demotion = await patch(only, `/api/memberships/${membershipId}`, { role: 'data_lead' }).expect(409);
      expect(demotion.body.details).toEqual({ reason: 'last_alliance_admin' });

      const second = await asSole(MembershipRole.AllianceAdmin);
      await patch(second, `/api/memberships/${membershipId}`, { role: 'data_lead' }).expect(200);
      const secondMembership = await membershipOf(second.userId);
      await remove(second, `/api/memberships/${secondMembership}`).expect(409);
      await ownerSql.query(`DELETE FROM membership WHERE alliance_id = $1`, [soleAllianceId]);
    });

    it('should let only one of two admins removing each other at once succeed', async () => {
      for (let round = 0; round < 10; round += 1) {
        const first = await asSole(MembershipRole.AllianceAdmin);
        const second = await asSole(MembershipRole.AllianceAdmin);
        const [firstMembership, secondMembership] = [await membershipOf(first.userId), await membershipOf(second.userId)];
        const statuses = (
          await Promise.all([remove(first, `/api/memberships/${secondMembership}`), remove(second, `/api/memberships/${firstMembership}`)])
        ).map((response) => response.status);
        // The loser is refused as the last admin's remover, or (when the winner committed before it
        // even signed in) as someone no longer in the alliance.
        expect(statuses.filter((status) => status === 204)).toHaveLength(1);
        expect([[404], [409]]).toContainEqual(statuses.filter((status) => status !== 204));
        const [{ admins }] = await ownerSql.query(
          `SELECT count(*)::int AS admins FROM membership WHERE alliance_id = $1 AND role = 'alliance_admin' AND organization_id IS NULL`,
          [soleAllianceId],
        );
        expect(admins).toBe(1);
        await ownerSql.query(`DELETE FROM membership WHERE alliance_id = $1`, [soleAllianceId]);
      }
    });
  });

  it('should never write an email to the logs', () => {
    const everything = logs.lines.join('\n');
    expect(logs.lines.length).toBeGreaterThan(0);
    for (const email of emails) expect(everything).not.toContain(email);
  });
});
