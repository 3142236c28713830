import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Command } from 'commander';
import { childProcessEnvironment } from '@app/config';
import { MigrationRunner } from '@app/database';
import { DEMO_HISTORY_CAMPAIGN, DemoPhoneBankSeeder, DemoProgressSeeder } from '@app/contacts';
import { DemoAllianceSeeder, type DemoSeedReport } from '@app/identity';
import { DEMO_TEXT_CAMPAIGN, DemoTextingSeeder } from '@app/messaging';
import { DEMO_CAMPAIGN, DemoTurfSeeder } from '@app/turf';
import { readWorkerHeartbeat } from '@app/queue';
import { findFreePort, onShutdownSignal, prepareProcess, type ResolvedServices } from '@app/runtime';
import { withApplication } from '../cli-context';
import { ChildProcessSupervisor } from './child-process.supervisor';
import { DEMO_POLL_RESPONDENTS, seedDemoSegments } from './demo-segments';
import { DEMO_VOTERS, importDemoVoterFile } from './demo-voter-file';

const APPS = ['api', 'dialer-worker', 'sms-worker', 'import-worker'] as const;
/** Twilio's pace is one call a second per account; the demo's simulated carrier is a little quicker, so a visitor is never kept waiting. */
const DEMO_CALLS_PER_SECOND = '5';
const READY_TIMEOUT_MS = 90_000;
const SHUTDOWN_GRACE_MS = 20_000;

export function registerDemoCommand(program: Command): void {
  program
    .command('demo')
    .description('migrate, seed the demo alliance and its voter file, start the api and the workers, and print the console URL')
    .option('--smoke', 'stop everything and exit 0 as soon as the demo is healthy (for CI)')
    .action((options: { smoke?: boolean }) => runDemo(Boolean(options.smoke)));
}

