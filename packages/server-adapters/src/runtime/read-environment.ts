/**
 * Reads an environment variable in Node (`process.env`) and in Deno and Supabase Edge Functions
 * (`Deno.env`), touching neither at import time. An empty value counts as unset, and so does a
 * refused read (Deno without `--allow-env`).
 */
export function readEnvironment(name: string): string | undefined {
  const global = globalThis as {
    process?: { env?: Record<string, string | undefined> };
    Deno?: { env: { get(name: string): string | undefined } };
  };
  try {
    const value = global.process?.env ? global.process.env[name] : global.Deno?.env.get(name);
    return value || undefined;
  } catch {
    return undefined;
  }
}
