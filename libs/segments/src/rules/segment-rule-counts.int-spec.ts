import type { INestApplicationContext } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { allianceWideAccess } from '@app/database';
import { createOwnerApplication, createTestContext, IdentityFactory, importSyntheticVoters, type TestContext } from '@app/testing';
import { VoterAttributesRepository } from '../features/voter-attributes.repository';
import type { VoterAttributes } from '../features/voter-attributes';
import { SegmentModelService } from '../models/segment-model.service';
import { firstMatchingRule } from './segment-rule.evaluator';
import type { RuleModelDefinition } from './segment-rule';

/** The live count (SQL) and apply (TypeScript) evaluate rules separately; they must agree voter for voter. */
describe('rule counts in SQL against the rule evaluator', () => {
  let context: TestContext;
  let owner: INestApplicationContext;
  let dataSource: DataSource;
  let allianceId: string;
  let voters: VoterAttributes[];

  beforeAll(async () => {
    context = await createTestContext();
    owner = await createOwnerApplication(context);
    dataSource = owner.get<DataSource>(getDataSourceToken());
    allianceId = (await new IdentityFactory(dataSource).alliance()).id;
    await importSyntheticVoters(owner, context, { allianceId, rows: 3000, seed: 17 });
    // A county spelled with odd spacing and case must still meet a rule naming it plainly.
    await dataSource.query(
      `UPDATE voter SET county = '  new   hanover ' WHERE alliance_id = $1 AND id IN (SELECT id FROM voter WHERE alliance_id = $1 ORDER BY id LIMIT 40)`,
      [allianceId],
    );
    voters = [];
    for await (const batch of await owner.get(VoterAttributesRepository).stream(allianceId, { kind: 'all' }, new Date())) voters.push(...batch);
  });

  afterAll(async () => {
    await owner?.close();
    await context?.dispose();
  });

  const definitions: Array<[string, RuleModelDefinition]> = [
    [
      'every field, in an order where earlier rules shadow later ones',
      {
        rules: [
          {
            segment: 'aspiring_poc',
            conditions: [
              { field: 'age', max: 34 },
              { field: 'raceEthnicity', values: ['black', 'hispanic', 'asian'] },
            ],
          },
          {
            segment: 'pro_tax_base',
            conditions: [
              { field: 'party', values: ['democratic'] },
              { field: 'gender', values: ['female'] },
            ],
          },
          {
            segment: 'balanced_suburbans',
            conditions: [
              { field: 'urbanicity', values: ['suburban'] },
              { field: 'age', min: 45, max: 70 },
            ],
          },
          { segment: 'other', conditions: [{ field: 'county', values: ['NEW HANOVER'] }] },
          {
            segment: 'pro_tax_base',
            conditions: [
              { field: 'registeredYears', min: 10 },
              { field: 'propensity', values: ['occasional', 'frequent'] },
            ],
          },
          {
            segment: 'balanced_suburbans',
            conditions: [
              { field: 'generalVotes', max: 0 },
              { field: 'primaryVotes', max: 0 },
              { field: 'urbanicity', values: ['rural'] },
            ],
          },
          { segment: 'aspiring_poc', conditions: [] },
        ],
        fallbackSegment: 'other',
      },
    ],
    ['no rules at all', { rules: [], fallbackSegment: 'balanced_suburbans' }],
  ];

  it.each(definitions)('should count %s exactly as the evaluator decides each voter', async (_label, definition) => {
    const expected = new Map<number, number>();
    for (const voter of voters) {
      const rule = firstMatchingRule(definition, voter);
      expected.set(rule, (expected.get(rule) ?? 0) + 1);
    }
    const counted = await dataSource.transaction((manager) =>
      owner.get(VoterAttributesRepository).countRuleWinners(manager, allianceId, definition, new Date()),
    );
    expect(new Map([...counted].sort())).toEqual(new Map([...expected].sort()));
    if (definition.rules.length > 0) {
      // Each rule wins someone, so a rule the SQL dropped or reordered would show.
      expect(definition.rules.map((_, index) => expected.get(index) ?? 0).filter((count) => count === 0)).toEqual([]);
    }
  });

  it('should report per segment what the rules add up to, through the service', async () => {
    const [, definition] = definitions[0];
    const counts = await owner.get(SegmentModelService).countRules({ allianceId, userId: null, ...allianceWideAccess(allianceId) }, definition);
    expect(counts.total).toBe(voters.length);
    expect(counts.byRule.reduce((sum, each) => sum + each, counts.fallback)).toBe(voters.length);
    expect(Object.values(counts.bySegment).reduce((sum, each) => sum + each, 0)).toBe(voters.length);
    expect(counts.bySegment.aspiring_poc).toBe(counts.byRule[0] + counts.byRule[6]);
  });
});
