import type { INestApplicationContext } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { allianceWideAccess } from '@app/database';
import { createOwnerApplication, createTestContext, IdentityFactory, importSyntheticVoters, type TestContext } from '@app/testing';
import { SegmentApplicationService } from './apply/segment-application.service';
import { SegmentModelService } from './models/segment-model.service';
import { SegmentModelTrainingService } from './models/segment-model-training.service';

describe('segments flow (smoke)', () => {
  let context: TestContext;
  let owner: INestApplicationContext;
  let dataSource: DataSource;
  let allianceId: string;

  beforeAll(async () => {
    context = await createTestContext();
    owner = await createOwnerApplication(context);
    dataSource = owner.get<DataSource>(getDataSourceToken());
    allianceId = (await new IdentityFactory(dataSource).alliance()).id;
    await importSyntheticVoters(owner, context, { allianceId, rows: 3000, seed: 7 });
  });

  afterAll(async () => {
    await owner?.close();
    await context?.dispose();
  });

  it('trains from a poll and applies the model to every active voter', async () => {
    const voters: Array<{ source_voter_id: string; party: string }> = await dataSource.query(
      `SELECT source_voter_id, party FROM voter WHERE alliance_id = $1 AND active ORDER BY id LIMIT 600`,
      [allianceId],
    );
    const csv = [
      'voter_id,segment',
      ...voters.map((voter) => `${voter.source_voter_id},${voter.party === 'democratic' ? 'pro_tax_base' : 'balanced_suburbans'}`),
    ].join('\n');
    const actor = { allianceId, userId: null, ...allianceWideAccess(allianceId) };
    const model = await owner.get(SegmentModelService).createTrained(actor, { fileName: 'poll.csv', content: csv });
    const trained = await owner.get(SegmentModelTrainingService).train(model.id);
    expect(trained?.status).toBe('ready');
    expect(trained?.evaluation?.model.accuracy).toBeGreaterThan(0.95);
    const applications = owner.get(SegmentApplicationService);
    const application = await applications.request(actor, model.id, null);
    const done = await applications.run(application.id);
    expect(done?.status).toBe('succeeded');
    const [{ count }] = await dataSource.query(`SELECT count(*)::int AS count FROM segment_assignment WHERE model_id = $1`, [model.id]);
    const [{ active }] = await dataSource.query(`SELECT count(*)::int AS active FROM voter WHERE alliance_id = $1 AND active`, [allianceId]);
    expect(count).toBe(active);
  });
});
