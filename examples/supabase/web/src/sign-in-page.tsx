import type { SupabaseClient } from '@supabase/supabase-js';
import { type FormEvent, useId, useState } from 'react';

type Mode = 'sign-in' | 'sign-up';

/** Email and password sign-in (or sign-up) with Supabase Auth. */
export function SignInPage({ client }: { client: SupabaseClient }) {
  const [mode, setMode] = useState<Mode>('sign-in');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const errorId = useId();

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setPending(true);
    setError(null);
    setNotice(null);
    const credentials = { email: email.trim(), password };
    const result =
      mode === 'sign-in'
        ? await client.auth.signInWithPassword(credentials)
        : await client.auth.signUp(credentials);
    setPending(false);
    if (result.error) {
      setError(result.error.message);
    } else if (mode === 'sign-up' && !result.data.session) {
      // Projects that confirm email addresses sign the user in from the confirmation link.
      setNotice(`We sent a confirmation link to ${credentials.email}. Open it to sign in.`);
    }
  };

  const other: Mode = mode === 'sign-in' ? 'sign-up' : 'sign-in';
  return (
    <main className="sign-in">
      <form className="sign-in__form" onSubmit={submit}>
        <h1>{mode === 'sign-in' ? 'Sign in' : 'Create an account'}</h1>
        <p className="sign-in__lead">
          Your chats are stored in this Supabase project, and row-level security lets only you read
          them.
        </p>
        <label htmlFor="email">Email</label>
        <input
          id="email"
          type="email"
          autoComplete="email"
          required
          value={email}
          onChange={(event) => setEmail(event.target.value)}
          aria-describedby={error ? errorId : undefined}
        />
        <label htmlFor="password">Password</label>
        <input
          id="password"
          type="password"
          autoComplete={mode === 'sign-in' ? 'current-password' : 'new-password'}
          required
          minLength={6}
          value={password}
          onChange={(event) => setPassword(event.target.value)}
          aria-describedby={error ? errorId : undefined}
        />
        {error ? (
          <p id={errorId} className="sign-in__error" role="alert">
            {error}
          </p>
        ) : null}
        {notice ? (
          <p className="sign-in__notice" role="status">
            {notice}
          </p>
        ) : null}
        <button type="submit" className="button button--primary" disabled={pending}>
          {pending ? 'Please wait…' : mode === 'sign-in' ? 'Sign in' : 'Create account'}
        </button>
        <button type="button" className="button button--link" onClick={() => setMode(other)}>
          {other === 'sign-up' ? 'New here? Create an account' : 'Have an account? Sign in'}
        </button>
      </form>
    </main>
  );
}
