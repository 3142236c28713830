import type { Client } from 'pg';
import { progress, seconds } from './bench-statistics';

/** What the seed generates: sizes and the one knob of realism that changes its cost (segments). */
export interface SeedPlan {
  readonly voters: number;
  /** Contact attempts in all, phone and text. */
  readonly attempts: number;
  /** The share of attempts aimed at by text (capped by the text call lists' size). */
  readonly smsShare: number;
  /** Days of history, ending yesterday in the alliance's reporting zone. */
  readonly days: number;
  /** Rows per INSERT … SELECT statement. */
  readonly chunkRows: number;
  readonly segments: boolean;
}

export interface SeededOrganization {
  readonly id: string;
  readonly slug: string;
  readonly name: string;
  readonly kind: 'anchor' | 'member';
  readonly parentAnchorId: string | null;
  readonly county: string;
}

export interface SeededAlliance {
  readonly allianceId: string;
  readonly slug: string;
  readonly organizations: readonly SeededOrganization[];
  readonly counties: readonly string[];
  readonly precincts: number;
  readonly campaigns: number;
  readonly phoneContacts: number;
  readonly smsContacts: number;
  readonly phoneAttempts: number;
  readonly smsAttempts: number;
  readonly surveyResponses: number;
  readonly inboundMessages: number;
  readonly optOutEvents: number;
  readonly callingSessions: number;
  readonly volunteers: number;
  readonly segmentAssignments: number;
  readonly firstDay: string;
  /** The seed's session ran with session_replication_role = replica (no foreign-key checks, no trigger). */
  readonly triggersSkipped: boolean;
  readonly stepSeconds: Record<string, number>;
}

export const ALLIANCE_SLUG = 'bench-progress';
export const REPORTING_TIME_ZONE = 'America/Los_Angeles';

/** Ten counties with their share of the voters (largest first). */
const COUNTIES: ReadonlyArray<readonly [string, number]> = [
  ['WAKE', 0.19],
  ['MECKLENBURG', 0.18],
  ['GUILFORD', 0.12],
  ['FORSYTH', 0.09],
  ['DURHAM', 0.08],
  ['CUMBERLAND', 0.08],
  ['BUNCOMBE', 0.07],
  ['NEW HANOVER', 0.07],
  ['UNION', 0.06],
  ['GASTON', 0.06],
];
const ANCHORS = 12;
const MEMBERS = 27;
/** Share of voters also on a second organization's list (anywhere in the alliance): what makes unique reach and exclusive reach differ from sums. */
const SECOND_ORGANIZATION_SHARE = 0.35;
/** Share of an organization's own voters on its follow-up phone campaign. */
const FOLLOW_UP_SHARE = 0.6;
const SMS_REPLY_SHARE = 0.33;
/** Of the voters who replied to a text, those who also wrote STOP (an opt-out event naming their reply). */
const SMS_STOP_SHARE = 0.01;
const ATTEMPTS_PER_CALLING_SESSION = 100;

/** The survey every campaign asks: a 1–5 open-to-reform scale, and a yes/no open to reform (as in apps/api/test/progress.e2e-spec.ts). */
export const SURVEY = [
  { key: 'reform', prompt: 'How open are you to reform, 1 to 5?', kind: 'scale', choices: [] },
  { key: 'open_to_reform', prompt: 'Open to reform?', kind: 'single_choice', choices: [{ value: 'yes' }, { value: 'no' }] },
];

const SEGMENTS = [
  { key: 'reformer', name: 'Reformer', share: 0.22 },
  { key: 'pragmatist', name: 'Pragmatist', share: 0.28 },
  { key: 'skeptic', name: 'Skeptic', share: 0.2 },
  { key: 'disengaged', name: 'Disengaged', share: 0.18 },
  { key: 'traditionalist', name: 'Traditionalist', share: 0.12 },
];

/** Phone dispositions with their cumulative probability: about 29% conversations (contacted, refused, do not call). */
export const PHONE_DISPOSITIONS: ReadonlyArray<readonly [string, number]> = [
  ['contacted', 0.24],
  ['refused', 0.28],
  ['do_not_call', 0.29],
  ['not_home', 0.62],
  ['voicemail', 0.84],
  ['busy', 0.89],
  ['wrong_number', 0.92],
  ['call_back', 0.95],
  ['moved', 0.97],
  ['deceased', 0.975],
  ['language_needed', 1],
];

/** A CASE over `u` picking from cumulative probabilities. */
function pick(u: string, choices: ReadonlyArray<readonly [string, number]>): string {
  return `CASE ${choices
    .slice(0, -1)
    .map(([value, upTo]) => `WHEN ${u} < ${upTo} THEN '${value}'`)
    .join(' ')} ELSE '${choices[choices.length - 1][0]}' END`;
}

