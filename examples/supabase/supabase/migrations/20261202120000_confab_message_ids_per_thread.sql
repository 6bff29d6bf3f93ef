-- Message ids are unique per thread, not across the database (as in @confab/server's Kysely
-- migration 0002): a client-chosen id that another user already used in their own thread is no
-- longer refused, which told the caller that the id exists somewhere. The primary key of
-- confab_messages becomes (thread_id, id).
--
-- Safe to run again: the key is replaced only while it is still the id alone.

do $$
begin
  if exists (
    select 1 from pg_constraint
    where conrelid = 'public.confab_messages'::regclass
      and contype = 'p'
      and cardinality(conkey) = 1
  ) then
    alter table public.confab_messages drop constraint confab_messages_pkey;
    alter table public.confab_messages
      add constraint confab_messages_pkey primary key (thread_id, id);
  end if;
end
$$;
