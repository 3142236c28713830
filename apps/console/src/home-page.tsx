import { formatCallingHours } from './format';
import { FormError } from './form-fields';
import { hrefOf, type RouteName } from './navigation';
import { type Area, isVolunteerOnly, mayUse } from './roles';
import { useSession, useSignedInSession } from './session-context';
import { useCallableCampaigns } from './use-callable-campaigns';

const AREAS: ReadonlyArray<readonly [Area, RouteName, string, string]> = [
  ['turf', 'turf', 'Turf', 'Cut turf in your region, split it, and assign it to your member organizations for a campaign.'],
  [
    'campaigns',
    'campaigns',
    'Campaigns',
    'Set up your phone banks: caller ids, calling hours, dates and target, the call script with a live preview, and when calling opens.',
  ],
  ['calling', 'calling', 'Calling', 'Take a shift on the phones yourself: one voter at a time, with the script to read.'],
  [
    'segments',
    'segments',
    'Values segments',
    'The values taxonomy, rule and trained models with their evaluation, and where each segment lives; data leads train and apply them.',
  ],
  ['voterFile', 'voterFile', 'Voter file', 'Look through the voters you may see, export them, and (for data leads) import voter files.'],
  ['organizations', 'organizations', 'Organizations and people', 'See anchors, regions and members; invite people, change their roles, remove memberships.'],
];

/** Where a signed-in person starts: their pages, or, for a volunteer, the phone banks open to them. */
export function HomePage() {
  const session = useSignedInSession();
  const { memberships } = useSession();
  const firstName = session.user.displayName.split(/\s+/)[0] || session.user.displayName;

  if (memberships.length === 0 || isVolunteerOnly(memberships)) {
    return (
      <div className="page narrow-page">
        <header className="page-header">
          <h1>Welcome, {firstName}</h1>
          <p className="lede">Thank you for volunteering.</p>
        </header>
        <section className="panel" aria-labelledby="calling-title">
          <h2 id="calling-title">Calling sessions</h2>
          {memberships.length === 0 ? (
            <p className="muted">Your account does not belong to an organization yet; ask the person who invited you.</p>
          ) : (
            <OpenPhoneBanks />
          )}
        </section>
      </div>
    );
  }

  const open = AREAS.filter(([area]) => mayUse(memberships, area));
  return (
    <div className="page narrow-page">
      <header className="page-header">
        <h1>Welcome, {firstName}</h1>
        <p className="lede">Where would you like to start?</p>
      </header>
      <ul className="area-list">
        {open.map(([area, route, title, description]) => (
          <li key={area} className="panel">
            <h2>
              <a href={hrefOf(route)}>{title}</a>
            </h2>
            <p className="muted">{description}</p>
          </li>
        ))}
      </ul>
    </div>
  );
}

/** A volunteer's way in to calling: the phone banks open to them now, or word that none is yet. */
function OpenPhoneBanks() {
  const { campaigns, error, reload } = useCallableCampaigns();
  if (error !== null) return <FormError error={error} onRetry={reload} />;
  if (campaigns === null) return <p className="muted">Looking for open phone banks…</p>;
  if (campaigns.length === 0) {
    return (
      <p>
        Calling sessions are coming soon: no phone bank is open for you yet. When your organization opens one, you will join it from this page, and Crossroads
        will connect you to one voter at a time with the script to read.
      </p>
    );
  }
  return (
    <div className="stack">
      <ul className="plain-list">
        {campaigns.map((campaign) => (
          <li key={campaign.id}>
            <strong>{campaign.name}</strong> <span className="muted">· calling hours {formatCallingHours(campaign.callingWindow)}</span>
          </li>
        ))}
      </ul>
      <p>
        <a className="button-link primary-link" href={hrefOf('calling')}>
          Start calling
        </a>
      </p>
    </div>
  );
}
