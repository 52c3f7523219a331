-- Local stand-in for what a hosted Supabase project has before the first
-- migration runs, as far as these migrations can tell: the roles and role
-- memberships, the `auth` helpers, the `storage` schema owned by
-- supabase_storage_admin with its delete protection, the default
-- privileges, and `postgres` demoted to a non-superuser that owns the
-- database. Our own emulation, written from Supabase's init scripts and
-- migrations (supabase/postgres migrations/db, supabase/storage
-- migrations/tenant), not their code. Run once, by the bootstrap superuser
-- supabase_admin, on a fresh cluster. NOT part of supabase/migrations: a
-- real project must never apply this.

-- Roles ------------------------------------------------------------------------

-- `postgres` as Supabase leaves it: no superuser, but CREATEROLE, BYPASSRLS
-- and the owner of the database (so of schema public), a member of the API
-- roles and of the predefined read/monitor roles, and NOT a member of
-- supabase_storage_admin or supabase_auth_admin.
create role postgres login nosuperuser createdb createrole replication bypassrls;
alter database postgres owner to postgres;

create role anon nologin inherit;
create role authenticated nologin inherit;
create role service_role nologin inherit bypassrls;
-- The API's login role: no rights of its own until the per-request `role`.
create role authenticator login noinherit;
create role supabase_auth_admin login noinherit createrole noreplication;
create role supabase_storage_admin login noinherit createrole noreplication;

grant anon, authenticated, service_role to authenticator;
grant anon, authenticated, service_role to postgres;
grant pg_read_all_data, pg_signal_backend, pg_monitor to postgres;
grant authenticator to supabase_storage_admin;

alter role anon set statement_timeout = '3s';
alter role authenticated set statement_timeout = '8s';
alter role authenticator set statement_timeout = '8s';
alter role authenticator set lock_timeout = '8s';

-- Schemas and default privileges ---------------------------------------------

grant usage on schema public to postgres, anon, authenticated, service_role;
-- Tables, functions and sequences that postgres (the migrations) or
-- supabase_admin create in public are granted to every API role; migrations
-- revoke what they do not want exposed.
alter default privileges for role postgres in schema public grant all on tables to postgres, anon, authenticated, service_role;
alter default privileges for role postgres in schema public grant all on functions to postgres, anon, authenticated, service_role;
alter default privileges for role postgres in schema public grant all on sequences to postgres, anon, authenticated, service_role;
alter default privileges for role supabase_admin in schema public grant all on tables to postgres, anon, authenticated, service_role;
alter default privileges for role supabase_admin in schema public grant all on functions to postgres, anon, authenticated, service_role;
alter default privileges for role supabase_admin in schema public grant all on sequences to postgres, anon, authenticated, service_role;

create schema extensions authorization postgres;
grant usage on schema extensions to anon, authenticated, service_role;

-- auth: GoTrue's schema. The helpers the API roles call belong to
-- supabase_auth_admin. auth.uid() reads the legacy `request.jwt.claim.sub`
-- first, then `request.jwt.claims`, as Supabase's does; PostgREST >= 12 (and
-- the gateway) set only the latter.
create schema auth authorization supabase_admin;
grant usage on schema auth to anon, authenticated, service_role, postgres;
grant all on schema auth to supabase_auth_admin;

create function auth.jwt() returns jsonb
language sql stable
as $$
  select coalesce(nullif(current_setting('request.jwt.claim', true), ''),
                  nullif(current_setting('request.jwt.claims', true), ''))::jsonb
$$;

create function auth.uid() returns uuid
language sql stable
as $$
  select coalesce(nullif(current_setting('request.jwt.claim.sub', true), ''),
                  (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'sub'))::uuid
$$;

create function auth.role() returns text
language sql stable
as $$
  select coalesce(nullif(current_setting('request.jwt.claim.role', true), ''),
                  (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'role'))::text
$$;

create function auth.email() returns text
language sql stable
as $$
  select coalesce(nullif(current_setting('request.jwt.claim.email', true), ''),
                  (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'email'))::text
$$;