/** A moment on day `dayIndex` after `$firstDay`, between 09:00 and 21:00 in the reporting zone. */
function momentSql(firstDay: string, dayIndex: string, u: string): string {
  return `timezone('${REPORTING_TIME_ZONE}', (${firstDay}::date + ${dayIndex})::timestamp + interval '9 hours' + ${u} * interval '12 hours')`;
}

/** A day index in 0…days-1 whose density rises towards the last day (phone banks grow as the election nears). */
function dayIndexSql(days: string, u: string): string {
  return `least(${days}::int - 1, floor(${days}::int * sqrt(${u}))::int)`;
}

/**
 * Seeds one alliance set-based (INSERT … SELECT generate_series), deterministic in the row
 * numbers (a hash per row and stream, `bench_u`): organizations, counties and precincts, the
 * voters' partition, the active segment model's assignments, campaigns (two phone, one text per
 * organization), call lists, conversations and inbound replies, contact attempts over `days`
 * days, survey answers, STOPs, calling sessions and targets. The progress trigger on
 * `contact_attempt` must be disabled by the caller: the attempts are queued afterwards, in order.
 */
export async function seedAlliance(owner: Client, plan: SeedPlan): Promise<SeededAlliance> {
  const steps: Record<string, number> = {};
  const step = async <T>(name: string, work: () => Promise<T>): Promise<T> => {
    const started = performance.now();
    const result = await work();
    steps[name] = seconds(performance.now() - started);
    progress(`seed: ${name} in ${steps[name]} s`);
    return result;
  };

  // A bulk load where the server lets us (a superuser, as the embedded default connects): no trigger
  // fires for this session's rows, foreign-key checks included (every row is built consistent), nor
  // the progress triggers; the caller queues the attempts and opt-outs afterwards either way.
  const triggersSkipped = await owner
    .query(`SET session_replication_role = replica`)
    .then(() => true)
    .catch(() => false);
  await owner.query(`
    CREATE FUNCTION bench_u(n bigint, stream bigint) RETURNS float8 LANGUAGE sql IMMUTABLE PARALLEL SAFE
      AS $$ SELECT (hashint8extended(n, stream) & 2147483647)::float8 / 2147483648 $$`);
  const [{ first_day: firstDay }] = (
    await owner.query<{ first_day: string }>(`SELECT (timezone($1, now())::date - $2::int)::text AS first_day`, [REPORTING_TIME_ZONE, plan.days])
  ).rows;
  const [{ id: allianceId }] = (
    await owner.query<{ id: string }>(
      `INSERT INTO alliance (slug, name, voter_contact_goal, reporting_time_zone) VALUES ($1, 'Bench Progress Alliance', $2, $3) RETURNING id`,
      [ALLIANCE_SLUG, Math.round(plan.voters * 0.6), REPORTING_TIME_ZONE],
    )
  ).rows;

  const precinctsInAll = Math.max(COUNTIES.length * 5, Math.min(500, Math.round(plan.voters / 2000)));
  const organizations = await step('organizations', () => createOrganizations(owner, allianceId, precinctsInAll));
  await step('voters', () => createVoters(owner, allianceId, plan));
  const segmentAssignments = plan.segments ? await step('segments', () => createSegments(owner, allianceId)) : 0;
  await step('campaigns and call lists', () => createCampaigns(owner, allianceId, organizations));
  const smsTarget = Math.round(plan.attempts * plan.smsShare);
  const { phoneContacts, smsContacts } = await step('call lists', () => createCallLists(owner, allianceId, smsTarget, plan.days, firstDay));
  const phoneAttempts = plan.attempts - smsContacts;
  const phoneSurvey = await step('phone attempts', () => createPhoneAttempts(owner, allianceId, { ...plan, phoneAttempts, phoneContacts, firstDay }));
  const sms = await step('text conversations and attempts', () => createTextAttempts(owner, allianceId, smsContacts, plan.chunkRows));
  const volunteers = Math.max(50, Math.round(plan.attempts / 20_000));
  const callingSessions = Math.max(10, Math.round(phoneAttempts / ATTEMPTS_PER_CALLING_SESSION));
  await step('calling sessions', () => createCallingSessions(owner, allianceId, { volunteers, callingSessions, days: plan.days, firstDay }));
  await step('targets', () => createTargets(owner, allianceId, plan.voters));
  if (triggersSkipped) await owner.query(`RESET session_replication_role`);
  await step('vacuum and analyze', () => owner.query('VACUUM (ANALYZE)'));

  return {
    allianceId,
    slug: ALLIANCE_SLUG,
    organizations,
    counties: COUNTIES.map(([name]) => name),
    precincts: precinctsInAll,
    campaigns: organizations.length * 3,
    phoneContacts,
    smsContacts,
    phoneAttempts,
    smsAttempts: smsContacts,
    surveyResponses: phoneSurvey + sms.surveyResponses,
    inboundMessages: sms.inboundMessages,
    optOutEvents: sms.optOutEvents,
    callingSessions,
    volunteers,
    segmentAssignments,
    firstDay,
    triggersSkipped,
    stepSeconds: steps,
  };
}

