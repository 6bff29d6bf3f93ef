import { HarborLogo } from '../brand/harbor-logo';
import { Link } from '../routing/link';
import type { Route } from '../routing/router';
import { useSession } from '../session/use-session';

const navigation = [
  { href: '/', label: 'Overview', page: 'overview' },
  { href: '/chat', label: 'Assistant', page: 'chat' },
] as const;

export function SiteHeader({ route, user }: { route: Route; user: string }) {
  const { signOut } = useSession();
  return (
    <header className="site-header">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <Link className="site-header__brand" href="/" aria-label="Harbor home">
        <HarborLogo />
        <span className="site-header__wordmark" aria-hidden="true">
          Harbor
        </span>
      </Link>
      <nav className="site-header__nav" aria-label="Main">
        {navigation.map((item) => (
          <Link
            key={item.href}
            href={item.href}
            className="site-header__link"
            aria-current={route.page === item.page ? 'page' : undefined}
          >
            {item.label}
          </Link>
        ))}
      </nav>
      <div className="site-header__account">
        <span className="avatar" aria-hidden="true">
          {user.slice(0, 1).toUpperCase()}
        </span>
        <span className="site-header__user">
          <span className="site-header__user-prefix">Signed in as </span>
          <strong>{user}</strong>
        </span>
        <button
          type="button"
          className="button button--quiet"
          onClick={() => signOut.mutate()}
          disabled={signOut.isPending}
        >
          Sign out
        </button>
      </div>
    </header>
  );
}
