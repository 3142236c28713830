import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Locator, Page } from 'playwright-core';

/** Debian's Chromium, which CI installs; Playwright's own download cannot be reached here. */
export const CHROMIUM = '/usr/bin/chromium';
/** Headless, and quiet: without the background-networking flags Chromium keeps dialling out of a closed network. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
/** How long the page may take to show what a step expects (a live count waits out its debounce, then the API). */
export const STEP_MS = 10_000;

/** Fail, do not skip: a machine without the browser or the built console cannot vouch for the console. */
export function requireBrowserAndConsole(): void {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium is missing at ${CHROMIUM}. Install it with \`apt-get install -y chromium\` to run the browser tests.`);
  const index = resolve('dist/console/index.html');
  if (!existsSync(index)) throw new Error(`The console is not built (${index} is missing). Run \`npm run build:console\` (npm test builds it).`);
}

export async function expectVisible(locator: Locator): Promise<void> {
  try {
    await locator.waitFor({ state: 'visible' });
  } catch (error) {
    throw new Error(`expected the page to show ${String(locator)}, but it did not within ${STEP_MS} ms${await alertsOn(locator.page())}`, { cause: error });
  }
}

/** Waits until the element's text contains `text`; if it never does, fails saying what it showed instead. */
export async function expectText(locator: Locator, text: string): Promise<void> {
  try {
    await locator.filter({ hasText: text }).first().waitFor({ state: 'visible' });
  } catch (error) {
    const shown = await locator
      .allInnerTexts()
      .then((texts) => texts.join(' | '))
      .catch(() => '(nothing)');
    throw new Error(`expected the page to show "${text}", but it shows "${shown}"${await alertsOn(locator.page())}`, { cause: error });
  }
}

/** The error messages the page shows (role="alert"), to say why a step did not happen. */
export async function alertsOn(page: Page): Promise<string> {
  const alerts = await page
    .getByRole('alert')
    .allInnerTexts()
    .catch(() => []);
  const shown = alerts.map((text) => text.trim()).filter((text) => text !== '');
  return shown.length === 0 ? '' : `; the page says: ${shown.join(' | ')}`;
}
