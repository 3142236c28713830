import type { AddressInfo } from 'node:net';
import type { INestApplication, INestApplicationContext } from '@nestjs/common';
import { hash } from '@node-rs/argon2';
import { Pool } from 'pg';
import { type Browser, type BrowserContext, chromium, type Locator, type Page } from 'playwright-core';
import { DataSource } from 'typeorm';
import { ARGON2ID_PARAMETERS, MembershipRole } from '@app/identity';
import { RecordingLogDestination } from '@app/observability';
import { DEFAULT_TAXONOMY, SegmentApplicationService, SegmentModelTrainingService } from '@app/segments';
import { loadVoterTruth, pollCsv, samplePoll } from '@app/segments/synthetic-poll';
import { createOwnerApplication, createTestContext, IdentityFactory, importSyntheticVoters, TEST_PASSWORD, type TestContext, waitUntil } from '@app/testing';
import { createApiApplication } from '../../apps/api/src/api-application.factory';
import { CHROMIUM, CHROMIUM_ARGS, requireBrowserAndConsole, STEP_MS, expectVisible, expectText } from './browser-page.util';

const POLL_RESPONDENTS = 600;
const PERCENT = new Intl.NumberFormat('en-US', { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 });

interface ConfusionReport {
  accuracy: number;
  confusionMatrix: number[][];
}

