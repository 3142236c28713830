import { type ReactNode, useId, useState } from 'react';
import { describeError } from './api.client';
import { formatCount, formatDateTime } from './format';
import { FormError, SelectField, SlugOptions } from './form-fields';
import type { OrganizationReference } from './organizations.client';
import { type Campaign, reassignTurf, type TurfAssignment, unassignTurf } from './turf.client';

const END_REASONS: Record<NonNullable<TurfAssignment['endReason']>, string> = { unassigned: 'Unassigned', reassigned: 'Reassigned' };

/** Each member organization's turf: what it holds now (to unassign or move) and what it held before. */
export function TurfByMember({
  assignments,
  members,
  campaigns,
  onChanged,
}: {
  assignments: readonly TurfAssignment[];
  members: readonly OrganizationReference[];
  campaigns: readonly Campaign[];
  onChanged: (notice: string) => void;
}) {
  const ids = useId();
  const [campaign, setCampaign] = useState('');
  const shown = assignments.filter((assignment) => campaign === '' || assignment.campaign.slug === campaign);
  // Members first, in the anchor's order; then any other organization that holds visible turf.
  const holders = [...members];
  for (const assignment of assignments) {
    if (!holders.some((member) => member.slug === assignment.organization.slug)) holders.push(assignment.organization);
  }

  if (holders.length === 0) return <p className="muted">There are no member organizations yet.</p>;
  return (
    <div className="stack">
      {campaigns.length > 1 && (
        <SelectField id={`${ids}-campaign`} label="Campaign" className="field field-inline" value={campaign} onChange={setCampaign}>
          <option value="">All campaigns</option>
          <SlugOptions choices={campaigns} />
        </SelectField>
      )}
      {holders.map((member) => (
        <MemberTurf
          key={member.slug}
          member={member}
          assignments={shown.filter((assignment) => assignment.organization.slug === member.slug)}
          others={members.filter((other) => other.slug !== member.slug)}
          onChanged={onChanged}
        />
      ))}
    </div>
  );
}

function MemberTurf({
  member,
  assignments,
  others,
  onChanged,
}: {
  member: OrganizationReference;
  assignments: readonly TurfAssignment[];
  others: readonly OrganizationReference[];
  onChanged: (notice: string) => void;
}) {
  const ids = useId();
  const current = assignments.filter((assignment) => assignment.endedAt === null);
  const past = assignments.filter((assignment) => assignment.endedAt !== null);
  const held = current.reduce((sum, assignment) => sum + assignment.voterCount, 0);

  return (
    <section className="member-turf" aria-labelledby={`${ids}-name`}>
      <h3 id={`${ids}-name`}>{member.name}</h3>
      <p className="muted small">{current.length === 0 ? 'Holds no turf now.' : `Holds ${formatCount(current.length)} turf (${formatCount(held)} voters).`}</p>
      {current.length > 0 && (
        <AssignmentTable label={`Current turf of ${member.name}`} laterColumns={['Since', 'Change']}>
          {current.map((assignment) => (
            <CurrentAssignment key={assignment.id} assignment={assignment} others={others} onChanged={onChanged} />
          ))}
        </AssignmentTable>
      )}
      {past.length > 0 && (
        <details className="past-turf">
          <summary>Past turf ({formatCount(past.length)})</summary>
          <AssignmentTable label={`Past turf of ${member.name}`} laterColumns={['From', 'Until', 'Ended']}>
            {past.map((assignment) => (
              <tr key={assignment.id}>
                <th scope="row">{assignment.turfName}</th>
                <td>{assignment.campaign.name}</td>
                <td className="numeric">{formatCount(assignment.voterCount)}</td>
                <td className="nowrap">{formatDateTime(assignment.assignedAt)}</td>
                <td className="nowrap">{assignment.endedAt === null ? '—' : formatDateTime(assignment.endedAt)}</td>
                <td>{assignment.endReason === null ? '—' : END_REASONS[assignment.endReason]}</td>
              </tr>
            ))}
          </AssignmentTable>
        </details>
      )}
    </section>
  );
}

/**
 * A member's current or past assignments: both lead with the turf, campaign and voter count so the two
 * tables read alike; laterColumns name what follows. Scrolls sideways, as a focusable region, on a narrow screen.
 */
function AssignmentTable({ label, laterColumns, children }: { label: string; laterColumns: readonly string[]; children: ReactNode }) {
  return (
    <div className="table-scroll" role="region" aria-label={label} tabIndex={0}>
      <table>
        <thead>
          <tr>
            <th scope="col">Turf</th>
            <th scope="col">Campaign</th>
            <th scope="col" className="numeric">
              Voters
            </th>
            {laterColumns.map((column) => (
              <th key={column} scope="col">
                {column}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}

function CurrentAssignment({
  assignment,
  others,
  onChanged,
}: {
  assignment: TurfAssignment;
  others: readonly OrganizationReference[];
  onChanged: (notice: string) => void;
}) {
  const ids = useId();
  const [target, setTarget] = useState(others[0]?.slug ?? '');
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function act(work: () => Promise<string>) {
    setPending(true);
    setError(null);
    try {
      onChanged(await work());
    } catch (failure) {
      setError(describeError(failure));
      setPending(false);
    }
  }

  const unassign = () =>
    act(async () => {
      await unassignTurf(assignment.id);
      return `“${assignment.turfName}” is no longer assigned to ${assignment.organization.name} for ${assignment.campaign.name}.`;
    });
  const reassign = () =>
    act(async () => {
      const moved = await reassignTurf(assignment.id, target);
      return `“${assignment.turfName}” moved from ${assignment.organization.name} to ${moved.organization.name} for ${assignment.campaign.name}.`;
    });

  return (
    <tr>
      <th scope="row">{assignment.turfName}</th>
      <td>{assignment.campaign.name}</td>
      <td className="numeric">{formatCount(assignment.voterCount)}</td>
      <td className="nowrap">{formatDateTime(assignment.assignedAt)}</td>
      <td>
        <div className="row-actions">
          <button type="button" className="secondary" onClick={unassign} disabled={pending} aria-label={`Unassign ${assignment.turfName}`}>
            Unassign
          </button>
          {others.length > 0 && (
            <>
              <label className="visually-hidden" htmlFor={`${ids}-target`}>
                Reassign {assignment.turfName} to
              </label>
              <select id={`${ids}-target`} value={target} onChange={(event) => setTarget(event.target.value)} disabled={pending}>
                <SlugOptions choices={others} />
              </select>
              <button type="button" className="secondary" onClick={reassign} disabled={pending} aria-label={`Reassign ${assignment.turfName}`}>
                Reassign
              </button>
            </>
          )}
        </div>
        <FormError error={error} />
      </td>
    </tr>
  );
}
