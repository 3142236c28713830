/**
 * A text's life, ours then the carrier's. Callbacks arrive late, twice or out of order, so a status
 * is applied only when it moves the text forward; a final one is never replaced.
 */
export const MESSAGE_STATUSES = [
  'created',
  'held',
  'requesting',
  'accepted',
  'queued',
  'sending',
  'sent',
  'delivered',
  'undelivered',
  'failed',
  'canceled',
  'received',
] as const;
export type MessageStatus = (typeof MESSAGE_STATUSES)[number];

const RANK: Readonly<Record<MessageStatus, number>> = {
  created: 0,
  held: 0,
  requesting: 1,
  accepted: 2,
  queued: 2,
  sending: 3,
  sent: 4,
  delivered: 5,
  undelivered: 5,
  failed: 5,
  canceled: 5,
  received: 5,
};

/** Not yet handed to the carrier: what the sender picks up, and what a sweep may find stranded. */
export const UNSENT_MESSAGE_STATUSES: readonly MessageStatus[] = ['created', 'held'];
export const FINAL_MESSAGE_STATUSES: readonly MessageStatus[] = ['delivered', 'undelivered', 'failed', 'canceled', 'received'];

export function isMessageStatus(value: string): value is MessageStatus {
  return (MESSAGE_STATUSES as readonly string[]).includes(value);
}

export function isFinalMessageStatus(status: MessageStatus): boolean {
  return RANK[status] === 5;
}

/** The carrier's word for a text's state, as ours; null for a status we do not track (read, scheduled…). */
export function messageStatusFromCarrier(status: string): MessageStatus | null {
  if (status === 'accepted' || status === 'queued' || status === 'sending' || status === 'sent') return status;
  if (status === 'delivered' || status === 'undelivered' || status === 'failed' || status === 'canceled') return status;
  return null;
}

/** Whether a text in `current` should take `next`: only forward, never out of a final status. */
export function advancesMessageStatus(current: MessageStatus, next: MessageStatus): boolean {
  return RANK[next] > RANK[current];
}
