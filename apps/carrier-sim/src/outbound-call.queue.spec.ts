import { OutboundCallQueue } from './outbound-call.queue';
import { TimerRegistry } from './timer.registry';

/** A registry whose timers fire two milliseconds before they are due, as Node's cached loop clock sometimes does. */
class EarlyTimerRegistry extends TimerRegistry {
  override after(delayMs: number, run: () => void) {
    return super.after(delayMs - 2, run);
  }
}

describe('OutboundCallQueue', () => {
  beforeEach(() => jest.useFakeTimers({ now: 1_000_000 }));
  afterEach(() => jest.useRealTimers());

  it('should space departures at least the interval apart even when a timer fires early', () => {
    const departures: number[] = [];
    const queue = new OutboundCallQueue<number>(5, new EarlyTimerRegistry(), () => departures.push(Date.now()));
    for (let call = 0; call < 4; call += 1) queue.enqueue(call);

    jest.advanceTimersByTime(1_000);

    expect(departures).toHaveLength(4);
    const gaps = departures.slice(1).map((at, index) => at - departures[index]);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(200);
    expect(queue.stats()).toMatchObject({ waiting: 0, dequeued: 4 });
  });
});