// The segments page as a data lead uses it, in a real browser against the real api (served
// in-process, with the built console at /): the taxonomy, rules with a live count, a model trained
// from an uploaded poll, applying it and the chart of where segments fall; then an anchor lead
// reads it without the editors, and a volunteer is kept out. The api runs no worker, so the test
// runs the training and the application itself once the page has queued them. The steps run in
// order and share one browser page.
describe('the segments page in Chromium', () => {
  let context: TestContext;
  let owner: INestApplicationContext;
  let sql: DataSource;
  let pool: Pool;
  let app: INestApplication;
  let browser: Browser;
  let browserContext: BrowserContext;
  let page: Page;
  let baseUrl: string;
  let allianceId: string;
  let activeVoters: number;
  let democrats: number;
  let unaffiliated: number;
  let county: string;
  let countyVoters: number;
  const logs = new RecordingLogDestination();
  const dataLead = { email: 'dana.data@example.test', displayName: 'Dana Data' };
  const anchorLead = { email: 'ari.anchor@example.test', displayName: 'Ari Anchor' };
  const volunteer = { email: 'vic.volunteer@example.test', displayName: 'Vic Volunteer' };
  /** Every API path the browser asked for, to prove what a page did not fetch. */
  const requested: string[] = [];

  beforeAll(async () => {
    requireBrowserAndConsole();

    context = await createTestContext();
    owner = await createOwnerApplication(context);
    sql = owner.get(DataSource);
    pool = new Pool({ connectionString: context.endpoints.databaseUrl, max: 2 });
    app = await createApiApplication({ config: context.config, endpoints: context.endpoints, logDestination: logs });
    await app.listen(0, '127.0.0.1');
    baseUrl = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;

    const identity = new IdentityFactory(sql);
    const alliance = await identity.alliance({ name: 'Segment Alliance' });
    allianceId = alliance.id;
    await importSyntheticVoters(owner, context, { allianceId, rows: 3_000, seed: 29 });
    [{ activeVoters, democrats, unaffiliated }] = await sql.query(
      `SELECT count(*)::int AS "activeVoters", (count(*) FILTER (WHERE party = 'democratic'))::int AS democrats,
              (count(*) FILTER (WHERE party = 'unaffiliated'))::int AS unaffiliated
         FROM voter WHERE alliance_id = $1 AND active`,
      [allianceId],
    );
    [{ county, countyVoters }] = await sql.query(
      `SELECT county, count(*)::int AS "countyVoters" FROM voter WHERE alliance_id = $1 AND active GROUP BY county ORDER BY count(*) DESC, county LIMIT 1`,
      [allianceId],
    );
    const anchor = await identity.anchor(allianceId, { name: 'Northside Anchor', slug: 'northside', regionCounties: [county] });
    const member = await identity.member(allianceId, anchor.id, { name: 'Riverside Neighbors', slug: 'riverside' });
    const passwordHash = await hash(TEST_PASSWORD, ARGON2ID_PARAMETERS);
    const lead = await identity.user({ ...dataLead, passwordHash });
    await identity.membership(lead.id, allianceId, null, MembershipRole.DataLead);
    const anchorUser = await identity.user({ ...anchorLead, passwordHash });
    await identity.membership(anchorUser.id, allianceId, anchor.id, MembershipRole.AnchorLead);
    const caller = await identity.user({ ...volunteer, passwordHash });
    await identity.membership(caller.id, allianceId, member.id, MembershipRole.Volunteer);

    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    browserContext = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    browserContext.setDefaultTimeout(STEP_MS);
    page = await browserContext.newPage();
    page.on('request', (request) => {
      const url = new URL(request.url());
      if (url.pathname.startsWith('/api/')) requested.push(url.pathname);
    });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await pool?.end();
    await owner?.close();
    await context?.dispose();
  });

  async function signIn(email: string): Promise<void> {
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password', { exact: true }).fill(TEST_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
  }

  async function signOut(): Promise<void> {
    await page.getByRole('banner').getByRole('button', { name: 'Sign out' }).click();
    await expectVisible(page.getByRole('heading', { name: 'Sign in' }));
  }

  const region = (name: string): Locator => page.getByRole('region', { name, exact: true });
  const voters = (count: number) => `${count.toLocaleString('en-US')} voters`;
  const segmentNames = DEFAULT_TAXONOMY.segments.map((segment) => segment.name);

  it("should open the page for a data lead after signing in, showing the default taxonomy's four segments", async () => {
    await page.goto(`${baseUrl}/#/segments`);
    await expectVisible(page.getByRole('heading', { name: 'Sign in' }));
    await signIn(dataLead.email);

    await expectVisible(page.getByRole('heading', { name: 'Segments', level: 1 }));
    expect(new URL(page.url()).hash).toBe('#/segments');
    const cards = region('Taxonomy').getByRole('list', { name: 'Segments' }).getByRole('listitem');
    await expectVisible(cards.first());
    expect(await cards.allInnerTexts()).toHaveLength(4);
    for (const [index, name] of segmentNames.entries()) await expectText(cards.nth(index).getByRole('heading'), name);
    await expectVisible(region('Taxonomy').getByText('Version 1'));
    await page.screenshot({ path: '/tmp/segments-taxonomy.png' });
  });

  it('should count voters live as the rules change, name the field the API refuses, and save the rules as a model', async () => {
    const rules = region('Rules');
    const total = rules.locator('.rules-count .result-total');
    // No rules yet: every voter falls to the fallback segment.
    await expectText(total, `${voters(activeVoters)} counted`);

    await rules.getByRole('button', { name: 'Add a rule' }).click();
    const rule = rules.getByRole('group', { name: 'Rule 1' });
    expect(await rule.getByLabel('Segment', { exact: true }).inputValue()).toBe('pro_tax_base');
    await rule.getByRole('button', { name: 'Add a condition to rule 1' }).click();
    await rule.getByRole('checkbox', { name: 'Democratic' }).check();
    await expectText(rule.locator('.rule-count'), voters(democrats));
    await expectText(rule.locator('.rule-words'), 'party democratic → Pro-Tax & Fiscal Base');
    await rule.getByRole('checkbox', { name: 'Unaffiliated' }).check();
    await expectText(rule.locator('.rule-count'), voters(democrats + unaffiliated));
    await expectText(rules.locator('.segment-share-table tr', { hasText: 'Pro-Tax & Fiscal Base' }), (democrats + unaffiliated).toLocaleString('en-US'));
    await expectText(total, `${voters(activeVoters)} counted`);

    // A bound out of range: the API names the field, and the page marks that input.
    await rule.getByRole('button', { name: 'Add a condition to rule 1' }).click();
    const second = rule.getByRole('group', { name: 'Condition 2 of rule 1' });
    await second.getByLabel('Field').selectOption('age');
    await second.getByLabel('From').fill('200');
    await expectText(rules.getByRole('alert'), 'Rule 1, condition 2, “From” must be a whole number from 0 to 130');
    expect(await second.getByLabel('From').getAttribute('aria-invalid')).toBe('true');
    await page.screenshot({ path: '/tmp/segments-rules-error.png' });
    await second.getByRole('button', { name: 'Remove condition 2 of rule 1' }).click();
    await expectText(rule.locator('.rule-count'), voters(democrats + unaffiliated));
    // Counted afresh, not the last good count kept on screen while the refusal showed.
    await expectText(total, `${voters(activeVoters)} counted`);
    expect(await rules.getByRole('alert').count()).toBe(0);
    await page.screenshot({ path: '/tmp/segments-rules.png' });

    await rules.getByLabel('Model name', { exact: true }).fill('Party rules');
    await rules.getByRole('button', { name: 'Save as a new model' }).click();
    await expectVisible(page.getByText('Saved the rules as model v1, “Party rules”.'));
    const models = region('Models');
    expect(await models.getByRole('button', { name: 'Party rules' }).getAttribute('aria-pressed')).toBe('true');
    await expectVisible(models.getByRole('heading', { name: 'v1: Party rules' }));
    await expectText(models.locator('.rule-words-list li').first(), 'party democratic or unaffiliated → Pro-Tax & Fiscal Base');
    await expectText(models.locator('.rule-words-list li').last(), 'Otherwise → Everyone else');

    const saved: Array<{ definition: unknown }> = await sql.query(`SELECT definition FROM segment_model WHERE alliance_id = $1 AND kind = 'rules'`, [
      allianceId,
    ]);
    expect(saved).toEqual([
      {
        definition: {
          rules: [{ segment: 'pro_tax_base', conditions: [{ field: 'party', values: ['democratic', 'unaffiliated'] }] }],
          fallbackSegment: 'other',
        },
      },
    ]);
  });

  it('should train a model from an uploaded poll and show its accuracy beside the baseline and the rules, with a confusion matrix', async () => {
    const truth = await loadVoterTruth(pool, allianceId);
    const poll = samplePoll(truth, POLL_RESPONDENTS, 13);
    const models = region('Models');
    await models.getByLabel('Values poll (CSV)').setInputFiles({ name: 'values-poll.csv', mimeType: 'text/csv', buffer: Buffer.from(pollCsv(poll.rows)) });
    await models.getByLabel('Model name (optional)').fill('Spring poll');
    await models.getByRole('button', { name: 'Upload and train' }).click();
    await expectVisible(models.getByText('values-poll.csv was accepted: model v2 is queued to train.'));
    await expectVisible(models.getByRole('heading', { name: 'v2: Spring poll' }));
    await expectVisible(models.getByText('Queued: waiting for a worker to train it.'));
    await screenshotInParts(models.locator('.model-detail'), 'segments-training-queued');

    const id = await waitUntil(async () => {
      const rows: Array<{ id: string }> = await sql.query(`SELECT id FROM segment_model WHERE alliance_id = $1 AND kind = 'trained' AND status = 'queued'`, [
        allianceId,
      ]);
      return rows[0]?.id;
    }, 'the uploaded poll to queue a model');
    const trained = await owner.get(SegmentModelTrainingService).train(id);
    expect(trained?.status).toBe('ready');
    const evaluation = trained!.evaluation as unknown as { model: ConfusionReport; baseline: ConfusionReport; rules: { report: ConfusionReport } | null };

    const table = models.getByRole('table', { name: /^Cross-validated on 600 respondents/ });
    await expectVisible(table);
    await expectText(table.getByRole('row', { name: /This model \(v2\)/ }), PERCENT.format(evaluation.model.accuracy));
    await expectText(table.getByRole('row', { name: /baseline/ }), PERCENT.format(evaluation.baseline.accuracy));
    expect(evaluation.rules).not.toBeNull();
    await expectText(table.getByRole('row', { name: /Rule model v1: Party rules/ }), PERCENT.format(evaluation.rules!.report.accuracy));
    expect(evaluation.model.accuracy).toBeGreaterThan(evaluation.baseline.accuracy);
    await expectText(models.locator('.verdict'), `against ${PERCENT.format(evaluation.baseline.accuracy)} for always guessing the most common segment`);

    const matrix = models.getByRole('table', { name: /^Confusion matrix/ });
    for (const [actual, name] of segmentNames.entries()) {
      const cells = await matrix
        .getByRole('row', { name: new RegExp(`^${escapeRegExp(name)}`) })
        .getByRole('cell')
        .allInnerTexts();
      expect(cells.slice(0, segmentNames.length)).toEqual(evaluation.model.confusionMatrix[actual].map((count) => count.toLocaleString('en-US')));
    }
    await expectVisible(models.getByRole('table', { name: /^Calibration/ }));
    await expectVisible(models.getByRole('heading', { name: 'What the model reads into voters' }));
    await expectVisible(models.getByText(`Voters are more likely to be ${segmentNames[0]} when`));
    await screenshotInParts(models, 'segments-trained');
  }, 120_000);

  it('should apply the model to every voter, follow the run to the end, and chart the segments by county', async () => {
    const models = region('Models');
    await models.getByRole('button', { name: 'Apply to every voter' }).click();
    await expectText(models.locator('.application-progress'), 'Queued: waiting for a worker to start the run.');
    const applicationId = await waitUntil(async () => {
      const rows: Array<{ id: string }> = await sql.query(`SELECT id FROM segment_application WHERE alliance_id = $1 AND status = 'queued'`, [allianceId]);
      return rows[0]?.id;
    }, 'the apply button to queue a run');
    await screenshotInParts(models.locator('.apply-box'), 'segments-apply-queued');
    const run = await owner.get(SegmentApplicationService).run(applicationId);
    expect(run?.status).toBe('succeeded');

    await expectText(models.locator('.application-progress'), `Done: ${voters(activeVoters)} classified`);
    expect(await models.locator('.application-progress progress').getAttribute('value')).toBe('100');
    await expectVisible(models.getByRole('row', { name: /Spring poll/ }).getByText('Active'));

    const distribution = region('Distribution');
    await expectVisible(distribution.getByText('Model v2: Spring poll (active)'));
    await expectVisible(distribution.locator('svg .recharts-bar-rectangle').first());
    expect(await distribution.locator('svg .recharts-bar-rectangle').count()).toBeGreaterThan(0);
    await expectText(distribution.locator('.distribution-total'), activeVoters.toLocaleString('en-US'));
    const totals = await distribution.locator('tfoot td').allInnerTexts();
    const byKey = run!.distribution ?? {};
    expect(totals).toEqual([
      ...DEFAULT_TAXONOMY.segments.map((segment) => (byKey[segment.key] ?? 0).toLocaleString('en-US')),
      activeVoters.toLocaleString('en-US'),
    ]);
    await screenshotInParts(distribution, 'segments-distribution');

    await distribution.getByText('By organization', { exact: true }).click();
    await expectVisible(distribution.getByText('No member organization holds turf with classified voters yet'));
    await distribution.getByText('By county', { exact: true }).click();
    await expectText(distribution.locator('.distribution-total'), activeVoters.toLocaleString('en-US'));
  });

  it('should save an edited taxonomy as a new version, naming the field the API refuses', async () => {
    const taxonomy = region('Taxonomy');
    await taxonomy.getByRole('button', { name: 'Edit segments' }).click();
    const form = page.getByRole('form', { name: 'Edit segments' });
    const first = form.getByRole('group', { name: /^Segment 1/ });
    await first.getByLabel('Name', { exact: true }).fill('');
    await form.getByRole('button', { name: 'Save as version 2' }).click();
    await expectText(form.getByRole('alert'), 'Segment 1 name must be text of 1 to 100 characters');
    expect(await first.getByLabel('Name', { exact: true }).getAttribute('aria-invalid')).toBe('true');
    // Focus goes to what the refusal named, so the person lands on what to fix.
    expect(await page.locator(':focus').getAttribute('id')).toBe(await first.getByLabel('Name', { exact: true }).getAttribute('id'));
    await page.screenshot({ path: '/tmp/segments-taxonomy-error.png' });

    await first.getByLabel('Name', { exact: true }).fill('Fiscal Reform Base');
    await form.getByRole('button', { name: 'Move segment 4 up' }).click();
    await form.getByRole('button', { name: 'Save as version 2' }).click();
    await expectVisible(page.getByText('Taxonomy version 2 is saved.'));
    const cards = taxonomy.getByRole('list', { name: 'Segments' }).getByRole('listitem').getByRole('heading');
    expect(await cards.allInnerTexts()).toEqual(['Fiscal Reform Base', segmentNames[1], segmentNames[3], segmentNames[2]]);
    const [{ keys }] = await sql.query(
      `SELECT array(SELECT s->>'key' FROM jsonb_array_elements(segments) s) AS keys FROM segment_taxonomy WHERE alliance_id = $1 AND version = 2`,
      [allianceId],
    );
    expect(keys).toEqual(['pro_tax_base', 'aspiring_poc', 'other', 'balanced_suburbans']);
  });

  it("should show an anchor lead the taxonomy, the models and their region's distribution, without any editor", async () => {
    await signOut();
    await page.goto(`${baseUrl}/#/segments`);
    await signIn(anchorLead.email);
    await expectVisible(page.getByRole('heading', { name: 'Segments', level: 1 }));
    await expectVisible(region('Models').getByRole('heading', { name: 'v2: Spring poll' }));
    await expectText(region('Distribution').locator('.distribution-total'), countyVoters.toLocaleString('en-US'));
    expect(await region('Rules').count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Edit segments' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Apply to every voter' }).count()).toBe(0);
    expect(await page.getByLabel('Values poll (CSV)').count()).toBe(0);
    await screenshotInParts(page.locator('#main'), 'segments-anchor-lead');
  });

  it('should keep a volunteer out of the page without asking the API for any segment', async () => {
    await signOut();
    await page.goto(`${baseUrl}/#/segments`);
    const firstRequest = requested.length;
    await signIn(volunteer.email);
    await expectVisible(page.getByText('Your role does not include this page'));
    expect(new URL(page.url()).hash).toBe('#/segments');
    expect(await page.getByRole('heading', { name: 'Taxonomy' }).count()).toBe(0);
    expect(requested.slice(firstRequest).filter((path) => path.startsWith('/api/segment'))).toEqual([]);
  });

  it("should filter a data lead's voter browser by one values segment, matching the voters the active model puts in it", async () => {
    await signOut();
    await page.goto(`${baseUrl}/#/voter-file`);
    await signIn(dataLead.email);
    await expectVisible(page.getByRole('heading', { name: 'Voter file', level: 1 }));
    const total = page.locator('.results-bar .result-total');
    await expectText(total, `${voters(activeVoters)} match`);

    // The segment with the most active voters under the active model, named as the current taxonomy names it.
    const [{ key, inSegment }]: Array<{ key: string; inSegment: number }> = await sql.query(
      `SELECT sa.segment_key AS key, count(*)::int AS "inSegment"
         FROM segment_assignment sa
         JOIN segment_model m ON m.id = sa.model_id AND m.active
         JOIN voter v ON v.id = sa.voter_id AND v.active
        WHERE m.alliance_id = $1 AND v.alliance_id = $1
        GROUP BY sa.segment_key ORDER BY count(*) DESC, sa.segment_key LIMIT 1`,
      [allianceId],
    );
    expect(inSegment).toBeGreaterThan(0);
    expect(inSegment).toBeLessThan(activeVoters);
    const taxonomy: Array<{ key: string; name: string }> = await sql.query(
      `SELECT s->>'key' AS key, s->>'name' AS name
         FROM segment_taxonomy t, jsonb_array_elements(t.segments) WITH ORDINALITY AS e(s, position)
        WHERE t.alliance_id = $1 AND t.version = (SELECT max(version) FROM segment_taxonomy WHERE alliance_id = $1)
        ORDER BY e.position`,
      [allianceId],
    );
    const name = taxonomy.find((each) => each.key === key)?.name ?? key;

    const filters = page.getByRole('search', { name: 'Voter filters' });
    const segment = filters.getByLabel('Values segment', { exact: true });
    await expectVisible(segment);
    expect(await segment.locator('option').allInnerTexts()).toEqual(['Any', ...taxonomy.map((each) => each.name)]);
    await segment.selectOption({ label: name });
    await expectText(total, `${voters(inSegment)} match`);
    expect(await total.innerText()).toBe(`${voters(inSegment)} match`);
    expect(await page.getByRole('link', { name: 'Export CSV' }).getAttribute('href')).toContain(`segment=${key}`);
    await screenshotInParts(filters, 'segments-voter-filter');

    await filters.getByRole('button', { name: 'Clear filters' }).click();
    await expectText(total, `${voters(activeVoters)} match`);
    expect(await segment.inputValue()).toBe('');
  });
});

/** An element as screenshots a viewport tall each (/tmp/NAME-1.png, …), so that each can be read at full size. */
async function screenshotInParts(locator: Locator, name: string): Promise<void> {
  await locator.scrollIntoViewIfNeeded();
  const page = locator.page();
  const box = await locator.boundingBox();
  const viewport = page.viewportSize();
  if (box === null || viewport === null) throw new Error(`${String(locator)} is not on the page to screenshot`);
  const scrollY = await page.evaluate(() => (globalThis as unknown as { scrollY: number }).scrollY);
  const top = box.y + scrollY;
  for (let part = 0; part * viewport.height < box.height; part += 1) {
    const y = top + part * viewport.height;
    const height = Math.min(viewport.height, box.height - part * viewport.height);
    await page.screenshot({ path: `/tmp/${name}-${part + 1}.png`, fullPage: true, clip: { x: box.x, y, width: box.width, height } });
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