/**
 * Twelve anchors, each with one county as its region (the two largest counties have two anchors),
 * and 27 members spread over them. `bench_county` and `bench_org` say which organizations work
 * which county; each voter's own organization is drawn among them.
 */
async function createOrganizations(owner: Client, allianceId: string, precinctsInAll: number): Promise<SeededOrganization[]> {
  let lower = 0;
  const countyRows = COUNTIES.map(([name, share], index) => {
    const row = {
      index,
      name,
      lower,
      upper: index === COUNTIES.length - 1 ? 1.000001 : lower + share,
      precincts: Math.max(3, Math.round(precinctsInAll * share)),
    };
    lower += share;
    return row;
  });
  await owner.query(
    `CREATE UNLOGGED TABLE bench_county (idx int PRIMARY KEY, name text NOT NULL, lo float8 NOT NULL, hi float8 NOT NULL, precincts int NOT NULL, orgs int)`,
  );
  for (const county of countyRows) {
    await owner.query(`INSERT INTO bench_county (idx, name, lo, hi, precincts) VALUES ($1, $2, $3, $4, $5)`, [
      county.index,
      county.name,
      county.lower,
      county.upper,
      county.precincts,
    ]);
  }
  const organizations: SeededOrganization[] = [];
  const anchors: SeededOrganization[] = [];
  for (let index = 0; index < ANCHORS; index += 1) {
    const county = COUNTIES[index % COUNTIES.length][0];
    const slug = `anchor-${String(index + 1).padStart(2, '0')}`;
    const name = `${titleCase(county)} Anchor ${index < COUNTIES.length ? '' : '2'}`.trim();
    const { rows } = await owner.query<{ id: string }>(
      `INSERT INTO organization (alliance_id, kind, slug, name, region_counties) VALUES ($1, 'anchor', $2, $3, ARRAY[$4]) RETURNING id`,
      [allianceId, slug, name, county],
    );
    anchors.push({ id: rows[0].id, slug, name, kind: 'anchor', parentAnchorId: null, county });
  }
  organizations.push(...anchors);
  for (let index = 0; index < MEMBERS; index += 1) {
    const anchor = anchors[index % ANCHORS];
    const slug = `member-${String(index + 1).padStart(2, '0')}`;
    const name = `${titleCase(anchor.county)} Member ${index + 1}`;
    const { rows } = await owner.query<{ id: string }>(
      `INSERT INTO organization (alliance_id, kind, parent_anchor_id, slug, name) VALUES ($1, 'member', $2, $3, $4) RETURNING id`,
      [allianceId, anchor.id, slug, name],
    );
    organizations.push({ id: rows[0].id, slug, name, kind: 'member', parentAnchorId: anchor.id, county: anchor.county });
  }
  await owner.query(`CREATE UNLOGGED TABLE bench_org (idx int PRIMARY KEY, id uuid NOT NULL, county_idx int NOT NULL, nth int)`);
  for (const [index, organization] of organizations.entries()) {
    await owner.query(`INSERT INTO bench_org (idx, id, county_idx) VALUES ($1, $2, $3)`, [
      index,
      organization.id,
      COUNTIES.findIndex(([name]) => name === organization.county),
    ]);
  }
  await owner.query(`UPDATE bench_org o SET nth = x.nth FROM (SELECT idx, (row_number() OVER (PARTITION BY county_idx ORDER BY idx) - 1)::int AS nth FROM bench_org) x
                      WHERE x.idx = o.idx`);
  await owner.query(`UPDATE bench_county c SET orgs = (SELECT count(*) FROM bench_org o WHERE o.county_idx = c.idx)`);
  return organizations;
}

