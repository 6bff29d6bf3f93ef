-- Each user's current leaf of a thread (migration 0004 of @confab/server's Kysely migrations):
-- the message their branch of the thread's tree ends at, set when they switch versions. Keyed by
-- user, not kept on the thread's row, so that every member of a shared thread keeps their own.
--
-- Safe to run again: every statement creates what is missing or replaces what it owns.

create table if not exists public.confab_thread_leaves (
  thread_id text not null references public.confab_threads (id) on delete cascade,
  user_id text not null,
  message_id text not null,
  updated_at timestamptz not null default now(),
  constraint confab_thread_leaves_pkey primary key (thread_id, user_id)
);

alter table public.confab_thread_leaves enable row level security;

-- A signed-in user reads and writes their own leaves, of their own threads only.
drop policy if exists "confab_thread_leaves_select_own" on public.confab_thread_leaves;
create policy "confab_thread_leaves_select_own" on public.confab_thread_leaves
  for select to authenticated
  using (user_id = (select auth.uid())::text and exists (
    select 1 from public.confab_threads as thread
    where thread.id = confab_thread_leaves.thread_id and thread.owner_id = (select auth.uid())
  ));

drop policy if exists "confab_thread_leaves_insert_own" on public.confab_thread_leaves;
create policy "confab_thread_leaves_insert_own" on public.confab_thread_leaves
  for insert to authenticated
  with check (user_id = (select auth.uid())::text and exists (
    select 1 from public.confab_threads as thread
    where thread.id = confab_thread_leaves.thread_id and thread.owner_id = (select auth.uid())
  ));

drop policy if exists "confab_thread_leaves_update_own" on public.confab_thread_leaves;
create policy "confab_thread_leaves_update_own" on public.confab_thread_leaves
  for update to authenticated
  using (user_id = (select auth.uid())::text and exists (
    select 1 from public.confab_threads as thread
    where thread.id = confab_thread_leaves.thread_id and thread.owner_id = (select auth.uid())
  ))
  with check (user_id = (select auth.uid())::text);

drop policy if exists "confab_thread_leaves_delete_own" on public.confab_thread_leaves;
create policy "confab_thread_leaves_delete_own" on public.confab_thread_leaves
  for delete to authenticated
  using (user_id = (select auth.uid())::text and exists (
    select 1 from public.confab_threads as thread
    where thread.id = confab_thread_leaves.thread_id and thread.owner_id = (select auth.uid())
  ));

-- As for the other tables: anon gets nothing; authenticated only what the policies govern.
revoke all on table public.confab_thread_leaves from anon, authenticated;
grant select, insert, update, delete on table public.confab_thread_leaves to authenticated;
grant all on table public.confab_thread_leaves to service_role;
