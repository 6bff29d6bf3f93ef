import { type FormEvent, useEffect, useId, useState } from 'react';
import { HarborLogo } from '../brand/harbor-logo';
import { useSession } from './use-session';

/** Sign-in by name: the demo server trusts the name and scopes every chat to it. */
export function SignInPage() {
  const { signIn } = useSession();
  const [name, setName] = useState('');
  const errorId = useId();
  const hintId = useId();

  useEffect(() => {
    document.title = 'Sign in · Harbor';
  }, []);

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    signIn.mutate(name.trim());
  };

  return (
    <div className="sign-in">
      <section className="sign-in__story" aria-label="About Harbor">
        <div className="sign-in__brand">
          <HarborLogo size={36} />
          <span className="sign-in__wordmark">Harbor</span>
        </div>
        <p className="sign-in__tagline">
          Bookkeeping for small studios, with an assistant that knows your books.
        </p>
        <figure className="sign-in__quote">
          <blockquote>
            “We closed March in one afternoon. I asked the assistant what was left and it told me.”
          </blockquote>
          <figcaption>Maya Lindqvist, Lindqvist &amp; Ortega Architects</figcaption>
        </figure>
      </section>
      <main className="sign-in__panel">
        <form className="sign-in__form" onSubmit={submit} noValidate>
          <h1 className="sign-in__title">Sign in to Harbor</h1>
          <p className="sign-in__lead">
            This is a demo: no password, just a name. Each name has its own chats, so sign in as
            someone else in a second browser to see them kept apart.
          </p>
          <label className="field__label" htmlFor="sign-in-name">
            Your name
          </label>
          <input
            id="sign-in-name"
            className="field__input"
            name="name"
            value={name}
            onChange={(event) => setName(event.target.value)}
            autoComplete="username"
            autoCapitalize="none"
            spellCheck={false}
            required
            maxLength={64}
            aria-invalid={signIn.isError || undefined}
            aria-describedby={signIn.isError ? `${errorId} ${hintId}` : hintId}
          />
          <p id={hintId} className="field__hint">
            One word, for example <code>ada</code> or <code>grace.hopper</code>.
          </p>
          {signIn.isError ? (
            <p id={errorId} className="field__error" role="alert">
              {signIn.error.message}
            </p>
          ) : null}
          <button
            type="submit"
            className="button button--primary button--block"
            disabled={signIn.isPending}
          >
            {signIn.isPending ? 'Signing in…' : 'Continue'}
          </button>
        </form>
      </main>
    </div>
  );
}
