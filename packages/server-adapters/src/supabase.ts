export { type CorsOptions, type FetchFunction, withCors } from './handler/cors';
export {
  type ChatFunction,
  type ChatFunctionOptions,
  createChatFunction,
} from './supabase/chat-function';
export {
  type DenoServeOptions,
  type DenoServer,
  type ServeChatOptions,
  serveChat,
} from './supabase/serve-chat';
export { type SupabaseAuthOptions, supabaseAuth } from './supabase/supabase-auth';
export { type SupabaseStoreOptions, supabaseStore } from './supabase/supabase-store';
