-- Sync plumbing shared by every synced table: the table registry, the
-- server-side clock, the stamping and tombstone triggers, RLS and grants.
-- The RPCs themselves are in 0003_sync_rpc.sql.
--
-- Schema `sync` is not in PostgREST's exposed schemas, so nothing here is
-- callable over HTTP; the RPCs are SECURITY INVOKER and reach it with the
-- caller's own rights, which is why `authenticated` gets usage below.

create schema sync;
grant usage on schema sync to authenticated, service_role;

-- Which tables sync, and in which order a push applies them: a parent's rank
-- is lower than its children's, so a child may come anywhere in the same
-- push as its parent (immediate FK checks per change then still pass).
create table sync.tables (
  name text collate "C" primary key,
  rank integer not null
);
insert into sync.tables (name, rank) values
  ('users', 0),
  ('products', 1),
  ('platform_integrations', 1),
  ('ai_generations', 1),
  ('product_images', 2),
  ('campaigns', 2),
  ('background_versions', 3),
  ('campaign_drafts', 3),
  ('creatives', 3),
  ('campaign_publications', 3),
  ('creative_assets', 4);
grant select on sync.tables to authenticated, service_role;

-- Per-user highest xid of a purged tombstone: a client whose pull cursor is
-- below it may have missed a delete and must resync (sync_pull says reset).
create table sync.purge_watermarks (
  user_id uuid primary key,
  purged_xid xid8 not null,
  purged_at timestamptz not null default now()
);
alter table sync.purge_watermarks enable row level security;
create policy purge_watermarks_own on sync.purge_watermarks
  for select to authenticated using (user_id = (select auth.uid()));
grant select on sync.purge_watermarks to authenticated;
grant all on sync.purge_watermarks to service_role;

-- Idempotency log: what each (user, client, mutation) push produced, so a
-- retried push returns the same results and applies nothing twice.
create table public.sync_mutations (
  user_id uuid not null,
  client_id text not null,
  mutation_id bigint not null,
  result jsonb not null,
  created_at timestamptz not null default now(),
  primary key (user_id, client_id, mutation_id)
);
create index sync_mutations_created_at_idx on public.sync_mutations (created_at);
alter table public.sync_mutations enable row level security;
create policy sync_mutations_select on public.sync_mutations
  for select to authenticated using (user_id = (select auth.uid()));
create policy sync_mutations_insert on public.sync_mutations
  for insert to authenticated with check (user_id = (select auth.uid()));
revoke all on public.sync_mutations from anon, authenticated;
grant select, insert on public.sync_mutations to authenticated;
grant all on public.sync_mutations to service_role;

-- A server-side HLC tick strictly after `after` (or now when null), for
-- writes that do not come with a client clock: cascaded tombstones and
-- direct SQL edits. Node id 'server' is reserved for it.
create function sync.tick(after text) returns text
language plpgsql volatile
set search_path = ''
as $$
declare
  ms bigint := floor(extract(epoch from clock_timestamp()) * 1000);
  counter integer := 0;
  after_ms bigint;
begin
  if after is not null then
    after_ms := substr(after, 1, 13)::bigint;
    if after_ms >= ms then
      ms := after_ms;
      counter := substr(after, 15, 5)::integer + 1;
      if counter > 99999 then
        ms := ms + 1;
        counter := 0;
      end if;
    end if;
  end if;
  return lpad(ms::text, 13, '0') || '-' || lpad(counter::text, 5, '0') || '-server';
end
$$;

-- Every write records its transaction id (the pull cursor) and gets a newer
-- clock if the writer did not bring one, so clients comparing clocks on
-- pull never ignore a server-side change. Such a server-side change also
-- bumps updated_at; otherwise updated_at is the client's to set.
create function sync.stamp() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  new.xid := pg_current_xact_id();
  if tg_op = 'INSERT' then
    if new.hlc is null then
      new.hlc := sync.tick(null);
    end if;
  elsif new.hlc is not distinct from old.hlc then
    new.hlc := sync.tick(old.hlc);
    new.updated_at := now();
  end if;
  return new;
end
$$;

-- Tombstones follow the FK's ON DELETE action, as a hard delete would:
-- CASCADE -> a live row under a tombstoned parent is stored as a tombstone;
-- SET NULL -> its reference is cleared. FKs are (fk_column, user_id), so the
-- first key column is the reference. Runs with the writer's rights (RLS),
-- which is enough because parent and child have the same owner.
create function sync.follow_parent() returns trigger
language plpgsql
set search_path = ''
as $$
declare
  fk record;
  ref text;
  parent_deleted boolean;
