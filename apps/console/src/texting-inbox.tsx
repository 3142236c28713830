import { useId } from 'react';
import { nameCased } from './call-card';
import { formatDateTime } from './format';
import { FormError } from './form-fields';
import { CLOSED_REASON_LABELS } from './texting-shared';
import type { ConversationPage, ConversationSummary } from './texting.client';

export interface InboxLists {
  readonly needsResponse: ConversationPage;
  readonly messaged: ConversationPage;
  readonly closed: ConversationPage;
}

/**
 * The texter's conversations: those waiting for an answer first (the longest-waiting on top), then
 * those waiting on the voter, then the closed ones, folded away. Read every few seconds.
 */
export function TextingInbox({
  lists,
  error,
  selectedId,
  onSelect,
  visible,
}: {
  lists: InboxLists | null;
  error: string | null;
  selectedId: string | null;
  onSelect: (conversationId: string) => void;
  visible: boolean;
}) {
  const ids = useId();
  return (
    <section className="panel inbox-panel" aria-labelledby={`${ids}-title`}>
      <div className="section-bar">
        <h2 id={`${ids}-title`}>Inbox</h2>
        <p className="muted small">{visible ? 'Checks for replies every few seconds.' : 'Paused while this tab is hidden.'}</p>
      </div>
      <FormError error={error} />
      {lists === null ? (
        error === null && <p className="muted">Loading your conversations…</p>
      ) : (
        <>
          <InboxGroup title="Needs a reply" page={lists.needsResponse} selectedId={selectedId} onSelect={onSelect} empty="No reply waits for you." urgent />
          <details className="inbox-fold">
            <summary>
              Waiting for the voter <span className="inbox-count">{countOf(lists.messaged)}</span>
            </summary>
            <InboxGroup page={lists.messaged} selectedId={selectedId} onSelect={onSelect} empty="None." />
          </details>
          <details className="inbox-fold">
            <summary>
              Closed <span className="inbox-count">{countOf(lists.closed)}</span>
            </summary>
            <InboxGroup page={lists.closed} selectedId={selectedId} onSelect={onSelect} empty="None yet." />
          </details>
        </>
      )}
    </section>
  );
}

function countOf(page: ConversationPage): string {
  return page.nextCursor === null ? String(page.items.length) : `${page.items.length}+`;
}

function InboxGroup({
  title,
  page,
  selectedId,
  onSelect,
  empty,
  urgent = false,
}: {
  title?: string;
  page: ConversationPage;
  selectedId: string | null;
  onSelect: (conversationId: string) => void;
  empty: string;
  urgent?: boolean;
}) {
  const ids = useId();
  return (
    <div className="inbox-group">
      {title !== undefined && (
        <h3 id={`${ids}-title`}>
          {title} <span className={`inbox-count${urgent && page.items.length > 0 ? ' inbox-count-urgent' : ''}`}>{countOf(page)}</span>
        </h3>
      )}
      {page.items.length === 0 ? (
        <p className="muted small">{empty}</p>
      ) : (
        <ul className="inbox-list" aria-labelledby={title === undefined ? undefined : `${ids}-title`}>
          {page.items.map((item) => (
            <li key={item.id}>
              <InboxItem item={item} selected={item.id === selectedId} onSelect={onSelect} />
            </li>
          ))}
        </ul>
      )}
      {page.nextCursor !== null && <p className="hint">Showing the first {page.items.length}; the rest follow as these are handled.</p>}
    </div>
  );
}

function InboxItem({ item, selected, onSelect }: { item: ConversationSummary; selected: boolean; onSelect: (conversationId: string) => void }) {
  const last = item.lastMessage;
  const name = item.firstName === null ? 'Voter' : nameCased(item.firstName);
  return (
    <button type="button" className="inbox-item" aria-pressed={selected} onClick={() => onSelect(item.id)}>
      <span className="inbox-item-head">
        <span className="inbox-name">
          {name} <span className="muted small">…{item.phoneLastDigits}</span>
        </span>
        {item.status === 'closed' && item.closedReason !== null && (
          <span className={`status-badge ${item.closedReason === 'opted_out' ? 'status-failed' : 'status-queued'}`}>
            {CLOSED_REASON_LABELS[item.closedReason]}
          </span>
        )}
      </span>
      {last !== null && (
        <span className="inbox-snippet">
          <span className="visually-hidden">{last.direction === 'inbound' ? `${name} wrote: ` : 'You wrote: '}</span>
          {last.direction === 'outbound' && <span aria-hidden="true">You: </span>}
          {last.body}
        </span>
      )}
      <span className="inbox-time small muted">{formatDateTime(item.updatedAt)}</span>
    </button>
  );
}
