import { writeFileSync } from 'node:fs';
import { AxeBuilder } from '@axe-core/playwright';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { DEFAULT_TAXONOMY } from '@app/segments';
import { TEST_PASSWORD, waitUntil } from '@app/testing';
import { CHROMIUM, CHROMIUM_ARGS, requireBrowserAndConsole, STEP_MS, expectText, expectVisible } from './browser-page.util';
import { NOON_EASTERN, ORG_LEAD, type PhoneBankWorld, startPhoneBankWorld, VOLUNTEER } from './phone-bank-world.util';

/** Where the browser tests leave their screenshots. */
const SHOTS = '/tmp';
const LAPTOP = { width: 1280, height: 900 };
const PHONE = { width: 375, height: 812 };

/** How the volunteer works one call, and what should be stored for it. */
interface CallPlan {
  readonly disposition: string;
  readonly answers: Readonly<Record<string, string>>;
  /** The script step the answers lead to. */
  readonly endsAt: string;
  readonly work: (page: Page) => Promise<void>;
}

/** The little of the browser's window the page checks read (the test compiles without the DOM's types). */
interface BrowserWindow {
  document: { activeElement: { tagName: string } | null; documentElement: { scrollWidth: number; clientWidth: number } };
}

interface TextArea {
  value: string;
  selectionStart: number;
  selectionEnd: number;
}

interface StoredAttempt {
  voterName: string;
  disposition: string;
  outcome: string | null;
  callStatus: string;
  answeredBy: string | null;
  answers: Record<string, string>;
}

