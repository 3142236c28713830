import { spawnSync } from 'node:child_process';
import { Client } from 'pg';
import { isolatedProcessEnvironment } from '@app/config';
import { createTestContext, type TestContext } from '@app/testing';

/** `npm run cli -- progress`: the alliance's figures, exact as of now, as the last line of stdout. */
describe('progress from the cli (a real process)', () => {
  let context: TestContext;
  let database: Client;
  let allianceId: string;

  const cli = (...args: string[]) =>
    spawnSync(process.execPath, ['dist/apps/cli/src/main.js', ...args], {
      env: isolatedProcessEnvironment({
        DATABASE_URL: context.config.database.url,
        REDIS_URL: context.config.redis.url,
        QUEUE_PREFIX: context.config.queue.prefix,
      }),
      encoding: 'utf8',
      timeout: 120_000,
    });
  const lastJsonLine = (stdout: string): Record<string, unknown> => JSON.parse(stdout.trim().split('\n').pop()!) as Record<string, unknown>;

  beforeAll(async () => {
    context = await createTestContext();
    database = new Client({ connectionString: context.config.database.url });
    await database.connect();
    const query = async (text: string, values: unknown[] = []) => (await database.query(text, values)).rows;
    [{ id: allianceId }] = await query(`INSERT INTO alliance (slug, name) VALUES ('bay-alliance', 'Bay Alliance') RETURNING id`);
    const [{ id: anchorId }] = await query(
      `INSERT INTO organization (alliance_id, kind, slug, name) VALUES ($1, 'anchor', 'east-bay', 'East Bay') RETURNING id`,
      [allianceId],
    );
    const [{ id: campaignId }] = await query(
      `INSERT INTO campaign (alliance_id, slug, name, organization_id, status, survey_questions)
       VALUES ($1, 'fall', 'Fall', $2, 'active', '[{"key": "reform", "prompt": "Open to reform?", "kind": "scale", "choices": []}]') RETURNING id`,
      [allianceId, anchorId],
    );
    // Voter 1: two conversations; voter 2: nobody home; voter 3: refused, answering 5 on the scale first.
    const attempts: Array<[number, string, string | null]> = [
      [1, 'contacted', null],
      [1, 'contacted', '3'],
      [2, 'not_home', null],
      [3, 'refused', '5'],
    ];
    for (const [index, [voterId, disposition, answer]] of attempts.entries()) {
      const [{ id: contactId }] = await query(
        `INSERT INTO campaign_contact (alliance_id, campaign_id, organization_id, phone, voter_id, household_voter_ids)
         VALUES ($1, $2, $3, $4, $5, ARRAY[$5::bigint]) RETURNING id`,
        [allianceId, campaignId, anchorId, `+1510555010${index}`, voterId],
      );
      const [{ id: attemptId }] = await query(
        `INSERT INTO contact_attempt (alliance_id, campaign_id, organization_id, campaign_contact_id, voter_id, phone, channel, lease_id, disposition,
                                      script_version, started_at)
         VALUES ($1, $2, $3, $4, $5, $6, 'phone', gen_random_uuid(), $7, 1, now()) RETURNING id`,
        [allianceId, campaignId, anchorId, contactId, voterId, `+1510555010${index}`, disposition],
      );
      if (answer !== null) {
        await query(
          `INSERT INTO survey_response (alliance_id, campaign_id, organization_id, contact_attempt_id, voter_id, question_key, answer)
           VALUES ($1, $2, $3, $4, $5, 'reform', $6)`,
          [allianceId, campaignId, anchorId, attemptId, voterId, answer],
        );
      }
    }
  }, 120_000);

  afterAll(async () => {
    await database?.end();
    await context?.dispose();
  });

  it('should count what is queued and end stdout with the figures against the target', async () => {
    const result = cli('progress');
    expect(result.status).toBe(0);
    expect(lastJsonLine(result.stdout)).toEqual({
      alliance: 'bay-alliance',
      target: 500_000,
      targetDate: `${new Date().getUTCFullYear()}-12-31`,
      uniqueVotersReached: 2,
      conversations: 3,
      attempts: 4,
      openToReform: 1,
    });
    expect(result.stderr).toContain('2 of 500,000 voters reached');
    expect((await database.query(`SELECT count(*)::int AS n FROM progress_pending`)).rows[0].n).toBe(0);
  });

  it('should report no drift between the rollups and the attempts', () => {
    const result = cli('progress', 'reconcile', '--alliance', 'bay-alliance');
    expect(result.status).toBe(0);
    expect(lastJsonLine(result.stdout)).toMatchObject({ allianceId, driftedCells: 0, rebuilt: false });
  });

  it('should refuse an alliance that does not exist, naming it, and print no figures', () => {
    const result = cli('progress', '--alliance', 'nowhere');
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('There is no alliance "nowhere"');
    expect(result.stderr).toContain('bay-alliance');
    expect(result.stdout).toBe('');
  });
});
