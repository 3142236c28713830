import type { Client } from 'pg';
import type { ScopeTotals } from '@app/contacts';
import type { ApiSession } from '../shared/api-session';
import { latencyOf, progress, round, timedMs } from './bench-statistics';
import type { SeededOrganization } from './progress-seed';

export type Dimension = 'organization' | 'region' | 'county' | 'precinct' | 'segment' | 'campaign' | 'channel' | 'day';

export interface BenchScope {
  readonly label: 'alliance' | 'region' | 'organization';
  /** As the api names it in `scope`. */
  readonly reference: string;
  /** The organizations whose attempts the scope holds; null for the whole alliance. */
  readonly organizationIds: readonly string[] | null;
}

/** One request the dashboard makes: a scope's summary, or its breakdown by one dimension. */
export interface DashboardCall {
  readonly name: string;
  readonly scope: BenchScope;
  readonly dimension: Dimension | null;
  readonly path: string;
}

/** The tabs the console offers a scope (apps/console/src/progress-page.tsx `dimensionsOf`), in its order. */
function dimensionsOf(scope: BenchScope): Dimension[] {
  const all: Dimension[] = ['organization', 'region', 'county', 'segment', 'day', 'campaign', 'channel', 'precinct'];
  if (scope.label === 'alliance') return all;
  if (scope.label === 'region') return all.filter((dimension) => dimension !== 'region');
  return all.filter((dimension) => dimension !== 'region' && dimension !== 'organization');
}

/**
 * What the console asks for each scope, as it asks it (apps/console/src/progress.client.ts): the
 * summary, then each tab's breakdown with `limit=200`.
 */
export function dashboardCalls(allianceSlug: string, scopes: readonly BenchScope[]): DashboardCall[] {
  const calls: DashboardCall[] = [];
  for (const scope of scopes) {
    const scopeParameter = `&scope=${encodeURIComponent(scope.reference)}`;
    calls.push({ name: `${scope.label}/summary`, scope, dimension: null, path: `/api/progress/summary?alliance=${allianceSlug}${scopeParameter}` });
    for (const dimension of dimensionsOf(scope)) {
      calls.push({
        name: `${scope.label}/${dimension}`,
        scope,
        dimension,
        path: `/api/progress/breakdown?alliance=${allianceSlug}${scopeParameter}&dimension=${dimension}&limit=200`,
      });
    }
  }
  return calls;
}

/** The alliance, the region of the first anchor (the largest county's) and its first member. */
export function benchScopes(organizations: readonly SeededOrganization[]): BenchScope[] {
  const anchor = organizations.find((organization) => organization.kind === 'anchor')!;
  const member = organizations.find((organization) => organization.parentAnchorId === anchor.id)!;
  const region = organizations.filter((organization) => organization.id === anchor.id || organization.parentAnchorId === anchor.id).map(({ id }) => id);
  return [
    { label: 'alliance', reference: 'alliance', organizationIds: null },
    { label: 'region', reference: `region:${anchor.id}`, organizationIds: region },
    { label: 'organization', reference: `organization:${member.id}`, organizationIds: [member.id] },
  ];
}

/** The figures a call answers with, as the rollups keep them. */
export type Figures = ScopeTotals;

/** What a call answered, reduced to figures by bucket: '' is the summary's total, a day its burn-up. */
export type CallFigures = Map<string, Partial<Figures>>;

interface SummaryBody {
  readonly figures: Figures;
  readonly burnUp: ReadonlyArray<{ day: string; newlyReached: number }>;
  readonly queuedAttempts: number;
}

interface BreakdownBody {
  readonly rows: ReadonlyArray<Figures & { key: string }>;
  readonly totalRows: number;
}

export interface HttpTimings {
  readonly perCall: Record<string, { p50Ms: number; p95Ms: number; maxMs: number; runs: number }>;
  readonly overall: { p50Ms: number; p95Ms: number; maxMs: number; runs: number };
  readonly slowestCall: string;
  /** The last answer of each call, for the comparison with the raw counts. */
  readonly answers: Map<string, CallFigures>;
  readonly rowsPerCall: Record<string, number>;
}