// A phone bank in a real browser against the real api (served in-process with the built console),
// the dialer worker and the carrier simulator: a volunteer chooses the campaign, works three calls
// end to end (calling, the live state over the WebSocket, the script's questions by mouse and by
// keyboard, hanging up, the disposition, save & next) and the rows in Postgres are checked; the
// call screen passes axe and fits a phone; then the org lead finds the campaign, its call list and
// a live preview of the script per segment, and sees the server's refusals in its own words.
describe('the phone bank in Chromium', () => {
  let world: PhoneBankWorld;
  let browser: Browser;
  let browserContext: BrowserContext;
  let page: Page;
  let sessionId: string;
  /** Every message the page heard on the realtime socket. */
  const heard: string[] = [];
  /** The names on the cards of the calls worked, in order. */
  const called: string[] = [];

  beforeAll(async () => {
    requireBrowserAndConsole();
    world = await startPhoneBankWorld();

    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    browserContext = await browser.newContext({ viewport: LAPTOP });
    browserContext.setDefaultTimeout(STEP_MS);
    page = await browserContext.newPage();
    page.on('websocket', (socket) => socket.on('framereceived', (frame) => heard.push(String(frame.payload))));
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await world?.dispose();
  });

  async function signIn(email: string): Promise<void> {
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password', { exact: true }).fill(TEST_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
  }

  const header = () => page.getByRole('banner');
  const callState = () => page.locator('.call-state-label');
  const voterHeading = () => page.locator('.voter-card h2');
  const scriptStep = () => page.locator('.script-step h3');
  const shot = (name: string, fullPage = true) => page.screenshot({ path: `${SHOTS}/phone-bank-${name}.png`, fullPage });

  /** The voter whose card is shown, once a card is shown. */
  async function currentVoter(): Promise<string> {
    await expectVisible(voterHeading());
    return (await voterHeading().innerText()).trim();
  }

  async function expectCallState(text: string): Promise<void> {
    await expectText(callState(), text);
  }

  it('should let the volunteer choose the campaign and start a session, with the first voter and the script worded for their segment', async () => {
    await page.goto(`${world.baseUrl}/`);
    await expectVisible(page.getByRole('heading', { name: 'Sign in' }));
    await signIn(VOLUNTEER.email);
    // Home lists the phone banks open to the volunteer, with the way in.
    const calling = page.getByRole('region', { name: 'Calling sessions' });
    await expectText(calling, 'Fall calls');
    await calling.getByRole('link', { name: 'Start calling' }).click();

    await expectVisible(page.getByRole('heading', { name: 'Calling', level: 1 }));
    expect(new URL(page.url()).hash).toBe('#/calling');
    const navigation = header().getByRole('navigation', { name: 'Console' });
    await expectVisible(navigation.getByRole('link', { name: 'Calling' }));
    // A volunteer sees no voter list and no campaign settings.
    for (const link of ['Voter file', 'Campaigns', 'Turf']) expect(await navigation.getByRole('link', { name: link, exact: true }).count()).toBe(0);
    const choice = page.getByRole('listitem').filter({ hasText: 'Fall calls' });
    await expectText(choice, 'Calling hours 9:00 AM to 8:30 PM');
    await shot('campaign-choice');

    await choice.getByRole('button', { name: 'Start calling in Fall calls' }).click();
    const name = await currentVoter();
    // The card's heading takes the focus, so reading (and the keyboard) starts with the voter.
    expect(await page.evaluate(() => (globalThis as unknown as BrowserWindow).document.activeElement?.tagName)).toBe('H2');
    [{ sessionId }] = await world.sql.query(`SELECT id AS "sessionId" FROM calling_session WHERE campaign_id = $1 AND status = 'active'`, [world.campaignId]);
    const [voter] = await world.sql.query(
      `SELECT v.first_name AS "firstName", v.last_name AS "lastName", sa.segment_key AS "segmentKey"
         FROM campaign_contact cc JOIN voter v ON v.id = cc.voter_id
         LEFT JOIN segment_assignment sa ON sa.voter_id = v.id AND sa.model_id = (SELECT id FROM segment_model WHERE alliance_id = $2 AND active)
        WHERE cc.leased_session_id = $1`,
      [sessionId, world.allianceId],
    );
    expect(name.toLowerCase()).toBe(`${voter.firstName} ${voter.lastName}`.toLowerCase());
    const segment = DEFAULT_TAXONOMY.segments.find((each) => each.key === voter.segmentKey);
    expect(segment).toBeDefined();
    await expectText(page.locator('.segment-badge'), segment!.name);
    await expectCallState('Not called yet');
    await expectText(scriptStep(), 'Introduction');
    await expectText(page.locator('.script-step .script-text'), `my name is Victor and I'm a volunteer with Eastside Neighbors`);
    await shot('call-card-idle');
  });

  const plans: CallPlan[] = [
    {
      // All by mouse, with one keyboard answer.
      disposition: 'contacted',
      answers: { open_to_reform: '4', families_get_ahead: 'agree', pledge_to_call: 'yes' },
      endsAt: 'Thank you',
      work: async () => {
        await page.getByRole('button', { name: 'Call', exact: true }).click();
        await expectCallState('Connected');
        await expectText(page.locator('.call-timer'), '0:0');
        await page.getByRole('button', { name: /^Continue/ }).click();
        await expectText(scriptStep(), 'Make the case');
        // A click answers and moves on: the radio is gone by the time a check() would look at it again.
        await page.getByRole('radio', { name: '4 – quite open' }).click();
        await expectText(scriptStep(), 'Values');
        await page.keyboard.press('1');
        await expectText(scriptStep(), 'Ask for a pledge');
        await shot('call-connected');
        await page.getByRole('radio', { name: 'Yes' }).click();
      },
    },
    {
      // All by keyboard.
      disposition: 'contacted',
      answers: { open_to_reform: '5', families_get_ahead: 'disagree', pledge_to_call: 'maybe' },
      endsAt: 'Soft close',
      work: async () => {
        await page.keyboard.press('Space');
        await expectCallState('Connected');
        await page.keyboard.press('ArrowRight');
        await expectText(scriptStep(), 'Make the case');
        await page.keyboard.press('5');
        await expectText(scriptStep(), 'Values');
        await page.keyboard.press('3');
        await expectText(scriptStep(), 'Ask for a pledge');
        await page.keyboard.press('2');
      },
    },
    {
      // Mixed, with a change of mind on the way.
      disposition: 'refused',
      answers: { open_to_reform: '2', families_get_ahead: 'neutral', pledge_to_call: 'no' },
      endsAt: 'Soft close',
      work: async () => {
        await page.keyboard.press('c');
        await expectCallState('Connected');
        await page.getByRole('button', { name: /^Continue/ }).click();
        await page.keyboard.press('1');
        await expectText(scriptStep(), 'Values');
        await page.getByRole('button', { name: 'Back to Make the case' }).click();
        await expectText(scriptStep(), 'Make the case');
        await page.keyboard.press('2');
        await page.getByRole('radio', { name: 'Neither' }).click();
        await expectText(scriptStep(), 'Ask for a pledge');
        await page.keyboard.press('3');
      },
    },
  ];

  it('should work three calls end to end through the simulator: call, connected, questions by mouse and keyboard, hang up, disposition, save & next', async () => {
    for (const [index, plan] of plans.entries()) {
      const name = await currentVoter();
      called.push(name);
      await plan.work(page);
      await expectText(scriptStep(), plan.endsAt);
      await expectVisible(page.getByText('End of the script: thank them, then hang up.'));

      // Saving while the line is open is refused in words, not silently.
      if (index === 0) {
        await page.getByRole('button', { name: 'Contacted' }).click();
        await page.getByRole('button', { name: 'Save & next' }).click();
        await expectText(page.locator('.outcome-panel').getByRole('alert'), 'Hang up before saving');
      }
      if (index === 1) await page.keyboard.press('h');
      else await page.getByRole('button', { name: 'Hang up' }).click();
      await expectCallState('Call ended');

      const label = plan.disposition === 'refused' ? 'Refused' : 'Contacted';
      if (index === 0) await page.getByRole('button', { name: label }).click();
      else await page.keyboard.press(plan.disposition === 'refused' ? 'r' : 'c');
      expect(await page.getByRole('button', { name: label }).getAttribute('aria-pressed')).toBe('true');
      if (index === 0) await shot('disposition');

      if (index === 0) await page.getByRole('button', { name: 'Save & next' }).click();
      else await page.keyboard.press('Enter');
      await expectText(page.getByRole('status').filter({ hasText: 'Saved' }), `Saved ${name}: ${label} with 3 answers.`);
      await waitUntil(async () => ((await currentVoter()) === name ? undefined : true), 'the next voter’s card', STEP_MS);
      await expectCallState('Not called yet');
    }

    const attempts: StoredAttempt[] = await world.sql.query(
      `SELECT v.first_name || ' ' || v.last_name AS "voterName", a.disposition, a.outcome, c.status AS "callStatus", c.answered_by AS "answeredBy",
              COALESCE((SELECT jsonb_object_agg(r.question_key, r.answer) FROM survey_response r WHERE r.contact_attempt_id = a.id), '{}') AS answers
         FROM contact_attempt a JOIN call c ON c.id = a.call_id JOIN voter v ON v.id = a.voter_id
        WHERE a.calling_session_id = $1 ORDER BY a.created_at`,
      [sessionId],
    );
    expect(attempts.map((attempt) => ({ ...attempt, voterName: attempt.voterName.toLowerCase() }))).toEqual(
      plans.map((plan, index) => ({
        voterName: called[index].toLowerCase(),
        disposition: plan.disposition,
        outcome: 'human',
        callStatus: 'completed',
        answeredBy: 'human',
        answers: plan.answers,
      })),
    );
    // The values answers are evidence for each voter's segment, once each.
    const [{ evidence }] = await world.sql.query(`SELECT count(*)::int AS evidence FROM segment_evidence WHERE source = 'phone'`);
    expect(evidence).toBe(3);
    // The live state came over the socket, not from polling (ringing may be overtaken by the answer, so it is not required).
    const statuses = heard.map((text) => JSON.parse(text) as { event: string; callId?: string; status?: string }).filter((message) => message.event === 'call');
    const callsHeardAt = (status: string) => new Set(statuses.filter((message) => message.status === status).map((message) => message.callId)).size;
    expect([callsHeardAt('in-progress'), callsHeardAt('completed')]).toEqual([plans.length, plans.length]);
    await expectText(page.locator('.session-totals'), 'Calls3');
    await expectText(page.locator('.session-totals'), 'Conversations3');
  }, 120_000);

  it('should pass axe on the call screen, idle and connected, with no serious or critical violations', async () => {
    const idle = await new AxeBuilder({ page }).analyze();
    await page.getByRole('button', { name: 'Call', exact: true }).click();
    await expectCallState('Connected');
    await page.getByRole('button', { name: /^Continue/ }).click();
    await expectVisible(page.getByRole('radio', { name: '3 – somewhat open' }));
    const connected = await new AxeBuilder({ page }).analyze();

    // Every finding, whatever its impact, kept beside the screenshots for whoever improves the page next.
    const findings = Object.entries({ idle, connected }).flatMap(([screen, result]) =>
      result.violations.map((violation) => ({ screen, id: violation.id, impact: violation.impact, help: violation.help, nodes: violation.nodes.length })),
    );
    writeFileSync(`${SHOTS}/phone-bank-axe.json`, `${JSON.stringify(findings, null, 2)}\n`);
    const serious = [...idle.violations, ...connected.violations]
      .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
      .map((violation) => `${violation.impact} ${violation.id}: ${violation.help} (${violation.nodes.map((node) => node.target.join(' ')).join(', ')})`);
    expect(serious).toEqual([]);

    // This voter goes back as not home, leaving the next card idle for the phone.
    await page.keyboard.press('h');
    await expectCallState('Call ended');
    await page.keyboard.press('n');
    await page.keyboard.press('Enter');
    await expectText(page.getByRole('status').filter({ hasText: 'Saved' }), ': Not home.');
    await expectCallState('Not called yet');
  });

  it('should fit the call card on a 375 px phone without sideways scrolling', async () => {
    await page.setViewportSize(PHONE);
    await expectVisible(voterHeading());
    const overflow = await page.evaluate(() => {
      const { documentElement } = (globalThis as unknown as BrowserWindow).document;
      return documentElement.scrollWidth - documentElement.clientWidth;
    });
    expect(overflow).toBeLessThanOrEqual(0);
    for (const control of [page.getByRole('button', { name: 'Call', exact: true }), page.getByRole('button', { name: 'Save & next' })]) {
      const box = await control.boundingBox();
      expect(box).not.toBeNull();
      expect(box!.x).toBeGreaterThanOrEqual(0);
      expect(box!.x + box!.width).toBeLessThanOrEqual(PHONE.width);
      expect(box!.height).toBeGreaterThanOrEqual(44);
    }
    await shot('call-card-phone');
    await page.setViewportSize(LAPTOP);
  });

  it('should ask when to call back, schedule it, pause and resume, and end the session with a thank-you', async () => {
    const name = await currentVoter();
    // A call-back needs its time: the field appears with the choice, and saving without it says so there.
    await page.keyboard.press('a');
    const callBack = page.getByLabel('Call back at');
    await expectVisible(callBack);
    await page.getByRole('button', { name: 'Save & next' }).click();
    await expectText(page.locator('.outcome-panel').getByRole('alert'), 'Choose when to call back.');
    expect(await callBack.getAttribute('aria-invalid')).toBe('true');
    expect(await callBack.evaluate((input) => (input as unknown as { matches(selector: string): boolean }).matches(':focus'))).toBe(true);
    await callBack.fill('2026-12-02T18:00');
    // Typing in a field: letters there are text, never shortcuts.
    await page.keyboard.press('n');
    expect(await page.getByRole('button', { name: 'Call back later' }).getAttribute('aria-pressed')).toBe('true');
    await page.getByRole('button', { name: 'Save & next' }).click();
    await expectText(page.getByRole('status').filter({ hasText: 'Saved' }), `Saved ${name}: Call back later.`);
    const [scheduled] = await world.sql.query(
      `SELECT a.call_back_at AS "callBackAt", a.call_id AS "callId" FROM contact_attempt a WHERE a.calling_session_id = $1 AND a.disposition = 'call_back'`,
      [sessionId],
    );
    // The time as typed, in the browser's own zone.
    const typed = await page.evaluate(() => new Date('2026-12-02T18:00').toISOString());
    expect({ callBackAt: (scheduled.callBackAt as Date).toISOString(), callId: scheduled.callId }).toEqual({ callBackAt: typed, callId: null });

    await expectCallState('Not called yet');
    await page.getByRole('button', { name: 'Pause' }).click();
    await expectVisible(page.getByRole('heading', { name: 'Your session is paused' }));
    const [paused] = await world.sql.query(
      `SELECT s.status, (SELECT count(*)::int FROM campaign_contact WHERE leased_session_id = s.id) AS leased FROM calling_session s WHERE s.id = $1`,
      [sessionId],
    );
    expect(paused).toEqual({ status: 'paused', leased: 0 });
    await page.getByRole('button', { name: 'Resume' }).click();
    await currentVoter();
    await expectCallState('Not called yet');

    await page.getByRole('button', { name: 'End session' }).click();
    await expectText(page.getByRole('status').filter({ hasText: 'ended' }), 'Session in Fall calls ended: 4 calls, 3 conversations');
    const [{ status }] = await world.sql.query(`SELECT status FROM calling_session WHERE id = $1`, [sessionId]);
    expect(status).toBe('ended');
  });

  it('should say calmly when it is outside calling hours where the voters live', async () => {
    // Half past six in the morning in New York and past the window's end from Honolulu to Guam: no US zone may be called.
    world.setClock(new Date('2026-12-01T11:30:00Z'));
    try {
      await page.getByRole('button', { name: 'Start calling in Fall calls' }).click();
      await expectVisible(page.getByRole('heading', { name: 'Nobody can be called right now' }));
      await expectVisible(page.getByText('this campaign calls from 9:00 AM to 8:30 PM, in each voter’s own time'));
      expect(await voterHeading().count()).toBe(0);
      await shot('outside-hours', false);
      world.setClock(NOON_EASTERN);
      await page.getByRole('button', { name: 'Check again' }).click();
      await currentVoter();
    } finally {
      world.setClock(NOON_EASTERN);
    }
  });

  it('should show the org lead the campaign with its call list, and a live script preview on the sample voter for each segment', async () => {
    await header().getByRole('button', { name: 'Sign out' }).click();
    await expectVisible(page.getByRole('heading', { name: 'Sign in' }));
    await page.goto(`${world.baseUrl}/#/campaigns`);
    await signIn(ORG_LEAD.email);
    await expectVisible(page.getByRole('heading', { name: 'Campaigns', level: 1 }));
    await expectVisible(header().getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Campaigns' }));

    const row = page.getByRole('row', { name: /Fall calls/ });
    await expectText(row, 'Calling open');
    await expectText(row, '9:00 AM to 8:30 PM');
    const detail = page.getByRole('region', { name: 'Fall calls', exact: true });
    await expectVisible(detail);
    const [{ total, done }] = await world.sql.query(
      `SELECT count(*)::int AS total, (count(*) FILTER (WHERE status = 'done'))::int AS done FROM campaign_contact WHERE campaign_id = $1`,
      [world.campaignId],
    );
    expect(done).toBe(3);
    await expectText(detail.locator('.call-list-counts'), `Phones on the list${total.toLocaleString('en-US')}`);
    await expectText(detail.locator('.call-list-counts'), `Done${done}`);
    expect(await detail.getByLabel('Caller ids').inputValue()).toBe('+14155550123');

    const preview = detail.getByRole('region', { name: 'Preview' });
    const firstStep = preview.locator('.preview-step').first();
    await expectText(firstStep, "Hi Maria, my name is Olivia and I'm a volunteer with Your organization.");
    await expectText(preview.locator('.preview-step').nth(1), 'Right now our state pays for schools');
    await shot('campaign-setup');

    await preview.getByLabel('Worded for').selectOption({ label: 'Pro-Tax & Fiscal Base' });
    await expectText(preview.locator('.preview-step').nth(1), 'You may already know that the wealthiest households');
    await expectText(preview.locator('.preview-step').nth(1), 'Worded for Pro-Tax & Fiscal Base');
    await preview.scrollIntoViewIfNeeded();
    await shot('script-preview', false);

    // A step that leads nowhere: the live check names where, and the preview stays on the last good script.
    const script = detail.getByLabel('Script (JSON)');
    const saved = await script.inputValue();
    await script.fill(saved.replace('"next": "make_the_case"', '"next": "make_the_cas"'));
    await expectText(detail.locator('.script-issues'), 'steps[0].next');
    await expectText(detail.locator('.script-issues'), 'names step "make_the_cas", which is not a step of this script');
    expect(await script.getAttribute('aria-invalid')).toBe('true');
    // The path is a way to the place in the text.
    await detail.getByRole('button', { name: 'Show in the script: steps[0].next' }).click();
    expect(
      await script.evaluate((area) =>
        (area as unknown as TextArea).value.slice((area as unknown as TextArea).selectionStart, (area as unknown as TextArea).selectionEnd),
      ),
    ).toBe('"make_the_cas"');
    await detail.locator('.script-issues').scrollIntoViewIfNeeded();
    await shot('script-issues', false);
    await detail.getByRole('button', { name: 'Discard changes' }).click();
    expect(await script.inputValue()).toBe(saved);
    await expectText(preview.locator('.preview-step').nth(1), 'You may already know');
  });

  it("should create a draft campaign and show the server's refusal to activate it in its own words", async () => {
    await page.getByRole('button', { name: 'New campaign…' }).click();
    const form = page.getByRole('form', { name: 'New campaign' });
    await form.getByLabel('Campaign name').fill('Spring calls');
    await form.getByRole('button', { name: 'Create campaign' }).click();
    await expectText(page.getByRole('status').filter({ hasText: 'created' }), '“Spring calls” is created as a draft.');
    const detail = page.getByRole('region', { name: 'Spring calls', exact: true });
    await expectText(detail.locator('.status-badge'), 'Draft');

    await detail.getByRole('button', { name: 'Activate' }).click();
    await expectText(detail.getByRole('alert'), 'Campaign "spring-calls" cannot be activated: it needs at least one caller id; it needs a script');
    const [{ status }] = await world.sql.query(`SELECT status FROM campaign WHERE slug = 'spring-calls'`);
    expect(status).toBe('draft');
    await detail.getByRole('alert').scrollIntoViewIfNeeded();
    await shot('activate-refused', false);
  });
});
