import { parseMessageListQuery } from './message-list-request.parser';
import { toMessagePage } from './message-page.resource';
import { SeededRandom } from './seeded-random';
import type { SimulatedMessage } from './simulated-message';
import { TwilioApiException } from './twilio-api.exception';

const ACCOUNT_SID = 'AC0123456789abcdef0123456789abcdef';
const LIST_PATH = `/2010-04-01/Accounts/${ACCOUNT_SID}/Messages.json`;
const DAY = Date.parse('2026-03-02T00:00:00Z');

function message(index: number, fields: { to?: string; from?: string; createdAt?: number; sentAt?: number | null } = {}): SimulatedMessage {
  const createdAt = fields.createdAt ?? DAY + index * 1_000;
  return {
    sid: `SM${String(index).padStart(32, '0')}`,
    accountSid: ACCOUNT_SID,
    direction: 'outbound-api',
    request: {
      to: fields.to ?? '+15551230001',
      from: fields.from ?? '+15005550006',
      messagingServiceSid: null,
      body: `text ${index}`,
      mediaUrls: [],
      statusCallback: null,
      validityPeriod: null,
    },
    random: new SeededRandom(1),
    plan: null,
    numSegments: 1,
    createdAt,
    from: fields.from ?? '+15005550006',
    status: 'delivered',
    updatedAt: createdAt,
    sentAt: fields.sentAt === undefined ? createdAt : fields.sentAt,
    errorCode: null,
    pendingStep: undefined,
    callbacks: [],
    webhook: null,
  };
}

function page(messages: SimulatedMessage[], query: string): Record<string, unknown> & { messages: Array<{ sid: string }> } {
  return toMessagePage(messages, parseMessageListQuery(new URLSearchParams(query)), LIST_PATH) as Record<string, unknown> & {
    messages: Array<{ sid: string }>;
  };
}

function sids(result: { messages: Array<{ sid: string }> }): number[] {
  return result.messages.map((entry) => Number(entry.sid.slice(2)));
}

function queryOf(uri: unknown): string {
  return String(uri).split('?')[1];
}

describe('toMessagePage', () => {
  const all = Array.from({ length: 7 }, (_, index) => message(index));

  it('should list newest first in pages that follow next_page_uri and previous_page_uri', () => {
    const first = page(all, 'PageSize=3');
    expect(sids(first)).toEqual([6, 5, 4]);
    expect(first).toMatchObject({ page: 0, page_size: 3, start: 0, end: 2, previous_page_uri: null, first_page_uri: `${LIST_PATH}?PageSize=3&Page=0` });
    const second = page(all, queryOf(first.next_page_uri));
    expect(sids(second)).toEqual([3, 2, 1]);
    expect(second).toMatchObject({ page: 1, start: 3, end: 5 });
    const third = page(all, queryOf(second.next_page_uri));
    expect(sids(third)).toEqual([0]);
    expect(third.next_page_uri).toBeNull();
    expect(sids(page(all, queryOf(third.previous_page_uri)))).toEqual([3, 2, 1]);
    // Texts created meanwhile do not shift a page named by its token.
    expect(sids(page([...all, message(7), message(8)], queryOf(first.next_page_uri)))).toEqual([3, 2, 1]);
    expect(sids(page(all, 'PageSize=3&Page=2'))).toEqual([0]);
  });

  it('should default to 50 a page and keep texts of the same millisecond newest first', () => {
    const many = Array.from({ length: 60 }, (_, index) => message(index, { createdAt: DAY }));
    const result = page(many, '');
    expect(result.messages).toHaveLength(50);
    expect(sids(result).slice(0, 2)).toEqual([59, 58]);
    expect(result.page_size).toBe(50);
  });

  it('should filter by To, From and date_sent, carrying the filters into the page URIs', () => {
    const texts = [
      message(0, { to: '+15551230001', sentAt: Date.parse('2026-03-01T23:59:59Z') }),
      message(1, { to: '+15551230001', sentAt: Date.parse('2026-03-02T10:00:00Z') }),
      message(2, { to: '+15551230002', sentAt: Date.parse('2026-03-03T00:00:00Z') }),
      message(3, { to: '+15551230001', from: '+15005550007', sentAt: null }),
    ];
    expect(sids(page(texts, 'To=%2B15551230001'))).toEqual([3, 1, 0]);
    expect(sids(page(texts, 'To= 15551230001'))).toEqual([3, 1, 0]);
    expect(sids(page(texts, 'From=%2B15005550007'))).toEqual([3]);
    expect(sids(page(texts, 'DateSent=2026-03-02'))).toEqual([1]);
    expect(sids(page(texts, 'DateSent%3C=2026-03-02'))).toEqual([1, 0]);
    expect(sids(page(texts, 'DateSent>=2026-03-02'))).toEqual([2, 1]);
    expect(sids(page(texts, 'DateSent%3E=2026-03-02T10:00:00Z'))).toEqual([2, 1]);
    const filtered = page(texts, 'To=%2B15551230001&DateSent%3E=2026-03-01&PageSize=1');
    expect(sids(filtered)).toEqual([1]);
    expect(queryOf(filtered.next_page_uri)).toMatch(/^To=%2B15551230001&DateSent%3E=2026-03-01&PageSize=1&Page=1&PageToken=PA/);
    expect(sids(page(texts, queryOf(filtered.next_page_uri)))).toEqual([0]);
  });

  it('should refuse a bad PageSize or date, naming the parameter', () => {
    for (const [query, name] of [
      ['PageSize=0', 'PageSize'],
      ['PageSize=1001', 'PageSize'],
      ['Page=-1', 'Page'],
      ['DateSent=yesterday', 'DateSent'],
      ['DateSent%3C=2026-13-45', 'DateSent<'],
    ]) {
      expect(() => parseMessageListQuery(new URLSearchParams(query))).toThrow(TwilioApiException);
      expect(() => parseMessageListQuery(new URLSearchParams(query))).toThrow(name);
    }
  });
});