/** The calls in order, `rounds` times after `warmUps` untimed rounds, one request at a time. */
export async function timeDashboard(session: ApiSession, calls: readonly DashboardCall[], rounds: number, warmUps: number): Promise<HttpTimings> {
  const timings = new Map<string, number[]>(calls.map((call) => [call.name, []]));
  const answers = new Map<string, CallFigures>();
  const rowsPerCall: Record<string, number> = {};
  for (let round_ = -warmUps; round_ < rounds; round_ += 1) {
    for (const call of calls) {
      const [milliseconds, body] = await timedMs(() => session.get<SummaryBody | BreakdownBody>(call.path));
      if (round_ >= 0) timings.get(call.name)!.push(milliseconds);
      if (round_ === rounds - 1) {
        answers.set(call.name, figuresOfAnswer(call, body));
        rowsPerCall[call.name] = call.dimension === null ? (body as SummaryBody).burnUp.length : (body as BreakdownBody).rows.length;
      }
    }
    if (round_ >= 0 && (round_ + 1) % 10 === 0) progress(`dashboard: ${round_ + 1} of ${rounds} rounds`);
  }
  const perCall: HttpTimings['perCall'] = {};
  for (const [name, values] of timings) perCall[name] = latencyOf(values);
  const all = [...timings.values()].flat();
  const slowestCall = Object.entries(perCall).sort((left, right) => right[1].p95Ms - left[1].p95Ms)[0][0];
  return { perCall, overall: latencyOf(all), slowestCall, answers, rowsPerCall };
}

function figuresOfAnswer(call: DashboardCall, body: SummaryBody | BreakdownBody): CallFigures {
  const figures: CallFigures = new Map();
  if (call.dimension === null) {
    const summary = body as SummaryBody;
    if (summary.queuedAttempts !== 0) throw new Error(`${call.name}: ${summary.queuedAttempts} attempts still queued while timing the dashboard`);
    const { attempts, conversations, optOuts, votersAttempted, votersReached, openToReform } = summary.figures;
    figures.set('', { attempts, conversations, optOuts, votersAttempted, votersReached, openToReform });
    for (const point of summary.burnUp) if (point.newlyReached > 0) figures.set(point.day, { votersReached: point.newlyReached });
    return figures;
  }
  for (const row of (body as BreakdownBody).rows) {
    const { attempts, conversations, optOuts, votersAttempted, votersReached, openToReform, exclusiveReached } = row;
    figures.set(row.key, {
      attempts,
      conversations,
      optOuts,
      votersAttempted,
      votersReached,
      openToReform,
      ...(call.dimension === 'organization' ? { exclusiveReached } : {}),
    });
  }
  return figures;
}

// ---------------------------------------------------------------------------------------------
// The same figures from the raw attempts

export interface RawContext {
  readonly allianceId: string;
  readonly conversations: readonly string[];
  readonly optOuts: readonly string[];
}

const dayOf = (timestamp: string) => `to_char(timezone(zone, ${timestamp}), 'YYYY-MM-DD')`;

/**
 * Every attempt of the scope, with what it counts as (the definitions of
 * libs/contacts/src/progress/progress-facts.sql.ts, written as joins rather than a subquery per
 * attempt), plus each counted text opt-out event as a row that is no attempt (it adds only to
 * opt-outs). The voter's county, precinct and segment are their current ones (the seed never
 * moves a voter, so they are the ones the rollup froze).
 */
