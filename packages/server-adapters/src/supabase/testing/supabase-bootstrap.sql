-- What a Supabase project provides before any migration runs, reduced to what Confab's migration
-- and row-level security rely on: the API roles, the `auth` schema with `auth.users`, the
-- functions that read the caller's JWT claims, and the default grants on `public`.
-- Run in a fresh database by a superuser (tests only).

-- Roles belong to the whole server, not to this database: create each one unless it exists
-- (the test helper runs this file under a server-wide lock, so parallel test files take turns).
-- The connecting user is made a member, so it can switch to them (`set role`,
-- `set_config('role', ...)`) as Supabase's `postgres` and `authenticator` users do.
do $$
declare
  name text;
begin
  foreach name in array array['anon', 'authenticated', 'service_role'] loop
    if not exists (select 1 from pg_roles where rolname = name) then
      execute format('create role %I nologin noinherit', name);
    end if;
    if not exists (
      select 1 from pg_auth_members
      where roleid = (select oid from pg_roles where rolname = name)
        and member = (select oid from pg_roles where rolname = current_user)
    ) then
      execute format('grant %I to %I', name, current_user);
    end if;
  end loop;
  -- As on Supabase, service_role bypasses row-level security (only a superuser may say so).
  if (select rolsuper from pg_roles where rolname = current_user)
    and not (select rolbypassrls from pg_roles where rolname = 'service_role') then
    alter role service_role bypassrls;
  end if;
end
$$;

create schema if not exists auth;
grant usage on schema auth to anon, authenticated, service_role;

create table if not exists auth.users (
  id uuid primary key,
  aud text,
  role text,
  email text unique,
  is_anonymous boolean not null default false,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

-- Supabase's definitions: the claims come from the `request.jwt.claims` setting, as PostgREST
-- and supabaseStore() set them for the transaction, with the older one-claim settings first.
create or replace function auth.uid() returns uuid
language sql stable
as $$
  select coalesce(
    nullif(current_setting('request.jwt.claim.sub', true), ''),
    (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'sub')
  )::uuid
$$;

create or replace function auth.role() returns text
language sql stable
as $$
  select coalesce(
    nullif(current_setting('request.jwt.claim.role', true), ''),
    (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'role')
  )::text
$$;

create or replace function auth.jwt() returns jsonb
language sql stable
as $$
  select coalesce(
    nullif(current_setting('request.jwt.claim', true), ''),
    nullif(current_setting('request.jwt.claims', true), '')
  )::jsonb
$$;

grant execute on function auth.uid(), auth.role(), auth.jwt() to anon, authenticated, service_role;

-- Supabase exposes `public` to the API roles and grants them everything on new tables there;
-- each migration is expected to narrow that with row-level security (and grants).
grant usage on schema public to anon, authenticated, service_role;
alter default privileges in schema public
  grant all on tables to anon, authenticated, service_role;
alter default privileges in schema public
  grant all on sequences to anon, authenticated, service_role;
alter default privileges in schema public
  grant all on functions to anon, authenticated, service_role;
