import { useEffect, useRef } from 'react';
import { hrefOf, ROUTES, routeOf, SiteHeader, useHashPath } from './navigation';
import { SignInPage } from './sign-in-page';
import { VoterFilePage } from './voter-file-page';

/** Picks the page from the hash and keeps the title and keyboard focus in step with it. */
export function App() {
  const path = useHashPath();
  const route = routeOf(path);
  const main = useRef<HTMLElement>(null);
  const shownRoute = useRef(route);

  useEffect(() => {
    document.title = `${route === null ? 'Page not found' : ROUTES[route].title} · Crossroads`;
    // After following a link, start reading and tabbing from the new page, not from the link.
    if (shownRoute.current !== route) main.current?.focus();
    shownRoute.current = route;
  }, [route]);

  return (
    <>
      <SiteHeader current={route} />
      <main id="main" ref={main} tabIndex={-1}>
        {route === 'signIn' && <SignInPage />}
        {route === 'voterFile' && <VoterFilePage />}
        {route === null && <NotFound path={path} />}
      </main>
    </>
  );
}

function NotFound({ path }: { path: string }) {
  return (
    <div className="page">
      <h1>Page not found</h1>
      <p className="lede">
        There is no page at <code>#{path}</code>. Go to the <a href={hrefOf('voterFile')}>voter file</a> or <a href={hrefOf('signIn')}>sign in</a>.
      </p>
    </div>
  );
}
