/** Who the demo server's `confab_user` cookie names; `user` is null when signed out. */
export interface Session {
  user: string | null;
}

/** A sign-in the server refused, with the message to show beside the name field. */
export class SignInError extends Error {
  override name = 'SignInError';
}

const endpoint = '/api/session';

export async function fetchSession(): Promise<Session> {
  const response = await fetch(endpoint, { headers: { accept: 'application/json' } });
  if (!response.ok) throw new Error(`Could not load the session (${response.status}).`);
  return response.json();
}

export async function signIn(name: string): Promise<Session> {
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ name }),
  });
  const body = await response.json().catch(() => null);
  if (!response.ok) {
    throw new SignInError(body?.error?.message ?? `Sign-in failed (${response.status}).`);
  }
  return body;
}

export async function signOut(): Promise<Session> {
  const response = await fetch(endpoint, { method: 'DELETE' });
  if (!response.ok) throw new Error(`Could not sign out (${response.status}).`);
  return { user: null };
}
