import { randomBytes, randomUUID } from 'node:crypto';
import type { INestApplication, INestApplicationContext } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { allianceWideAccess, type RowAccessScope } from '@app/database';
import { AccessPolicyService, MembershipRole, type Permission } from '@app/identity';
import { RecordingLogDestination } from '@app/observability';
import { DEFAULT_CALL_SCRIPT, DEFAULT_SURVEY_QUESTIONS } from '@app/campaigns';
import { DEFAULT_TAXONOMY, SegmentApplicationService, SegmentEvidenceService, SegmentModelService } from '@app/segments';
import {
  createOwnerApplication,
  createTestContext,
  IdentityFactory,
  importSyntheticVoters,
  type SignedInAgent,
  signInAs,
  type TestContext,
} from '@app/testing';
import { createApiApplication } from '../src/api-application.factory';

/**
 * For every route of the OpenAPI document, each role of another organization (in another
 * alliance, and in the same alliance under another anchor) tries the victim organization's
 * resources. The first pass runs the api as it is; the second replaces the policy layer with one
 * that allows everything and narrows nothing, leaving PostgreSQL's row security as the only wall.
 */

interface Operation {
  readonly method: 'get' | 'post' | 'patch' | 'put' | 'delete';
  readonly path: string;
  readonly queryParameters: readonly string[];
  readonly bodyProperties: readonly string[] | null;
  readonly requiredBody: readonly string[];
  readonly multipart: boolean;
  /** The multipart field that carries the file (the required binary property). */
  readonly fileField: string | null;
}

interface Attacker {
  readonly label: string;
  readonly sameAlliance: boolean;
  agent: SignedInAgent;
}

/** Routes anyone may call: health, metrics, the docs, signing in, and what a link in an email opens. */
const PUBLIC_ROUTES = [
  /^get \/health$/,
  /^get \/metrics$/,
  /^(get|post) \/api\/system\/queue-probes/,
  /^post \/api\/auth\/sessions$/,
  /^(get|delete) \/api\/auth\/sessions\/current$/,
  /^post \/api\/invitations\/(lookup|accept)$/,
  /^post \/api\/password-resets(\/complete)?$/,
];
/**
 * What every member of an alliance may read about it: its organizations (names and regions, no
 * voters) and its segment models with their runs (shared by all its members; a distribution
 * counts only the voters the reader may see, which the second test holds to).
 */
const ALLIANCE_DIRECTORY = [
  /^get \/api\/organizations\/\{slug\}$/,
  /^get \/api\/segment-models\/\{id\}(\/distribution)?$/,
  /^get \/api\/segment-applications\/\{id\}$/,
];

