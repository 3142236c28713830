import { dropOldestFinished } from './record-retention.util';

describe('dropOldestFinished', () => {
  it('should drop the oldest finished records first and never a live one', () => {
    const records = new Map(
      [
        ['a', 'live'],
        ['b', 'done'],
        ['c', 'done'],
        ['d', 'live'],
        ['e', 'done'],
      ].map(([sid, state]) => [sid, { state }]),
    );
    dropOldestFinished(records, (record) => record.state === 'done', 3);
    expect([...records.keys()]).toEqual(['a', 'd', 'e']);
    dropOldestFinished(records, (record) => record.state === 'done', 1);
    expect([...records.keys()]).toEqual(['a', 'd']);
  });
});
