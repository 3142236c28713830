import type { ReactNode } from 'react';

/**
 * The branded card that the pages before the console proper (sign-in, invitation, password reset) stand in.
 * The heading names the card's region, so titleId must be unique on the page.
 */
export function CardPage({ titleId, title, wide = false, children }: { titleId: string; title: string; wide?: boolean; children: ReactNode }) {
  return (
    <div className="sign-in">
      <section className={wide ? 'card card-wide' : 'card'} aria-labelledby={titleId}>
        <p className="brand">Crossroads</p>
        <h1 id={titleId}>{title}</h1>
        {children}
      </section>
    </div>
  );
}
