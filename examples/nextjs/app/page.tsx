import { cookies } from 'next/headers';
import { acceptedUserName, sessionCookie } from '../lib/demo-session';
import { ChatApp } from './chat-app';
import { SignIn } from './sign-in';

// The server reads the session cookie, so the page arrives already signed in or not: no
// loading flash, no request from the browser to find out.
export default async function HomePage() {
  const user = acceptedUserName((await cookies()).get(sessionCookie)?.value);
  return user ? <ChatApp user={user} /> : <SignIn />;
}