/** The alliance's voters: a partition filled in chunks, then attached (which builds its indexes in bulk, as an import does). */
async function createVoters(owner: Client, allianceId: string, plan: SeedPlan): Promise<void> {
  const partition = `voter_p_${allianceId.replace(/-/g, '')}`;
  await owner.query(`CREATE TABLE ${partition} (LIKE voter INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING GENERATED)`);
  const firstNames = `ARRAY['MARIA','JAMES','PATRICIA','ROBERT','LINDA','MICHAEL','BARBARA','DAVID','ELIZABETH','WILLIAM','JENNIFER','JOSE','AISHA','WEI','TYRONE','SOFIA']`;
  const lastNames = `ARRAY['SMITH','JOHNSON','WILLIAMS','BROWN','JONES','GARCIA','MILLER','DAVIS','RODRIGUEZ','MARTINEZ','HERNANDEZ','LOPEZ','NGUYEN','PATEL','KIM','WASHINGTON']`;
  const streets = `ARRAY['OAK','MAPLE','PINE','CEDAR','ELM','MAIN','CHURCH','HILL','LAKE','PARK']`;
  for (let first = 1; first <= plan.voters; first += plan.chunkRows) {
    const last = Math.min(plan.voters, first + plan.chunkRows - 1);
    await owner.query(
      `INSERT INTO ${partition} (id, alliance_id, source_voter_id, source_line, first_name, last_name, residential_address, city, county, precinct,
                                 zip5, birth_year, party, race_ethnicity, registration_date, phones, propensity)
       SELECT n, $1, 'BV' || lpad(n::text, 9, '0'), n + 1,
              (${firstNames})[1 + floor(bench_u(n, 2) * 16)::int], (${lastNames})[1 + floor(bench_u(n, 3) * 16)::int],
              (100 + floor(bench_u(n, 4) * 9800)::int)::text || ' ' || (${streets})[1 + floor(bench_u(n, 5) * 10)::int] || ' ST',
              c.name || ' CITY', c.name, lpad((1 + floor(bench_u(n, 6) * c.precincts)::int)::text, 3, '0'),
              (27000 + c.idx * 100 + floor(bench_u(n, 7) * 40)::int)::text,
              1940 + floor(bench_u(n, 8) * 66)::int,
              ${pick('bench_u(n, 9)', [
                ['democratic', 0.34],
                ['republican', 0.64],
                ['unaffiliated', 0.97],
                ['libertarian', 0.99],
                ['green', 1],
              ])},
              ${pick('bench_u(n, 10)', [
                ['white', 0.6],
                ['black', 0.82],
                ['hispanic', 0.92],
                ['asian', 0.96],
                ['multiracial', 0.98],
                ['unknown', 1],
              ])},
              date '2000-01-01' + floor(bench_u(n, 11) * 9000)::int,
              jsonb_build_array(jsonb_build_object('e164', '+1919' || (2000000 + n)::text, 'lineType', CASE WHEN bench_u(n, 12) < 0.7 THEN 'mobile' ELSE 'landline' END)),
              ${pick('bench_u(n, 13)', [
                ['new', 0.15],
                ['occasional', 0.55],
                ['frequent', 1],
              ])}
         FROM generate_series($2::bigint, $3::bigint) AS n
         JOIN bench_county c ON bench_u(n, 1) >= c.lo AND bench_u(n, 1) < c.hi`,
      [allianceId, first, last],
    );
    progress(`seed: voters ${last.toLocaleString('en-US')} of ${plan.voters.toLocaleString('en-US')}`);
  }
  await owner.query(`SELECT setval('voter_id_seq', $1)`, [plan.voters]);
  await owner.query(`ALTER TABLE voter ATTACH PARTITION ${partition} FOR VALUES IN ('${allianceId}')`);
  // Each voter's own organization (among those working the county) and, for some, a second one anywhere in the alliance.
  const [{ organizations }] = (await owner.query<{ organizations: number }>(`SELECT count(*)::int AS organizations FROM bench_org`)).rows;
  await owner.query(
    `CREATE UNLOGGED TABLE bench_turf AS
     SELECT h.voter_id, o.id AS organization_id, h.home
       FROM (SELECT v.id AS voter_id, true AS home, ho.idx AS org_idx
               FROM voter v JOIN bench_county c ON c.name = v.county
               JOIN bench_org ho ON ho.county_idx = c.idx AND ho.nth = floor(bench_u(v.id, 20) * c.orgs)::int
              WHERE v.alliance_id = $1) h0
      CROSS JOIN LATERAL (VALUES (h0.voter_id, true, h0.org_idx),
                                 (h0.voter_id, false, CASE WHEN bench_u(h0.voter_id, 21) < $2
                                                           THEN (h0.org_idx + 1 + floor(bench_u(h0.voter_id, 22) * ($3 - 1))::int) % $3 END)) h(voter_id, home, org_idx)
       JOIN bench_org o ON o.idx = h.org_idx`,
    [allianceId, SECOND_ORGANIZATION_SHARE, organizations],
  );
  await owner.query(`ANALYZE bench_turf`);
}

