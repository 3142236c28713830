import { matchOptOutKeyword } from './opt-out-keyword.matcher';

describe('matchOptOutKeyword', () => {
  it.each(['STOP', 'stop', ' Stop. ', 'STOPALL', 'unsubscribe', 'Cancel!', 'END', 'quit', 'REVOKE', 'optout', '"STOP"', 'stop 🛑'])(
    'should read %p as an opt-out',
    (body) => expect(matchOptOutKeyword(body)).toBe('opt-out'),
  );

  it.each(['START', 'unstop', 'Yes!'])('should read %p as an opt-in', (body) => expect(matchOptOutKeyword(body)).toBe('opt-in'));

  it.each(['HELP', 'info?'])('should read %p as a help request', (body) => expect(matchOptOutKeyword(body)).toBe('help'));

  it.each(['STOP PLEASE', 'please stop', 'stopp', 'S T O P', 'opt out', 'no', '', 'STOP\nSTOP'])('should read %p as an ordinary text', (body) =>
    expect(matchOptOutKeyword(body)).toBeNull(),
  );
});
