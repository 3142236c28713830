import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { INestApplication, INestApplicationContext } from '@nestjs/common';
import { AxeBuilder } from '@axe-core/playwright';
import { hash } from '@node-rs/argon2';
import { type Browser, type BrowserContext, chromium, type Locator, type Page } from 'playwright-core';
import { DataSource } from 'typeorm';
import { ARGON2ID_PARAMETERS, MembershipRole } from '@app/identity';
import { RecordingLogDestination } from '@app/observability';
import { createOwnerApplication, createTestContext, IdentityFactory, TEST_PASSWORD, type TestContext } from '@app/testing';
import { createApiApplication } from '../../apps/api/src/api-application.factory';
import { CHROMIUM, CHROMIUM_ARGS, requireBrowserAndConsole, STEP_MS, expectText, expectVisible } from './browser-page.util';

/** Where the browser tests leave their screenshots. */
const SHOTS = '/tmp';
const LAPTOP = { width: 1280, height: 900 };
const PHONE = { width: 375, height: 812 };

// The dialer page as an org lead uses it, in a real browser against the real api (served in-process
// with the built console at /): reached from the campaign, it shows the seeded campaign's live
// figures and compliance evidence, refreshes by itself, and hands over the CSV.
describe('the dialer page in Chromium', () => {
  let context: TestContext;
  let owner: INestApplicationContext;
  let sql: DataSource;
  let app: INestApplication;
  let browser: Browser;
  let browserContext: BrowserContext;
  let page: Page;
  let baseUrl: string;
  let allianceId: string;
  let memberId: string;
  let campaignId: string;
  let phones = 0;
  let callers = 0;
  const lead = { email: 'olivia.lead@example.test', displayName: 'Olivia Lead' };

  const call = async (facts: { answeredBy?: string; bridged?: boolean; abandoned?: boolean; status?: string; localMinute?: number }) => {
    phones += 1;
    await sql.query(
      `WITH contact AS (
         INSERT INTO campaign_contact (alliance_id, campaign_id, organization_id, phone, line_type, voter_id, household_voter_ids, lease_id)
         VALUES ($1, $2, $3, $4, 'landline', $5, ARRAY[$5::bigint], gen_random_uuid()) RETURNING *)
       INSERT INTO call (alliance_id, campaign_id, organization_id, campaign_contact_id, lease_id, to_phone, from_phone, provider, status, dial_kind,
                         line_type, voter_local_minute, answered_by, answered_at, bridged_at, abandoned_at, ringing_at, ended_at, created_at)
       SELECT alliance_id, campaign_id, organization_id, id, lease_id, phone, '+14155550123', 'carrier-sim', $6, 'automatic', 'landline', $7,
              $8::text, CASE WHEN $8::text IS NOT NULL THEN now() END, CASE WHEN $9::boolean THEN now() END, CASE WHEN $10::boolean THEN now() END,
              now() - interval '20 seconds', CASE WHEN $6 <> 'ringing' THEN now() END, now() - interval '5 minutes'
         FROM contact`,
      [
        allianceId,
        campaignId,
        memberId,
        `+1415559${String(phones).padStart(4, '0')}`,
        8000 + phones,
        facts.status ?? 'completed',
        facts.localMinute ?? 900,
        facts.answeredBy ?? null,
        facts.bridged ?? false,
        facts.abandoned ?? false,
      ],
    );
  };

  const session = async (dialerState: string | null) => {
    callers += 1;
    const [{ id: userId }] = await sql.query(`INSERT INTO app_user (email, display_name) VALUES ($1, $1) RETURNING id`, [`caller-${callers}@dialer.test`]);
    await sql.query(
      `INSERT INTO calling_session (alliance_id, campaign_id, organization_id, user_id, started_at, dialer_state, dialer_state_since)
       VALUES ($1, $2, $3, $4, now() - interval '2 hours', $5::text, CASE WHEN $5::text IS NOT NULL THEN now() END)`,
      [allianceId, campaignId, memberId, userId, dialerState],
    );
  };

  const attempt = async (disposition: string) => {
    phones += 1;
    await sql.query(
      `WITH contact AS (
         INSERT INTO campaign_contact (alliance_id, campaign_id, organization_id, phone, voter_id, household_voter_ids, lease_id)
         VALUES ($1, $2, $3, $4, $5, ARRAY[$5::bigint], gen_random_uuid()) RETURNING *)
       INSERT INTO contact_attempt (alliance_id, campaign_id, organization_id, campaign_contact_id, voter_id, phone, channel, lease_id, disposition, script_version, started_at)
       SELECT alliance_id, campaign_id, organization_id, id, voter_id, phone, 'phone', gen_random_uuid(), $6, 1, now() FROM contact`,
      [allianceId, campaignId, memberId, `+1415559${String(phones).padStart(4, '0')}`, 8000 + phones, disposition],
    );
  };

  beforeAll(async () => {
    requireBrowserAndConsole();

    context = await createTestContext();
    owner = await createOwnerApplication(context);
    sql = owner.get(DataSource);
    app = await createApiApplication({ config: context.config, endpoints: context.endpoints, logDestination: new RecordingLogDestination() });
    await app.listen(0, '127.0.0.1');
    baseUrl = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;

    const identity = new IdentityFactory(sql);
    allianceId = (await identity.alliance({ name: 'Dialer Alliance' })).id;
    const anchor = await identity.anchor(allianceId, { name: 'Bay Anchor', slug: 'bay' });
    memberId = (await identity.member(allianceId, anchor.id, { name: 'Oakland Callers', slug: 'oakland' })).id;
    const user = await identity.user({ ...lead, passwordHash: await hash(TEST_PASSWORD, ARGON2ID_PARAMETERS) });
    await identity.membership(user.id, allianceId, memberId, MembershipRole.OrgLead);
    [{ id: campaignId }] = await sql.query(
      `INSERT INTO campaign (alliance_id, slug, name, organization_id, status, dial_mode, caller_ids, identification_message)
       VALUES ($1, 'fall-dialer', 'Fall dialer', $2, 'active', 'predictive', '{+14155550123}', 'This was Oakland Callers, call 415-555-0100') RETURNING id`,
      [allianceId, memberId],
    );
    // 39 people bridged and one abandoned (2.5%), two machines (one dialed at 21:10 the voter's time), a no-answer, two lines ringing.
    for (let person = 0; person < 39; person += 1) await call({ answeredBy: 'human', bridged: true });
    await call({ answeredBy: 'human', abandoned: true });
    await call({ answeredBy: 'machine_start' });
    await call({ answeredBy: 'machine_start', localMinute: 21 * 60 + 10 });
    await call({ status: 'no-answer' });
    await call({ status: 'ringing' });
    await call({ status: 'ringing' });
    for (const state of ['ready', 'ready', 'talking', 'talking', 'talking', 'wrap-up', null]) await session(state);
    for (const disposition of ['contacted', 'contacted', 'refused', 'not_home']) await attempt(disposition);

    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    browserContext = await browser.newContext({ viewport: LAPTOP, acceptDownloads: true });
    browserContext.setDefaultTimeout(STEP_MS);
    page = await browserContext.newPage();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await owner?.close();
    await context?.dispose();
  });

  const region = (name: string): Locator => page.getByRole('region', { name, exact: true });
  const evidenceRow = (check: string): Locator => page.locator(`tr[data-check="${check}"]`);

  it('should take the org lead from the campaign to its dialer page and show the seeded figures', async () => {
    await page.goto(`${baseUrl}/#/campaigns`);
    await page.getByLabel('Email').fill(lead.email);
    await page.getByLabel('Password', { exact: true }).fill(TEST_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expectVisible(page.getByRole('heading', { name: 'Fall dialer', level: 2 }));
    await page.getByRole('link', { name: 'Dialer: live view and compliance evidence' }).click();

    await expectVisible(page.getByRole('heading', { name: 'Dialer: Fall dialer', level: 1 }));
    expect(new URL(page.url()).hash).toBe(`#/campaigns/${campaignId}/dialer`);
    await expectText(page.locator('.mode-badge'), 'Predictive');
    const now = region('Now');
    await expectText(now.locator('.dialer-tile', { hasText: 'Volunteers calling' }), '7');
    await expectText(now.locator('.dialer-tile', { hasText: 'Lines in flight' }), '2');
    // 42 answered of 43 finished dials; 40 of them live people.
    await expectText(now.locator('.dialer-tile', { hasText: 'Answer rate' }), '97.7%');
    await expectText(now.locator('.dialer-tile', { hasText: 'Live people' }), '93.0%');
    // 3 conversations in 7 volunteer-hours.
    await expectText(now.locator('.dialer-tile', { hasText: 'Conversations per volunteer-hour' }), '0.4');
    const legend = now.getByRole('list', { name: 'Volunteers by state' });
    for (const text of ['Ready 2', 'Talking 3', 'Wrap-up 1', 'Paused 0', 'Signed in, not ready 1']) await expectText(legend.getByRole('listitem'), text);

    const abandonment = region('Abandoned calls');
    await expectText(abandonment.locator('figure', { hasText: 'Last hour' }), '2.5%: 1 of 40 live answers, within the 3.0% cap');
    await expectText(abandonment.locator('figure', { hasText: 'Rolling 30 days' }), '2.5%: 1 of 40 live answers, within the 3.0% cap');
    await expectVisible(abandonment.getByRole('img', { name: 'Abandoned calls, rolling 30 days: 2.5%: 1 of 40 live answers, within the 3.0% cap' }));
    expect(await abandonment.locator('.gauge-cap').count()).toBe(2);

    const pool = region('By organization').getByRole('row', { name: /Oakland Callers/ });
    await expectVisible(pool);
    expect(await pool.getByRole('cell').allInnerTexts()).toEqual(['2', '3', '1', '0', '1', '2', '45', '97.7%', '3', '0.4']);

    const evidence = region('Compliance evidence');
    await expectText(evidence.locator('caption'), '45 dials');
    await expectText(evidenceRow('abandonment'), '✓ Met');
    await expectText(evidenceRow('wrong-window'), '1');
    await expectText(evidenceRow('wrong-window'), '✗ Not met');
    await expectText(evidenceRow('short-rings'), '✓ Met');
    await expectText(evidenceRow('automatic-mobile'), '✓ Met');
    expect(await evidence.getByRole('link', { name: 'Download CSV' }).getAttribute('href')).toBe(`/api/campaigns/${campaignId}/dialer/compliance.csv`);
    await page.screenshot({ path: `${SHOTS}/dialer-dashboard.png`, fullPage: true });
  });

  it('should refresh by itself every 2 s while shown', async () => {
    await session('ready');
    await call({ status: 'ringing' });
    await expectText(region('Now').getByRole('list', { name: 'Volunteers by state' }).getByRole('listitem'), 'Ready 3');
    await expectText(region('Now').locator('.dialer-tile', { hasText: 'Lines in flight' }), '3');
  });

  it('should download the evidence as CSV', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), region('Compliance evidence').getByRole('link', { name: 'Download CSV' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^dialer-compliance-fall-dialer-.*\.csv$/);
    const text = readFileSync((await download.path())!, 'utf8');
    expect(text.split('\n')[0]).toBe(
      'campaign,period,from,to,dials,live_answers,abandoned,abandon_rate,abandon_rate_ok,wrong_window_dials,wrong_window_ok,short_rings,short_rings_ok,automatic_mobile_dials,automatic_mobile_ok,unknown_zone_dials',
    );
    expect(text).toMatch(/\nFall dialer,total,[^,]+,[^,]+,46,40,1,0\.0250,true,1,false,0,true,0,true,0\n$/);
  });

  it('should pass axe with no serious or critical violations, and fit a 375 px phone without sideways scrolling', async () => {
    const result = await new AxeBuilder({ page }).analyze();
    const serious = result.violations
      .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
      .map((violation) => `${violation.impact} ${violation.id}: ${violation.help} (${violation.nodes.map((node) => node.target.join(' ')).join(', ')})`);
    expect(serious).toEqual([]);

    await page.setViewportSize(PHONE);
    await expectVisible(page.getByRole('heading', { name: 'Dialer: Fall dialer', level: 1 }));
    const overflow = await page.evaluate(() => {
      const { documentElement } = (globalThis as unknown as { document: { documentElement: { scrollWidth: number; clientWidth: number } } }).document;
      return documentElement.scrollWidth - documentElement.clientWidth;
    });
    expect(overflow).toBeLessThanOrEqual(0);
    await page.screenshot({ path: `${SHOTS}/dialer-dashboard-phone.png`, fullPage: true });
  });
});