async function runDemo(smoke: boolean): Promise<void> {
  const startedAt = performance.now();
  const say = (line: string): void => void process.stdout.write(`${line}\n`);
  // Filled in as start-up proceeds; the shutdown path stops whatever exists by then.
  const started: { services?: ResolvedServices; supervisor?: ChildProcessSupervisor } = {};
  let exiting = false;
  // One way out, whatever asks for it (Ctrl-C, SIGTERM, a child dying, a failed step): children first, then local servers.
  const shutdown = async (code: number): Promise<void> => {
    if (exiting) return;
    exiting = true;
    if (code === 0) say('\n• stopping the api, workers and local services');
    await started.supervisor?.stopAll(SHUTDOWN_GRACE_MS);
    await started.services?.stop();
    process.exit(code);
  };
  // Registered before anything starts, so a Ctrl-C during start-up still cleans up.
  onShutdownSignal(() => shutdown(0), SHUTDOWN_GRACE_MS + 20_000);

  const { config, services: activeServices } = await prepareProcess();
  started.services = activeServices;
  if (exiting) return;
  const running = new ChildProcessSupervisor(join(config.dataDirectory, 'logs'), (child, code) => {
    say(`\n✗ ${child.name} exited unexpectedly (code ${code ?? 'signal'}). Last lines of ${child.logFile}:\n${running.tail(child)}`);
    void shutdown(1);
  });
  started.supervisor = running;

  try {
    say('• migrating');
    const runner = await MigrationRunner.connect(activeServices.endpoints.databaseUrl);
    const migration = await runner.migrate().finally(() => runner.close());
    if (exiting) return;
    say(`  ${migration.applied.length} migration(s) applied`);

    say('• seeding the demo alliance');
    const seed = await withApplication({ config, services: activeServices }, (app) => app.get(DemoAllianceSeeder).seed());
    if (exiting) return;
    say(`• importing the demo voter file (${DEMO_VOTERS.toLocaleString('en-US')} generated voters)`);
    const voterFile = await withApplication({ config, services: activeServices }, (app) => importDemoVoterFile(app, config.dataDirectory));
    if (exiting) return;
    say(voterFile.importedNow ? `  imported in ${voterFile.seconds.toFixed(1)} s` : '  already imported');
    say('• cutting and assigning the demo turf');
    const turf = await withApplication({ config, services: activeServices }, (app) => app.get(DemoTurfSeeder).seed());
    if (exiting) return;
    say(`  ${turf.assignments} assignment(s) of ${turf.assignedVoters.toLocaleString('en-US')} voters made now for campaign ${turf.campaign}`);
    say('• opening the demo phone bank');
    const phoneBank = await withApplication({ config, services: activeServices }, (app) => app.get(DemoPhoneBankSeeder).seed());
    if (exiting) return;
    say(
      `  campaign ${phoneBank.campaign} is ${phoneBank.status}: ${phoneBank.callList.total.toLocaleString('en-US')} phones on its call list, ${phoneBank.callList.open.toLocaleString('en-US')} still to call`,
    );
    say(`• writing three weeks of finished calls (campaign ${DEMO_HISTORY_CAMPAIGN.slug}) and counting them for the progress page`);
    const history = await withApplication({ config, services: activeServices }, (app) => app.get(DemoProgressSeeder).seed());
    if (exiting) return;
    say(
      history.writtenNow
        ? `  ${history.attempts.toLocaleString('en-US')} calls written and counted`
        : `  already written (${history.attempts.toLocaleString('en-US')} calls)`,
    );
    say('• opening the demo text campaign');
    const texting = await withApplication({ config, services: activeServices }, (app) => app.get(DemoTextingSeeder).seed());
    if (exiting) return;
    say(`  campaign ${texting.campaign} is ${texting.status}: ${texting.contacts.toLocaleString('en-US')} phones to text`);
    say(`• training the values-segment model on a ${DEMO_POLL_RESPONDENTS.toLocaleString('en-US')}-respondent poll and applying it`);
    const segments = await withApplication({ config, services: activeServices }, (app) => seedDemoSegments(app, activeServices.endpoints.databaseUrl));
    if (exiting) return;
    say(
      segments.trainedNow
        ? `  model ${segments.modelVersion}: cross-validated accuracy ${percent(segments.cvAccuracy)} (always guessing the commonest segment: ${percent(segments.baselineAccuracy)}); ${describeDistribution(segments.distribution)}`
        : `  model ${segments.modelVersion} already active`,
    );

    const port = (await portIsFree(config.api.port, config.api.host)) ? config.api.port : await findFreePort(config.api.host);
    // The carrier simulator is the demo's Twilio: calls go to it through the twilio SDK and it calls the api back, signed.
    const simulatorPort = (await portIsFree(config.carrierSimulator.port, '127.0.0.1')) ? config.carrierSimulator.port : await findFreePort('127.0.0.1');
    const environment = childProcessEnvironment(activeServices.endpoints, {
      API_PORT: String(port),
      API_HOST: config.api.host,
      CARRIER_SIM_PORT: String(simulatorPort),
      CARRIER_SIM_URL: `http://127.0.0.1:${simulatorPort}`,
      CARRIER_SIM_CALLS_PER_SECOND: DEMO_CALLS_PER_SECOND,
    });
    running.start('carrier-sim', resolve(__dirname, '../../../carrier-sim/src/main.js'), environment);
    for (const app of APPS) running.start(app, resolve(__dirname, `../../../${app}/src/main.js`), environment);
    say(`• starting the carrier simulator, ${APPS.join(', ')} (logs in ${join(config.dataDirectory, 'logs')})`);

    const baseUrl = `http://${config.api.host === '0.0.0.0' ? '127.0.0.1' : config.api.host}:${port}`;
    await waitFor(`${baseUrl}/health`, (status) => status === 200, 'the api to report healthy');
    await waitFor(`http://127.0.0.1:${simulatorPort}/health`, (status) => status === 200, 'the carrier simulator to answer');
    for (const worker of ['dialer-worker', 'sms-worker', 'import-worker']) {
      await waitUntil(
        async () => (await readWorkerHeartbeat(activeServices.endpoints, config.queue.prefix, worker))?.state === 'running',
        `${worker} to start consuming`,
      );
    }
    const probe = await consumeProbe(baseUrl);
    const seconds = (performance.now() - startedAt) / 1000;

    printBanner(say, baseUrl, { ...seed, voters: voterFile.voters }, probe, seconds);
    process.stdout.write(
      `${JSON.stringify({ ready: true, consoleUrl: `${baseUrl}/`, secondsToHealthy: Number(seconds.toFixed(1)), workersConsuming: probe.complete })}\n`,
    );
    if (smoke) await shutdown(probe.complete ? 0 : 1);
  } catch (error) {
    // Never leave the api or workers running behind a failed start.
    say(`\n✗ the demo did not start: ${error instanceof Error ? error.message : String(error)}`);
    await shutdown(1);
  }
}

