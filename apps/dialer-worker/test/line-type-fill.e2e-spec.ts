import { DataSource } from 'typeorm';
import { DEFAULT_CALL_SCRIPT, DEFAULT_SURVEY_QUESTIONS } from '@app/campaigns';
import { LineTypeFillService } from '@app/dialer';
import { MembershipRole } from '@app/identity';
import { IdentityFactory, type SignedInAgent, signInAs, waitUntil } from '@app/testing';
import { TelephonyPort } from '@app/telephony';
import { HUMANS_WHO_STAY_ON, type PhoneBankStack, startPhoneBankStack } from '../../../test/phone-bank-stack.util';

/** Valid North American numbers (libphonenumber accepts 555-01xx), so the simulator's Lookup reports them valid. */
const phone = (index: number) => `+1415555${String(100 + index).padStart(4, '0')}`;

/** What the simulator's Lookup says of each number with no line type on the call list, and what we keep. */
const LOOKED_UP: ReadonlyArray<{ readonly phone: string; readonly twilio: string; readonly ours: string }> = [
  { phone: phone(0), twilio: 'landline', ours: 'landline' },
  { phone: phone(1), twilio: 'mobile', ours: 'mobile' },
  { phone: phone(2), twilio: 'fixedVoip', ours: 'voip' },
  { phone: phone(3), twilio: 'nonFixedVoip', ours: 'voip' },
  { phone: phone(4), twilio: 'tollFree', ours: 'unknown' },
  { phone: phone(5), twilio: 'landline', ours: 'landline' },
];
/** The voter file said mobile; Lookup would say landline. The voter file's word is kept and nobody asks. */
const FROM_VOTER_FILE = { phone: phone(6), twilio: 'landline', kept: 'mobile' };
/** Too long to be a valid US number: Lookup answers valid=false, so the lookup fails and the row stays NULL. */
const INVALID = '+141599299600';

/**
 * The line-type fill against the carrier simulator through the real twilio SDK (client.lookups
 * pointed at the simulator): activating a power campaign through the api enqueues it, the dialer
 * worker fills every NULL line type (mapped from Twilio's types), keeps the voter file's, leaves a
 * failed lookup NULL and counts it; run again, or twice at once, it asks about no number twice.
 */
