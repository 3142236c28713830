import { isDeepStrictEqual } from 'node:util';
import { type CallState, callStateAfter, type CallStatusEvent } from './call-state.transition';

const QUEUED: CallState = { status: 'queued', answeredBy: null, answeredAt: null, durationSeconds: null, lastSequenceNumber: null, endedAt: null };

const T_INITIATED = new Date('2026-10-20T18:00:00Z');
const T_RINGING = new Date('2026-10-20T18:00:02Z');
const T_ANSWERED = new Date('2026-10-20T18:00:09Z');
const T_COMPLETED = new Date('2026-10-20T18:00:51Z');

function event(status: string, sequenceNumber: number | null, occurredAt: Date, facts: Partial<CallStatusEvent> = {}): CallStatusEvent {
  return { status, answeredBy: null, sequenceNumber, durationSeconds: null, occurredAt, ...facts };
}

const INITIATED = event('initiated', 0, T_INITIATED);
const RINGING = event('ringing', 1, T_RINGING);
const ANSWERED = event('in-progress', 2, T_ANSWERED, { answeredBy: 'human' });
const COMPLETED = event('completed', 3, T_COMPLETED, { durationSeconds: 42 });

/** The call after each event in turn; an event that teaches nothing leaves it as it was. */
function fold(events: readonly CallStatusEvent[], from: CallState = QUEUED): CallState {
  return events.reduce<CallState>((state, next) => callStateAfter(state, next) ?? state, from);
}

function permutations<T>(items: readonly T[]): T[][] {
  if (items.length <= 1) return [[...items]];
  return items.flatMap((item, index) => permutations([...items.slice(0, index), ...items.slice(index + 1)]).map((rest) => [item, ...rest]));
}

const ANSWERED_AND_COMPLETED: CallState = {
  status: 'completed',
  answeredBy: 'human',
  answeredAt: T_ANSWERED,
  durationSeconds: 42,
  lastSequenceNumber: 3,
  endedAt: T_COMPLETED,
  ringingAt: T_INITIATED,
};

