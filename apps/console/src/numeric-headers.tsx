/**
 * Column headers of figures, right-aligned as their cells are. A label given as `false` (a column
 * the table does not show in this view) is left out, so a table lists its columns in one place.
 */
export function NumericHeaders({ labels }: { labels: ReadonlyArray<string | false> }) {
  return (
    <>
      {labels
        .filter((label): label is string => label !== false)
        .map((label) => (
          <th key={label} scope="col" className="numeric">
            {label}
          </th>
        ))}
    </>
  );
}