describe('line-type fill (api + dialer worker + carrier simulator)', () => {
  let stack: PhoneBankStack;
  let sql: DataSource;
  let lead: SignedInAgent;
  let allianceId: string;
  let organizationId: string;
  let campaignId: string;
  let lookups: jest.SpyInstance;

  beforeAll(async () => {
    const numbers = Object.fromEntries([...LOOKED_UP, FROM_VOTER_FILE].map((number) => [number.phone, { lineType: number.twilio }] as const)) as Record<
      string,
      { lineType: 'landline' }
    >;
    stack = await startPhoneBankStack({ ...HUMANS_WHO_STAY_ON, numbers });
    sql = stack.sql;
    const identity = new IdentityFactory(sql);
    allianceId = (await identity.alliance()).id;
    const anchor = await identity.anchor(allianceId);
    organizationId = (await identity.member(allianceId, anchor.id)).id;
    lead = await signInAs(stack.api.getHttpServer(), sql, [{ allianceId, organizationId, role: MembershipRole.OrgLead }]);
    // Every lookup the worker makes, still through the real SDK to the simulator.
    lookups = jest.spyOn(stack.worker.get(TelephonyPort), 'lookupLineType');
  }, 120_000);

  afterAll(async () => {
    lookups?.mockRestore();
    await stack?.dispose();
  });

  function send(method: 'post' | 'put' | 'patch', path: string) {
    return lead.agent[method](path).set('X-CSRF-Token', lead.csrfToken);
  }
  const contacts = async (rows: ReadonlyArray<{ phone: string; lineType: string | null }>, offset: number) => {
    for (const [index, row] of rows.entries()) {
      await sql.query(
        `INSERT INTO campaign_contact (alliance_id, campaign_id, organization_id, phone, line_type, voter_id, household_voter_ids, time_zone)
         VALUES ($1, $2, $3, $4, $5, $6, ARRAY[$6::bigint], 'America/New_York')`,
        [allianceId, campaignId, organizationId, row.phone, row.lineType, 70_000 + offset + index],
      );
    }
  };
  const lineTypes = async (): Promise<Record<string, { lineType: string | null; lookup: string | null }>> => {
    const rows: Array<{ phone: string; lineType: string | null; lookup: string | null }> = await sql.query(
      `SELECT phone, line_type AS "lineType", line_type_lookup AS lookup FROM campaign_contact WHERE campaign_id = $1`,
      [campaignId],
    );
    return Object.fromEntries(rows.map((row) => [row.phone, { lineType: row.lineType, lookup: row.lookup }]));
  };
  const progress = async () => (await lead.agent.get(`/api/campaigns/${campaignId}/line-types`).expect(200)).body;

  it('should fill the missing line types once a power campaign is activated, keep the voter file’s, and count a failed lookup', async () => {
    const { body: campaign } = await send('post', '/api/campaigns')
      .send({ slug: 'power-lookup', name: 'Power lookup', dialMode: 'power', callerIds: ['+14155550123'] })
      .expect(201);
    campaignId = campaign.id;
    await send('put', `/api/campaigns/${campaignId}/script`).send({ script: DEFAULT_CALL_SCRIPT, surveyQuestions: DEFAULT_SURVEY_QUESTIONS }).expect(200);
    await contacts(
      // The voter file's own "unknown" (most numbers it cannot classify) is looked up like a missing one.
      LOOKED_UP.map((number) => ({ phone: number.phone, lineType: number.phone === phone(5) ? 'unknown' : null })),
      0,
    );
    await contacts(
      [
        { phone: FROM_VOTER_FILE.phone, lineType: FROM_VOTER_FILE.kept },
        { phone: INVALID, lineType: null },
      ],
      100,
    );
    expect(await progress()).toMatchObject({ total: 8, pending: 7, lookedUp: 0, failed: 0, fromVoterFile: 1 });

    await send('post', `/api/campaigns/${campaignId}/status`).send({ status: 'active' }).expect(200);
    const done = await waitUntil(async () => {
      const now = await progress();
      return now.pending === 0 ? now : undefined;
    }, 'the line-type fill to finish');

    expect(done).toEqual({
      total: 8,
      fromVoterFile: 1,
      lookedUp: LOOKED_UP.length,
      failed: 1,
      pending: 0,
      byLineType: { landline: 2, mobile: 2, voip: 2, unknown: 1, notKnown: 1 },
    });
    const stored = await lineTypes();
    for (const number of LOOKED_UP)
      expect({ phone: number.phone, ...stored[number.phone] }).toEqual({ phone: number.phone, lineType: number.ours, lookup: 'found' });
    expect(stored[FROM_VOTER_FILE.phone]).toEqual({ lineType: 'mobile', lookup: null });
    expect(stored[INVALID]).toEqual({ lineType: null, lookup: 'failed' });
    // Each number with no line type asked about once; the voter file's never.
    const asked = lookups.mock.calls.map(([number]) => number as string);
    expect([...asked].sort()).toEqual([...LOOKED_UP.map((number) => number.phone), INVALID].sort());
  });

  it('should change nothing and look nothing up when it runs again', async () => {
    const before = await lineTypes();
    const askedBefore = lookups.mock.calls.length;
    const again = await stack.worker.get(LineTypeFillService).fill(campaignId);
    expect(again).toEqual({ kind: 'filled', lookedUp: 0, failed: 0 });
    // And through the queue: a mode change on the active campaign asks for a fill, which finds nothing to do.
    await send('patch', `/api/campaigns/${campaignId}`).send({ dialMode: 'power' }).expect(200);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(lookups.mock.calls.length).toBe(askedBefore);
    expect(await lineTypes()).toEqual(before);
  });

  it('should look each new number up once when two fills run at the same time', async () => {
    const added = Array.from({ length: 40 }, (_, index) => ({ phone: phone(20 + index), lineType: null }));
    await contacts(added, 200);
    const askedBefore = lookups.mock.calls.length;
    const fills = stack.worker.get(LineTypeFillService);
    const [first, second] = await Promise.all([fills.fill(campaignId), fills.fill(campaignId)]);
    expect(first.lookedUp + second.lookedUp).toBe(added.length);
    expect(first.failed + second.failed).toBe(0);
    const asked = lookups.mock.calls.slice(askedBefore).map(([number]) => number as string);
    expect(asked).toHaveLength(added.length);
    expect(new Set(asked).size).toBe(added.length);
    expect((await progress()).pending).toBe(0);
  });

  it('should not look up the list of a preview campaign', async () => {
    await send('patch', `/api/campaigns/${campaignId}`).send({ dialMode: 'preview' }).expect(200);
    await contacts([{ phone: phone(90), lineType: null }], 300);
    const askedBefore = lookups.mock.calls.length;
    expect(await stack.worker.get(LineTypeFillService).fill(campaignId)).toEqual({ kind: 'not-wanted', lookedUp: 0, failed: 0 });
    expect(lookups.mock.calls.length).toBe(askedBefore);
  });
});
