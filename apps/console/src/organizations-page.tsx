import { type FormEvent, useCallback, useEffect, useId, useState } from 'react';
import { describeError, isAbortError } from './api.client';
import { formatDateTime } from './format';
import { FormError, SelectField, SlugOptions, SubmitRow } from './form-fields';
import { grantableRoles, managedOrganizations, roleOver } from './membership-rights';
import { useOrganizationDirectory } from './organization-directory';
import {
  changeRole,
  invite,
  listOrganizationPeople,
  listPeople,
  type Membership,
  type Organization,
  type Person,
  removeMembership,
} from './organizations.client';
import { ROLE_LABELS } from './roles';
import { useSession, useSignedInSession } from './session-context';
import type { MembershipRole } from './session.client';

const EVERYONE = '';

/** The alliance's anchors (with regions) and members; the people you manage, their roles, and invitations. */
export function OrganizationsPage() {
  const { memberships } = useSession();
  const directory = useOrganizationDirectory();
  const organizations = directory.organizations;
  const managed = organizations === null ? [] : managedOrganizations(memberships, organizations);
  const allianceAdmin = roleOver(memberships, null) !== null;
  const [notice, setNotice] = useState<string | null>(null);
  const [peopleVersion, setPeopleVersion] = useState(0);
  const changed = useCallback((message: string) => {
    setNotice(message);
    setPeopleVersion((count) => count + 1);
  }, []);

  return (
    <div className="page">
      <header className="page-header">
        <h1>Organizations and people</h1>
        <p className="lede">The alliance&rsquo;s anchors with their regions and members, and the people you manage.</p>
      </header>

      <FormError error={directory.error} onRetry={directory.reload} />

      <section className="panel" aria-labelledby="anchors-title">
        <h2 id="anchors-title">Anchors and members</h2>
        {organizations === null ? directory.error === null && <p className="muted">Loading organizations…</p> : <AnchorList organizations={organizations} />}
      </section>

      <p role="status" className="form-notice page-notice">
        {notice}
      </p>

      {organizations !== null && (managed.length > 0 || allianceAdmin) && (
        <>
          <section className="panel" aria-labelledby="invite-title">
            <h2 id="invite-title">Invite someone</h2>
            <InviteForm organizations={managed} allianceAdmin={allianceAdmin} onInvited={changed} />
          </section>
          <section className="panel" aria-labelledby="people-title">
            <h2 id="people-title">People</h2>
            <PeopleList organizations={managed} allianceAdmin={allianceAdmin} version={peopleVersion} onChanged={changed} />
          </section>
        </>
      )}
    </div>
  );
}

function AnchorList({ organizations }: { organizations: readonly Organization[] }) {
  const { memberships } = useSession();
  const anchors = organizations.filter((organization) => organization.kind === 'anchor');
  const own = new Set(memberships.map((membership) => membership.organizationSlug));
  if (anchors.length === 0) return <p className="muted">This alliance has no anchor organizations yet.</p>;
  return (
    <ul className="anchor-list">
      {anchors.map((anchor) => (
        <li key={anchor.slug} className="anchor-card">
          <h3>
            {anchor.name}
            {own.has(anchor.slug) && <span className="tag">yours</span>}
          </h3>
          <p className="small">
            <span className="muted">Region:</span> {anchor.regionCounties.length === 0 ? 'no counties yet' : anchor.regionCounties.join(', ')}
          </p>
          {anchor.members.length === 0 ? (
            <p className="muted small">No member organizations yet.</p>
          ) : (
            <>
              <p className="muted small">Members:</p>
              <ul className="member-names">
                {anchor.members.map((member) => (
                  <li key={member.slug}>
                    {member.name}
                    {own.has(member.slug) && <span className="tag">yours</span>}
                  </li>
                ))}
              </ul>
            </>
          )}
        </li>
      ))}
    </ul>
  );
}

function InviteForm({
  organizations,
  allianceAdmin,
  onInvited,
}: {
  organizations: readonly Organization[];
  allianceAdmin: boolean;
  onInvited: (notice: string) => void;
}) {
  const ids = useId();
  const { memberships } = useSession();
  const [email, setEmail] = useState('');
  const [where, setWhere] = useState(organizations[0]?.slug ?? EVERYONE);
  const organization = organizations.find((each) => each.slug === where) ?? null;
  const roles = grantableRoles(memberships, organization);
  const [role, setRole] = useState<MembershipRole | ''>('');
  // Volunteer is the usual invitation; a choice that the organization does not allow falls back to it.
  const chosenRole: MembershipRole | '' = role !== '' && roles.includes(role) ? role : roles.includes('volunteer') ? 'volunteer' : (roles.at(0) ?? '');
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (email.trim() === '') {
      setError('Enter the email address to send the invitation to.');
      return;
    }
    if (chosenRole === '') {
      setError('You may not invite anyone there.');
      return;
    }
    setPending(true);
    setError(null);
    try {
      const sent = await invite({ email: email.trim(), organization: organization?.slug ?? null, role: chosenRole });
      setEmail('');
      onInvited(
        `Invitation on its way to ${sent.email}: ${ROLE_LABELS[sent.role]}, ${sent.organization?.name ?? sent.alliance}. The link works once, until ${formatDateTime(sent.expiresAt)}.`,
      );
    } catch (failure) {
      setError(describeError(failure));
    } finally {
      setPending(false);
    }
  }

  return (
    <>
      <form className="inline-form" onSubmit={submit} noValidate aria-label="Invite someone">
        <div className="field">
          <label htmlFor={`${ids}-email`}>Email</label>
          <input
            id={`${ids}-email`}
            type="email"
            autoComplete="off"
            aria-invalid={error !== null || undefined}
            aria-describedby={error !== null ? `${ids}-error` : undefined}
            value={email}
            onChange={(event) => setEmail(event.target.value)}
          />
        </div>
        <SelectField id={`${ids}-where`} label="Organization" value={where} onChange={setWhere}>
          <SlugOptions choices={organizations} />
          {allianceAdmin && <option value={EVERYONE}>The whole alliance (admins, data leads)</option>}
        </SelectField>
        <SelectField id={`${ids}-role`} label="Role" value={chosenRole} onChange={(value) => setRole(value as MembershipRole)}>
          <RoleOptions roles={roles} />
        </SelectField>
        <SubmitRow pending={pending} label="Send invitation" pendingLabel="Sending…" />
      </form>
      <FormError id={`${ids}-error`} error={error} />
    </>
  );
}

