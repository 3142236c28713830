import { Bar, BarChart, CartesianGrid, ComposedChart, Legend, Line, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { formatCount } from './format';
import type { BreakdownRow, BurnUpPoint, Projection } from './progress.client';

const AXIS_TICK = { fontSize: 12, fill: '#4a5468' };
const TOOLTIP_STYLE = { borderRadius: 8, borderColor: '#dde2ec', fontSize: 13 };

const DAY_MS = 86_400_000;

interface BurnUpRow {
  /** The day's midnight, UTC, in milliseconds: the x axis is time, so the projection's sparser points keep their true spacing. */
  readonly time: number;
  readonly reached?: number;
  readonly projected?: number;
}

/** The reached line, then the recent pace carried on to the target date (or until the target, when sooner). */
function burnUpRows(points: readonly BurnUpPoint[], projection: Projection | null): BurnUpRow[] {
  const rows: BurnUpRow[] = points.map((point) => ({ time: dayTime(point.day), reached: point.reached }));
  if (projection === null || points.length === 0 || projection.recentPerDay <= 0) return rows;
  const last = points[points.length - 1];
  const lastTime = dayTime(last.day);
  rows[rows.length - 1] = { ...rows[rows.length - 1], projected: last.reached };
  const end = dayTime(projection.targetDate);
  // At most about 30 projected points, whatever the distance to the target date.
  const step = Math.max(1, Math.ceil((end - lastTime) / DAY_MS / 30));
  for (let time = lastTime + step * DAY_MS; time <= end; time += step * DAY_MS) {
    rows.push({ time, projected: Math.round(last.reached + (projection.recentPerDay * (time - lastTime)) / DAY_MS) });
  }
  return rows;
}

function dayTime(day: string): number {
  return Date.parse(`${day}T00:00:00Z`);
}

function formatDay(time: number): string {
  return new Date(time).toLocaleDateString('en-US', { month: 'short', day: 'numeric', timeZone: 'UTC' });
}

/**
 * Unique voters reached, day by day, against the target line, with the recent pace projected to
 * the target date. Drawn only: the figures are written out beside it.
 */
export function BurnUpChart({
  points,
  target,
  projection,
  label,
}: {
  points: readonly BurnUpPoint[];
  target: number | null;
  projection: Projection | null;
  label: string;
}) {
  const rows = burnUpRows(points, projection);
  const top = Math.max(target ?? 0, ...rows.map((row) => Math.max(row.reached ?? 0, row.projected ?? 0)));
  const first = rows[0]?.time ?? 0;
  const lastTime = rows[rows.length - 1]?.time ?? first;
  return (
    <div className="progress-chart" role="img" aria-label={label} style={{ height: 300 }}>
      <ResponsiveContainer width="100%" height="100%">
        <ComposedChart data={rows} margin={{ top: 12, right: 24, bottom: 4, left: 8 }} accessibilityLayer={false}>
          <CartesianGrid stroke="#dde2ec" vertical={false} />
          <XAxis
            dataKey="time"
            type="number"
            scale="time"
            domain={[first, Math.max(lastTime, first + DAY_MS)]}
            tickFormatter={formatDay}
            tick={AXIS_TICK}
            stroke="#b8c0d0"
            minTickGap={24}
          />
          <YAxis tickFormatter={(value: number) => formatCount(value)} tick={AXIS_TICK} stroke="#b8c0d0" width={72} domain={[0, Math.ceil(top * 1.05) || 1]} />
          <Tooltip formatter={(value) => formatCount(Number(value))} labelFormatter={(value) => formatDay(Number(value))} contentStyle={TOOLTIP_STYLE} />
          <Legend wrapperStyle={{ fontSize: 13 }} />
          {target !== null && (
            <ReferenceLine
              y={target}
              stroke="#b5452a"
              strokeDasharray="6 4"
              label={{ value: `Target ${formatCount(target)}`, position: 'insideTopLeft', fontSize: 12, fill: '#b5452a' }}
            />
          )}
          <Line
            type="monotone"
            dataKey="reached"
            name="Unique voters reached"
            stroke="#2f5bd3"
            strokeWidth={2.5}
            dot={false}
            isAnimationActive={false}
            connectNulls={false}
          />
          <Line
            type="linear"
            dataKey="projected"
            name="At the recent pace"
            stroke="#2f5bd3"
            strokeDasharray="4 4"
            dot={false}
            isAnimationActive={false}
            connectNulls
          />
        </ComposedChart>
      </ResponsiveContainer>
    </div>
  );
}

/** Unique voters reached per row (an organization, a county, a segment), longest first, one bar each. */
export function BreakdownBars({ rows, label }: { rows: readonly BreakdownRow[]; label: string }) {
  const shown = rows.slice(0, 15);
  return (
    <div className="progress-chart" role="img" aria-label={label} style={{ height: Math.max(120, shown.length * 30 + 40) }}>
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={[...shown]} layout="vertical" margin={{ top: 4, right: 24, bottom: 4, left: 4 }} barCategoryGap={6} accessibilityLayer={false}>
          <CartesianGrid horizontal={false} stroke="#dde2ec" />
          <XAxis type="number" tickFormatter={(value: number) => formatCount(value)} tick={AXIS_TICK} stroke="#b8c0d0" />
          <YAxis type="category" dataKey="label" width={190} interval={0} tick={{ fontSize: 12, fill: '#1d2330' }} stroke="#b8c0d0" />
          <Tooltip cursor={{ fill: 'rgb(47 91 211 / 0.06)' }} formatter={(value) => formatCount(Number(value))} contentStyle={TOOLTIP_STYLE} />
          <Legend wrapperStyle={{ fontSize: 13 }} />
          <Bar dataKey="votersReached" name="Unique voters reached" fill="#2f5bd3" isAnimationActive={false} />
          <Bar dataKey="openToReform" name="Open to reform" fill="#2a8a5b" isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}

/** Attempts, conversations and new voters reached on each day. */
export function DailyActivityChart({ rows, label }: { rows: readonly BreakdownRow[]; label: string }) {
  const data = rows.slice(-60).map((row) => ({ day: row.key, attempts: row.attempts, conversations: row.conversations, newlyReached: row.votersReached }));
  return (
    <div className="progress-chart" role="img" aria-label={label} style={{ height: 260 }}>
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={data} margin={{ top: 8, right: 24, bottom: 4, left: 8 }} accessibilityLayer={false}>
          <CartesianGrid stroke="#dde2ec" vertical={false} />
          <XAxis dataKey="day" tick={AXIS_TICK} stroke="#b8c0d0" minTickGap={24} />
          <YAxis tickFormatter={(value: number) => formatCount(value)} tick={AXIS_TICK} stroke="#b8c0d0" width={72} />
          <Tooltip formatter={(value) => formatCount(Number(value))} contentStyle={TOOLTIP_STYLE} />
          <Legend wrapperStyle={{ fontSize: 13 }} />
          <Bar dataKey="attempts" name="Attempts" fill="#9fb3e8" isAnimationActive={false} />
          <Bar dataKey="conversations" name="Conversations" fill="#2f5bd3" isAnimationActive={false} />
          <Bar dataKey="newlyReached" name="New voters reached" fill="#2a8a5b" isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