/** An active rules model whose assignments give 97% of the voters one of five segments (the rest: not classified). */
async function createSegments(owner: Client, allianceId: string): Promise<number> {
  const segments = SEGMENTS.map(({ key, name }) => ({ key, name, description: `${name} voters`, colour: '#336699' }));
  const [{ id: taxonomyId }] = (
    await owner.query<{ id: string }>(`INSERT INTO segment_taxonomy (alliance_id, version, segments) VALUES ($1, 1, $2) RETURNING id`, [
      allianceId,
      JSON.stringify(segments),
    ])
  ).rows;
  const [{ id: modelId }] = (
    await owner.query<{ id: string }>(
      `INSERT INTO segment_model (alliance_id, taxonomy_id, version, name, kind, status, definition, active, trained_at)
       VALUES ($1, $2, 1, 'Bench rules', 'rules', 'ready', '{"rules": [], "fallbackSegment": "pragmatist"}', true, now()) RETURNING id`,
      [allianceId, taxonomyId],
    )
  ).rows;
  let lower = 0;
  const cumulative = SEGMENTS.map(({ key, share }) => [key, (lower += share)] as const);
  const partition = `segment_assignment_bench`;
  await owner.query(`CREATE TABLE ${partition} (LIKE segment_assignment INCLUDING DEFAULTS INCLUDING CONSTRAINTS)`);
  const inserted = await owner.query(
    `INSERT INTO ${partition} (model_id, voter_id, alliance_id, segment_key, probability, model_probabilities)
     SELECT $2, v.id, $1, ${pick('bench_u(v.id, 31)', cumulative)}, (0.4 + 0.5 * bench_u(v.id, 32))::real,
            ARRAY[0.2, 0.2, 0.2, 0.2, 0.2]::real[]
       FROM voter v WHERE v.alliance_id = $1 AND bench_u(v.id, 30) < 0.97`,
    [allianceId, modelId],
  );
  await owner.query(`ALTER TABLE segment_assignment ATTACH PARTITION ${partition} FOR VALUES IN ('${modelId}')`);
  return inserted.rowCount ?? 0;
}

/** Per organization: a first-pass and a follow-up phone campaign and a text campaign, each asking the survey. */
async function createCampaigns(owner: Client, allianceId: string, organizations: readonly SeededOrganization[]): Promise<void> {
  await owner.query(
    `CREATE UNLOGGED TABLE bench_campaign (id uuid PRIMARY KEY, organization_id uuid NOT NULL, channel text NOT NULL, pass int NOT NULL, sending_number text)`,
  );
  for (const [index, organization] of organizations.entries()) {
    const sendingNumber = `+1919555${String(100 + index).padStart(4, '0')}`;
    for (const [suffix, channel, pass] of [
      ['calls', 'phone', 1],
      ['follow-up-calls', 'phone', 2],
      ['texts', 'sms', 1],
    ] as const) {
      const { rows } = await owner.query<{ id: string }>(
        `INSERT INTO campaign (alliance_id, slug, name, organization_id, status, channel, sending_numbers, survey_questions, script_version)
         VALUES ($1, $2, $3, $4, 'active', $5, $6, $7, 1) RETURNING id`,
        [
          allianceId,
          `${organization.slug}-${suffix}`,
          `${organization.name} ${suffix.replace(/-/g, ' ')}`,
          organization.id,
          channel,
          channel === 'sms' ? [sendingNumber] : [],
          JSON.stringify(SURVEY),
        ],
      );
      await owner.query(`INSERT INTO bench_campaign (id, organization_id, channel, pass, sending_number) VALUES ($1, $2, $3, $4, $5)`, [
        rows[0].id,
        organization.id,
        channel,
        pass,
        channel === 'sms' ? sendingNumber : null,
      ]);
    }
  }
}

/**
 * The call lists: every turf row on its organization's first-pass list, 60% of each organization's
 * own voters on its follow-up list, and (up to 90% of) the turf rows on the text list, sized so the
 * texts come to about `smsTarget` attempts: one conversation, and one attempt, per text contact.
 */
