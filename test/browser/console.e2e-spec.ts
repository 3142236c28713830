import type { AddressInfo } from 'node:net';
import type { INestApplication, INestApplicationContext } from '@nestjs/common';
import { hash } from '@node-rs/argon2';
import { type Browser, type BrowserContext, chromium, type Locator, type Page } from 'playwright-core';
import { DataSource } from 'typeorm';
import { ARGON2ID_PARAMETERS, MembershipRole } from '@app/identity';
import { RecordingLogDestination } from '@app/observability';
import { NcvoterSyntheticGenerator } from '@app/voter-file';
import { createOwnerApplication, createTestContext, IdentityFactory, importSyntheticVoters, TEST_PASSWORD, type TestContext } from '@app/testing';
import { createApiApplication } from '../../apps/api/src/api-application.factory';
import { CHROMIUM, CHROMIUM_ARGS, requireBrowserAndConsole, STEP_MS, expectVisible, expectText } from './browser-page.util';

// The console as people use it, in a real browser against the real api (served in-process, with
// the built console at /): an anchor lead cuts and hands out turf and invites someone, a session
// that ends sends the person to sign in and back, a volunteer sees no voters, the invited person
// joins, a forgotten password is reset, and a data lead uploads a voter file. The steps run in
// order and share one browser page.
describe('the web console in Chromium', () => {
  let context: TestContext;
  let owner: INestApplicationContext;
  let sql: DataSource;
  let app: INestApplication;
  let browser: Browser;
  let browserContext: BrowserContext;
  let page: Page;
  let baseUrl: string;
  let county: string;
  let countyVoters: number;
  let countyDemocrats: number;
  const logs = new RecordingLogDestination();
  const anchorName = 'Eastside Coalition';
  const memberNames = ['Harbor Tenants Union', 'Valley Youth Vote'] as const;
  const anchorLead = { email: 'ana.anchor@example.test', displayName: 'Ana Anchor' };
  const volunteer = { email: 'val.volunteer@example.test', displayName: 'Val Volunteer' };
  const dataLead = { email: 'dee.data@example.test', displayName: 'Dee Data' };
  /** Every API path the browser asked for, to prove what a page did not fetch. */
  const requested: string[] = [];

  beforeAll(async () => {
    requireBrowserAndConsole();

    context = await createTestContext();
    owner = await createOwnerApplication(context);
    sql = owner.get(DataSource);
    app = await createApiApplication({ config: context.config, endpoints: context.endpoints, logDestination: logs });
    await app.listen(0, '127.0.0.1');
    baseUrl = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;

    const identity = new IdentityFactory(sql);
    const alliance = await identity.alliance({ name: 'Test Alliance' });
    await importSyntheticVoters(owner, context, { allianceId: alliance.id, rows: 3_000, seed: 23 });
    [{ county }] = await sql.query(`SELECT county FROM voter WHERE alliance_id = $1 GROUP BY county ORDER BY count(*) DESC, county LIMIT 1`, [alliance.id]);
    [{ countyVoters, countyDemocrats }] = await sql.query(
      `SELECT count(*)::int AS "countyVoters", (count(*) FILTER (WHERE party = 'democratic'))::int AS "countyDemocrats"
         FROM voter WHERE alliance_id = $1 AND county = $2 AND active`,
      [alliance.id, county],
    );
    // The region is written as people type it; the voter file stores capitals.
    const anchor = await identity.anchor(alliance.id, { name: anchorName, slug: 'eastside', regionCounties: [titleCase(county)] });
    const harbor = await identity.member(alliance.id, anchor.id, { name: memberNames[0], slug: 'harbor-tenants' });
    await identity.member(alliance.id, anchor.id, { name: memberNames[1], slug: 'valley-youth' });
    await sql.query(`INSERT INTO campaign (alliance_id, slug, name) VALUES ($1, 'fall', 'Fall canvass')`, [alliance.id]);
    const passwordHash = await hash(TEST_PASSWORD, ARGON2ID_PARAMETERS);
    const lead = await identity.user({ ...anchorLead, passwordHash });
    await identity.membership(lead.id, alliance.id, anchor.id, MembershipRole.AnchorLead);
    const caller = await identity.user({ ...volunteer, passwordHash });
    await identity.membership(caller.id, alliance.id, harbor.id, MembershipRole.Volunteer);
    const importer = await identity.user({ ...dataLead, passwordHash });
    await identity.membership(importer.id, alliance.id, null, MembershipRole.DataLead);

    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    browserContext = await browser.newContext();
    browserContext.setDefaultTimeout(STEP_MS);
    page = await browserContext.newPage();
    page.on('request', (request) => {
      const url = new URL(request.url());
      if (url.pathname.startsWith('/api/')) requested.push(url.pathname);
    });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await owner?.close();
    await context?.dispose();
  });

  async function signIn(email: string, password = TEST_PASSWORD): Promise<void> {
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password', { exact: true }).fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
  }

  const header = () => page.getByRole('banner');
  const turfCard = (name: string): Locator => page.getByRole('article', { name, exact: true });
  const voters = (count: number) => `${count.toLocaleString('en-US')} voters`;

  it('should sign the anchor lead in through the page and land on the turf page, saying who they are', async () => {
    await page.goto(`${baseUrl}/`);
    await expectVisible(page.getByRole('heading', { name: 'Sign in' }));
    await signIn(anchorLead.email);

    await expectVisible(page.getByRole('heading', { name: 'Turf', level: 1 }));
    expect(new URL(page.url()).hash).toBe('#/turf');
    await expectVisible(header().getByText(anchorLead.displayName));
    await expectVisible(header().getByText(`Anchor lead, ${anchorName}`));
    const navigation = header().getByRole('navigation', { name: 'Console' });
    for (const link of ['Home', 'Voter file', 'Turf', 'Organizations']) await expectVisible(navigation.getByRole('link', { name: link, exact: true }));
  });

  it("should count a county's voters live as the filter changes, then save, materialize and split the turf", async () => {
    const liveCount = page.locator('.live-count .result-total');
    await expectVisible(page.getByText('Choose at least one county of your region'));
    await page.getByRole('checkbox', { name: titleCase(county) }).check();
    await expectText(liveCount, `${voters(countyVoters)} match`);
    await page.getByRole('checkbox', { name: 'Democratic' }).check();
    await expectText(liveCount, `${voters(countyDemocrats)} match`);
    await page.getByRole('checkbox', { name: 'Democratic' }).uncheck();
    await expectText(liveCount, `${voters(countyVoters)} match`);

    await page.getByLabel('Turf name').fill('Whole county');
    await page.getByRole('button', { name: 'Save as turf' }).click();
    await expectVisible(turfCard('Whole county').getByText('Draft', { exact: true }));

    await turfCard('Whole county').getByRole('button', { name: 'Materialize' }).click();
    await expectText(turfCard('Whole county').locator('.turf-voters'), voters(countyVoters));

    await turfCard('Whole county').getByRole('button', { name: 'Split…' }).click();
    const split = page.getByRole('form', { name: 'Split Whole county' });
    await split.getByLabel('Parts').fill('2');
    await split.getByLabel('How').selectOption('equal');
    await split.getByRole('button', { name: 'Split' }).click();
    await expectVisible(turfCard('Whole county (1 of 2)'));
    await expectVisible(turfCard('Whole county (2 of 2)'));
    await expectText(turfCard('Whole county').locator('.turf-voters'), 'split into 2 parts');
  });

  it('should assign a part to a member, offer the rest when voters are taken, and list turf by member', async () => {
    const parts: Array<{ half: number }> = await sql.query(`SELECT voter_count AS half FROM turf WHERE name = 'Whole county (1 of 2)'`);
    if (parts.length === 0) throw new Error('there is no turf "Whole county (1 of 2)" to assign: the step that cuts and splits it failed');
    const [{ half }] = parts;
    const otherHalf = countyVoters - half;
    await turfCard('Whole county (1 of 2)').getByRole('button', { name: 'Assign…' }).click();
    const assign = page.getByRole('form', { name: 'Assign Whole county (1 of 2)' });
    await assign.getByLabel('Member organization').selectOption({ label: memberNames[0] });
    await assign.getByLabel('Campaign').selectOption({ label: 'Fall canvass' });
    await assign.getByRole('button', { name: 'Assign', exact: true }).click();
    await expectVisible(page.getByRole('status').getByText(`assigned to ${memberNames[0]} for Fall canvass: ${voters(half)}`));

    const byMember = page.getByRole('region', { name: 'Turf by member' });
    const harbor = byMember.getByRole('region', { name: memberNames[0], exact: true });
    await expectVisible(harbor.getByRole('rowheader', { name: 'Whole county (1 of 2)' }));
    await expectVisible(harbor.getByRole('row', { name: /Whole county \(1 of 2\)/ }).getByText(half.toLocaleString('en-US'), { exact: true }));

    // The whole county overlaps the part just assigned: the page offers the other half.
    await turfCard('Whole county').getByRole('button', { name: 'Assign…' }).click();
    const assignWhole = page.getByRole('form', { name: 'Assign Whole county' });
    await assignWhole.getByLabel('Member organization').selectOption({ label: memberNames[1] });
    await assignWhole.getByRole('button', { name: 'Assign', exact: true }).click();
    await expectText(
      assignWhole.getByRole('alert'),
      `${voters(half)} are already in another organization’s turf for this campaign; assign the other ${otherHalf.toLocaleString('en-US')}?`,
    );
    await assignWhole.getByRole('button', { name: `Assign the other ${otherHalf.toLocaleString('en-US')}` }).click();
    const valley = byMember.getByRole('region', { name: memberNames[1], exact: true });
    await expectVisible(valley.getByRole('rowheader', { name: 'Whole county', exact: true }));
    await expectVisible(valley.getByRole('row', { name: /Whole county/ }).getByText(otherHalf.toLocaleString('en-US'), { exact: true }));

    const [{ held }] = await sql.query(
      `SELECT count(*)::int AS held FROM turf_assignment_voter tav JOIN organization o ON o.id = tav.organization_id WHERE o.slug = 'harbor-tenants'`,
    );
    expect(held).toBe(half);
  });

  it('should invite a volunteer to a member organization from the organizations page', async () => {
    await header().getByRole('link', { name: 'Organizations' }).click();
    await expectVisible(page.getByRole('heading', { name: 'Organizations and people', level: 1 }));
    await expectVisible(page.getByText(`Region: ${titleCase(county)}`));
    const form = page.getByRole('form', { name: 'Invite someone' });
    await form.getByLabel('Email').fill('nia.new@example.test');
    await form.getByLabel('Organization').selectOption({ label: memberNames[0] });
    await form.getByLabel('Role').selectOption({ label: 'Volunteer' });
    await form.getByRole('button', { name: 'Send invitation' }).click();
    await expectVisible(page.getByRole('status').getByText(`Invitation on its way to nia.new@example.test: Volunteer, ${memberNames[0]}`));
  });

  it('should let the anchor lead browse voters, and send them to sign in when the session ends, then back to the page', async () => {
    await header().getByRole('link', { name: 'Voter file' }).click();
    await expectText(page.locator('.result-total'), `${voters(countyVoters)} match`);
    expect(await page.getByRole('heading', { name: 'Upload a file' }).count()).toBe(0);

    // Revoked on the server (an expiry, a sign-out elsewhere): the next request answers 401.
    await sql.query(`UPDATE user_session SET revoked_at = now() WHERE user_id = (SELECT id FROM app_user WHERE email = $1)`, [anchorLead.email]);
    await page.getByLabel('County').fill(county.toLowerCase());
    await expectVisible(page.getByText('Your session has ended. Sign in again'));
    expect(new URL(page.url()).hash).toBe('#/voter-file');
    await signIn(anchorLead.email);
    await expectVisible(page.getByRole('heading', { name: 'Voter file', level: 1 }));
    await expectText(page.locator('.result-total'), `${voters(countyVoters)} match`);
  });

  it('should sign out and forget the session', async () => {
    await header().getByRole('button', { name: 'Sign out' }).click();
    await expectVisible(page.getByText('You have signed out.'));
    await expectVisible(page.getByRole('heading', { name: 'Sign in' }));
    expect((await page.request.get(`${baseUrl}/api/auth/sessions/current`)).status()).toBe(401);
  });

  it('should show a volunteer a home without any voter list, even at the voter file address', async () => {
    const firstRequest = requested.length;
    await signIn(volunteer.email);
    await expectVisible(page.getByText('Calling sessions are coming soon'));
    expect(new URL(page.url()).hash).toBe('#/');
    await expectVisible(header().getByText(`Volunteer, ${memberNames[0]}`));
    expect(await header().getByRole('link', { name: 'Voter file' }).count()).toBe(0);

    await page.goto(`${baseUrl}/#/voter-file`);
    await expectVisible(page.getByText('Your role does not include this page'));
    expect(await page.getByRole('table').count()).toBe(0);
    expect(await page.getByRole('heading', { name: 'Browse voters' }).count()).toBe(0);
    expect(requested.slice(firstRequest).filter((path) => path.startsWith('/api/voters'))).toEqual([]);

    await header().getByRole('button', { name: 'Sign out' }).click();
    await expectVisible(page.getByRole('heading', { name: 'Sign in' }));
  });

  it('should accept an invitation link and land signed in', async () => {
    const delivered = logs.entries().find((entry) => entry.notification === 'invitation');
    expect(delivered).toBeDefined();
    const token = String(delivered!.link).split('#/invitations/')[1];
    await page.goto(`${baseUrl}/#/invitations/${token}`);
    await expectVisible(page.getByText(`You are invited to join ${memberNames[0]}, Test Alliance as Volunteer`));

    await page.getByLabel('Your name').fill('Nia New');
    await page.getByLabel('New password', { exact: true }).fill('a long enough passphrase');
    await page.getByLabel('Type the password again').fill('a different passphrase');
    await page.getByRole('button', { name: 'Accept and sign in' }).click();
    await expectText(page.getByRole('alert'), 'The two passwords are not the same.');

    await page.getByLabel('Type the password again').fill('a long enough passphrase');
    await page.getByRole('button', { name: 'Accept and sign in' }).click();
    await expectVisible(header().getByText('Nia New'));
    await expectVisible(header().getByText(`Volunteer, ${memberNames[0]}`));
    await expectVisible(page.getByText('Calling sessions are coming soon'));
    expect(new URL(page.url()).hash).toBe('#/');

    // A link works once.
    await page.goto(`${baseUrl}/#/invitations/${token}`);
    await expectText(page.getByRole('alert'), 'This invitation link is unknown, already used or expired');
  });

  it('should send a reset link without telling whether the email has an account, and set a new password with it', async () => {
    await header().getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('link', { name: 'Forgot your password?' }).click();
    await page.getByLabel('Email').fill(volunteer.email);
    await page.getByRole('button', { name: 'Send the link' }).click();
    await expectVisible(page.getByText('If that email has an account, a link is on its way.'));

    const delivered = logs.entries().find((entry) => entry.notification === 'password_reset');
    expect(delivered).toBeDefined();
    await page.goto(`${baseUrl}/#/password-resets/${String(delivered!.link).split('#/password-resets/')[1]}`);
    await page.getByLabel('New password', { exact: true }).fill('short');
    await page.getByLabel('Type the password again').fill('short');
    await page.getByRole('button', { name: 'Set the new password' }).click();
    await expectText(page.getByRole('alert'), 'The password must be at least 12 characters long.');
    await page.getByLabel('New password', { exact: true }).fill('a brand new passphrase');
    await page.getByLabel('Type the password again').fill('a brand new passphrase');
    await page.getByRole('button', { name: 'Set the new password' }).click();
    await expectVisible(page.getByText('Your new password is set'));

    await page.getByRole('link', { name: 'Sign in with the new password' }).click();
    await signIn(volunteer.email, 'a brand new passphrase');
    await expectVisible(header().getByText(volunteer.displayName));
  });

  it("should let a data lead upload a voter file from the voter file page (the upload carries the session's anti-CSRF token)", async () => {
    await header().getByRole('button', { name: 'Sign out' }).click();
    await signIn(dataLead.email);
    await expectVisible(page.getByRole('heading', { name: 'Voter file', level: 1 }));
    expect(new URL(page.url()).hash).toBe('#/voter-file');
    const file = `${[...new NcvoterSyntheticGenerator({ rows: 20, seed: 5 }).lines()].join('\n')}\n`;
    await page.getByLabel('Voter file', { exact: true }).setInputFiles({ name: 'ncvoter-sample.txt', mimeType: 'text/plain', buffer: Buffer.from(file) });
    await page.getByRole('button', { name: 'Upload and import' }).click();
    await expectVisible(page.getByText('ncvoter-sample.txt was uploaded and its import is queued'));
    const [{ uploads }] = await sql.query(`SELECT count(*)::int AS uploads FROM voter_import WHERE file_name = 'ncvoter-sample.txt'`);
    expect(uploads).toBe(1);
  });
});

function titleCase(text: string): string {
  return text.toLowerCase().replace(/\b\w/g, (letter) => letter.toUpperCase());
}