begin
  if new.deleted then
    return new;
  end if;
  for fk in
    select c.confrelid::regclass::text as parent, a.attname::text as col, c.confdeltype as action
    from pg_catalog.pg_constraint c
    join pg_catalog.pg_attribute a on a.attrelid = c.conrelid and a.attnum = c.conkey[1]
    where c.conrelid = tg_relid and c.contype = 'f'
  loop
    ref := pg_catalog.to_jsonb(new) ->> fk.col;
    continue when ref is null;
    parent_deleted := null;
    execute format('select deleted from %s where id = $1 and user_id = $2', fk.parent)
      into parent_deleted using ref::uuid, new.user_id;
    if parent_deleted then
      if fk.action = 'c' then
        new.deleted := true;
        return new;
      elsif fk.action = 'n' then
        new := pg_catalog.jsonb_populate_record(new, pg_catalog.jsonb_build_object(fk.col, null));
      end if;
    end if;
  end loop;
  return new;
end
$$;

-- When a parent becomes a tombstone, apply the same rule to its live
-- children (each child's own triggers stamp it and cascade further).
create function sync.cascade_tombstone() returns trigger
language plpgsql
set search_path = ''
as $$
declare
  fk record;
begin
  for fk in
    select c.conrelid::regclass::text as child, a.attname::text as col, c.confdeltype as action
    from pg_catalog.pg_constraint c
    join pg_catalog.pg_attribute a on a.attrelid = c.conrelid and a.attnum = c.conkey[1]
    where c.confrelid = tg_relid and c.contype = 'f'
  loop
    if fk.action = 'c' then
      execute format('update %s set deleted = true where %I = $1 and user_id = $2 and not deleted',
                     fk.child, fk.col)
        using new.id, new.user_id;
    elsif fk.action = 'n' then
      execute format('update %s set %I = null where %I = $1 and user_id = $2', fk.child, fk.col, fk.col)
        using new.id, new.user_id;
    end if;
  end loop;
  return null;
end
$$;

revoke all on function sync.tick(text), sync.stamp(), sync.follow_parent(), sync.cascade_tombstone()
  from public;
grant execute on function sync.tick(text) to authenticated, service_role;

-- Per-table setup, the same for all synced tables.
do $$
declare
  t text;
begin
  for t in select name from sync.tables loop
    execute format('alter table public.%I add constraint %I check (hlc ~ %L)',
                   t, t || '_hlc_format', '^[0-9]{13}-[0-9]{5}-[!-~]{1,64}$');
    -- The pull index: one user's rows in cursor order.
    execute format('create index %I on public.%I (user_id, xid, id)', t || '_sync_idx', t);

    execute format('create trigger sync_20_stamp before insert or update on public.%I
                    for each row execute function sync.stamp()', t);
    if exists (select 1 from pg_constraint
               where conrelid = ('public.' || quote_ident(t))::regclass and contype = 'f') then
      execute format('create trigger sync_10_follow_parent before insert or update on public.%I
                      for each row execute function sync.follow_parent()', t);
    end if;
    if exists (select 1 from pg_constraint
               where confrelid = ('public.' || quote_ident(t))::regclass and contype = 'f') then
      execute format('create trigger sync_30_cascade_tombstone after update on public.%I
                      for each row when (new.deleted and not old.deleted)
                      execute function sync.cascade_tombstone()', t);
    end if;

    -- Owner-only access. `(select auth.uid())` is evaluated once per
    -- statement instead of once per row.
    execute format('alter table public.%I enable row level security', t);
    execute format('create policy %I on public.%I for select to authenticated
                    using (user_id = (select auth.uid()))', t || '_select_own', t);
    execute format('create policy %I on public.%I for insert to authenticated
                    with check (user_id = (select auth.uid()))', t || '_insert_own', t);
    execute format('create policy %I on public.%I for update to authenticated
                    using (user_id = (select auth.uid())) with check (user_id = (select auth.uid()))',
                   t || '_update_own', t);
    execute format('create policy %I on public.%I for delete to authenticated
                    using (user_id = (select auth.uid()))', t || '_delete_own', t);

    -- Supabase's defaults grant everything to anon too; anon gets nothing,
    -- and nobody gets TRUNCATE (it ignores RLS).
    execute format('revoke all on public.%I from anon, authenticated', t);
    execute format('grant select, insert, update, delete on public.%I to authenticated', t);
    execute format('grant all on public.%I to service_role', t);
  end loop;
end
$$;

-- Secrets are write-only for their owner: table-level SELECT is replaced by
-- SELECT on every other column, so `select *` and sync both leave them out.
revoke select on public.platform_integrations from authenticated;
grant select (id, user_id, platform_id, platform_account_id, settings, status, expires_at,
              created_at, updated_at, hlc, deleted, xid)
  on public.platform_integrations to authenticated;
