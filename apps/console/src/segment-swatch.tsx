import type { SegmentTaxonomy } from './segments.client';

/** For keys the current taxonomy no longer has (a model built on an older version): distinct, calm, and never a taxonomy colour by accident. */
const SPARE_COLOURS = ['#6d4c41', '#00838f', '#8e24aa', '#c0ca33', '#5c6bc0', '#d81b60', '#455a64', '#7cb342'];

export interface SegmentLook {
  readonly key: string;
  readonly name: string;
  readonly colour: string;
}

export type SegmentLookup = (key: string) => SegmentLook;

/** Name and colour by segment key, from the taxonomy when it knows the key. */
export function segmentLookupOf(taxonomy: SegmentTaxonomy | null): SegmentLookup {
  const known = new Map((taxonomy?.segments ?? []).map((segment) => [segment.key, segment]));
  const spare = new Map<string, string>();
  return (key) => {
    const segment = known.get(key);
    if (segment !== undefined) return { key, name: segment.name, colour: segment.colour };
    if (!spare.has(key)) spare.set(key, SPARE_COLOURS[spare.size % SPARE_COLOURS.length]);
    return { key, name: key.replace(/_/g, ' '), colour: spare.get(key) ?? SPARE_COLOURS[0] };
  };
}

/** The colour chip beside a segment's name; the name next to it carries the meaning, so the chip is hidden from screen readers. */
export function SegmentSwatch({ colour }: { colour: string }) {
  return <span className="segment-swatch" style={{ background: colour }} aria-hidden="true" />;
}

export function SegmentLabel({ look }: { look: SegmentLook }) {
  return (
    <span className="segment-label">
      <SegmentSwatch colour={look.colour} />
      {look.name}
    </span>
  );
}

/** The form field a refusal's `details.field` names, as a piece of an element id: "rules[1].conditions[0].min" → "rules-1-conditions-0-min". */
export function fieldIdOf(field: string): string {
  return field.replace(/[^A-Za-z0-9]+/g, '-').replace(/-+$/, '');
}

/** Whether the input for `field` is the one a refusal named, or lies inside what it named (a whole condition, say). */
export function isNamedByError(field: string, invalidField: string | null): boolean {
  if (invalidField === null) return false;
  const own = fieldIdOf(field);
  const named = fieldIdOf(invalidField);
  return own === named || own.startsWith(`${named}-`);
}