async function createCallLists(
  owner: Client,
  allianceId: string,
  smsTarget: number,
  days: number,
  firstDay: string,
): Promise<{ phoneContacts: number; smsContacts: number }> {
  await owner.query(
    `INSERT INTO campaign_contact (alliance_id, campaign_id, organization_id, phone, voter_id, household_voter_ids, time_zone, status, closed_reason)
     SELECT $1, k.id, t.organization_id, '+1919' || (2000000 + t.voter_id)::text, t.voter_id, ARRAY[t.voter_id], 'America/New_York', 'done', 'finished'
       FROM bench_turf t JOIN bench_campaign k ON k.organization_id = t.organization_id AND k.channel = 'phone'
      WHERE k.pass = 1 OR (t.home AND bench_u(t.voter_id, 24) < $2)
      ORDER BY k.id, t.voter_id`,
    [allianceId, FOLLOW_UP_SHARE],
  );
  await owner.query(
    `CREATE UNLOGGED TABLE bench_phone_contact AS
     SELECT row_number() OVER (ORDER BY cc.id) AS seq, cc.id AS contact_id, cc.campaign_id, cc.organization_id, cc.voter_id, cc.phone
       FROM campaign_contact cc JOIN bench_campaign k ON k.id = cc.campaign_id AND k.channel = 'phone'`,
  );
  await owner.query(`ALTER TABLE bench_phone_contact ADD PRIMARY KEY (seq)`);
  const [{ turf }] = (await owner.query<{ turf: number }>(`SELECT count(*)::int AS turf FROM bench_turf`)).rows;
  const smsShareOfTurf = Math.min(0.9, smsTarget / turf);
  await owner.query(
    `INSERT INTO campaign_contact (alliance_id, campaign_id, organization_id, phone, voter_id, household_voter_ids, time_zone, status, closed_reason)
     SELECT $1, k.id, t.organization_id, '+1919' || (2000000 + t.voter_id)::text, t.voter_id, ARRAY[t.voter_id], 'America/New_York', 'done', 'finished'
       FROM bench_turf t JOIN bench_campaign k ON k.organization_id = t.organization_id AND k.channel = 'sms'
      WHERE bench_u(t.voter_id, CASE WHEN t.home THEN 25 ELSE 26 END) < $2
      ORDER BY k.id, t.voter_id`,
    [allianceId, smsShareOfTurf],
  );
  // Each text contact's conversation, whether the voter replied, how the texter closed it, and when.
  await owner.query(
    `CREATE UNLOGGED TABLE bench_sms_contact AS
     SELECT x.*, CASE WHEN x.reply THEN ${pick('x.u_close', [
       ['replied', 0.94],
       ['do_not_call', 0.98],
       ['refused', 1],
     ])} ELSE 'texted' END AS disposition,
            ${momentSql('$1', dayIndexSql('$2', 'x.u_day'), 'x.u_time')} AS at
       FROM (SELECT row_number() OVER (ORDER BY cc.id) AS seq, cc.id AS contact_id, cc.campaign_id, cc.organization_id, cc.voter_id, cc.phone,
                    k.sending_number, md5('conversation:' || cc.id)::uuid AS conversation_id,
                    bench_u(cc.id, 33) < $3 AS reply, bench_u(cc.id, 34) AS u_close, bench_u(cc.id, 35) AS u_day, bench_u(cc.id, 36) AS u_time,
                    bench_u(cc.id, 37) AS u_answer
               FROM campaign_contact cc JOIN bench_campaign k ON k.id = cc.campaign_id AND k.channel = 'sms') x`,
    [firstDay, days, SMS_REPLY_SHARE],
  );
  await owner.query(`ALTER TABLE bench_sms_contact ADD PRIMARY KEY (seq)`);
  const [{ phoneContacts, smsContacts }] = (
    await owner.query<{ phoneContacts: number; smsContacts: number }>(
      `SELECT (SELECT count(*)::int FROM bench_phone_contact) AS "phoneContacts", (SELECT count(*)::int FROM bench_sms_contact) AS "smsContacts"`,
    )
  ).rows;
  return { phoneContacts, smsContacts };
}

