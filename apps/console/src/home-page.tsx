import { hrefOf, type RouteName } from './navigation';
import { type Area, isVolunteerOnly, mayUse } from './roles';
import { useSession, useSignedInSession } from './session-context';

const AREAS: ReadonlyArray<readonly [Area, RouteName, string, string]> = [
  ['turf', 'turf', 'Turf', 'Cut turf in your region, split it, and assign it to your member organizations for a campaign.'],
  [
    'segments',
    'segments',
    'Values segments',
    'The values taxonomy, rule and trained models with their evaluation, and where each segment lives; data leads train and apply them.',
  ],
  ['voterFile', 'voterFile', 'Voter file', 'Look through the voters you may see, export them, and (for data leads) import voter files.'],
  ['organizations', 'organizations', 'Organizations and people', 'See anchors, regions and members; invite people, change their roles, remove memberships.'],
];

/** Where a signed-in person starts: their pages, or, for a volunteer, what is coming. */
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
          <p>
            Calling sessions are coming soon. When your organization opens a phone bank, you will join it from this page, and Crossroads will connect you to one
            voter at a time with the script to read.
          </p>
          {memberships.length === 0 && <p className="muted">Your account does not belong to an organization yet; ask the person who invited you.</p>}
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
