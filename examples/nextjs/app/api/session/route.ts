import { cookies } from 'next/headers';
import { acceptedUserName, sessionCookie } from '../../../lib/demo-session';

// Sign-in by name for the demo page: GET says who the cookie names, POST `{ "name": "ada" }` sets
// it, DELETE clears it. The chat routes never see these requests: they read the same cookie.

const thirtyDays = 30 * 24 * 60 * 60;
const noStore = { 'cache-control': 'no-store' };

export async function GET() {
  const jar = await cookies();
  const user = acceptedUserName(jar.get(sessionCookie)?.value);
  return Response.json({ user }, { headers: noStore });
}

export async function POST(request: Request) {
  let body: unknown;
  try {
    body = await request.json();
  } catch {
    return error(400, 'invalid_json', 'Send {"name": "..."} as JSON.');
  }
  const name = (body as { name?: unknown } | null)?.name;
  const typed = typeof name === 'string' ? name.trim() : '';
  const user = acceptedUserName(typed);
  if (!user) {
    return error(
      400,
      'invalid_name',
      typed
        ? 'Use up to 64 letters, digits, dots, dashes, underscores or @, without spaces.'
        : 'Type a name to sign in.',
    );
  }
  // HttpOnly: the page's scripts never handle it; the browser sends it with every chat request.
  (await cookies()).set(sessionCookie, user, {
    httpOnly: true,
    sameSite: 'lax',
    path: '/',
    maxAge: thirtyDays,
  });
  return Response.json({ user }, { headers: noStore });
}

export async function DELETE() {
  (await cookies()).delete(sessionCookie);
  return Response.json({ user: null }, { headers: noStore });
}

function error(status: number, code: string, message: string) {
  return Response.json({ error: { code, message } }, { status, headers: noStore });
}
