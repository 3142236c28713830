import { type Browser, chromium, type Page } from 'playwright-core';
import { Clock } from '@app/common';
import { TEST_PASSWORD, waitUntil } from '@app/testing';
import { PacingSweepScheduler } from '../../apps/dialer-worker/src/pacing-sweep.scheduler';
import { CHROMIUM, CHROMIUM_ARGS, requireBrowserAndConsole, STEP_MS, expectText, expectVisible } from './browser-page.util';
import { NOON_EASTERN, type PhoneBankWorld, startPhoneBankWorld, VOLUNTEER } from './phone-bank-world.util';

const SHOTS = '/tmp';

interface DialedAttempt {
  readonly dialKind: string;
  readonly answeredBy: string | null;
  readonly bridged: boolean;
  readonly disposition: string;
}

// The volunteer's side of a power campaign in a real browser: the api, the dialer worker (its sweep
// scheduled as in production, its clock at noon Eastern) and the carrier simulator. Nobody clicks
// "call": the volunteer says they are ready, the dialer rings a voter, the one who answers is
// connected and their card opens by itself; the disposition puts the volunteer back to ready and
// the next voter arrives; "stop taking calls" takes them out of the dialer.
describe('power dialing for the volunteer in Chromium', () => {
  let world: PhoneBankWorld;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    requireBrowserAndConsole();
    world = await startPhoneBankWorld();
    await world.sql.query(
      `UPDATE campaign SET dial_mode = 'power', identification_message = 'This was Eastside Neighbors, we will call back: 415-555-0100' WHERE id = $1`,
      [world.campaignId],
    );
    jest.spyOn(world.worker.get(Clock), 'now').mockReturnValue(NOON_EASTERN);
    await world.worker.get(PacingSweepScheduler).start();
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    context.setDefaultTimeout(STEP_MS);
    page = await context.newPage();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await world?.dispose();
  });

  const voterHeading = () => page.locator('.voter-card h2');
  const callState = () => page.locator('.call-state-label');
  const shot = (name: string) => page.screenshot({ path: `${SHOTS}/dialer-volunteer-${name}.png`, fullPage: true });
  const sessionState = async (): Promise<string | null> =>
    (await world.sql.query(`SELECT dialer_state AS state FROM calling_session WHERE campaign_id = $1 AND status = 'active'`, [world.campaignId]))[0]?.state ??
    null;

  it('should connect voters to the ready volunteer by themselves, one at a time, and take the volunteer out of the dialer on request', async () => {
    await page.goto(`${world.baseUrl}/`);
    await page.getByLabel('Email').fill(VOLUNTEER.email);
    await page.getByLabel('Password', { exact: true }).fill(TEST_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('region', { name: 'Calling sessions' }).getByRole('link', { name: 'Start calling' }).click();
    await page.getByRole('listitem').filter({ hasText: 'Fall calls' }).getByRole('button', { name: 'Start calling in Fall calls' }).click();

    // No voter is leased to a volunteer who is not ready, and there is no "call" button.
    await expectVisible(page.getByRole('heading', { name: 'Take calls when you are ready' }));
    expect(await page.getByRole('button', { name: 'Call', exact: true }).count()).toBe(0);
    expect(await sessionState()).toBeNull();
    await shot('not-ready');

    await page.getByRole('button', { name: 'Ready', exact: true }).click();
    const names: string[] = [];
    for (let call = 0; call < 2; call += 1) {
      // The card opens by itself, the voter already on the line.
      await expectVisible(voterHeading());
      names.push((await voterHeading().innerText()).trim());
      await expectText(callState(), 'Connected');
      expect(await sessionState()).toBe('talking');
      if (call === 0) await shot('connected');
      await page.getByRole('button', { name: 'Hang up' }).click();
      await expectText(callState(), 'Call ended');
      await waitUntil(async () => ((await sessionState()) === 'wrap-up' ? true : undefined), 'wrap-up after the call', STEP_MS);
      await page.keyboard.press('c');
      await page.keyboard.press('Enter');
      await expectText(page.getByRole('status').filter({ hasText: 'Saved' }), `Saved ${names[call]}`);
    }
    expect(new Set(names).size).toBe(2);

    // Saved, the volunteer is ready again and may be connected to the next voter as they click "stop": then that call is
    // theirs to finish, and saving it takes them out of the dialer.
    await page.getByRole('button', { name: 'Stop taking calls' }).click();
    const stopped = page.getByRole('heading', { name: 'Take calls when you are ready' });
    await waitUntil(
      async () => {
        if ((await stopped.count()) > 0) return true;
        if ((await voterHeading().count()) > 0 && (await page.getByRole('button', { name: 'Hang up' }).count()) > 0) {
          await expectText(page.getByRole('status'), 'saving it stops the calls');
          await page.getByRole('button', { name: 'Hang up' }).click();
          await expectText(callState(), 'Call ended');
          await page.keyboard.press('c');
          await page.keyboard.press('Enter');
        }
        return undefined;
      },
      'out of the dialer, after any call already ringing',
      3 * STEP_MS,
    );
    await shot('stopped');
    await waitUntil(async () => ((await sessionState()) === null ? true : undefined), 'out of the dialer', STEP_MS);

    const attempts: DialedAttempt[] = await world.sql.query(
      `SELECT c.dial_kind AS "dialKind", c.answered_by AS "answeredBy", c.bridged_at IS NOT NULL AS bridged, a.disposition
         FROM contact_attempt a JOIN call c ON c.id = a.call_id WHERE a.campaign_id = $1 AND a.calling_session_id IS NOT NULL ORDER BY a.created_at`,
      [world.campaignId],
    );
    expect(attempts.length).toBeGreaterThanOrEqual(2);
    expect(attempts.slice(0, 2)).toEqual([
      { dialKind: 'volunteer-initiated', answeredBy: 'human', bridged: true, disposition: 'contacted' },
      { dialKind: 'volunteer-initiated', answeredBy: 'human', bridged: true, disposition: 'contacted' },
    ]);
    // Power 1:1, and a line still ringing as the volunteer stopped was still theirs: nobody was abandoned.
    const [{ abandoned }] = await world.sql.query(`SELECT count(*)::int AS abandoned FROM call WHERE campaign_id = $1 AND abandoned_at IS NOT NULL`, [
      world.campaignId,
    ]);
    expect(abandoned).toBe(0);
  }, 120_000);

  it('should let a volunteer of a predictive campaign approve dials to mobile numbers between calls, one key each', async () => {
    await world.sql.query(`UPDATE campaign SET dial_mode = 'predictive' WHERE id = $1`, [world.campaignId]);
    await world.sql.query(`UPDATE campaign_contact SET line_type = 'mobile' WHERE campaign_id = $1 AND status = 'open'`, [world.campaignId]);
    await page.reload();
    await page
      .getByRole('listitem')
      .filter({ hasText: 'Fall calls' })
      .getByRole('button', { name: /Fall calls/ })
      .click();
    await expectVisible(page.getByRole('heading', { name: 'Take calls when you are ready' }));
    const clicker = page.getByRole('region', { name: 'Approve dials' });
    await expectVisible(clicker.getByRole('button', { name: /Approve dial/ }));
    await shot('clicker');

    await page.keyboard.press('y');
    const approvals = async (): Promise<Array<{ byVolunteer: boolean; lineType: string }>> =>
      world.sql.query(
        `SELECT da.approved_by_user_id = (SELECT id FROM app_user WHERE email = $2) AS "byVolunteer", cc.line_type AS "lineType"
           FROM dial_approval da JOIN campaign_contact cc ON cc.id = da.campaign_contact_id WHERE da.campaign_id = $1`,
        [world.campaignId, VOLUNTEER.email],
      );
    await waitUntil(async () => ((await approvals()).length === 1 ? true : undefined), 'one approval stored', STEP_MS);
    expect(await approvals()).toEqual([{ byVolunteer: true, lineType: 'mobile' }]);
  }, 60_000);
});