function PeopleList({
  organizations,
  allianceAdmin,
  version,
  onChanged,
}: {
  organizations: readonly Organization[];
  allianceAdmin: boolean;
  version: number;
  onChanged: (notice: string) => void;
}) {
  const ids = useId();
  const self = useSignedInSession().user.id;
  const [shown, setShown] = useState(EVERYONE);
  const [people, setPeople] = useState<readonly Person[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    setPeople(null);
    (shown === EVERYONE ? listPeople(controller.signal) : listOrganizationPeople(shown, controller.signal)).then(
      (answer) => {
        setPeople(answer.people);
        setError(null);
      },
      (failure: unknown) => {
        if (!isAbortError(failure)) setError(describeError(failure));
      },
    );
    return () => controller.abort();
  }, [shown, version, attempt]);

  return (
    <div className="stack">
      <SelectField id={`${ids}-shown`} label="Show" className="field field-inline" value={shown} onChange={setShown}>
        <option value={EVERYONE}>{allianceAdmin ? 'Everyone in the alliance' : 'Everyone you manage'}</option>
        <SlugOptions choices={organizations} />
      </SelectField>
      <FormError error={error} onRetry={() => setAttempt((count) => count + 1)} />
      {people === null && error === null && <p className="muted">Loading people…</p>}
      {people !== null && people.length === 0 && <p className="muted">Nobody here yet. Invite someone above.</p>}
      {people !== null && people.length > 0 && (
        <ul className="people-list">
          {people.map((person) => (
            <li key={person.userId} className="person">
              <h3>
                {person.displayName}
                {person.userId === self && <span className="tag">you</span>} <span className="muted small">{person.email}</span>
              </h3>
              <ul className="membership-list">
                {person.memberships.map((membership) => (
                  <MembershipRow key={membership.id} person={person} membership={membership} onChanged={onChanged} />
                ))}
              </ul>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function MembershipRow({ person, membership, onChanged }: { person: Person; membership: Membership; onChanged: (notice: string) => void }) {
  const ids = useId();
  const { memberships } = useSession();
  const { bySlug } = useOrganizationDirectory();
  const organization = membership.organization === null ? null : (bySlug(membership.organization.slug) ?? null);
  const roles = grantableRoles(memberships, organization);
  const [role, setRole] = useState<MembershipRole>(membership.role);
  const [confirming, setConfirming] = useState(false);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const where = membership.organization?.name ?? 'the whole alliance';
  const mayChange = roles.includes(membership.role);

  async function act(work: () => Promise<string>) {
    setPending(true);
    setError(null);
    try {
      onChanged(await work());
    } catch (failure) {
      setError(describeError(failure));
    } finally {
      setPending(false);
      setConfirming(false);
    }
  }

  const save = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    void act(async () => {
      await changeRole(membership.id, role);
      return `${person.displayName} is now ${ROLE_LABELS[role]} at ${where}.`;
    });
  };
  const remove = () =>
    act(async () => {
      await removeMembership(membership.id);
      return `${person.displayName} no longer has the role ${ROLE_LABELS[membership.role]} at ${where}.`;
    });

  return (
    <li className="membership-row">
      <span>
        <strong>{ROLE_LABELS[membership.role] ?? membership.role}</strong>, {where}
        <span className="muted small"> · since {formatDateTime(membership.createdAt)}</span>
      </span>
      {mayChange && (
        <form className="row-actions" onSubmit={save} aria-label={`Role of ${person.displayName} at ${where}`}>
          <label className="visually-hidden" htmlFor={`${ids}-role`}>
            New role for {person.displayName} at {where}
          </label>
          <select id={`${ids}-role`} value={role} onChange={(event) => setRole(event.target.value as MembershipRole)} disabled={pending}>
            <RoleOptions roles={roles} />
          </select>
          <button type="submit" className="secondary" disabled={pending || role === membership.role}>
            Change role
          </button>
          {confirming ? (
            <>
              <button type="button" className="danger" onClick={() => void remove()} disabled={pending}>
                Confirm removal
              </button>
              <button type="button" className="secondary" onClick={() => setConfirming(false)} disabled={pending}>
                Keep
              </button>
            </>
          ) : (
            <button type="button" className="secondary" onClick={() => setConfirming(true)} disabled={pending}>
              Remove…
            </button>
          )}
        </form>
      )}
      <FormError error={error} />
    </li>
  );
}

/** The roles the signed-in person may grant there, by their labels; the invitation and a membership's role change offer the same. */
function RoleOptions({ roles }: { roles: readonly MembershipRole[] }) {
  return (
    <>
      {roles.map((each) => (
        <option key={each} value={each}>
          {ROLE_LABELS[each]}
        </option>
      ))}
    </>
  );
}
