import { SenderThroughputTracker } from './sender-throughput.tracker';

describe('SenderThroughputTracker', () => {
  it('should report the most acceptances in any 1,000 ms window, per sender and for the account', () => {
    const tracker = new SenderThroughputTracker();
    for (const at of [0, 100, 200, 999]) tracker.accepted('+15005550006', at);
    // 1,000 ms after the first: the window (0, 1000] no longer holds it.
    for (const at of [1_000, 1_500]) tracker.accepted('+15005550006', at);
    tracker.accepted('+15005550007', 999);
    tracker.accepted('+15005550007', 1_500);
    tracker.rateLimited('+15005550007');
    expect(tracker.bySender()).toEqual({
      '+15005550006': { accepted: 6, rateLimited: 0, maxAcceptedPerSecond: 4 },
      '+15005550007': { accepted: 2, rateLimited: 1, maxAcceptedPerSecond: 2 },
    });
    expect(tracker.forAccount()).toEqual({ accepted: 8, rateLimited: 1, maxAcceptedPerSecond: 5 });
  });

  it('should keep counting correctly over a long run', () => {
    const tracker = new SenderThroughputTracker();
    for (let at = 0; at < 60_000; at += 10) tracker.accepted('+15005550006', at);
    expect(tracker.bySender()['+15005550006']).toEqual({ accepted: 6_000, rateLimited: 0, maxAcceptedPerSecond: 100 });
    tracker.reset();
    expect(tracker.bySender()).toEqual({});
    expect(tracker.forAccount().accepted).toBe(0);
  });
});