function factsSql(options: { place: boolean; segment: boolean; scoped: boolean }): string {
  const place = options.place ? ', v.county, v.precinct' : '';
  const segment = options.segment ? ', sa.segment_key' : '';
  const joins = (voter: string) =>
    `${options.place ? `LEFT JOIN voter v ON v.alliance_id = $1 AND v.id = ${voter}` : ''}
     ${options.segment ? `LEFT JOIN segment_model sm ON sm.alliance_id = $1 AND sm.active LEFT JOIN segment_assignment sa ON sa.model_id = sm.id AND sa.voter_id = ${voter}` : ''}`;
  const scoped = (organization: string) => (options.scoped ? `AND ${organization} = ANY ($4::uuid[])` : '');
  return `
    facts AS (
      SELECT a.voter_id, a.organization_id, COALESCE(o.parent_anchor_id, o.id) AS region_id, a.campaign_id, a.channel::text AS channel, a.created_at,
             al.reporting_time_zone AS zone, true AS attempt,
             CASE WHEN a.channel = 'sms' THEN replied.conversation_id IS NOT NULL ELSE a.disposition = ANY ($2::text[]) END AS conversation,
             a.disposition = ANY ($3::text[]) AS opt_out, open_attempt.contact_attempt_id IS NOT NULL AS open${place}${segment}
        FROM contact_attempt a
        JOIN organization o ON o.id = a.organization_id
        JOIN alliance al ON al.id = a.alliance_id
        LEFT JOIN (SELECT DISTINCT conversation_id FROM message WHERE alliance_id = $1 AND direction = 'inbound') replied
               ON a.channel = 'sms' AND replied.conversation_id = a.lease_id
        LEFT JOIN (SELECT DISTINCT r.contact_attempt_id
                     FROM survey_response r JOIN campaign k ON k.id = r.campaign_id CROSS JOIN LATERAL jsonb_array_elements(k.survey_questions) q
                    WHERE r.alliance_id = $1 AND q->>'key' = r.question_key
                      AND ((q->>'kind' = 'scale' AND r.answer IN ('4', '5')) OR (r.question_key = 'open_to_reform' AND r.answer = 'yes'))) open_attempt
               ON open_attempt.contact_attempt_id = a.id
        ${joins('a.voter_id')}
       WHERE a.alliance_id = $1 ${scoped('a.organization_id')}
      UNION ALL
      SELECT cv.voter_id, cv.organization_id, COALESCE(o.parent_anchor_id, o.id), cv.campaign_id, 'sms', e.created_at, al.reporting_time_zone, false,
             false, true, false${place}${segment}
        FROM opt_out_event e
        JOIN message m ON m.id = e.message_id
        JOIN conversation cv ON cv.id = m.conversation_id AND cv.alliance_id = e.alliance_id
        JOIN organization o ON o.id = cv.organization_id
        JOIN alliance al ON al.id = cv.alliance_id
        ${joins('cv.voter_id')}
       WHERE e.alliance_id = $1 AND e.action = 'opt_out' AND e.source IN ('keyword', 'carrier') ${scoped('cv.organization_id')})`;
}

const PER_VOTER = `count(*) FILTER (WHERE attempt) AS attempts, count(*) FILTER (WHERE conversation) AS conversations,
                   count(*) FILTER (WHERE opt_out) AS opt_outs, bool_or(attempt) AS attempted, bool_or(conversation) AS reached, bool_or(open) AS open`;
const BUCKET_FIGURES = `sum(attempts)::float8 AS attempts, sum(conversations)::float8 AS conversations, sum(opt_outs)::float8 AS opt_outs,
                        (count(*) FILTER (WHERE attempted))::float8 AS voters_attempted, (count(*) FILTER (WHERE reached))::float8 AS voters_reached,
                        (count(*) FILTER (WHERE open))::float8 AS open_to_reform`;

const BUCKET_EXPRESSIONS: Record<'county' | 'precinct' | 'segment' | 'campaign' | 'channel', string> = {
  county: `COALESCE(county, '')`,
  precinct: `COALESCE(county, '') || '/' || COALESCE(precinct, '')`,
  segment: `COALESCE(segment_key, '')`,
  campaign: `campaign_id::text`,
  channel: `channel`,
};

