import { decodeCursor, encodeCursor } from './texting-cursor.util';

describe('texting cursor', () => {
  it('should read back what it wrote, microseconds and zone kept', () => {
    const cursor = { at: '2026-11-30 17:00:00.123456+00', id: '0b6f1c8e-4a59-4c3c-9d0e-1f2a3b4c5d6e' };
    expect(decodeCursor(encodeCursor(cursor), 'cursor')).toEqual(cursor);
  });

  it('should take no cursor as the first page', () => {
    expect(decodeCursor(undefined, 'cursor')).toBeNull();
  });

  it('should refuse a cursor it did not write, naming the parameter', () => {
    expect(() => decodeCursor('bm9wZQ', 'cursor')).toThrow('cursor must be the nextCursor of a previous page');
    expect(() => decodeCursor(Buffer.from("2026-11-30 17:00:00+00|x' OR 1=1").toString('base64url'), 'cursor')).toThrow(/cursor/);
  });
});
