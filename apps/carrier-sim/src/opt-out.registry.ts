/** A recipient who texted an opt-out keyword to a sender (a number, or a whole Messaging Service). */
export interface OptOutEntry {
  readonly sender: string;
  readonly recipient: string;
  readonly since: string;
}

/**
 * Twilio's block list for long codes: (sender, recipient) pairs that answered STOP, lifted by
 * START/UNSTOP/YES. Create Message from a blocked sender to that recipient is refused with 21610.
 */
export class OptOutRegistry {
  private readonly entries = new Map<string, OptOutEntry>();

  optOut(senders: readonly string[], recipient: string, now: number): void {
    for (const sender of senders) this.entries.set(keyOf(sender, recipient), { sender, recipient, since: new Date(now).toISOString() });
  }

  optIn(senders: readonly string[], recipient: string): void {
    for (const sender of senders) this.entries.delete(keyOf(sender, recipient));
  }

  /** True when the recipient opted out of any of the senders (the From number, or the Messaging Service). */
  isOptedOut(senders: readonly string[], recipient: string): boolean {
    return senders.some((sender) => this.entries.has(keyOf(sender, recipient)));
  }

  list(): OptOutEntry[] {
    return [...this.entries.values()];
  }

  reset(): void {
    this.entries.clear();
  }
}

function keyOf(sender: string, recipient: string): string {
  return `${sender} ${recipient}`;
}
