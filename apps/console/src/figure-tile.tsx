/** One live figure in a grid of tiles (`<dl className="dialer-tiles">`): its label, value and an optional hint. */
export function FigureTile({ label, value, hint }: { label: string; value: string; hint?: string }) {
  return (
    <div className="dialer-tile">
      <dt>{label}</dt>
      <dd>
        <span className="tile-value">{value}</span>
        {hint !== undefined && <span className="tile-hint">{hint}</span>}
      </dd>
    </div>
  );
}