/** Phone attempts, each on a contact drawn at random (about Poisson-many per contact), with a 1–5 answer from 70% of the voters contacted. */
async function createPhoneAttempts(
  owner: Client,
  allianceId: string,
  plan: SeedPlan & { phoneAttempts: number; phoneContacts: number; firstDay: string },
): Promise<number> {
  let surveyResponses = 0;
  const started = performance.now();
  for (let first = 1; first <= plan.phoneAttempts; first += plan.chunkRows) {
    const last = Math.min(plan.phoneAttempts, first + plan.chunkRows - 1);
    const result = await owner.query(
      `WITH inserted AS (
         INSERT INTO contact_attempt (id, alliance_id, campaign_id, organization_id, campaign_contact_id, voter_id, phone, channel, lease_id, outcome,
                                      disposition, call_back_at, script_version, started_at, created_at)
         SELECT md5('attempt:' || n)::uuid, $1, c.campaign_id, c.organization_id, c.contact_id, c.voter_id, c.phone, 'phone', md5('lease:' || n)::uuid,
                CASE d.disposition WHEN 'not_home' THEN 'no-answer' WHEN 'voicemail' THEN 'machine' WHEN 'busy' THEN 'busy' ELSE 'human' END,
                d.disposition, CASE WHEN d.disposition = 'call_back' THEN t.at + interval '2 days' END, 1, t.at - interval '4 minutes', t.at
           FROM generate_series($2::bigint, $3::bigint) AS n
           JOIN bench_phone_contact c ON c.seq = 1 + floor(bench_u(n, 51) * $4)::bigint
          CROSS JOIN LATERAL (SELECT ${pick('bench_u(n, 52)', PHONE_DISPOSITIONS)} AS disposition) d
          CROSS JOIN LATERAL (SELECT ${momentSql('$5', dayIndexSql('$6', 'bench_u(n, 53)'), 'bench_u(n, 54)')} AS at) t
         RETURNING id, alliance_id, campaign_id, organization_id, voter_id, disposition, created_at)
       INSERT INTO survey_response (alliance_id, campaign_id, organization_id, contact_attempt_id, voter_id, question_key, answer, created_at)
       SELECT i.alliance_id, i.campaign_id, i.organization_id, i.id, i.voter_id, 'reform',
              ${pick('bench_u(hashtextextended(i.id::text, 0), 56)', [
                ['1', 0.15],
                ['2', 0.35],
                ['3', 0.6],
                ['4', 0.82],
                ['5', 1],
              ])}, i.created_at
         FROM inserted i
        WHERE i.disposition = 'contacted' AND bench_u(hashtextextended(i.id::text, 0), 55) < 0.7`,
      [allianceId, first, last, plan.phoneContacts, plan.firstDay, plan.days],
    );
    surveyResponses += result.rowCount ?? 0;
    const perSecond = Math.round(last / ((performance.now() - started) / 1000));
    progress(`seed: phone attempts ${last.toLocaleString('en-US')} of ${plan.phoneAttempts.toLocaleString('en-US')} (${perSecond.toLocaleString('en-US')}/s)`);
  }
  return surveyResponses;
}

/**
 * Text contacts in chunks: the closed conversation, the voter's reply (an inbound message) where
 * they replied, the conversation's attempt (its lease is the conversation), and a yes/no answer
 * from 30% of those who replied; then STOPs from 1% of them, each an opt-out event naming the reply.
 */
async function createTextAttempts(
  owner: Client,
  allianceId: string,
  smsContacts: number,
  chunkRows: number,
): Promise<{ surveyResponses: number; inboundMessages: number; optOutEvents: number }> {
  let surveyResponses = 0;
  let inboundMessages = 0;
  for (let first = 1; first <= smsContacts; first += chunkRows) {
    const last = Math.min(smsContacts, first + chunkRows - 1);
    await owner.query(
      `INSERT INTO conversation (id, alliance_id, campaign_id, organization_id, campaign_contact_id, voter_id, voter_phone, sending_number, status,
                                 closed_reason, last_outbound_at, last_inbound_at, created_at, updated_at)
       SELECT conversation_id, $1, campaign_id, organization_id, contact_id, voter_id, phone, sending_number, 'closed',
              'texter', at - interval '10 minutes', CASE WHEN reply THEN at - interval '5 minutes' END, at - interval '10 minutes', at
         FROM bench_sms_contact WHERE seq BETWEEN $2 AND $3`,
      [allianceId, first, last],
    );
    const messages = await owner.query(
      `INSERT INTO message (alliance_id, campaign_id, organization_id, conversation_id, direction, kind, idempotency_key, voter_phone, our_number, body,
                            status, provider, provider_message_sid, created_at, updated_at, final_at)
       SELECT $1, campaign_id, organization_id, conversation_id, 'inbound', 'inbound', 'bench-inbound:' || conversation_id, phone, sending_number,
              'Yes, tell me more', 'received', 'twilio', 'SM' || md5(conversation_id::text), at - interval '5 minutes', at - interval '5 minutes',
              at - interval '5 minutes'
         FROM bench_sms_contact WHERE seq BETWEEN $2 AND $3 AND reply`,
      [allianceId, first, last],
    );
    inboundMessages += messages.rowCount ?? 0;
    const answers = await owner.query(
      `WITH inserted AS (
         INSERT INTO contact_attempt (id, alliance_id, campaign_id, organization_id, campaign_contact_id, voter_id, phone, channel, lease_id, outcome,
                                      disposition, script_version, started_at, created_at)
         SELECT md5('text-attempt:' || seq)::uuid, $1, campaign_id, organization_id, contact_id, voter_id, phone, 'sms', conversation_id, NULL,
                disposition, 1, at - interval '10 minutes', at
           FROM bench_sms_contact WHERE seq BETWEEN $2 AND $3
         RETURNING id, alliance_id, campaign_id, organization_id, voter_id, disposition, created_at, lease_id)
       INSERT INTO survey_response (alliance_id, campaign_id, organization_id, contact_attempt_id, voter_id, question_key, answer, created_at)
       SELECT i.alliance_id, i.campaign_id, i.organization_id, i.id, i.voter_id, 'open_to_reform', CASE WHEN s.u_answer < 0.135 THEN 'yes' ELSE 'no' END,
              i.created_at
         FROM inserted i JOIN bench_sms_contact s ON s.conversation_id = i.lease_id AND s.seq BETWEEN $2 AND $3
        WHERE s.reply AND s.u_answer < 0.3`,
      [allianceId, first, last],
    );
    surveyResponses += answers.rowCount ?? 0;
    progress(`seed: text attempts ${last.toLocaleString('en-US')} of ${smsContacts.toLocaleString('en-US')}`);
  }
  const stops = await owner.query(
    `INSERT INTO opt_out_event (alliance_id, phone, channel, action, source, message_id, created_at)
     SELECT m.alliance_id, m.voter_phone, 'sms', 'opt_out', 'keyword', m.id, m.created_at + interval '1 second'
       FROM message m WHERE m.alliance_id = $1 AND m.direction = 'inbound' AND bench_u(hashtextextended(m.id::text, 0), 38) < $2`,
    [allianceId, SMS_STOP_SHARE],
  );
  return { surveyResponses, inboundMessages, optOutEvents: stops.rowCount ?? 0 };
}

