import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { INestApplication, INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AxeBuilder } from '@axe-core/playwright';
import { hash } from '@node-rs/argon2';
import { type Browser, chromium, type Locator, type Page } from 'playwright-core';
import { DataSource } from 'typeorm';
import { ContactsModule, ProgressRollupService } from '@app/contacts';
import { ARGON2ID_PARAMETERS, MembershipRole } from '@app/identity';
import { RecordingLogDestination } from '@app/observability';
import { CoreModule } from '@app/runtime';
import { createOwnerApplication, createTestContext, IdentityFactory, TEST_PASSWORD, type TestContext } from '@app/testing';
import { createApiApplication } from '../../apps/api/src/api-application.factory';
import { CHROMIUM, CHROMIUM_ARGS, expectText, expectVisible, requireBrowserAndConsole, STEP_MS } from './browser-page.util';

/** Where the browser tests leave their screenshots. */
const SHOTS = '/tmp';
const LAPTOP = { width: 1280, height: 1000 };
const PHONE = { width: 375, height: 812 };
const SURVEY = [{ key: 'reform', prompt: 'How open are you to reform?', kind: 'scale', choices: [] }];

// The progress dashboard as a data lead and a member lead use it, in a real browser against the
// real api (the built console served at /) and the real rollups: the alliance's figures against its
// target, the burn-up, bars and tables by organization, drill-down into a member, the CSV, figures
// that move by themselves while calls are saved, and a member lead who sees only their own.
describe('the progress dashboard in Chromium', () => {
  let context: TestContext;
  let owner: INestApplicationContext;
  let rollupApp: INestApplicationContext;
  let sql: DataSource;
  let app: INestApplication;
  let browser: Browser;
  let page: Page;
  let baseUrl: string;
  let allianceId: string;
  const orgs: Record<'anchor' | 'oakland' | 'fresno', { id: string; campaignId: string }> = {} as never;
  let phones = 0;
  const dataLead = { email: 'dana.data@example.test', displayName: 'Dana Data' };
  const memberLead = { email: 'omar.oakland@example.test', displayName: 'Omar Oakland' };

  /** A saved call of an organization's campaign to voter `voterId` (a conversation when contacted). */
  const attempt = async (org: keyof typeof orgs, voterId: number, disposition: string, at: string, answer?: string) => {
    phones += 1;
    const [{ id }] = await sql.query(
      `WITH contact AS (
         INSERT INTO campaign_contact (alliance_id, campaign_id, organization_id, phone, voter_id, household_voter_ids, lease_id)
         VALUES ($1, $2, $3, $4, $5, ARRAY[$5::bigint], gen_random_uuid()) RETURNING *)
       INSERT INTO contact_attempt (alliance_id, campaign_id, organization_id, campaign_contact_id, voter_id, phone, channel, lease_id, disposition, script_version, started_at, created_at)
       SELECT alliance_id, campaign_id, organization_id, id, voter_id, phone, 'phone', gen_random_uuid(), $6, 1, $7, $7 FROM contact RETURNING id`,
      [allianceId, orgs[org].campaignId, orgs[org].id, `+1415558${String(phones).padStart(4, '0')}`, voterId, disposition, at],
    );
    if (answer !== undefined) {
      await sql.query(
        `INSERT INTO survey_response (alliance_id, campaign_id, organization_id, contact_attempt_id, voter_id, question_key, answer)
         VALUES ($1, $2, $3, $4, $5, 'reform', $6)`,
        [allianceId, orgs[org].campaignId, orgs[org].id, id, voterId, answer],
      );
    }
  };

  beforeAll(async () => {
    requireBrowserAndConsole();
    context = await createTestContext();
    owner = await createOwnerApplication(context);
    sql = owner.get(DataSource);
    app = await createApiApplication({ config: context.config, endpoints: context.endpoints, logDestination: new RecordingLogDestination() });
    await app.listen(0, '127.0.0.1');
    baseUrl = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
    rollupApp = await NestFactory.createApplicationContext(
      {
        module: class ProgressDashboardRollupModule {},
        imports: [
          CoreModule.forRoot({
            config: context.config,
            endpoints: context.endpoints,
            serviceName: 'progress-browser',
            logDestination: new RecordingLogDestination(),
          }),
          ContactsModule,
        ],
      },
      { logger: false },
    );

    const identity = new IdentityFactory(sql);
    allianceId = (await identity.alliance({ name: 'Golden State Alliance', slug: 'golden-state', voterContactGoal: 60 })).id;
    const anchor = await identity.anchor(allianceId, { name: 'Bay Anchor', slug: 'bay' });
    const oakland = await identity.member(allianceId, anchor.id, { name: 'Oakland Callers', slug: 'oakland' });
    const fresno = await identity.member(allianceId, anchor.id, { name: 'Fresno Voices', slug: 'fresno' });
    for (const [key, organization] of [
      ['anchor', anchor],
      ['oakland', oakland],
      ['fresno', fresno],
    ] as const) {
      const [{ id }] = await sql.query(
        `INSERT INTO campaign (alliance_id, slug, name, organization_id, status, survey_questions) VALUES ($1, $2, $3, $4, 'active', $5) RETURNING id`,
        [allianceId, `${key}-calls`, `${organization.name} fall calls`, organization.id, JSON.stringify(SURVEY)],
      );
      orgs[key] = { id: organization.id, campaignId: id };
    }
    // Three weeks of calls: Oakland reaches voters 1–20, Fresno 15–30 (15–20 shared), the anchor 40–44.
    const day = (offset: number) => new Date(Date.now() - offset * 86_400_000).toISOString();
    for (let voter = 1; voter <= 20; voter += 1) await attempt('oakland', voter, 'contacted', day(21 - voter), voter % 3 === 0 ? '5' : '2');
    for (let voter = 15; voter <= 30; voter += 1) await attempt('fresno', voter, voter % 4 === 0 ? 'not_home' : 'contacted', day(30 - voter));
    for (let voter = 40; voter <= 44; voter += 1) await attempt('anchor', voter, 'contacted', day(2));
    await sql.query(`INSERT INTO progress_target (alliance_id, organization_id, voters, target_date) VALUES ($1, $2, 30, $3)`, [
      allianceId,
      oakland.id,
      new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10),
    ]);
    await rollupApp.get(ProgressRollupService).run();

    for (const [person, organizationId, role] of [
      [dataLead, null, MembershipRole.DataLead],
      [memberLead, oakland.id, MembershipRole.OrgLead],
    ] as const) {
      const user = await identity.user({ ...person, passwordHash: await hash(TEST_PASSWORD, ARGON2ID_PARAMETERS) });
      await identity.membership(user.id, allianceId, organizationId, role);
    }
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await rollupApp?.close();
    await app?.close();
    await owner?.close();
    await context?.dispose();
  });

  const tile = (label: string): Locator => page.locator('.dialer-tile', { hasText: label });

  async function signIn(person: { email: string }): Promise<void> {
    const browserContext = await browser.newContext({ viewport: LAPTOP, acceptDownloads: true });
    browserContext.setDefaultTimeout(STEP_MS);
    page = await browserContext.newPage();
    await page.goto(`${baseUrl}/#/progress`);
    await page.getByLabel('Email').fill(person.email);
    await page.getByLabel('Password', { exact: true }).fill(TEST_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expectVisible(page.getByRole('heading', { name: 'Progress to target', level: 1 }));
  }

  it("should show the data lead the alliance against its goal, the burn-up and each organization's share", async () => {
    await signIn(dataLead);
    // Reached: 1–20 and 15–30 but 16, 20, 24, 28 not home at Fresno (16 and 20 reached by Oakland), 40–44: 33 voters.
    await expectText(tile('Unique voters reached'), '33');
    await expectText(tile('Unique voters reached'), '55% of 60');
    await expectText(tile('Open to reform'), '6');
    await expectVisible(page.getByRole('img', { name: /^Burn-up: 33 unique voters reached of a target of 60/ }));
    await expectVisible(page.locator('.progress-projection'));
    const table = page.getByRole('region', { name: 'Figures by organizations' });
    const oakland = table.getByRole('row', { name: /Oakland Callers/ });
    // Oakland reached 20, 16 of them alone (15, 17, 18 and 19 were reached by Fresno too); its target is 30.
    expect(await oakland.getByRole('cell').allInnerTexts()).toEqual(['20', '60.6%', '16', '66.7% of 30', '6', '20', '20', '100%', '—', '0']);
    await expectVisible(page.getByRole('img', { name: 'Unique voters reached by organizations' }));
    await page.mouse.move(0, 0);
    await page.screenshot({ path: `${SHOTS}/progress-dashboard.png`, fullPage: true });
  });

  it('should move by itself while calls are saved and counted', async () => {
    for (let voter = 50; voter < 53; voter += 1) await attempt('fresno', voter, 'contacted', new Date().toISOString(), '4');
    await rollupApp.get(ProgressRollupService).run();
    await expectText(tile('Unique voters reached'), '36');
    await expectText(tile('Open to reform'), '9');
  });

  it('should break the figures down by day and county, and drill down into a member', async () => {
    await page.getByRole('tab', { name: 'Days' }).click();
    await expectVisible(page.getByRole('img', { name: 'Attempts, conversations and new voters reached by day' }));
    await page.getByRole('tab', { name: 'Organizations' }).click();
    await page.getByRole('region', { name: 'Figures by organizations' }).getByRole('button', { name: 'Fresno Voices' }).click();
    await expectVisible(page.getByRole('heading', { name: 'Fresno Voices', level: 2 }));
    await expectText(tile('Reached by no one else'), '11');
    await page.getByRole('button', { name: /Up to Bay Anchor region/ }).click();
    await expectVisible(page.getByRole('heading', { name: 'Bay Anchor region', level: 2 }));
  });

  it('should download the table on screen as CSV', async () => {
    await page.getByRole('tab', { name: 'Organizations' }).click();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download this table (CSV)' }).click()]);
    expect(download.suggestedFilename()).toBe('progress-golden-state-region-organization.csv');
    const lines = readFileSync((await download.path())!, 'utf8')
      .trim()
      .split('\n');
    expect(lines[0]).toMatch(/^key,label,attempts,conversations,contact_rate,voters_attempted,voters_reached/);
    expect(lines).toHaveLength(4);
  });

  it("should let the data lead set a member's target, and show the member against it", async () => {
    const targets = page.getByRole('region', { name: 'Targets' }).or(page.locator('form.progress-targets'));
    await targets.getByLabel('Target for').selectOption({ label: 'Fresno Voices' });
    await targets.getByLabel('Unique voters to reach').fill('24');
    await targets.getByLabel('By').fill('2027-01-31');
    await targets.getByRole('button', { name: 'Set target' }).click();
    await expectText(page.getByRole('status'), 'Fresno Voices’s target is now 24 voters by 2027-01-31.');
    // Fresno has reached 15 (12, then 3 more while the page watched).
    const fresno = page.getByRole('region', { name: 'Figures by organizations' }).getByRole('row', { name: /Fresno Voices/ });
    await expectText(fresno, '62.5% of 24');
    const [{ count }] = await sql.query(`SELECT count(*)::int AS count FROM audit_event WHERE alliance_id = $1 AND action = 'progress.target_set'`, [
      allianceId,
    ]);
    expect(count).toBe(1);
  });

  it('should show a member lead only their own organization, pass axe, and fit a phone', async () => {
    await signIn(memberLead);
    await expectVisible(page.getByRole('heading', { name: 'Oakland Callers', level: 2 }));
    await expectText(tile('Unique voters reached'), '66.7% of 30');
    expect(await page.getByLabel('Figures for').locator('option').allInnerTexts()).toEqual(['Oakland Callers']);
    await expectVisible(page.getByRole('tab', { name: 'Days' }));
    expect(await page.getByRole('tab', { name: 'Organizations' }).count()).toBe(0);

    const result = await new AxeBuilder({ page }).analyze();
    const serious = result.violations
      .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
      .map((violation) => `${violation.impact} ${violation.id}: ${violation.help} (${violation.nodes.map((node) => node.target.join(' ')).join(', ')})`);
    expect(serious).toEqual([]);
    await page.setViewportSize(PHONE);
    // The charts redraw at the new width on their resize observer's next turn: let the page settle, then measure.
    const sidewaysScroll = (): number => {
      const { documentElement } = (globalThis as unknown as { document: { documentElement: { scrollWidth: number; clientWidth: number } } }).document;
      return documentElement.scrollWidth - documentElement.clientWidth;
    };
    const settled = (): boolean => {
      const { documentElement } = (globalThis as unknown as { document: { documentElement: { scrollWidth: number; clientWidth: number } } }).document;
      return documentElement.scrollWidth <= documentElement.clientWidth;
    };
    await page.waitForFunction(settled, undefined, { timeout: 5_000 }).catch(() => undefined);
    expect(await page.evaluate(sidewaysScroll)).toBeLessThanOrEqual(0);
    await page.screenshot({ path: `${SHOTS}/progress-dashboard-member-phone.png`, fullPage: true });
  });
});
