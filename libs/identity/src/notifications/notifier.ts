/** What a link is for; the console route it opens, and the id key a delivery names it by. */
export type NotificationKind = 'invitation' | 'password_reset';

/** A single-use link on its way to one person. */
export interface Notification {
  readonly kind: NotificationKind;
  /** The invitation's or the password reset's id: what an operator can look up without the link. */
  readonly subjectId: string;
  /** Where the link goes; a delivery channel that is not email may ignore it, and a log must never show it. */
  readonly recipientEmail: string;
  /** The link with its secret; it opens the console at the page that redeems it. */
  readonly link: string;
  readonly expiresAt: Date;
}

/**
 * Delivers single-use links (invitations, password resets) to people. The default writes them to
 * the log for an operator to pass on; a deployment with a mail service binds its own.
 */
export abstract class Notifier {
  abstract deliver(notification: Notification): Promise<void>;
}