describe('access matrix: every route × every role of another organization', () => {
  let context: TestContext;
  let owner: INestApplicationContext;
  let sql: DataSource;
  let operations: Operation[];
  const victim = {} as {
    alliance: { id: string; slug: string };
    anchor: { id: string; slug: string };
    member: { id: string; slug: string };
    county: string;
    turfId: string;
    assignmentId: string;
    importId: string;
    membershipId: string;
    segmentModelId: string;
    segmentApplicationId: string;
    phoneCampaignId: string;
    callingSessionId: string;
    callId: string;
    leaseId: string;
    voterIds: string[];
    markers: string[];
  };
  const otherCounty = { name: '' };
  const attackers: Attacker[] = [];

  beforeAll(async () => {
    context = await createTestContext();
    owner = await createOwnerApplication(context);
    sql = owner.get(DataSource);
    const identity = new IdentityFactory(sql);
    const allianceA = await identity.alliance();
    const allianceB = await identity.alliance();
    const imported = await importSyntheticVoters(owner, context, { allianceId: allianceA.id, rows: 1_200, seed: 51 });
    await importSyntheticVoters(owner, context, { allianceId: allianceB.id, rows: 300, seed: 52 });
    const [{ county }, { county: second }] = await sql.query(
      `SELECT county FROM voter WHERE alliance_id = $1 GROUP BY county ORDER BY count(*) DESC, county LIMIT 2`,
      [allianceA.id],
    );
    otherCounty.name = second;
    const anchorA1 = await identity.anchor(allianceA.id, { regionCounties: [county] });
    const memberM1 = await identity.member(allianceA.id, anchorA1.id);
    const anchorA2 = await identity.anchor(allianceA.id, { regionCounties: [second] });
    const memberM2 = await identity.member(allianceA.id, anchorA2.id);
    const anchorB1 = await identity.anchor(allianceB.id, { regionCounties: [county] });
    const memberB1 = await identity.member(allianceB.id, anchorB1.id);

    // The victim's voters (its anchor's whole region) carry unique first names and source ids, so a leak of any of them is plain to see.
    const marked: Array<{ id: string; marker: string; sourceMarker: string }> = await sql.query(
      `WITH marked AS (
         UPDATE voter SET first_name = 'VICTIM' || upper(substr(md5(random()::text), 1, 10)), source_voter_id = 'VICTIMSRC' || id
          WHERE alliance_id = $1 AND county = $2 RETURNING id::text, first_name AS marker, source_voter_id AS "sourceMarker")
       SELECT * FROM marked`,
      [allianceA.id, county],
    );
    const [{ id: campaignId }] = await sql.query(`INSERT INTO campaign (alliance_id, slug, name) VALUES ($1, 'fall', 'Fall') RETURNING id`, [allianceA.id]);
    // The member's own phone campaign, active, with a volunteer's session and one call on its list.
    const [{ id: phoneCampaignId }] = await sql.query(
      `INSERT INTO campaign (alliance_id, slug, name, organization_id, status, caller_ids, script, survey_questions)
       VALUES ($1, 'victim-calls', 'Victim calls', $2, 'active', '{+14155550123}', $3, $4) RETURNING id`,
      [allianceA.id, memberM1.id, JSON.stringify(DEFAULT_CALL_SCRIPT), JSON.stringify(DEFAULT_SURVEY_QUESTIONS)],
    );
    const [{ id: turfId }] = await sql.query(
      `INSERT INTO turf (alliance_id, organization_id, name, filter, status, voter_count, materialized_at)
       VALUES ($1, $2, 'Victim turf', $3, 'materialized', $4, now()) RETURNING id`,
      [allianceA.id, anchorA1.id, JSON.stringify({ counties: [county] }), marked.length],
    );
    await sql.query(`INSERT INTO turf_voter (turf_id, voter_id, alliance_id) SELECT $1, unnest($2::bigint[]), $3`, [
      turfId,
      marked.map((row) => row.id),
      allianceA.id,
    ]);
    const [{ id: assignmentId }] = await sql.query(
      `INSERT INTO turf_assignment (alliance_id, campaign_id, turf_id, organization_id, voter_count) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
      [allianceA.id, campaignId, turfId, memberM1.id, marked.length],
    );
    await sql.query(
      `INSERT INTO turf_assignment_voter (campaign_id, voter_id, alliance_id, organization_id, turf_assignment_id)
       SELECT $1, voter_id, alliance_id, $2, $3 FROM turf_voter WHERE turf_id = $4`,
      [campaignId, memberM1.id, assignmentId, turfId],
    );
    // The victim alliance's classifier: a model applied to every voter, and an answer recorded for one of them.
    const segmentActor = { allianceId: allianceA.id, userId: null, ...allianceWideAccess(allianceA.id) };
    const segmentModel = await owner.get(SegmentModelService).createRules(segmentActor, {
      name: 'Victim rules',
      definition: { rules: [{ segment: 'pro_tax_base', conditions: [{ field: 'county', values: [county] }] }], fallbackSegment: 'other' },
    });
    const segmentApplication = await owner.get(SegmentApplicationService).request(segmentActor, segmentModel.id, null);
    await owner.get(SegmentApplicationService).run(segmentApplication.id);
    await owner.get(SegmentEvidenceService).recordAnswer(segmentActor, marked[0].id, {
      questionKey: DEFAULT_TAXONOMY.valuesQuestions[0].key,
      answerKey: DEFAULT_TAXONOMY.valuesQuestions[0].answers[0].key,
      source: 'phone',
    });
    const victimLead = await identity.user();
    const membership = await identity.membership(victimLead.id, allianceA.id, memberM1.id, MembershipRole.OrgLead);
    const [{ id: callingSessionId }] = await sql.query(
      `INSERT INTO calling_session (alliance_id, campaign_id, organization_id, user_id) VALUES ($1, $2, $3, $4) RETURNING id`,
      [allianceA.id, phoneCampaignId, memberM1.id, victimLead.id],
    );
    const leaseId = randomUUID();
    const [{ id: contactId }] = await sql.query(
      `INSERT INTO campaign_contact (alliance_id, campaign_id, organization_id, phone, voter_id, household_voter_ids, lease_id, leased_session_id, leased_until)
       VALUES ($1, $2, $3, '+14155550177', $4, ARRAY[$4::bigint], $5, $6, now() + interval '1 hour') RETURNING id`,
      [allianceA.id, phoneCampaignId, memberM1.id, marked[0].id, leaseId, callingSessionId],
    );
    const [{ id: callId }] = await sql.query(
      `INSERT INTO call (alliance_id, campaign_id, organization_id, campaign_contact_id, calling_session_id, lease_id, to_phone, from_phone, provider, status)
       VALUES ($1, $2, $3, $4, $5, $6, '+14155550177', '+14155550123', 'carrier-sim', 'completed') RETURNING id`,
      [allianceA.id, phoneCampaignId, memberM1.id, contactId, callingSessionId, leaseId],
    );
    Object.assign(victim, {
      alliance: allianceA,
      anchor: anchorA1,
      member: memberM1,
      county,
      turfId,
      assignmentId,
      importId: imported.id,
      membershipId: membership.id,
      phoneCampaignId,
      callingSessionId,
      callId,
      leaseId,
      segmentModelId: segmentModel.id,
      segmentApplicationId: segmentApplication.id,
      voterIds: marked.map((row) => row.id),
      markers: marked.flatMap((row) => [row.marker, `"${row.sourceMarker}"`]),
    });
    attackers.push(
      ...[
        {
          label: 'alliance_admin of another alliance',
          sameAlliance: false,
          grant: { allianceId: allianceB.id, organizationId: null, role: MembershipRole.AllianceAdmin },
        },
        {
          label: 'data_lead of another alliance',
          sameAlliance: false,
          grant: { allianceId: allianceB.id, organizationId: null, role: MembershipRole.DataLead },
        },
        {
          label: 'anchor_lead of another alliance',
          sameAlliance: false,
          grant: { allianceId: allianceB.id, organizationId: anchorB1.id, role: MembershipRole.AnchorLead },
        },
        {
          label: 'org_lead of another alliance',
          sameAlliance: false,
          grant: { allianceId: allianceB.id, organizationId: memberB1.id, role: MembershipRole.OrgLead },
        },
        {
          label: 'volunteer of another alliance',
          sameAlliance: false,
          grant: { allianceId: allianceB.id, organizationId: memberB1.id, role: MembershipRole.Volunteer },
        },
        {
          label: 'anchor_lead of another anchor',
          sameAlliance: true,
          grant: { allianceId: allianceA.id, organizationId: anchorA2.id, role: MembershipRole.AnchorLead },
        },
        {
          label: 'org_lead of another member',
          sameAlliance: true,
          grant: { allianceId: allianceA.id, organizationId: memberM2.id, role: MembershipRole.OrgLead },
        },
        {
          label: 'volunteer of another member',
          sameAlliance: true,
          grant: { allianceId: allianceA.id, organizationId: memberM2.id, role: MembershipRole.Volunteer },
        },
      ].map(({ label, sameAlliance, grant }) => ({ label, sameAlliance, grant, agent: undefined as unknown as SignedInAgent })),
    );
  }, 180_000);

  afterAll(async () => {
    await owner?.close();
    await context?.dispose();
  });

  async function startApi(withoutPolicyLayer: boolean): Promise<INestApplication> {
    const app = await createApiApplication({ config: context.config, endpoints: context.endpoints, logDestination: new RecordingLogDestination() });
    await app.init();
    if (withoutPolicyLayer) removePolicyLayer(app.get(AccessPolicyService, { strict: false }));
    const { body } = await signInAs(app.getHttpServer(), sql, []).then(({ agent }) => agent.get('/api/docs-json'));
    operations = operationsOf(body as OpenApiDocument);
    for (const attacker of attackers as Array<Attacker & { grant: Parameters<typeof signInAs>[2][number] }>) {
      attacker.agent = await signInAs(app.getHttpServer(), sql, [attacker.grant]);
    }
    return app;
  }

  function requestFor(attacker: Attacker, operation: Operation) {
    const path = operation.path.replace(/\{(\w+)\}/g, (_, name: string) => pathValue(operation.path, name));
    let call = attacker.agent.agent[operation.method](path).set('X-CSRF-Token', attacker.agent.csrfToken);
    if (operation.queryParameters.includes('alliance')) call = call.query({ alliance: victim.alliance.slug });
    // Required choices of a read: the widest, so a leak would have the most to show.
    if (operation.queryParameters.includes('dimension')) call = call.query({ dimension: 'organization' });
    if (operation.queryParameters.includes('table')) call = call.query({ table: 'organization' });
    if (operation.multipart) {
      const upload =
        operation.fileField === 'poll' ? Buffer.from(`voter_id,segment\nVICTIMSRC${victim.voterIds[0]},other\n`) : Buffer.from('ncid\tlast_name\n1\tX\n');
      return call.field('alliance', victim.alliance.slug).attach(operation.fileField ?? 'file', upload, 'upload.txt');
    }
    if (operation.bodyProperties !== null) call = call.send(bodyFor(operation));
    return call;
  }

  function pathValue(path: string, name: string): string {
    if (name === 'slug') return victim.member.slug;
    if (name === 'batchId') return randomUUID();
    if (name === 'id' && path.startsWith('/api/turfs/')) return victim.turfId;
    if (name === 'id' && path.startsWith('/api/turf-assignments/')) return victim.assignmentId;
    if (name === 'id' && path.startsWith('/api/voter-imports/')) return victim.importId;
    if (name === 'id' && path.startsWith('/api/memberships/')) return victim.membershipId;
    if (name === 'id' && path.startsWith('/api/segment-models/')) return victim.segmentModelId;
    if (name === 'id' && path.startsWith('/api/segment-applications/')) return victim.segmentApplicationId;
    if (name === 'id' && path.startsWith('/api/voters/')) return victim.voterIds[0];
    if (name === 'id' && path.startsWith('/api/campaigns/')) return victim.phoneCampaignId;
    if (name === 'id' && path.startsWith('/api/calling-sessions/')) return victim.callingSessionId;
    if (name === 'callId') return victim.callId;
    if (name === 'phone') return encodeURIComponent('+19195550123');
    if (name === 'campaignId') return victim.phoneCampaignId;
    if (name === 'id' && path.startsWith('/api/texting/conversations/')) return randomUUID();
    throw new Error(`the access matrix has no victim value for {${name}} in ${path}: add one`);
  }

  function bodyFor(operation: Operation): Record<string, unknown> {
    const values: Record<string, unknown> = {
      alliance: victim.alliance.slug,
      organization: victim.member.slug,
      anchor: victim.anchor.slug,
      campaign: 'fall',
      filter: { county: [victim.county] },
      name: 'Taken over',
      slug: `taken-${randomBytes(3).toString('hex')}`,
      kind: 'member',
      parts: 2,
      method: 'equal',
      role: MembershipRole.Volunteer,
      email: `someone-${randomBytes(3).toString('hex')}@example.test`,
      regionCounties: [victim.county],
      skipConflicts: true,
      segments: DEFAULT_TAXONOMY.segments,
      valuesQuestions: DEFAULT_TAXONOMY.valuesQuestions,
      definition: { rules: [{ segment: 'other', conditions: [] }], fallbackSegment: 'other' },
      questionKey: DEFAULT_TAXONOMY.valuesQuestions[0].key,
      answerKey: DEFAULT_TAXONOMY.valuesQuestions[0].answers[0].key,
      source: 'manual',
      sourceReference: `attack-${randomBytes(3).toString('hex')}`,
      campaignId: victim.phoneCampaignId,
      organizationId: victim.member.id,
      leaseId: victim.leaseId,
      // the first call-list row: the victim's; a clicker's approval of it must be refused like any other write
      campaignContactId: '1',
      disposition: 'do_not_call',
      status: 'paused',
      state: 'ready',
      script: DEFAULT_CALL_SCRIPT,
      surveyQuestions: DEFAULT_SURVEY_QUESTIONS,
      callerIds: ['+14155550999'],
      reason: 'An attacker says the voter asked',
      body: 'Taken over',
      clientKey: randomUUID(),
      voters: 1_000,
      targetDate: '2027-01-01',
    };
    // A member organization works in its anchor's region and may not name one.
    if (operation.path === '/api/organizations' && operation.method === 'post') delete values.regionCounties;
    const missing = operation.requiredBody.filter((property) => !(property in values));
    if (missing.length > 0) throw new Error(`the access matrix has no value for ${missing.join(', ')} in ${operation.method} ${operation.path}: add one`);
    return Object.fromEntries(operation.bodyProperties!.filter((property) => property in values).map((property) => [property, values[property]]));
  }

  /** No victim voter's id or marked name in any response. */
  function expectNoVictimVoter(text: string, where: string): void {
    const leakedMarker = victim.markers.find((marker) => text.includes(marker));
    // A voter's id is only a number, which other records (audit events, counts) may share; it is a leak where it names a voter.
    const leakedId = victim.voterIds.find((id) => text.includes(`"id":"${id}","sourceVoterId"`) || text.includes(`"voterId":"${id}"`));
    expect({ where, leakedMarker, leakedId }).toEqual({ where, leakedMarker: undefined, leakedId: undefined });
  }

  async function snapshot(): Promise<unknown> {
    const tables = [
      'organization',
      'membership',
      'app_user',
      'campaign',
      'turf',
      'turf_voter',
      'turf_assignment',
      'turf_assignment_voter',
      'voter_import',
      'segment_model',
      'segment_poll_response',
      'segment_application',
      'segment_evidence',
      'calling_session',
      'call',
      'campaign_contact',
      'contact_attempt',
      'survey_response',
      'do_not_call',
      'progress_target',
    ];
    const counts = await Promise.all(tables.map(async (table) => [table, (await sql.query(`SELECT count(*)::int AS n FROM ${table}`))[0].n]));
    const [{ assignments }] = await sql.query(`SELECT md5(string_agg(a::text, '|' ORDER BY a.id)) AS assignments FROM turf_assignment a`);
    const [{ organizations }] = await sql.query(`SELECT md5(string_agg(o::text, '|' ORDER BY o.id)) AS organizations FROM organization o`);
    // Reading a taxonomy writes an alliance's default the first time; only an edit (by someone) changes it.
    const [{ taxonomyEdits }] = await sql.query(`SELECT count(*)::int AS "taxonomyEdits" FROM segment_taxonomy WHERE created_by_user_id IS NOT NULL`);
    const [{ segmentAssignments }] = await sql.query(
      `SELECT md5(string_agg(a::text, '|' ORDER BY a.model_id, a.voter_id)) AS "segmentAssignments" FROM segment_assignment a`,
    );
    const [{ campaigns }] = await sql.query(`SELECT md5(string_agg(c::text, '|' ORDER BY c.id)) AS campaigns FROM campaign c`);
    const [{ phoneBanking }] = await sql.query(
      `SELECT md5(concat((SELECT string_agg(s::text, '|' ORDER BY s.id) FROM calling_session s), (SELECT string_agg(k::text, '|' ORDER BY k.id) FROM campaign_contact k))) AS "phoneBanking"`,
    );
    return { counts: Object.fromEntries(counts), assignments, organizations, taxonomyEdits, segmentAssignments, campaigns, phoneBanking };
  }

  it('should answer 403 or 404 to another alliance on every route, keep same-alliance outsiders to their own, leak no voter and change nothing', async () => {
    const app = await startApi(false);
    try {
      const before = await snapshot();
      const guarded = operations.filter((operation) => !PUBLIC_ROUTES.some((pattern) => pattern.test(`${operation.method} ${operation.path}`)));
      expect(guarded.map((operation) => `${operation.method} ${operation.path}`)).toEqual(
        expect.arrayContaining(['get /api/voters', 'get /api/voters/export', 'post /api/turfs/{id}/assignments', 'delete /api/turf-assignments/{id}']),
      );
      const outcomes: string[] = [];
      for (const attacker of attackers) {
        for (const operation of guarded) {
          const route = `${operation.method} ${operation.path}`;
          const response = await requestFor(attacker, operation);
          expectNoVictimVoter(response.text ?? '', `${attacker.label}: ${route}`);
          const targetsVictim = operation.path.includes('{') && !ALLIANCE_DIRECTORY.some((pattern) => pattern.test(route));
          const mustRefuse = !attacker.sameAlliance || targetsVictim || operation.method !== 'get';
          if (mustRefuse && ![403, 404].includes(response.status))
            outcomes.push(`${attacker.label}: ${route} answered ${response.status} ${response.text.slice(0, 160)}`);
          if (!mustRefuse && ![200, 403, 404].includes(response.status)) outcomes.push(`${attacker.label}: ${route} answered ${response.status}`);
        }
      }
      expect(outcomes).toEqual([]);
      expect(await snapshot()).toEqual(before);
    } finally {
      await app.close();
    }
  });

  it('should still leak no victim voter with the policy layer replaced by one that allows everything: row security alone', async () => {
    const app = await startApi(true);
    try {
      const reads = operations.filter((operation) => operation.method === 'get' && !PUBLIC_ROUTES.some((pattern) => pattern.test(`get ${operation.path}`)));
      let answered = 0;
      for (const attacker of attackers.filter((each) => each.sameAlliance)) {
        for (const operation of reads) {
          const response = await requestFor(attacker, operation);
          expectNoVictimVoter(response.text ?? '', `${attacker.label} without the policy layer: get ${operation.path}`);
          if (response.status === 200) answered += 1;
        }
        // With the first wall down the voter list does answer; row security leaves only what the organization may see.
        const voters = await attacker.agent.agent.get('/api/voters').query({ alliance: victim.alliance.slug, county: victim.county, limit: 500 });
        expect({ who: attacker.label, status: voters.status, total: voters.body.total }).toEqual({ who: attacker.label, status: 200, total: 0 });
      }
      expect(answered).toBeGreaterThan(attackers.filter((each) => each.sameAlliance).length);
      // The same search, unguarded and as the victim's own anchor sees it, does find them: the zero above is the wall, not an empty county.
      const [{ inRegion }] = await sql.query(`SELECT count(*)::int AS "inRegion" FROM voter WHERE alliance_id = $1 AND county = $2 AND active`, [
        victim.alliance.id,
        victim.county,
      ]);
      expect(inRegion).toBe(victim.voterIds.length);
    } finally {
      await app.close();
    }
  });
});

/** Lets every role do everything and narrows no query: what is left is the database's row security. */
function removePolicyLayer(policy: AccessPolicyService): void {
  const firstWall = policy as unknown as { allows(role: MembershipRole, permission: Permission): boolean; visibilityOf(scope: RowAccessScope): RowAccessScope };
  jest.spyOn(firstWall, 'allows').mockReturnValue(true);
  jest.spyOn(firstWall, 'visibilityOf').mockImplementation((scope) => ({ kind: 'alliance', allianceId: scope.allianceId }));
}

interface OpenApiDocument {
  paths: Record<
    string,
    Record<string, { parameters?: Array<{ name: string; in: string }>; requestBody?: { content: Record<string, { schema: SchemaObject }> } }>
  >;
  components: { schemas: Record<string, SchemaObject> };
}

interface SchemaObject {
  $ref?: string;
  properties?: Record<string, unknown>;
  required?: string[];
  allOf?: SchemaObject[];
}

function fileFieldOf(schema: SchemaObject | undefined): string | null {
  const binary = Object.entries(schema?.properties ?? {}).find(([, property]) => (property as { format?: string }).format === 'binary');
  return binary?.[0] ?? null;
}

function operationsOf(document: OpenApiDocument): Operation[] {
  const resolve = (schema: SchemaObject): SchemaObject => {
    const resolved = schema.$ref ? document.components.schemas[schema.$ref.split('/').pop()!] : schema;
    if (!resolved.allOf) return resolved;
    const parts = resolved.allOf.map(resolve);
    return {
      properties: Object.assign({}, resolved.properties, ...parts.map((part) => part.properties)),
      required: [...(resolved.required ?? []), ...parts.flatMap((part) => part.required ?? [])],
    };
  };
  return Object.entries(document.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]) => {
      const content = operation.requestBody?.content ?? {};
      const json = content['application/json']?.schema;
      const schema = json ? resolve(json) : null;
      return {
        method: method as Operation['method'],
        path,
        queryParameters: (operation.parameters ?? []).filter((parameter) => parameter.in === 'query').map((parameter) => parameter.name),
        bodyProperties: schema ? Object.keys(schema.properties ?? {}) : null,
        requiredBody: schema?.required ?? [],
        multipart: 'multipart/form-data' in content,
        fileField: fileFieldOf(content['multipart/form-data']?.schema),
      };
    }),
  );
}
