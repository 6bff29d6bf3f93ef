-- Confab's event log and run lease (migration 0003 of @confab/server's Kysely migrations).
--
-- Each thread numbers its events; the latest of them are kept in confab_thread_events so that a
-- client can resume a stream, on any instance, after the last event it had. The run lease names
-- the one answer being generated in a thread, until when its holder is taken for alive, and
-- whether a stop was asked for.
--
-- Safe to run again: every statement creates what is missing or replaces what it owns.

alter table public.confab_threads
  add column if not exists event_seq integer not null default 0,
  add column if not exists run_message_id text,
  add column if not exists run_expires_at bigint,
  add column if not exists run_stop_requested boolean not null default false;

create table if not exists public.confab_thread_events (
  thread_id text not null references public.confab_threads (id) on delete cascade,
  seq integer not null,
  chunk jsonb not null,
  created_at timestamptz not null default now(),
  constraint confab_thread_events_pkey primary key (thread_id, seq)
);

alter table public.confab_thread_events enable row level security;

-- A signed-in user reads and writes the events of their own threads only.
drop policy if exists "confab_thread_events_select_own" on public.confab_thread_events;
create policy "confab_thread_events_select_own" on public.confab_thread_events
  for select to authenticated
  using (exists (
    select 1 from public.confab_threads as thread
    where thread.id = confab_thread_events.thread_id and thread.owner_id = (select auth.uid())
  ));

drop policy if exists "confab_thread_events_insert_own" on public.confab_thread_events;
create policy "confab_thread_events_insert_own" on public.confab_thread_events
  for insert to authenticated
  with check (exists (
    select 1 from public.confab_threads as thread
    where thread.id = confab_thread_events.thread_id and thread.owner_id = (select auth.uid())
  ));

drop policy if exists "confab_thread_events_delete_own" on public.confab_thread_events;
create policy "confab_thread_events_delete_own" on public.confab_thread_events
  for delete to authenticated
  using (exists (
    select 1 from public.confab_threads as thread
    where thread.id = confab_thread_events.thread_id and thread.owner_id = (select auth.uid())
  ));

-- As for the other tables: anon gets nothing; authenticated only what the policies govern.
revoke all on table public.confab_thread_events from anon, authenticated;
grant select, insert, delete on table public.confab_thread_events to authenticated;
grant all on table public.confab_thread_events to service_role;
