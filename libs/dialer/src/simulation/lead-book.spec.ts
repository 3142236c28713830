import { LeadBook, UNLIMITED_LEAD_COUNT } from './lead-book';
import { PARAMETER_SETS } from './parameter-sets.constant';
import { RandomStream } from './random-stream';
import type { SimulationParameters } from './simulation-parameters';

const HOUR_MS = 3_600_000;
const NOON_UTC = 12 * HOUR_MS;

function book(leads: Partial<SimulationParameters['leads']>, faults: SimulationParameters['faults'] = {}): LeadBook {
  const parameters: SimulationParameters = { ...PARAMETER_SETS.S5, leads: { ...PARAMETER_SETS.S5.leads, ...leads }, faults };
  return new LeadBook(parameters, new RandomStream(1, 0), NOON_UTC);
}

describe('LeadBook', () => {
  it('offers an unlimited list as a large, fixed count', () => {
    expect(book({}).offered(0)).toEqual({ automatic: UNLIMITED_LEAD_COUNT, approved: 0, manualOnly: 0 });
  });

  it('counts a finite list by line type and never starts a mobile lead automatically', () => {
    const leads = book({ count: 1000, lineTypes: { landline: 0.5, mobile: 0.3, unknown: 0.2 } });
    const offered = leads.offered(0);
    expect(offered.automatic + offered.manualOnly).toBe(1000);
    expect(offered.automatic).toBeGreaterThan(400);
    for (let take = 0; take < offered.automatic; take += 1) expect(leads.take('automatic', 0)?.lineType).toBe('landline');
    expect(leads.take('automatic', 0)).toBeNull();
    expect(leads.take('volunteer-initiated', 0)?.lineType).not.toBe('landline');
  });

  it('skips leads whose window is closed and hands them out once it opens', () => {
    // At noon UTC, UTC−10 is 02:00 (closed) and UTC+0 is noon (open); six hours later both are open.
    const leads = book({
      count: 200,
      zones: [
        { utcOffsetHours: -10, share: 0.5 },
        { utcOffsetHours: 0, share: 0.5 },
      ],
    });
    const open = leads.offered(0).automatic;
    expect(open).toBeGreaterThan(60);
    expect(open).toBeLessThan(140);
    for (let take = 0; take < open; take += 1) expect(leads.take('automatic', 0)?.utcOffsetMs).toBe(0);
    expect(leads.take('automatic', 0)).toBeNull();
    expect(leads.offered(6 * HOUR_MS).automatic).toBe(200 - open);
    expect(leads.take('automatic', 6 * HOUR_MS)?.utcOffsetMs).toBe(-10 * HOUR_MS);
  });

  it('hands out closed-window leads only when selection is deliberately broken', () => {
    const leads = book({ count: 10, zones: [{ utcOffsetHours: -10, share: 1 }] }, { ignoreCallingWindow: true });
    const lead = leads.take('automatic', 0);
    expect(lead).not.toBeNull();
    expect(leads.isInsideWindow(lead!, 0)).toBe(false);
  });

  it('queues clicker approvals of mobile leads, in list order', () => {
    const leads = book({ lineTypes: { landline: 0.4, mobile: 0.6, unknown: 0 } });
    expect(leads.approveNext(0)).toBe(true);
    expect(leads.approveNext(0)).toBe(true);
    expect(leads.offered(0).approved).toBe(2);
    const first = leads.take('approved', 0);
    const second = leads.take('approved', 0);
    expect(first?.lineType).toBe('mobile');
    expect(first!.index).toBeLessThan(second!.index);
    expect(leads.take('approved', 0)).toBeNull();
  });
});