/** The statement that answers a call from the raw rows, and its parameters. */
export function rawStatement(call: DashboardCall, context: RawContext): { sql: string; parameters: unknown[] } {
  const dimension = call.dimension;
  // Exclusive reach is alliance-wide (reached by no other organization): the organization tab counts every attempt, then keeps the scope's rows.
  const scoped = call.scope.organizationIds !== null && dimension !== 'organization';
  const parameters: unknown[] = [context.allianceId, context.conversations, context.optOuts];
  if (scoped) parameters.push(call.scope.organizationIds);
  const facts = factsSql({
    place: dimension === 'county' || dimension === 'precinct',
    segment: dimension === 'segment',
    scoped,
  });
  if (dimension === null) {
    return {
      sql: `WITH ${facts},
            per_voter AS (SELECT voter_id, min(zone) AS zone, ${PER_VOTER}, min(created_at) FILTER (WHERE conversation) AS reached_at FROM facts GROUP BY voter_id)
            SELECT '' AS bucket, ${BUCKET_FIGURES}, 0::float8 AS exclusive_reached FROM per_voter
            UNION ALL
            SELECT ${dayOf('reached_at')}, NULL, NULL, NULL, NULL, count(*)::float8, NULL, NULL FROM per_voter WHERE reached_at IS NOT NULL GROUP BY 1`,
      parameters,
    };
  }
  if (dimension === 'day') {
    return {
      sql: `WITH ${facts},
            firsts AS (SELECT voter_id, min(zone) AS zone, min(created_at) FILTER (WHERE attempt) AS attempted_at,
                              min(created_at) FILTER (WHERE conversation) AS reached_at, min(created_at) FILTER (WHERE open) AS open_at
                         FROM facts GROUP BY voter_id)
            SELECT bucket, sum(attempts)::float8 AS attempts, sum(conversations)::float8 AS conversations, sum(opt_outs)::float8 AS opt_outs,
                   sum(voters_attempted)::float8 AS voters_attempted, sum(voters_reached)::float8 AS voters_reached,
                   sum(open_to_reform)::float8 AS open_to_reform, 0::float8 AS exclusive_reached
              FROM (SELECT ${dayOf('created_at')} AS bucket, count(*) FILTER (WHERE attempt) AS attempts, count(*) FILTER (WHERE conversation) AS conversations,
                           count(*) FILTER (WHERE opt_out) AS opt_outs, 0 AS voters_attempted, 0 AS voters_reached, 0 AS open_to_reform
                      FROM facts GROUP BY 1
                    UNION ALL SELECT ${dayOf('attempted_at')}, 0, 0, 0, count(*), 0, 0 FROM firsts WHERE attempted_at IS NOT NULL GROUP BY 1
                    UNION ALL SELECT ${dayOf('reached_at')}, 0, 0, 0, 0, count(*), 0 FROM firsts WHERE reached_at IS NOT NULL GROUP BY 1
                    UNION ALL SELECT ${dayOf('open_at')}, 0, 0, 0, 0, 0, count(*) FROM firsts WHERE open_at IS NOT NULL GROUP BY 1) days
             GROUP BY bucket`,
      parameters,
    };
  }
  if (dimension === 'organization' || dimension === 'region') {
    const key = dimension === 'organization' ? 'organization_id' : 'region_id';
    // The region tab of a region keeps its one region; the facts are already the region's (`$4` holds its organizations, the anchor among them).
    const keep = call.scope.organizationIds === null ? '' : `WHERE per_key.key = ANY ($4::uuid[])`;
    if (dimension === 'organization' && call.scope.organizationIds !== null) parameters.push(call.scope.organizationIds);
    return {
      sql: `WITH ${facts},
            per_key AS (SELECT ${key} AS key, voter_id, ${PER_VOTER} FROM facts GROUP BY 1, 2),
            sole AS (SELECT min(key::text) AS key FROM per_key WHERE reached GROUP BY voter_id HAVING count(*) = 1)
            SELECT per_key.key::text AS bucket, ${BUCKET_FIGURES},
                   ${dimension === 'organization' ? `(SELECT count(*) FROM sole WHERE sole.key = per_key.key::text)::float8` : '0::float8'} AS exclusive_reached
              FROM per_key ${keep} GROUP BY per_key.key`,
      parameters,
    };
  }
  return {
    sql: `WITH ${facts},
          per_bucket AS (SELECT ${BUCKET_EXPRESSIONS[dimension]} AS bucket, voter_id, ${PER_VOTER} FROM facts GROUP BY 1, 2)
          SELECT bucket, ${BUCKET_FIGURES}, 0::float8 AS exclusive_reached FROM per_bucket GROUP BY bucket`,
    parameters,
  };
}

interface RawRow {
  readonly bucket: string;
  readonly attempts: number | null;
  readonly conversations: number | null;
  readonly opt_outs: number | null;
  readonly voters_attempted: number | null;
  readonly voters_reached: number | null;
  readonly open_to_reform: number | null;
  readonly exclusive_reached: number | null;
}

