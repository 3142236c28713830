import { setTimeout as sleep } from 'node:timers/promises';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isolatedProcessEnvironment, loadAppConfig } from '@app/config';
import { findFreePort } from '@app/runtime';
import { deleteRedisKeys, waitUntil } from '@app/testing';
import { isProcessAlive } from '../libs/runtime/src/process-alive.util';

jest.setTimeout(240_000);

// The main job, as a person runs it: `npm run demo` (built by `npm test`), then Ctrl-C, which the
// terminal sends to the whole foreground process group.
describe('npm run demo', () => {
  const directory = mkdtempSync(join(tmpdir(), 'crossroads-demo-'));
  let queuePrefix = '';
  afterAll(async () => {
    rmSync(directory, { recursive: true, force: true });
    if (queuePrefix) await deleteRedisKeys(loadAppConfig().redis.url!, `${queuePrefix}:*`);
  });

  it('should migrate, seed, start the api and both workers, serve the sign-in page, and stop everything on Ctrl-C', async () => {
    const port = await findFreePort();
    queuePrefix = `demo-test-${port}`;
    const demo = spawn(process.execPath, ['dist/apps/cli/src/main.js', 'demo'], {
      env: isolatedProcessEnvironment({ DATA_DIR: directory, API_PORT: String(port), REDIS_URL: loadAppConfig().redis.url, QUEUE_PREFIX: queuePrefix }),
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true, // its own process group, like a terminal's foreground job
    });
    let stdout = '';
    demo.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const exited = new Promise<number | null>((resolveExit) => demo.on('exit', (code) => resolveExit(code)));
    try {
      const ready = await waitUntil(async () => stdout.split('\n').find((line) => line.startsWith('{"ready":true')), 'the demo to be ready', 180_000);
      expect(JSON.parse(ready)).toMatchObject({ ready: true, consoleUrl: `http://127.0.0.1:${port}/`, workersConsuming: true });
      expect(stdout).toContain('12 anchors, 27 member organizations, 10 counties');
      for (const role of ['alliance_admin', 'anchor_lead', 'org_lead', 'data_lead', 'volunteer']) expect(stdout).toContain(role);

      const health = await fetch(`http://127.0.0.1:${port}/health`);
      expect(health.status).toBe(200);
      const page = await (await fetch(`http://127.0.0.1:${port}/`, { headers: { accept: 'text/html' } })).text();
      expect(page).toContain('<div id="root"></div>');
      // The printed demo login and password really sign in.
      const signIn = await fetch(`http://127.0.0.1:${port}/api/auth/sessions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'data@demo.crossroads.test', password: 'crossroads-demo' }),
      });
      expect(signIn.status).toBe(201);
      expect(signIn.headers.get('set-cookie')).toMatch(/^crossroads_session=[A-Za-z0-9_-]{43};.*HttpOnly/);
      expect(((await signIn.json()) as { memberships: Array<{ role: string }> }).memberships).toEqual([expect.objectContaining({ role: 'data_lead' })]);

      // Every member holds turf: the member's lead sees exactly its voters, the anchor its turf, the volunteer no list.
      expect(stdout).toMatch(/• cutting and assigning the demo turf\n {2}27 assignment\(s\) of [\d,]+ voters made now for campaign demo-2026/);
      const session = async (email: string) => {
        const response = await fetch(`http://127.0.0.1:${port}/api/auth/sessions`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ email, password: 'crossroads-demo' }),
        });
        return { cookie: response.headers.get('set-cookie')!.split(';')[0] };
      };
      const get = async (email: string, path: string) => {
        const response = await fetch(`http://127.0.0.1:${port}${path}`, { headers: { cookie: (await session(email)).cookie } });
        return { status: response.status, body: (await response.json()) as Record<string, unknown> };
      };
      const memberVoters = await get('lead@demo.crossroads.test', '/api/voters?limit=1');
      const allVoters = await get('data@demo.crossroads.test', '/api/voters?limit=1');
      expect(memberVoters.status).toBe(200);
      expect(memberVoters.body.total).toBeGreaterThan(0);
      expect(memberVoters.body.total).toBeLessThan(allVoters.body.total as number);
      const anchorTurf = await get('anchor@demo.crossroads.test', '/api/turfs');
      expect((anchorTurf.body.turfs as Array<{ assignments: unknown[] }>).some((turf) => turf.assignments.length > 0)).toBe(true);
      expect((await get('volunteer@demo.crossroads.test', '/api/voters')).status).toBe(403);
      // Every demo voter has a values segment from a trained model, applied.
      const models = await get('data@demo.crossroads.test', '/api/segment-models');
      const active = (models.body.models as Array<{ active: boolean; kind: string; id: string }>).filter((model) => model.active);
      expect(active).toEqual([expect.objectContaining({ kind: 'trained' })]);
      const distribution = await get('data@demo.crossroads.test', `/api/segment-models/${active[0].id}/distribution`);
      const classified = (distribution.body.rows as Array<{ total: number }>).reduce((sum, row) => sum + row.total, 0);
      expect(classified).toBe(allVoters.body.total);
      // The demo campaign is open for calling: the volunteer finds it and starts a session on the simulated carrier.
      expect(stdout).toMatch(/• opening the demo phone bank\n {2}campaign demo-2026 is active: [\d,]+ phones on its call list/);
      const callable = await get('volunteer@demo.crossroads.test', '/api/campaigns/callable');
      const demoCampaign = (callable.body.campaigns as Array<{ id: string; slug: string; status: string }>).find((campaign) => campaign.slug === 'demo-2026');
      expect(demoCampaign).toMatchObject({ status: 'active' });
      const volunteerLogin = await fetch(`http://127.0.0.1:${port}/api/auth/sessions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'volunteer@demo.crossroads.test', password: 'crossroads-demo' }),
      });
      const { csrfToken } = (await volunteerLogin.json()) as { csrfToken: string };
      const started = await fetch(`http://127.0.0.1:${port}/api/calling-sessions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie: volunteerLogin.headers.get('set-cookie')!.split(';')[0], 'x-csrf-token': csrfToken },
        body: JSON.stringify({ campaignId: demoCampaign!.id }),
      });
      expect(started.status).toBe(201);
      // The text campaign: the volunteer takes a batch of contacts and sends the first initial text.
      expect(stdout).toMatch(/• opening the demo text campaign\n {2}campaign demo-texts-2026 is active: [\d,]+ phones to text/);
      const textable = await get('volunteer@demo.crossroads.test', '/api/campaigns/textable');
      const textCampaign = (textable.body.campaigns as Array<{ id: string; slug: string }>).find((campaign) => campaign.slug === 'demo-texts-2026');
      const volunteerHeaders = {
        'content-type': 'application/json',
        cookie: volunteerLogin.headers.get('set-cookie')!.split(';')[0],
        'x-csrf-token': csrfToken,
      };
      const batch = await fetch(`http://127.0.0.1:${port}/api/texting/campaigns/${textCampaign!.id}/assignments`, {
        method: 'POST',
        headers: volunteerHeaders,
        body: JSON.stringify({ count: 5 }),
      });
      expect(batch.status).toBe(201);
      expect(((await batch.json()) as { assignedCount: number }).assignedCount).toBe(5);
      expect(stdout).toMatch(/carrier simulator/);

      const postmasterPid = Number(readFileSync(join(directory, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[0]);
      expect(isProcessAlive(postmasterPid)).toBe(true);

      process.kill(-demo.pid!, 'SIGINT');
      expect(await exited).toBe(0);
      expect(stdout).toContain('stopping the api, workers and local services');
      await waitUntil(async () => (isProcessAlive(postmasterPid) ? undefined : true), 'the embedded PostgreSQL to stop', 30_000);
      await expect(fetch(`http://127.0.0.1:${port}/health`)).rejects.toThrow();
    } finally {
      if (demo.exitCode === null) {
        // Ctrl-C first: the demo stops its api and workers (their own process groups); a kill would orphan them.
        process.kill(-demo.pid!, 'SIGINT');
        await Promise.race([exited, sleep(40_000)]);
        if (demo.exitCode === null) process.kill(-demo.pid!, 'SIGKILL');
      }
    }
  });
});