describe('callStateAfter', () => {
  describe('with events in order', () => {
    it('should move a queued call to initiated, then ringing, recording the sequence number', () => {
      const initiated = callStateAfter(QUEUED, INITIATED);
      expect(initiated).toStrictEqual({ ...QUEUED, status: 'initiated', lastSequenceNumber: 0, ringingAt: T_INITIATED });

      expect(callStateAfter(initiated!, RINGING)).toStrictEqual({ ...QUEUED, status: 'ringing', lastSequenceNumber: 1, ringingAt: T_INITIATED });
    });

    it('should record who answered and when on the in-progress event', () => {
      const ringing = fold([INITIATED, RINGING]);

      expect(callStateAfter(ringing, ANSWERED)).toStrictEqual({
        ...ringing,
        status: 'in-progress',
        answeredBy: 'human',
        answeredAt: T_ANSWERED,
        lastSequenceNumber: 2,
      });
    });

    it('should record when an answered call without machine detection was answered', () => {
      const change = callStateAfter(fold([INITIATED, RINGING]), event('in-progress', 2, T_ANSWERED));

      expect(change).toMatchObject({ status: 'in-progress', answeredBy: null, answeredAt: T_ANSWERED });
    });

    it('should end the call with its duration on the completed event', () => {
      const answered = fold([INITIATED, RINGING, ANSWERED]);

      expect(callStateAfter(answered, COMPLETED)).toStrictEqual(ANSWERED_AND_COMPLETED);
    });

    it.each(['busy', 'no-answer', 'failed', 'canceled'])('should end a ringing call that ends %s, unanswered', (status) => {
      const ringing = fold([INITIATED, RINGING]);

      expect(callStateAfter(ringing, event(status, 2, T_COMPLETED, { durationSeconds: 0 }))).toStrictEqual({
        ...ringing,
        status,
        durationSeconds: 0,
        lastSequenceNumber: 2,
        endedAt: T_COMPLETED,
      });
    });
  });

  describe('with repeated events', () => {
    it.each([
      ['initiated', [INITIATED]],
      ['ringing', [INITIATED, RINGING]],
      ['in-progress', [INITIATED, RINGING, ANSWERED]],
      ['completed', [INITIATED, RINGING, ANSWERED, COMPLETED]],
    ])('should find nothing new in a second %s event', (_, events) => {
      expect(callStateAfter(fold(events), events[events.length - 1])).toBeNull();
    });

    it('should keep the first duration and end time when a terminal event comes again under a new sequence number', () => {
      const completed = fold([INITIATED, RINGING, ANSWERED, COMPLETED]);

      const change = callStateAfter(completed, event('completed', 4, new Date('2026-10-20T18:01:30Z'), { durationSeconds: 80 }));

      expect(change).toStrictEqual({ ...completed, lastSequenceNumber: 4 });
    });
  });

  describe('with events out of order', () => {
    it('should stay completed when ringing comes after completed', () => {
      const completed = fold([INITIATED, COMPLETED]);

      expect(callStateAfter(completed, event('ringing', 5, T_RINGING))).toStrictEqual({ ...completed, lastSequenceNumber: 5 });
    });

    it('should stay completed but learn who answered and when from an in-progress event that arrives late', () => {
      const completed = fold([INITIATED, RINGING, COMPLETED]);
      expect(completed).toMatchObject({ status: 'completed', answeredBy: null, answeredAt: null });

      expect(callStateAfter(completed, ANSWERED)).toStrictEqual(ANSWERED_AND_COMPLETED);
    });

    it('should date the start of ringing from the earliest initiated or ringing event, whichever arrives first', () => {
      expect(fold([RINGING, INITIATED]).ringingAt).toEqual(T_INITIATED);
      expect(fold([RINGING]).ringingAt).toEqual(T_RINGING);
      expect(fold([ANSWERED]).ringingAt).toBeNull();
    });

    it('should not move an in-progress call back to ringing', () => {
      const answered = fold([INITIATED, ANSWERED]);

      expect(callStateAfter(answered, RINGING)).toBeNull();
    });

    it.each(['busy', 'no-answer', 'failed', 'canceled', 'completed'])('should never replace a terminal status with %s', (status) => {
      const busy = fold([INITIATED, event('busy', 1, T_RINGING, { durationSeconds: 0 })]);

      const after = fold([event(status, 7, T_COMPLETED, { durationSeconds: 12 })], busy);

      expect(after).toStrictEqual({ ...busy, lastSequenceNumber: 7 });
    });
  });

  describe('with a status it does not know', () => {
    it('should change nothing but the sequence number', () => {
      const ringing = fold([INITIATED, RINGING]);

      expect(callStateAfter(ringing, event('answered', 6, T_ANSWERED, { durationSeconds: 9 }))).toStrictEqual({ ...ringing, lastSequenceNumber: 6 });
    });

    it('should find nothing new when it carries no newer sequence number', () => {
      const ringing = fold([INITIATED, RINGING]);

      expect(callStateAfter(ringing, event('Completed', null, T_COMPLETED, { durationSeconds: 9 }))).toBeNull();
      expect(callStateAfter(ringing, event('', 0, T_COMPLETED))).toBeNull();
    });
  });

  describe('sequence numbers', () => {
    it('should keep the highest sequence number seen', () => {
      const answered = fold([INITIATED, RINGING, ANSWERED]);

      expect(fold([event('initiated', 0, T_INITIATED)], answered).lastSequenceNumber).toBe(2);
      expect(fold([event('in-progress', 9, T_ANSWERED)], answered).lastSequenceNumber).toBe(9);
    });

    it('should record sequence number 0, the first one the carrier sends', () => {
      expect(callStateAfter(QUEUED, INITIATED)?.lastSequenceNumber).toBe(0);
    });

    it('should leave the sequence number unknown when no event carried one', () => {
      expect(fold([event('initiated', null, T_INITIATED), event('ringing', null, T_RINGING)])).toMatchObject({ status: 'ringing', lastSequenceNumber: null });
    });
  });

  describe('duration', () => {
    it('should ignore a duration on an event that does not end the call', () => {
      const after = fold([event('ringing', 1, T_RINGING, { durationSeconds: 3 }), event('in-progress', 2, T_ANSWERED, { durationSeconds: 5 })]);

      expect(after).toMatchObject({ status: 'in-progress', durationSeconds: null });
    });

    it('should take the duration from a terminal event even when it arrives first', () => {
      expect(fold([COMPLETED])).toMatchObject({ status: 'completed', durationSeconds: 42, endedAt: T_COMPLETED });
    });
  });

  describe('with the events of an answered call in any order', () => {
    const orders = permutations([INITIATED, RINGING, ANSWERED, COMPLETED]);

    it('should try all 24 orders', () => {
      expect(orders).toHaveLength(24);
      expect(new Set(orders.map((order) => order.map((each) => each.sequenceNumber).join(','))).size).toBe(24);
    });

    it.each(orders.map((order) => [order.map((each) => each.status).join(' → '), order]))(
      'should end answered by a human and completed after %s',
      (_, order) => {
        expect(fold(order)).toStrictEqual(ANSWERED_AND_COMPLETED);
      },
    );

    it.each(orders.map((order) => [order.map((each) => each.status).join(' → '), order]))(
      'should end in the same state when %s is delivered twice over',
      (_, order) => {
        expect(fold([...order, ...[...order].reverse()])).toStrictEqual(ANSWERED_AND_COMPLETED);
      },
    );

    it('should end in the same state in every order when, as with machine detection, the completed event repeats AnsweredBy', () => {
      // the carrier (and the carrier simulator) repeat the verdict on every callback after the answer
      const completedWithVerdict = { ...COMPLETED, answeredBy: 'human' };
      const ordersEndingElsewhere = permutations([INITIATED, RINGING, ANSWERED, completedWithVerdict])
        .filter((order) => !isDeepStrictEqual(fold(order), ANSWERED_AND_COMPLETED))
        .map((order) => order.map((each) => each.status).join(' → '));

      expect(ordersEndingElsewhere).toStrictEqual([]);
    });
  });
});
