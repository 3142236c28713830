import type { Voter } from './voter-file.client';
import { LINE_TYPE_LABELS, PARTY_LABELS, PROPENSITY_LABELS, RACE_ETHNICITY_LABELS } from './voter-labels';

/** One page of voters; scrolls sideways on a narrow screen rather than squeezing the columns. */
export function VoterTable({ voters, busy }: { voters: readonly Voter[]; busy: boolean }) {
  return (
    <div className={`table-scroll${busy ? ' is-busy' : ''}`} role="region" aria-label="Matching voters" tabIndex={0}>
      <table>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Address</th>
            <th scope="col">County</th>
            <th scope="col">Precinct</th>
            <th scope="col" className="numeric">
              Age
            </th>
            <th scope="col">Party</th>
            <th scope="col">Propensity</th>
            <th scope="col">Race / ethnicity</th>
            <th scope="col">Phones</th>
            <th scope="col">Voter id</th>
          </tr>
        </thead>
        <tbody>
          {voters.map((voter) => (
            <tr key={voter.id} className={voter.active ? undefined : 'inactive'}>
              <th scope="row" className="nowrap">
                {fullName(voter)}
                {!voter.active && <span className="tag">inactive</span>}
              </th>
              <td className="nowrap">
                {voter.residentialAddress ?? '—'}
                <br />
                <span className="muted small">{[voter.city, voter.zip5].filter((part) => part !== null && part !== '').join(' ') || '—'}</span>
              </td>
              <td>{voter.county ?? '—'}</td>
              <td>{voter.precinct ?? '—'}</td>
              <td className="numeric">{voter.age ?? '—'}</td>
              <td className="nowrap">
                {PARTY_LABELS[voter.party] ?? voter.party}
                {voter.partyCode !== null && voter.partyCode !== '' && <span className="muted small"> ({voter.partyCode})</span>}
              </td>
              <td>{PROPENSITY_LABELS[voter.propensity] ?? voter.propensity}</td>
              <td>{RACE_ETHNICITY_LABELS[voter.raceEthnicity] ?? voter.raceEthnicity}</td>
              <td className="nowrap">
                {voter.phones.length === 0
                  ? '—'
                  : voter.phones.map((phone) => (
                      <div key={phone.e164}>
                        {phone.e164}
                        {phone.lineType !== null && <span className="muted small"> {LINE_TYPE_LABELS[phone.lineType] ?? phone.lineType}</span>}
                      </div>
                    ))}
              </td>
              <td className="nowrap">{voter.sourceVoterId}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function fullName({ firstName, middleName, lastName, nameSuffix }: Voter): string {
  return [firstName, middleName, lastName, nameSuffix].filter((part) => part !== undefined && part !== null && part !== '').join(' ') || '(no name)';
}
