import { matchesMessageListQuery, type MessageListQuery } from './message-list-request.parser';
import { toMessageResource } from './message.resource';
import type { SimulatedMessage } from './simulated-message';

// Page tokens name the SID a page starts after (PA…) or ends before (PB…), as Twilio's do, so a page
// stays put while newer texts arrive at the head of the list.
const AFTER = 'PA';
const BEFORE = 'PB';

/**
 * List Messages in Twilio's page envelope, newest first by date_created. twilio-node follows
 * `next_page_uri` (relative to its base URL) to page through, so the URIs carry every filter.
 */
export function toMessagePage(messages: readonly SimulatedMessage[], query: MessageListQuery, listPath: string): Record<string, unknown> {
  // Creation order reversed, then a stable sort: texts created in the same millisecond keep newest first.
  const ordered = messages
    .filter((message) => matchesMessageListQuery(message, query))
    .reverse()
    .sort((left, right) => right.createdAt - left.createdAt);
  const start = startIndex(ordered, query);
  const items = ordered.slice(start, start + query.pageSize);
  const uriFor = (page: number, pageToken: string | null): string => `${listPath}?${queryString(query, page, pageToken)}`;
  const hasNext = start + items.length < ordered.length && items.length > 0;
  const hasPrevious = query.page > 0 && start > 0;
  const first = items[0];
  const last = items.at(-1);
  return {
    messages: items.map(toMessageResource),
    end: items.length === 0 ? start : start + items.length - 1,
    first_page_uri: uriFor(0, null),
    next_page_uri: hasNext && last ? uriFor(query.page + 1, `${AFTER}${last.sid}`) : null,
    page: query.page,
    page_size: query.pageSize,
    previous_page_uri: hasPrevious && first ? uriFor(query.page - 1, `${BEFORE}${first.sid}`) : null,
    start,
    uri: uriFor(query.page, query.pageToken),
  };
}

/** Where the page starts: after or before the token's SID when it is still listed, else at Page × PageSize. */
function startIndex(ordered: readonly SimulatedMessage[], query: MessageListQuery): number {
  const token = query.pageToken;
  if (token !== null) {
    const index = ordered.findIndex((message) => message.sid === token.slice(2));
    if (index >= 0 && token.startsWith(AFTER)) return index + 1;
    if (index >= 0 && token.startsWith(BEFORE)) return Math.max(0, index - query.pageSize);
  }
  return query.page * query.pageSize;
}

function queryString(query: MessageListQuery, page: number, pageToken: string | null): string {
  const params = new URLSearchParams(query.filters.map(([name, value]): [string, string] => [name, value]));
  params.set('PageSize', String(query.pageSize));
  params.set('Page', String(page));
  if (pageToken !== null) params.set('PageToken', pageToken);
  return params.toString();
}