function percent(share: number | null): string {
  return share === null ? '—' : `${(share * 100).toFixed(1)}%`;
}

function describeDistribution(distribution: Readonly<Record<string, number>>): string {
  return Object.entries(distribution)
    .map(([segment, voters]) => `${segment} ${voters.toLocaleString('en-US')}`)
    .join(', ');
}

function portIsFree(port: number, host: string): Promise<boolean> {
  return new Promise((resolvePort) => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const server = (require('node:net') as typeof import('node:net')).createServer();
    server.once('error', () => resolvePort(false));
    server.listen(port, host, () => server.close(() => resolvePort(true)));
  });
}

function waitFor(url: string, accept: (status: number) => boolean, what: string): Promise<void> {
  return waitUntil(
    async () =>
      accept(
        await fetch(url).then(
          (response) => response.status,
          () => 0,
        ),
      ),
    `${what} (${url})`,
  );
}

async function waitUntil(ready: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (await ready().catch(() => false)) return;
    await sleep(250);
  }
  throw new Error(`timed out after ${READY_TIMEOUT_MS / 1000} s waiting for ${what}`);
}

/** Proves both workers consume before saying "ready", not merely that their processes exist. */
async function consumeProbe(baseUrl: string): Promise<{ complete: boolean; latencyMs: Record<string, number | null> }> {
  const response = await fetch(`${baseUrl}/api/system/queue-probes`, { method: 'POST' });
  if (!response.ok) throw new Error(`the api refused the queue probe (HTTP ${response.status}): ${await response.text()}`);
  const started = (await response.json()) as { batchId: string };
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    const batch = (await (await fetch(`${baseUrl}/api/system/queue-probes/${started.batchId}`)).json()) as {
      complete: boolean;
      probes: Array<{ queue: string; latencyMs: number | null }>;
    };
    if (batch.complete || Date.now() > deadline) {
      return { complete: batch.complete, latencyMs: Object.fromEntries(batch.probes.map((probe) => [probe.queue, probe.latencyMs])) };
    }
    await sleep(200);
  }
}

function printBanner(
  say: (line: string) => void,
  baseUrl: string,
  seed: DemoSeedReport & { voters: number },
  probe: { complete: boolean; latencyMs: Record<string, number | null> },
  seconds: number,
): void {
  say('');
  say(`✓ Crossroads demo is ready in ${seconds.toFixed(1)} s`);
  say(`  console        ${baseUrl}/`);
  say(`  API docs       ${baseUrl}/api/docs`);
  say(`  health         ${baseUrl}/health      metrics ${baseUrl}/metrics`);
  say(`  alliance       ${seed.alliance}: ${seed.anchors} anchors, ${seed.members} member organizations, ${seed.counties} counties`);
  say(`  voter file     ${seed.voters.toLocaleString('en-US')} voters (browse and import at ${baseUrl}/#/voter-file)`);
  say(`  segments       every voter has a values segment (models, rules and the distribution at ${baseUrl}/#/segments)`);
  say(`  turf           every member holds turf for campaign ${DEMO_CAMPAIGN.slug} (anchors cut it at ${baseUrl}/#/turf)`);
  say(`  phone bank     campaign ${DEMO_CAMPAIGN.slug} is active: sign in as the volunteer and call at ${baseUrl}/#/calling (the carrier is simulated)`);
  say(`  progress       unique voters reached against the target, by organization, county, segment and day at ${baseUrl}/#/progress`);
  say(
    `  texting        campaign ${DEMO_TEXT_CAMPAIGN.slug} is active: sign in as the volunteer and text at ${baseUrl}/#/texting (voters' replies: POST /sim/inbound on the simulator)`,
  );
  say(
    `  workers        ${probe.complete ? 'consuming' : 'NOT consuming'} (${Object.entries(probe.latencyMs)
      .map(([queue, ms]) => `${queue} ${ms ?? '—'} ms`)
      .join(', ')})`,
  );
  say('  demo logins    (password for all: ' + seed.password + ')');
  for (const login of seed.logins) say(`    ${login.role.padEnd(15)} ${login.email.padEnd(34)} ${login.organization}`);
  say('  Ctrl-C stops everything.');
}
