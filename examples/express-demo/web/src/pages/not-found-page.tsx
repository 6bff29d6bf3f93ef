import { useEffect } from 'react';
import { Link } from '../routing/link';

export function NotFoundPage() {
  useEffect(() => {
    document.title = 'Page not found · Harbor';
  }, []);
  return (
    <div className="message-page">
      <h1 className="message-page__title">This page doesn’t exist</h1>
      <p>The link may be old, or mistyped.</p>
      <Link className="button button--primary" href="/">
        Back to the overview
      </Link>
    </div>
  );
}
