-- Confab chat threads and messages, owned by Supabase Auth users and guarded by row-level security.
--
-- The tables, columns and indexes are those of @confab/server's Kysely migrations, so the same
-- store queries run on them; only the owner differs: a uuid referencing auth.users, filled in
-- from the caller's token when omitted. supabaseStore() runs every query as `authenticated` with
-- the caller's JWT claims, so the policies below hold for the chat API as for any other client
-- (supabase-js, the Data API, SQL run as that role).
--
-- Safe to run again: every statement creates what is missing or replaces what it owns.

create table if not exists public.confab_threads (
  id text primary key,
  owner_id uuid not null default auth.uid() references auth.users (id) on delete cascade,
  title text,
  model text,
  metadata jsonb not null default '{}'::jsonb,
  archived boolean not null default false,
  -- Messages ever appended: the next message's sequence number.
  message_count integer not null default 0,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  last_activity_at timestamptz not null default now()
);

-- Lists a user's threads, most recently active first; its leading owner_id also serves the
-- policies' `owner_id = auth.uid()`.
create index if not exists confab_threads_owner_activity
  on public.confab_threads (owner_id, archived, last_activity_at desc, id desc);

create table if not exists public.confab_messages (
  id text primary key,
  thread_id text not null references public.confab_threads (id) on delete cascade,
  parent_id text,
  role text not null,
  author_id text,
  parts jsonb not null,
  status text not null,
  model text,
  usage jsonb,
  error jsonb,
  sequence integer not null,
  metadata jsonb not null default '{}'::jsonb,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  -- Pages a thread's messages by sequence; its leading thread_id serves the policies' lookup of
  -- the message's thread (a primary-key probe of confab_threads per thread).
  constraint confab_messages_thread_sequence unique (thread_id, sequence)
);

create index if not exists confab_messages_thread_parent
  on public.confab_messages (thread_id, parent_id);

alter table public.confab_threads enable row level security;
alter table public.confab_messages enable row level security;

-- Threads: a signed-in user sees and changes only their own, and cannot create one for, or hand
-- one over to, somebody else. `(select auth.uid())` is evaluated once per statement, not per row.
drop policy if exists "confab_threads_select_own" on public.confab_threads;
create policy "confab_threads_select_own" on public.confab_threads
  for select to authenticated
  using (owner_id = (select auth.uid()));

drop policy if exists "confab_threads_insert_own" on public.confab_threads;
create policy "confab_threads_insert_own" on public.confab_threads
  for insert to authenticated
  with check (owner_id = (select auth.uid()));

drop policy if exists "confab_threads_update_own" on public.confab_threads;
create policy "confab_threads_update_own" on public.confab_threads
  for update to authenticated
  using (owner_id = (select auth.uid()))
  with check (owner_id = (select auth.uid()));

drop policy if exists "confab_threads_delete_own" on public.confab_threads;
create policy "confab_threads_delete_own" on public.confab_threads
  for delete to authenticated
  using (owner_id = (select auth.uid()));

-- Messages: those of the user's own threads only; a message cannot be written into, or moved to,
-- another user's thread.
drop policy if exists "confab_messages_select_own" on public.confab_messages;
create policy "confab_messages_select_own" on public.confab_messages
  for select to authenticated
  using (exists (
    select 1 from public.confab_threads thread
    where thread.id = confab_messages.thread_id and thread.owner_id = (select auth.uid())
  ));

drop policy if exists "confab_messages_insert_own" on public.confab_messages;
create policy "confab_messages_insert_own" on public.confab_messages
  for insert to authenticated
  with check (exists (
    select 1 from public.confab_threads thread
    where thread.id = confab_messages.thread_id and thread.owner_id = (select auth.uid())
  ));

drop policy if exists "confab_messages_update_own" on public.confab_messages;
create policy "confab_messages_update_own" on public.confab_messages
  for update to authenticated
  using (exists (
    select 1 from public.confab_threads thread
    where thread.id = confab_messages.thread_id and thread.owner_id = (select auth.uid())
  ))
  with check (exists (
    select 1 from public.confab_threads thread
    where thread.id = confab_messages.thread_id and thread.owner_id = (select auth.uid())
  ));

drop policy if exists "confab_messages_delete_own" on public.confab_messages;
create policy "confab_messages_delete_own" on public.confab_messages
  for delete to authenticated
  using (exists (
    select 1 from public.confab_threads thread
    where thread.id = confab_messages.thread_id and thread.owner_id = (select auth.uid())
  ));

-- Supabase grants every privilege on new tables in `public` to anon, authenticated and
-- service_role. Take them back: anon gets nothing, and authenticated only the four commands the
-- policies govern (TRUNCATE, for one, is not subject to row-level security). service_role keeps
-- everything and bypasses row-level security, as it does on every Supabase table.
revoke all on table public.confab_threads, public.confab_messages from anon, authenticated;
grant select, insert, update, delete
  on table public.confab_threads, public.confab_messages to authenticated;
grant all on table public.confab_threads, public.confab_messages to service_role;
