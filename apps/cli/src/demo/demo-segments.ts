import type { INestApplicationContext } from '@nestjs/common';
import { Pool } from 'pg';
import { allianceWideAccess } from '@app/database';
import { AllianceLookupService, DEMO_ALLIANCE } from '@app/identity';
import { SegmentApplicationService, SegmentModelService, SegmentModelTrainingService } from '@app/segments';
import { loadVoterTruth, pollCsv, samplePoll } from '@app/segments/synthetic-poll';

export const DEMO_POLL_RESPONDENTS = 5000;
const DEMO_POLL_SEED = 2026;

/** A starting point a data lead would write before any poll: readable, and beaten by the trained model. */
const STARTER_RULES = {
  rules: [
    {
      segment: 'aspiring_poc',
      conditions: [
        { field: 'age', max: 49 },
        { field: 'raceEthnicity', values: ['black', 'hispanic', 'asian', 'multiracial', 'pacific_islander'] },
        { field: 'party', values: ['democratic', 'unaffiliated'] },
      ],
    },
    {
      segment: 'pro_tax_base',
      conditions: [
        { field: 'party', values: ['democratic'] },
        { field: 'propensity', values: ['frequent'] },
      ],
    },
    {
      segment: 'balanced_suburbans',
      conditions: [
        { field: 'urbanicity', values: ['suburban'] },
        { field: 'propensity', values: ['frequent', 'occasional'] },
      ],
    },
    {
      segment: 'balanced_suburbans',
      conditions: [
        { field: 'age', min: 45 },
        { field: 'party', values: ['republican', 'unaffiliated'] },
      ],
    },
  ],
  fallbackSegment: 'other',
};

export interface DemoSegmentsReport {
  readonly trainedNow: boolean;
  readonly modelVersion: number | null;
  readonly cvAccuracy: number | null;
  readonly baselineAccuracy: number | null;
  readonly distribution: Readonly<Record<string, number>>;
}

/**
 * The demo's voters get segments the way a data lead's would: a starter rule list, then a values
 * poll of 5,000 respondents (generated, since there is no real one, from a stated model of
 * attributes → segment), a model trained on it, and that model applied to every voter. Skipped
 * when the alliance already has an active model.
 */
export async function seedDemoSegments(app: INestApplicationContext, databaseUrl: string): Promise<DemoSegmentsReport> {
  const alliance = await app.get(AllianceLookupService).resolve(DEMO_ALLIANCE.slug);
  const models = app.get(SegmentModelService);
  const existing = (await models.list(alliance.id)).find((model) => model.active);
  if (existing)
    return {
      trainedNow: false,
      modelVersion: existing.version,
      cvAccuracy: existing.evaluation?.model.accuracy ?? null,
      baselineAccuracy: null,
      distribution: {},
    };

  const actor = { allianceId: alliance.id, userId: null, ...allianceWideAccess(alliance.id) };
  await models.createRules(actor, { name: 'Starter rules', definition: STARTER_RULES });
  const pool = new Pool({ connectionString: databaseUrl, max: 1 });
  let csv: string;
  try {
    const truth = await loadVoterTruth(pool, alliance.id);
    csv = pollCsv(samplePoll(truth, Math.min(DEMO_POLL_RESPONDENTS, truth.sourceVoterIds.length), DEMO_POLL_SEED).rows);
  } finally {
    await pool.end();
  }
  const queued = await models.createTrained(actor, { name: 'Demo values poll (5,000 respondents)', fileName: 'demo-values-poll.csv', content: csv });
  const trained = await app.get(SegmentModelTrainingService).train(queued.id);
  if (trained?.status !== 'ready') throw new Error(`the demo segment model did not train: ${trained?.errorMessage ?? 'unknown'}`);
  const applications = app.get(SegmentApplicationService);
  const requested = await applications.request(actor, trained.id, null);
  const applied = await applications.run(requested.id);
  if (applied?.status !== 'succeeded') throw new Error(`the demo segment model did not apply: ${applied?.errorMessage ?? 'unknown'}`);
  return {
    trainedNow: true,
    modelVersion: trained.version,
    cvAccuracy: trained.evaluation?.model.accuracy ?? null,
    baselineAccuracy: trained.evaluation?.baseline.accuracy ?? null,
    distribution: applied.distribution ?? {},
  };
}