/** Volunteers' calling sessions on the phone campaigns (one per ~100 phone attempts, 1–3 hours, up to 15 minutes paused): the dashboard's volunteer hours. */
async function createCallingSessions(
  owner: Client,
  allianceId: string,
  plan: { volunteers: number; callingSessions: number; days: number; firstDay: string },
): Promise<void> {
  await owner.query(
    `CREATE UNLOGGED TABLE bench_volunteer AS
     WITH inserted AS (
       INSERT INTO app_user (email, display_name) SELECT 'volunteer-' || n || '@bench.test', 'Volunteer ' || n FROM generate_series(1, $1::int) AS n RETURNING id)
     SELECT row_number() OVER (ORDER BY id) AS seq, id FROM inserted`,
    [plan.volunteers],
  );
  await owner.query(
    `CREATE UNLOGGED TABLE bench_phone_campaign AS SELECT row_number() OVER (ORDER BY id) AS seq, id, organization_id FROM bench_campaign WHERE channel = 'phone'`,
  );
  const [{ campaigns }] = (await owner.query<{ campaigns: number }>(`SELECT count(*)::int AS campaigns FROM bench_phone_campaign`)).rows;
  await owner.query(
    `INSERT INTO calling_session (alliance_id, campaign_id, organization_id, user_id, status, started_at, ended_at, paused_seconds)
     SELECT $1, k.id, k.organization_id, u.id, 'ended', s.start, s.start + (60 + floor(bench_u(n, 62) * 120)::int) * interval '1 minute',
            floor(bench_u(n, 63) * 900)::int
       FROM generate_series(1, $2::bigint) AS n
       JOIN bench_phone_campaign k ON k.seq = 1 + floor(bench_u(n, 60) * $3)::bigint
       JOIN bench_volunteer u ON u.seq = 1 + floor(bench_u(n, 61) * $4)::bigint
      CROSS JOIN LATERAL (SELECT ${momentSql('$5', dayIndexSql('$6', 'bench_u(n, 64)'), 'bench_u(n, 65) * 0.7')} AS start) s`,
    [allianceId, plan.callingSessions, campaigns, plan.volunteers, plan.firstDay, plan.days],
  );
}

/** The alliance's goal (60% of its voters in 30 days), a target per member organization, and the three largest counties'. */
async function createTargets(owner: Client, allianceId: string, voters: number): Promise<void> {
  const targetDate = `(timezone('${REPORTING_TIME_ZONE}', now())::date + 30)`;
  await owner.query(`INSERT INTO progress_target (alliance_id, voters, target_date) VALUES ($1, $2, ${targetDate})`, [allianceId, Math.round(voters * 0.6)]);
  await owner.query(
    `INSERT INTO progress_target (alliance_id, organization_id, voters, target_date)
     SELECT $1, id, $2, ${targetDate} FROM organization WHERE alliance_id = $1 AND kind = 'member'`,
    [allianceId, Math.max(1, Math.round(voters * 0.02))],
  );
  await owner.query(
    `INSERT INTO progress_target (alliance_id, county, voters, target_date)
     SELECT $1, name, round($2 * (hi - lo) * 0.6)::int, ${targetDate} FROM bench_county ORDER BY idx LIMIT 3`,
    [allianceId, voters],
  );
}

function titleCase(county: string): string {
  return county
    .toLowerCase()
    .split(' ')
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join(' ');
}
