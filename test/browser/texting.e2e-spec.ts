import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { TEST_PASSWORD, waitUntil } from '@app/testing';
import { CHROMIUM, CHROMIUM_ARGS, expectText, expectVisible, requireBrowserAndConsole, STEP_MS } from './browser-page.util';
import type { Person } from './phone-bank-world.util';
import { ADMIN, CANNED_WHO, SENDING_NUMBERS, startTextingWorld, TEXTER, TEXTING_LEAD, type TextingWorld } from './texting-world.util';

/** Where this run leaves its screenshots (printed at the end). */
const SHOTS = mkdtempSync(join(tmpdir(), 'texting-browser-'));

interface ConversationRow {
  readonly id: string;
  readonly status: string;
  readonly closedReason: string | null;
  readonly phone: string;
  readonly sendingNumber: string;
  readonly firstName: string | null;
}

// Peer-to-peer texting in a real browser, with the api, the sms worker and the carrier simulator in
// this process: a volunteer gets a batch of contacts and sends three first texts with the Enter key
// (a held key sends one), a voter's reply shows up in the inbox by itself, the volunteer answers
// with a canned response, tags a survey answer and closes; a voter's STOP closes their conversation
// as opted out; the org lead watches the figures move and sees a bad setting refused on its field;
// an alliance admin looks the opted-out phone up and reverses it with a reason.
describe('texting in Chromium', () => {
  let world: TextingWorld;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    requireBrowserAndConsole();
    world = await startTextingWorld();
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await world?.dispose();
    process.stdout.write(`texting screenshots: ${SHOTS}\n`);
  });

  async function signedInPage(person: Person, width = 1280): Promise<Page> {
    const context = await browser.newContext({ viewport: { width, height: 900 } });
    context.setDefaultTimeout(STEP_MS);
    contexts.push(context);
    const page = await context.newPage();
    await page.goto(`${world.baseUrl}/`);
    await page.getByLabel('Email').fill(person.email);
    await page.getByLabel('Password', { exact: true }).fill(TEST_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expectVisible(page.getByRole('button', { name: 'Sign out' }));
    return page;
  }

  const shot = (page: Page, name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
  const conversations = (): Promise<ConversationRow[]> =>
    world.sql.query(
      `SELECT c.id, c.status, c.closed_reason AS "closedReason", c.voter_phone AS phone, c.sending_number AS "sendingNumber", v.first_name AS "firstName"
         FROM conversation c JOIN voter v ON v.id = c.voter_id WHERE c.campaign_id = $1 ORDER BY c.created_at, c.id`,
      [world.campaignId],
    );
  const initialsWritten = async (): Promise<number> =>
    (await world.sql.query(`SELECT count(*)::int AS count FROM message WHERE campaign_id = $1 AND kind = 'initial'`, [world.campaignId]))[0].count;
  const tile = (page: Page, label: string) =>
    page
      .locator('.dialer-tile')
      .filter({ has: page.locator('dt', { hasText: new RegExp(`^${label}$`) }) })
      .locator('.tile-value');

  it('should let a texter send first texts one key press each, answer a reply, tag and close, and show a STOP as opted out, while the lead watches', async () => {
    const started = Date.now();
    const lead = await signedInPage(TEXTING_LEAD);
    await lead.goto(`${world.baseUrl}/#/campaigns/${world.campaignSlug}/texting`);
    await expectText(lead.locator('h1'), 'Texting: Fall texts');
    await expectText(tile(lead, 'First texts sent'), '0');

    // --- The texter finds the campaign in the list of text campaigns open to them.
    const texter = await signedInPage(TEXTER);
    await texter.goto(`${world.baseUrl}/#/texting`);
    await expectVisible(texter.getByRole('heading', { name: 'Text campaigns open to you' }));
    await texter.getByRole('link', { name: 'Start texting in Fall texts' }).click();
    await expectVisible(texter.getByRole('heading', { name: 'First texts' }));
    await texter.getByLabel('How many').fill('3');
    await texter.getByRole('button', { name: 'Get contacts' }).click();
    await expectText(texter.getByRole('status'), 'You have 3 new voters to text');
    const sendButton = texter.getByRole('button', { name: /^Send/ });
    await expectVisible(sendButton);
    await expectText(texter.locator('.initial-progress-label'), '0 of 3 sent');
    await shot(texter, '1-texter-first-text');

    // The text shows the voter's first name and the last four digits, never the number.
    const assigned = await conversations();
    expect(assigned).toHaveLength(3);
    const firstShown = (await texter.locator('.initial-to').innerText()).trim();
    const firstVoter = assigned.find((row) => firstShown.includes(row.phone.slice(-4)));
    expect(firstVoter).toBeDefined();
    if (firstVoter!.firstName !== null) expect(firstShown.toLowerCase()).toContain(firstVoter!.firstName.toLowerCase());
    expect(await texter.locator('main').innerText()).not.toContain(firstVoter!.phone);
    await expectText(texter.locator('.initial-text'), 'with Eastside Neighbors');

    // One press is one text: Enter held down sends one, however long the keyboard repeats it.
    await texter.locator('.brand').click();
    await texter.keyboard.down('Enter');
    await expectText(texter.locator('.initial-progress-label'), '1 of 3 sent');
    const enabledSend = texter.locator('.initial-panel button.save-button:enabled');
    await expectVisible(enabledSend);
    await texter.keyboard.down('Enter');
    await texter.keyboard.down('Enter');
    await new Promise((resolveLater) => setTimeout(resolveLater, 700));
    await texter.keyboard.up('Enter');
    expect(await initialsWritten()).toBe(1);
    await expectText(texter.locator('.initial-progress-label'), '1 of 3 sent');
    for (const expected of ['2 of 3 sent', '3 of 3 sent']) {
      await expectVisible(enabledSend);
      await texter.keyboard.press('Enter');
      await expectText(texter.locator('.initial-progress-label'), expected);
    }
    await expectText(texter.locator('.get-contacts-hint'), 'All 3 first texts of this batch are sent');
    expect(await initialsWritten()).toBe(3);
    await expectText(tile(lead, 'First texts sent'), '3');
    // The carrier delivers them; the lead's figures follow.
    await expectText(tile(lead, 'Delivered'), '3');
    await shot(lead, '2-lead-stats-sent');

    // --- A voter writes back: the reply shows up in the inbox without a reload.
    const [replier, stopper] = (await conversations()).filter((row) => row.status === 'messaged');
    await world.simulator.injectInbound({ from: replier.phone, to: replier.sendingNumber, body: 'Who is this?' });
    const needsReply = texter.locator('.inbox-group').filter({ has: texter.getByRole('heading', { name: /Needs a reply/ }) });
    const replierItem = needsReply.getByRole('button', { name: new RegExp(replier.phone.slice(-4)) });
    await expectVisible(replierItem);
    await replierItem.click();
    const history = texter.getByRole('list', { name: /Texts in this conversation/ });
    await expectText(history.locator('.text-inbound'), 'Who is this?');
    await expectText(history.locator('.text-outbound .text-status'), 'Delivered');
    await expectText(tile(lead, 'Replies'), '1');
    await expectText(tile(lead, 'Waiting for a texter'), '1');

    // A canned response with one click, sent once.
    await texter.locator('.canned-button', { hasText: CANNED_WHO.title }).click();
    const replyBox = texter.getByLabel('Your reply');
    expect(await replyBox.inputValue()).toContain('a volunteer with Eastside Neighbors');
    expect(await replyBox.inputValue()).not.toContain('{volunteer.first_name}');
    await texter.getByRole('button', { name: 'Send reply' }).click();
    await expectText(texter.getByRole('status').filter({ hasText: 'Reply' }), 'Reply sent.');
    await expectText(history.locator('.text-outbound'), 'a volunteer with Eastside Neighbors');
    await shot(texter, '3-texter-conversation');
    // The texter's screen with a conversation open passes axe: every finding kept beside the screenshots, none serious.
    const axe = await new AxeBuilder({ page: texter }).analyze();
    writeFileSync(
      join(SHOTS, 'texting-axe.json'),
      `${JSON.stringify(
        axe.violations.map((violation) => ({
          id: violation.id,
          impact: violation.impact,
          help: violation.help,
          nodes: violation.nodes.map((node) => node.target.join(' ')),
        })),
        null,
        2,
      )}\n`,
    );
    expect(axe.violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical').map((violation) => violation.id)).toEqual(
      [],
    );

    // Tag the survey answer and close as replied.
    await texter.getByRole('group', { name: 'Will they vote yes on Measure A?' }).getByText('Undecided').click();
    await texter.getByRole('button', { name: 'Replied', exact: true }).click();
    await texter.getByRole('button', { name: 'Close conversation' }).click();
    await expectText(texter.locator('.closed-line'), 'recorded as replied');
    await expectText(texter.locator('.closed-answers'), 'Undecided');
    const [attempt] = await world.sql.query(
      `SELECT a.disposition, r.question_key AS "questionKey", r.answer FROM contact_attempt a LEFT JOIN survey_response r ON r.contact_attempt_id = a.id
        WHERE a.campaign_id = $1 AND a.channel = 'sms'`,
      [world.campaignId],
    );
    expect(attempt).toEqual({ disposition: 'replied', questionKey: 'support', answer: 'undecided' });

    // --- Another voter texts STOP: their conversation is closed as opted out, and nothing more can be sent.
    await world.simulator.injectInbound({ from: stopper.phone, to: stopper.sendingNumber, body: 'STOP' });
    await waitUntil(
      async () => ((await conversations()).find((row) => row.id === stopper.id)?.closedReason === 'opted_out' ? true : undefined),
      'the STOP closing the conversation',
      STEP_MS,
    );
    await texter.locator('.inbox-fold summary', { hasText: 'Closed' }).click();
    const stopperItem = texter.locator('.inbox-fold').getByRole('button', { name: new RegExp(stopper.phone.slice(-4)) });
    await expectText(stopperItem, 'Opted out');
    await stopperItem.click();
    await expectText(texter.locator('.texting-conversation .status-badge'), 'Opted out');
    await expectText(texter.locator('.opted-out-notice'), 'opted out of texts');
    expect(await texter.getByLabel('Your reply').count()).toBe(0);
    await shot(texter, '4-texter-opted-out');
    await expectText(tile(lead, 'Opt-outs'), '1');
    await expectText(tile(lead, 'Replies'), '2');
    await shot(lead, '5-lead-stats-after');

    // Every reply handled and every first text sent: the texter may take another batch.
    await texter.getByLabel('How many').fill('2');
    await texter.getByRole('button', { name: 'Get contacts' }).click();
    await expectText(texter.getByRole('status'), 'You have 2 new voters to text');
    // Past the voters' texting hours the text is taken and held until they open, and the texter is told so.
    world.setApiClock(new Date('2026-12-01T03:30:00Z'));
    await expectVisible(enabledSend);
    await texter.keyboard.press('Enter');
    await expectText(texter.locator('.initial-notices'), 'is held until');
    await expectText(texter.locator('.initial-progress-label'), '1 of 2 sent');
    world.setApiClock(new Date('2026-11-30T17:00:00Z'));
    await texter.setViewportSize({ width: 400, height: 900 });
    await shot(texter, '5b-texter-held-phone-width');
    await texter.setViewportSize({ width: 1280, height: 900 });
    // The batch sent and a voter's reply unanswered: more contacts are refused, saying why.
    await expectVisible(enabledSend);
    await texter.keyboard.press('Enter');
    await expectText(texter.locator('.get-contacts-hint'), 'All 2 first texts of this batch are sent');
    const waiter = (await conversations()).find((row) => row.id !== replier.id && row.id !== stopper.id && assigned.some((first) => first.id === row.id))!;
    await world.simulator.injectInbound({ from: waiter.phone, to: waiter.sendingNumber, body: 'Maybe, tell me more' });
    await expectVisible(needsReply.getByRole('button', { name: new RegExp(waiter.phone.slice(-4)) }));
    await texter.getByRole('button', { name: 'Get contacts' }).click();
    await expectText(texter.getByRole('alert'), 'Finish what you have first: 1 reply needs an answer');

    // --- The lead's settings: a bad sending number is refused on its own field, and nothing changes.
    await lead.goto(`${world.baseUrl}/#/campaigns`);
    await expectVisible(lead.getByRole('heading', { name: 'Fall texts', level: 2 }));
    const numbers = lead.getByLabel('Sending numbers', { exact: true });
    await numbers.fill('+19195550101\n+1919');
    await lead.getByRole('button', { name: 'Save settings' }).click();
    await expectText(lead.locator('.field-problem'), 'E.164');
    expect(await numbers.getAttribute('aria-invalid')).toBe('true');
    await expectVisible(lead.getByLabel('First text', { exact: true }));
    await shot(lead, '6-lead-settings-error');
    const [{ sendingNumbers }] = await world.sql.query(`SELECT sending_numbers AS "sendingNumbers" FROM campaign WHERE id = $1`, [world.campaignId]);
    expect(sendingNumbers).toEqual(['+19195550101', '+19195550102']);

    // --- An alliance admin finds the STOP in the phone's history and reverses it, with a reason; a text from a stranger is listed unmatched.
    await world.simulator.injectInbound({ from: '+15055550199', to: SENDING_NUMBERS[0], body: 'Is this the library?' });
    const admin = await signedInPage(ADMIN);
    await admin.goto(`${world.baseUrl}/#/opt-outs`);
    await admin.getByLabel('Phone number').fill(stopper.phone);
    await admin.getByRole('button', { name: 'Look up' }).click();
    await expectText(admin.locator('.opt-out-status'), 'Opted out of texts');
    await expectText(admin.getByRole('region', { name: 'Opt-out history' }), 'The voter texted a keyword');
    await admin.getByRole('button', { name: 'Reverse the opt-out' }).click();
    await expectText(admin.getByRole('alert'), 'Say why');
    await admin.getByLabel('Why reverse the opt-out?').fill('The voter called the office and asked to get texts again');
    await admin.getByRole('button', { name: 'Reverse the opt-out' }).click();
    await expectText(admin.locator('.opt-out-status'), 'May be texted');
    await expectText(admin.getByRole('region', { name: 'Opt-out history' }), 'asked to get texts again');
    await expectText(admin.getByRole('region', { name: 'Unmatched texts' }), 'Is this the library?');
    await expectText(admin.getByRole('region', { name: 'Unmatched texts' }), '…0199');
    await shot(admin, '7-admin-opt-outs');

    process.stdout.write(`texting browser test: ${Date.now() - started} ms\n`);
  }, 180_000);
});
