'use client';

import { type FormEvent, useId, useState } from 'react';
import { useSessionAction } from './use-session-action';

/** Sign-in by name: the demo trusts the name and scopes every chat to it. */
export function SignIn() {
  const [name, setName] = useState('');
  const { signIn, pending, error } = useSessionAction();
  const hintId = useId();
  const errorId = useId();

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    signIn(name.trim());
  };

  return (
    <main className="sign-in">
      <form className="sign-in__form" onSubmit={submit} noValidate>
        <h1 className="sign-in__title">Confab on Next.js</h1>
        <p className="sign-in__lead">
          This is a demo: no password, just a name. Each name has its own chats; sign in as someone
          else in a private window to see them kept apart.
        </p>
        <label className="sign-in__label" htmlFor="sign-in-name">
          Your name
        </label>
        <input
          id="sign-in-name"
          className="sign-in__input"
          name="name"
          value={name}
          onChange={(event) => setName(event.target.value)}
          autoComplete="username"
          autoCapitalize="none"
          spellCheck={false}
          required
          maxLength={64}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${errorId} ${hintId}` : hintId}
        />
        <p id={hintId} className="sign-in__hint">
          One word, for example <code>ada</code> or <code>grace.hopper</code>.
        </p>
        {error ? (
          <p id={errorId} className="sign-in__error" role="alert">
            {error}
          </p>
        ) : null}
        <button type="submit" className="button button--primary" disabled={pending}>
          {pending ? 'Signing in…' : 'Continue'}
        </button>
      </form>
    </main>
  );
}
