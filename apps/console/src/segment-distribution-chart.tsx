import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { formatCount } from './format';
import type { SegmentLook } from './segment-swatch';
import type { SegmentDistribution } from './segments.client';

type DistributionRow = SegmentDistribution['rows'][number];

/**
 * Voters per segment, one stacked horizontal bar per county or organization. Drawn only: the
 * numbers are in the table beside it, so the chart is one image to assistive technology.
 * Kept in its own module so the charting library loads only with this page.
 */
export function SegmentDistributionChart({
  rows,
  segments,
  label,
  height,
}: {
  rows: readonly DistributionRow[];
  segments: readonly SegmentLook[];
  label: string;
  height: number;
}) {
  return (
    <div className="distribution-chart" role="img" aria-label={label} style={{ height }}>
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={[...rows]} layout="vertical" margin={{ top: 4, right: 20, bottom: 4, left: 4 }} barCategoryGap={6} accessibilityLayer={false}>
          <CartesianGrid horizontal={false} stroke="#dde2ec" />
          <XAxis type="number" tickFormatter={(value: number) => formatCount(value)} tick={{ fontSize: 12, fill: '#4a5468' }} stroke="#b8c0d0" />
          <YAxis type="category" dataKey="label" width={170} interval={0} tick={{ fontSize: 12, fill: '#1d2330' }} stroke="#b8c0d0" />
          <Tooltip
            cursor={{ fill: 'rgb(47 91 211 / 0.06)' }}
            formatter={(value) => formatCount(Number(value))}
            contentStyle={{ borderRadius: 8, borderColor: '#dde2ec', fontSize: 13 }}
          />
          {segments.map((segment) => (
            <Bar
              key={segment.key}
              name={segment.name}
              dataKey={(row: DistributionRow) => row.counts[segment.key] ?? 0}
              stackId="voters"
              fill={segment.colour}
              isAnimationActive={false}
            />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
