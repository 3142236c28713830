import { advancesMessageStatus, isFinalMessageStatus, MESSAGE_STATUSES, type MessageStatus, messageStatusFromCarrier } from './message-status';

describe('message status', () => {
  it('should move a text forward through the carrier’s statuses and never back', () => {
    const path: MessageStatus[] = ['created', 'requesting', 'queued', 'sending', 'sent', 'delivered'];
    for (let index = 1; index < path.length; index += 1) {
      expect(advancesMessageStatus(path[index - 1], path[index])).toBe(true);
      expect(advancesMessageStatus(path[index], path[index - 1])).toBe(false);
    }
    // A late `sent` after `delivered`, or `queued` after `sent`: ignored.
    expect(advancesMessageStatus('delivered', 'sent')).toBe(false);
    expect(advancesMessageStatus('sent', 'queued')).toBe(false);
    // A repeat is not a move.
    expect(advancesMessageStatus('sent', 'sent')).toBe(false);
  });

  it('should never leave a final status, even for another final one', () => {
    const finals = MESSAGE_STATUSES.filter((status) => isFinalMessageStatus(status));
    expect(finals.sort()).toEqual(['canceled', 'delivered', 'failed', 'received', 'undelivered']);
    for (const final of finals) for (const next of MESSAGE_STATUSES) expect(advancesMessageStatus(final, next)).toBe(false);
  });

  it('should let a text the carrier reports skip straight from our own statuses to any of its own', () => {
    for (const ours of ['created', 'held', 'requesting'] as const) {
      for (const carrier of ['accepted', 'queued', 'sent', 'delivered', 'undelivered', 'failed'] as const)
        expect(advancesMessageStatus(ours, carrier)).toBe(true);
    }
  });

  it('should map the carrier’s words to ours, and drop the ones we do not track', () => {
    expect(messageStatusFromCarrier('delivered')).toBe('delivered');
    expect(messageStatusFromCarrier('undelivered')).toBe('undelivered');
    expect(messageStatusFromCarrier('queued')).toBe('queued');
    expect(messageStatusFromCarrier('read')).toBeNull();
    expect(messageStatusFromCarrier('scheduled')).toBeNull();
    expect(messageStatusFromCarrier('received')).toBeNull();
    expect(messageStatusFromCarrier('')).toBeNull();
  });
});