alter function auth.jwt() owner to supabase_auth_admin;
alter function auth.uid() owner to supabase_auth_admin;
alter function auth.role() owner to supabase_auth_admin;
alter function auth.email() owner to supabase_auth_admin;
grant execute on function auth.jwt(), auth.uid(), auth.role(), auth.email() to anon, authenticated, service_role, postgres;

-- storage: Storage's schema. Its tables and functions belong to
-- supabase_storage_admin (postgres gets privileges, never ownership, and
-- may not create in the schema); direct deletes from its tables are refused
-- unless storage.allow_delete_query is set (what Storage's API sets).
create schema storage authorization supabase_admin;
grant usage on schema storage to postgres, anon, authenticated, service_role;
grant all on schema storage to supabase_storage_admin;

set role supabase_storage_admin;

create table storage.buckets (
  id text primary key,
  name text not null unique,
  owner uuid,
  owner_id text,
  public boolean default false,
  file_size_limit bigint,
  allowed_mime_types text[],
  created_at timestamptz default now(),
  updated_at timestamptz default now()
);

create table storage.objects (
  id uuid primary key default gen_random_uuid(),
  bucket_id text references storage.buckets (id),
  name text,
  owner uuid,
  owner_id text,
  metadata jsonb,
  user_metadata jsonb,
  path_tokens text[] generated always as (string_to_array(name, '/')) stored,
  version text,
  created_at timestamptz default now(),
  updated_at timestamptz default now(),
  last_accessed_at timestamptz default now(),
  unique (bucket_id, name)
);

create table storage.migrations (
  id integer primary key,
  name varchar(100) unique not null,
  hash varchar(40) not null,
  executed_at timestamp default current_timestamp
);

create function storage.foldername(name text) returns text[]
language plpgsql immutable
as $$
declare
  _parts text[];
begin
  select string_to_array(name, '/') into _parts;
  return _parts[1:array_length(_parts, 1) - 1];
end
$$;

create function storage.filename(name text) returns text
language plpgsql immutable
as $$
declare
  _parts text[];
begin
  select string_to_array(name, '/') into _parts;
  return _parts[array_length(_parts, 1)];
end
$$;

create function storage.protect_delete() returns trigger
language plpgsql
as $$
begin
  if coalesce(current_setting('storage.allow_delete_query', true), 'false') != 'true' then
    raise exception 'Direct deletion from storage tables is not allowed. Use the Storage API instead.'
      using hint = 'This prevents accidental data loss from orphaned objects.', errcode = '42501';
  end if;
  return null;
end
$$;

create trigger protect_buckets_delete before delete on storage.buckets
  for each statement execute function storage.protect_delete();
create trigger protect_objects_delete before delete on storage.objects
  for each statement execute function storage.protect_delete();

alter table storage.buckets enable row level security;
alter table storage.objects enable row level security;
alter table storage.migrations enable row level security;

grant all on storage.buckets, storage.objects to postgres with grant option;
grant all on storage.buckets, storage.objects to anon, authenticated, service_role;
grant execute on function storage.foldername(text), storage.filename(text) to postgres, anon, authenticated, service_role;

reset role;

-- Realtime -------------------------------------------------------------------
-- Supabase's `realtime` schema as Broadcast from the database uses it:
-- realtime.send() inserts into realtime.messages, realtime.topic() names the
-- channel whose access the RLS policies on realtime.messages decide. On
-- Supabase the Realtime server reads new messages through logical
-- replication; here a trigger NOTIFYs the gateway (channel realtime_messages)
-- at commit with the message, or only its id when the message is too large
-- for a notification (the gateway then reads it as service_role).
create role supabase_realtime_admin nologin noinherit;
create schema realtime authorization supabase_realtime_admin;
grant usage on schema realtime to postgres, anon, authenticated, service_role;

set role supabase_realtime_admin;

create table realtime.messages (
  topic text not null,
  extension text not null,
  payload jsonb,
  event text,
  private boolean default false,
  updated_at timestamp without time zone not null default now(),
  inserted_at timestamp without time zone not null default now(),
  id uuid not null default gen_random_uuid(),
  primary key (id, inserted_at)
);
alter table realtime.messages enable row level security;

create function realtime.topic() returns text
language sql stable
as $$
  select nullif(current_setting('realtime.topic', true), '')::text
$$;

create function realtime.send(payload jsonb, event text, topic text, private boolean default true) returns void
language plpgsql
as $$
begin
  begin
    perform set_config('realtime.topic', topic, true);
    insert into realtime.messages (payload, event, topic, private, extension)
    values (payload, event, topic, private, 'broadcast');
  exception when others then
    raise warning 'ErrorSendingBroadcastMessage: %', sqlerrm;
  end;
end
$$;

create function realtime.notify_gateway() returns trigger
language plpgsql
as $$
declare
  message text := json_build_object('id', new.id, 'topic', new.topic, 'event', new.event,
                                    'private', new.private, 'extension', new.extension,
                                    'payload', new.payload)::text;
begin
  if octet_length(message) > 7000 then
    message := json_build_object('id', new.id)::text;
  end if;
  perform pg_notify('realtime_messages', message);
  return null;
end
$$;

create trigger notify_gateway after insert on realtime.messages
  for each row execute function realtime.notify_gateway();

grant select, insert, update on realtime.messages to anon, authenticated;
grant all on realtime.messages to postgres, service_role;
grant execute on function realtime.topic(), realtime.send(jsonb, text, text, boolean)
  to postgres, anon, authenticated, service_role;

reset role;

-- supautils policy_grants ----------------------------------------------------
-- Hosted projects and the CLI's images load the supautils extension with
--   supautils.policy_grants = '{"postgres": [<the tables below>]}'
-- which runs CREATE/ALTER/DROP POLICY and COMMENT ON POLICY by `postgres` on
-- those tables as the superuser, though postgres does not own them. The
-- extension cannot be installed here; the migration runner (pg.mjs) sends
-- each policy statement whose table is granted to the calling login role
-- through supautils.run_policy_statement, and runs every other statement
-- as that role, as supautils does.
create schema supautils authorization supabase_admin;
grant usage on schema supautils to postgres;

create table supautils.policy_grants (role_name name primary key, tables text[] not null);
insert into supautils.policy_grants values ('postgres', array[
  'auth.audit_log_entries', 'auth.identities', 'auth.refresh_tokens', 'auth.sessions', 'auth.users',
  'realtime.messages', 'storage.buckets', 'storage.migrations', 'storage.objects',
  'storage.s3_multipart_uploads', 'storage.s3_multipart_uploads_parts']);

-- The table a policy statement is about, or null when `stmt` is not one.
create function supautils.policy_target(stmt text) returns regclass
language plpgsql stable
set search_path = ''
as $$
declare
  ident constant text := '(?:"(?:[^"]|"")+"|[A-Za-z_][A-Za-z0-9_$]*)';
  m text[];
begin
  m := regexp_match(stmt,
    '^\s*(?:(?:create|alter|drop)\s+policy|comment\s+on\s+policy)\s+(?:if\s+exists\s+)?' || ident ||
    '\s+on\s+(' || ident || '(?:\s*\.\s*' || ident || ')?)', 'i');
  return case when m is null then null else pg_catalog.to_regclass(m[1]) end;
end
$$;

-- True when supautils would run `stmt` as the superuser for the login role.
create function supautils.policy_granted(stmt text) returns boolean
language sql stable
set search_path = ''
as $$
  select exists (
    select 1 from supautils.policy_grants g, unnest(g.tables) t
    where g.role_name = session_user and pg_catalog.to_regclass(t) = supautils.policy_target(stmt))
$$;

create function supautils.run_policy_statement(stmt text) returns void
language plpgsql security definer
as $$
begin
  if not supautils.policy_granted(stmt) then
    raise exception using errcode = '42501',
      message = format('supautils.policy_grants does not grant %s policies on this table', session_user);
  end if;
  execute stmt;
end
$$;

revoke all on function supautils.policy_target(text), supautils.policy_granted(text),
  supautils.run_policy_statement(text) from public;
grant execute on function supautils.policy_target(text), supautils.policy_granted(text),
  supautils.run_policy_statement(text) to postgres;