function figuresOfRaw(rows: readonly RawRow[]): CallFigures {
  const figures: CallFigures = new Map();
  for (const row of rows) {
    const entry: Partial<Figures> = {
      attempts: row.attempts ?? undefined,
      conversations: row.conversations ?? undefined,
      optOuts: row.opt_outs ?? undefined,
      votersAttempted: row.voters_attempted ?? undefined,
      votersReached: row.voters_reached ?? undefined,
      openToReform: row.open_to_reform ?? undefined,
      exclusiveReached: row.exclusive_reached ?? undefined,
    };
    figures.set(row.bucket, Object.fromEntries(Object.entries(entry).filter(([, value]) => value !== undefined)) as Partial<Figures>);
  }
  return figures;
}

export interface RawTimings {
  readonly perCall: Record<string, { p50Ms: number; p95Ms: number; maxMs: number; runs: number }>;
  readonly overall: { p50Ms: number; p95Ms: number; maxMs: number; runs: number };
  /** Figures the dashboard showed that the raw count disagrees with (must be 0), and a few of them. */
  readonly mismatches: number;
  readonly figuresCompared: number;
  readonly examples: readonly string[];
}

/**
 * Each call answered from the raw rows, `rounds` times (after one untimed run of the alliance's
 * summary, which reads every table once), on one connection as the owner (no row policy), and the
 * figures of the last round compared with what the dashboard answered.
 */
export async function timeRaw(
  owner: Client,
  calls: readonly DashboardCall[],
  context: RawContext,
  rounds: number,
  dashboard: Map<string, CallFigures>,
): Promise<RawTimings> {
  const timings = new Map<string, number[]>(calls.map((call) => [call.name, []]));
  const warmUp = rawStatement(calls[0], context);
  await owner.query(warmUp.sql, warmUp.parameters);
  let mismatches = 0;
  let figuresCompared = 0;
  const examples: string[] = [];
  for (let round_ = 0; round_ < rounds; round_ += 1) {
    for (const call of calls) {
      const statement = rawStatement(call, context);
      const [milliseconds, result] = await timedMs(() => owner.query<RawRow>(statement.sql, statement.parameters));
      timings.get(call.name)!.push(milliseconds);
      if (round_ === rounds - 1) {
        const raw = figuresOfRaw(result.rows);
        for (const [bucket, shown] of dashboard.get(call.name) ?? new Map<string, Partial<Figures>>()) {
          const counted = raw.get(bucket);
          for (const [figure, value] of Object.entries(shown)) {
            figuresCompared += 1;
            const expected = counted?.[figure as keyof Figures] ?? 0;
            if (expected !== value) {
              mismatches += 1;
              if (examples.length < 10) examples.push(`${call.name} ${bucket === '' ? 'total' : bucket} ${figure}: dashboard ${value}, raw ${expected}`);
            }
          }
        }
      }
      progress(`raw: round ${round_ + 1} ${call.name} ${round(milliseconds, 0)} ms`);
    }
  }
  const perCall: RawTimings['perCall'] = {};
  for (const [name, values] of timings) perCall[name] = latencyOf(values);
  const all = [...timings.values()].flat();
  return { perCall, overall: latencyOf(all), mismatches, figuresCompared, examples };
}

/** p95 of the raw calls ÷ p95 of the same calls through the dashboard, per call and overall. */
export function ratioOf(raw: RawTimings, dashboard: HttpTimings): { overall: number; perCall: Record<string, number>; geometricMean: number } {
  const perCall: Record<string, number> = {};
  const logs: number[] = [];
  for (const [name, figures] of Object.entries(raw.perCall)) {
    const ratio = figures.p95Ms / dashboard.perCall[name].p95Ms;
    perCall[name] = round(ratio, 1);
    logs.push(Math.log(ratio));
  }
  return {
    overall: round(raw.overall.p95Ms / dashboard.overall.p95Ms, 1),
    perCall,
    geometricMean: round(Math.exp(logs.reduce((sum, each) => sum + each, 0) / logs.length), 1),
  };
}
