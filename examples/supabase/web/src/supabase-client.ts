import { createClient, type SupabaseClient } from '@supabase/supabase-js';

export interface SupabaseSettings {
  client: SupabaseClient;
  /** Where the `chat` Edge Function answers. */
  chatEndpoint: string;
}

/** The project's client, or the names of the settings that are missing. */
export function supabaseSettings(): SupabaseSettings | { missing: string[] } {
  const url = import.meta.env.VITE_SUPABASE_URL as string | undefined;
  const anonKey = import.meta.env.VITE_SUPABASE_ANON_KEY as string | undefined;
  const missing = [
    ...(url ? [] : ['VITE_SUPABASE_URL']),
    ...(anonKey ? [] : ['VITE_SUPABASE_ANON_KEY']),
  ];
  if (!url || !anonKey) return { missing };
  return {
    client: createClient(url, anonKey),
    chatEndpoint:
      (import.meta.env.VITE_CONFAB_ENDPOINT as string | undefined) ??
      `${url.replace(/\/+$/, '')}/functions/v1/chat`,
  };
}
