import type { OrganizationTextingRow } from './texting-stats.repository';
import { figuresOf } from './texting-stats.service';

const row = (overrides: Partial<OrganizationTextingRow>): OrganizationTextingRow => ({
  organizationId: 'a',
  organizationName: 'A',
  contacts: 0,
  assigned: 0,
  initialSent: 0,
  needsResponse: 0,
  replies: 0,
  optOuts: 0,
  outboundByStatus: {},
  failuresByErrorCode: [],
  ...overrides,
});

describe('figuresOf', () => {
  it('should show every tracked outbound status at zero when nothing was texted', () => {
    expect(figuresOf([])).toEqual({
      contacts: { total: 0, assigned: 0, initialSent: 0 },
      outboundByStatus: { created: 0, held: 0, requesting: 0, sent: 0, delivered: 0, undelivered: 0, failed: 0, canceled: 0 },
      failuresByErrorCode: [],
      replies: 0,
      needsResponse: 0,
      optOuts: 0,
    });
  });

  it('should sum organizations, keep statuses in their life order, and merge failures by status and code, most first', () => {
    const figures = figuresOf([
      row({
        contacts: 4,
        assigned: 3,
        initialSent: 3,
        replies: 1,
        outboundByStatus: { delivered: 1, failed: 1, queued: 2 },
        failuresByErrorCode: [{ status: 'failed', errorCode: '30007', count: 1 }],
      }),
      row({
        organizationId: 'b',
        contacts: 2,
        optOuts: 1,
        outboundByStatus: { failed: 2, undelivered: 1 },
        failuresByErrorCode: [
          { status: 'failed', errorCode: '30007', count: 2 },
          { status: 'undelivered', errorCode: '30006', count: 1 },
        ],
      }),
    ]);
    expect(figures.contacts).toEqual({ total: 6, assigned: 3, initialSent: 3 });
    expect(Object.entries(figures.outboundByStatus)).toEqual([
      ['created', 0],
      ['held', 0],
      ['requesting', 0],
      ['queued', 2],
      ['sent', 0],
      ['delivered', 1],
      ['undelivered', 1],
      ['failed', 3],
      ['canceled', 0],
    ]);
    expect(figures.failuresByErrorCode).toEqual([
      { status: 'failed', errorCode: '30007', count: 3 },
      { status: 'undelivered', errorCode: '30006', count: 1 },
    ]);
    expect(figures).toMatchObject({ replies: 1, optOuts: 1, needsResponse: 0 });
  });
});
