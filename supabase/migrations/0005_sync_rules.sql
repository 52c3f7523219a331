-- Sync rules that keep every write (supabase/README.md, "Conflict rules"):
--   * cascades keep the clocks of the writes that caused them, so a
--     cascade's effect never outranks a user's write;
--   * a child written while its parent is being deleted waits for the
--     delete and follows it (the parent row is locked);
--   * a clock more than one hour ahead of the server is refused wherever it
--     enters (sync_push, the table route, any direct write), and a row that
--     already holds one is recoverable;
--   * a mutation id reused with another payload is refused, never answered
--     with the result recorded for the first one;
--   * a delete of a row the server has not seen yet leaves a tombstone;
--   * the client's data API limits hold for every write;
--   * timestamps leave the server as YYYY-MM-DDTHH:MM:SS.mmmZ.
-- Replaces functions of 0002/0003 in place (create or replace keeps their
-- grants); a project that has 0001-0004 applied upgrades by applying this.

-- Clocks ----------------------------------------------------------------------

-- Milliseconds of the latest clock a write may carry: one hour ahead of the
-- server's own clock. Anything later would win every write to its row.
create function sync.clock_limit_ms() returns bigint
language sql volatile
set search_path = ''
as $$
  select floor(extract(epoch from clock_timestamp()) * 1000)::bigint + 3600 * 1000
$$;

create function sync.clock_too_far(clock text) returns boolean
language sql volatile
set search_path = ''
as $$
  select clock ~ '^[0-9]{13}-' and substr(clock, 1, 13)::bigint > sync.clock_limit_ms()
$$;

-- A server tick after `after`; a poisoned `after` (beyond the limit) is
-- ignored, so re-stamping such a row brings it back to the present instead
-- of overflowing the 13-digit field.
create or replace function sync.tick(after text) returns text
language plpgsql volatile
set search_path = ''
as $$
declare
  ms bigint := floor(extract(epoch from clock_timestamp()) * 1000);
  counter integer := 0;
  after_ms bigint;
begin
  if after is not null and after ~ '^[0-9]{13}-[0-9]{5}-' and not sync.clock_too_far(after) then
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

-- Every write records its transaction (the pull cursor). A direct write
-- that brings no clock of its own gets a server clock (and updated_at);
-- a clock it brings must be within the limit. A cascade (a write made by
-- another row's trigger, trigger depth > 1) keeps the row's clock: its
-- effect is part of the write that caused it and must not outrank the
-- row's own newer writes.
create or replace function sync.stamp() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  new.xid := pg_current_xact_id();
  if tg_op = 'INSERT' then
    if new.hlc is null then
      new.hlc := sync.tick(null);
      return new;
    end if;
  elsif new.hlc is not distinct from old.hlc then
    if pg_catalog.pg_trigger_depth() = 1 then
      new.hlc := sync.tick(old.hlc);
      new.updated_at := now();
    end if;
    return new;
  end if;
  if sync.clock_too_far(new.hlc) then
    raise exception using errcode = '22023', message = 'hlc is more than one hour ahead of the server clock';
  end if;
  return new;
end
$$;

-- A live write under a tombstoned parent follows the parent's delete
-- (CASCADE: stored as a tombstone; SET NULL: the reference is cleared). The
-- parent row is locked FOR SHARE, so a delete of it that is still running
-- finishes first and is seen here, and a delete that starts later waits
-- for this write and then tombstones it (sync.cascade_tombstone).
create or replace function sync.follow_parent() returns trigger
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
    execute format('select deleted from %s where id = $1 and user_id = $2 for share', fk.parent)
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

-- A parent's tombstone applies its FK's ON DELETE action to its live
-- children, as a hard delete would. CASCADE: the child becomes a tombstone
-- with the later of its own clock and the parent's delete clock. SET NULL:
-- only the reference is cleared and the child keeps its clock, so a
-- concurrent edit of the child (older or newer than the delete) still wins
-- over the stored row on its own merits. Either way the child gets a new
-- xid, so every device pulls it.
create or replace function sync.cascade_tombstone() returns trigger
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
      execute format('update %s set deleted = true, hlc = greatest(hlc, $3 collate "C")
                      where %I = $1 and user_id = $2 and not deleted', fk.child, fk.col)
        using new.id, new.user_id, new.hlc;
    elsif fk.action = 'n' then
      execute format('update %s set %I = null where %I = $1 and user_id = $2', fk.child, fk.col, fk.col)
        using new.id, new.user_id;
    end if;
  end loop;
  return null;
end
$$;

-- Rows stored with a clock beyond the limit (by a server without these
-- rules, or after the server's clock went back) get a fresh server clock,
-- so devices pull them again and every later write can win. Returns the
-- number of rows re-stamped.
create function sync.repair_future_clocks() returns bigint
language plpgsql
set search_path = ''
as $$
declare
  t record;
  n bigint;
  total bigint := 0;
begin
  for t in select s.name from sync.tables s order by s.rank loop
    execute format('update public.%I set hlc = sync.tick(null), updated_at = now()
                    where hlc collate "C" > lpad(sync.clock_limit_ms()::text, 13, ''0'')', t.name);
    get diagnostics n = row_count;
    total := total + n;
  end loop;
  return total;
end
$$;

-- Limits ----------------------------------------------------------------------

-- The client's data API limits (src/model/limits.hpp,
-- src/model/tables.cpp), enforced on every write so that every row a device
-- pulls passes the same checks there. Kinds: chars (code points), bytes,
-- object/array/json (a JSON object, array, either; bytes of its text), range
-- (numbers), choice, timestamp (years 1-9999).
create table sync.limits (
  tbl text collate "C" not null references sync.tables (name),
  col text collate "C" not null,
  kind text not null check (kind in ('chars', 'bytes', 'object', 'array', 'json', 'range', 'choice', 'timestamp')),
  lo numeric,
  hi numeric,
  choices text[],
  primary key (tbl, col)
);
grant select on sync.limits to authenticated, service_role;

insert into sync.limits (tbl, col, kind, lo, hi, choices) values
  ('users', 'email', 'chars', 3, 320, null),
  ('users', 'name', 'chars', 0, 255, null),
  ('users', 'avatar_url', 'bytes', 0, 4194304, null),
  ('users', 'settings', 'object', 0, 1048576, null),
  ('products', 'name', 'chars', 1, 255, null),
  ('products', 'description', 'chars', 0, 65536, null),
  ('products', 'brand', 'chars', 0, 255, null),
  ('products', 'category', 'chars', 0, 255, null),
  ('products', 'price', 'range', 0, 99999999.99, null),
  ('products', 'sku', 'chars', 0, 255, null),
  ('products', 'url', 'bytes', 0, 4194304, null),
  ('products', 'utm_codes', 'object', 0, 1048576, null),
  ('products', 'metadata', 'object', 0, 1048576, null),
  ('products', 'settings', 'object', 0, 1048576, null),
  ('products', 'status', 'chars', 1, 32, null),
  ('product_images', 'url', 'bytes', 1, 4194304, null),
  ('product_images', 'storage_path', 'chars', 0, 1024, null),
  ('product_images', 'file_name', 'chars', 0, 255, null),
  ('product_images', 'alt_text', 'chars', 0, 1024, null),
  ('product_images', 'size', 'range', 0, 9007199254740991, null),
  ('product_images', 'metadata', 'object', 0, 1048576, null),
  ('background_versions', 'url', 'bytes', 0, 4194304, null),
  ('background_versions', 'storage_path', 'chars', 0, 1024, null),
  ('background_versions', 'prompt', 'chars', 0, 65536, null),
  ('background_versions', 'request_id', 'chars', 0, 255, null),
  ('background_versions', 'processing_time', 'range', 0, 2147483647, null),
  ('background_versions', 'metadata', 'object', 0, 1048576, null),
  ('campaigns', 'name', 'chars', 1, 255, null),
  ('campaigns', 'type', 'chars', 0, 255, null),
  ('campaigns', 'status', 'choice', null, null, '{draft,scheduled,active,paused,completed,archived}'),
  ('campaigns', 'budget', 'range', 0, 99999999.99, null),
  ('campaigns', 'currency', 'chars', 3, 3, null),
  ('campaigns', 'starts_at', 'timestamp', null, null, null),
  ('campaigns', 'ends_at', 'timestamp', null, null, null),
  ('campaigns', 'launched_at', 'timestamp', null, null, null),
  ('campaigns', 'audience_config', 'object', 0, 1048576, null),
  ('campaigns', 'platform_config', 'object', 0, 1048576, null),
  ('campaigns', 'creative_config', 'object', 0, 1048576, null),
  ('campaigns', 'publish_config', 'object', 0, 1048576, null),
  ('campaigns', 'legacy_data', 'json', 0, 1048576, null),
  ('campaigns', 'source', 'chars', 1, 32, null),
  ('campaign_drafts', 'step_data', 'object', 0, 1048576, null),
  ('campaign_drafts', 'auto_saved_at', 'timestamp', null, null, null),
  ('campaign_drafts', 'expires_at', 'timestamp', null, null, null),
  ('creatives', 'name', 'chars', 0, 255, null),
  ('creatives', 'format_id', 'chars', 0, 255, null),
  ('creatives', 'format_name', 'chars', 0, 255, null),
  ('creatives', 'width', 'range', 1, 100000, null),
  ('creatives', 'height', 'range', 1, 100000, null),
  ('creatives', 'elements', 'array', 0, 1048576, null),
  ('creatives', 'metadata', 'object', 0, 1048576, null),
  ('creatives', 'version', 'range', 1, 2147483647, null),
  ('creative_assets', 'type', 'choice', null, null, '{image,video,text,button}'),
  ('creative_assets', 'url', 'bytes', 0, 4194304, null),
  ('creative_assets', 'storage_path', 'chars', 0, 1024, null),
  ('creative_assets', 'content', 'chars', 0, 65536, null),
  ('creative_assets', 'styles', 'object', 0, 1048576, null),
  ('creative_assets', 'position', 'object', 0, 1048576, null),
  ('creative_assets', 'metadata', 'object', 0, 1048576, null),
  ('platform_integrations', 'platform_id', 'choice', null, null, '{meta,display,ctv,tiktok}'),
  ('platform_integrations', 'platform_account_id', 'chars', 0, 255, null),
  ('platform_integrations', 'settings', 'object', 0, 1048576, null),
  ('platform_integrations', 'status', 'chars', 1, 32, null),
  ('platform_integrations', 'expires_at', 'timestamp', null, null, null),
  ('campaign_publications', 'platform_campaign_id', 'chars', 0, 255, null),
  ('campaign_publications', 'status', 'chars', 1, 32, null),
  ('campaign_publications', 'metrics', 'object', 0, 1048576, null),
  ('campaign_publications', 'last_sync_at', 'timestamp', null, null, null),
  ('ai_generations', 'type', 'choice', null, null, '{background,copy,creative}'),
  ('ai_generations', 'prompt', 'chars', 0, 65536, null),
  ('ai_generations', 'service', 'choice', null, null, '{fal,openai,midjourney}'),
  ('ai_generations', 'request_id', 'chars', 0, 255, null),
  ('ai_generations', 'response_data', 'json', 0, 1048576, null),
  ('ai_generations', 'processing_time', 'range', 0, 2147483647, null),
  ('ai_generations', 'cost_credits', 'range', 0, 999999.9999, null);
insert into sync.limits (tbl, col, kind)
  select s.name, c.col, 'timestamp' from sync.tables s cross join (values ('created_at'), ('updated_at')) c(col);

-- One checking trigger function per table, generated from sync.limits:
-- each limited column is checked when a write sets it (an insert, or an
-- update that changes it), so a row stored before the limits existed can
-- still be deleted, cascaded or have its other columns written.
do $$
declare
  t text;
  l record;
  body text;
  cond text;
  what text;
begin
  for t in select name from sync.tables loop
    body := '';
    for l in select * from sync.limits where tbl = t order by col loop
      case l.kind
        when 'chars' then
          cond := format('char_length(new.%I) not between %s and %s', l.col, l.lo, l.hi);
          what := format('%L || char_length(new.%I) || %L', 'must be ' || l.lo || ' to ' || l.hi || ' characters, got ', l.col, '');
        when 'bytes' then
          cond := format('octet_length(new.%I) not between %s and %s', l.col, l.lo, l.hi);
          what := format('%L || octet_length(new.%I) || %L', 'must be ' || l.lo || ' to ' || l.hi || ' bytes, got ', l.col, '');
        when 'object', 'array', 'json' then
          cond := format('(%s) or octet_length(new.%I::text) > %s',
                         case l.kind when 'object' then format('jsonb_typeof(new.%I) <> ''object''', l.col)
                                     when 'array' then format('jsonb_typeof(new.%I) <> ''array''', l.col)
                                     else format('jsonb_typeof(new.%I) not in (''object'', ''array'')', l.col) end,
                         l.col, l.hi);
          what := format('%L || jsonb_typeof(new.%I) || %L || octet_length(new.%I::text) || %L',
                         'must be ' || case l.kind when 'json' then 'a JSON object or array' else 'a JSON ' || l.kind end
                           || ' of at most ' || l.hi || ' bytes, got a ', l.col, ' of ', l.col, ' bytes');
        when 'range' then
          cond := format('new.%I not between %s and %s', l.col, l.lo, l.hi);
          what := format('%L || new.%I', 'must be between ' || l.lo || ' and ' || l.hi || ', got ', l.col);
        when 'choice' then
          cond := format('new.%I <> all (%L::text[])', l.col, l.choices);
          what := format('%L || new.%I', 'must be one of ' || array_to_string(l.choices, ', ') || ', got ', l.col);
        when 'timestamp' then
          cond := format('new.%I not between ''0001-01-01T00:00:00Z''::timestamptz and ''9999-12-31T23:59:59.999Z''::timestamptz', l.col);
          what := format('%L || new.%I', 'must be a time in the years 1 to 9999, got ', l.col);
      end case;
      body := body || format(
        E'  if new.%1$I is not null and (tg_op = ''INSERT'' or new.%1$I is distinct from old.%1$I) and (%2$s) then\n' ||
        E'    raise exception using errcode = ''22023'', message = %3$L || %4$s;\n' ||
        E'  end if;\n',
        l.col, cond, t || '.' || l.col || ': ', what);
    end loop;
    execute format(E'create function sync.%I() returns trigger language plpgsql set search_path = '''' as $fn$\nbegin\n%sreturn new;\nend\n$fn$',
                   'check_limits_' || t, body);
    execute format('revoke all on function sync.%I() from public', 'check_limits_' || t);
    execute format('create trigger sync_05_limits before insert or update on public.%I
                    for each row execute function sync.%I()', t, 'check_limits_' || t);
  end loop;
end
$$;

-- Timestamps ------------------------------------------------------------------

-- As 0003's, but a timestamptz column is written YYYY-MM-DDTHH:MM:SS.mmmZ
-- (the clients' one format), whatever the session's TimeZone and DateStyle.
create or replace function sync.row_pairs(tbl text) returns text
language sql stable
set search_path = ''
as $$
  select string_agg(
           case when a.atttypid = 'pg_catalog.timestamptz'::pg_catalog.regtype
                then format('%L, to_char(t.%I at time zone ''UTC'', ''YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'')', c, c)
                else format('%L, t.%I', c, c) end,
           ', ' order by a.attnum)
  from unnest(sync.columns(tbl, 'SELECT')) c
  join pg_catalog.pg_attribute a
    on a.attrelid = ('public.' || pg_catalog.quote_ident(tbl))::regclass and a.attname = c
  where c <> 'xid'
$$;

-- Pushes ----------------------------------------------------------------------

-- As 0003's, but a stored clock beyond the limit (a poisoned row) is
-- treated as older than every valid clock, so the row can be written again.
create or replace function sync.apply_change(uid uuid, ch jsonb) returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  tbl text := ch ->> 'table';
  op text := ch ->> 'op';
  clock text collate "C" := ch ->> 'hlc';
  body jsonb := ch -> 'row';
  row_id uuid;
  stored_hlc text collate "C";
  stored_deleted boolean;
  cols text[] := '{}';
  unknown text[];
  set_list text := '';
  col_list text := '';
  sel_list text := '';
  n integer;
begin
  if tbl is null or not exists (select 1 from sync.tables s where s.name = tbl) then
    raise exception using errcode = '22023', message = format('unknown table %s', coalesce(tbl, '(missing)'));
  end if;
  if op is null or op not in ('upsert', 'delete') then
    raise exception using errcode = '22023', message = 'op must be "upsert" or "delete"';
  end if;
  if jsonb_typeof(ch -> 'id') is distinct from 'string' then
    raise exception using errcode = '22023', message = 'id must be a uuid string';
  end if;
  row_id := (ch ->> 'id')::uuid;
  if clock is null or clock !~ '^[0-9]{13}-[0-9]{5}-[!-~]{1,64}$' then
    raise exception using errcode = '22023',
      message = 'hlc must look like WWWWWWWWWWWWW-CCCCC-NODE (13-digit ms, 5-digit counter, node id)';
  end if;
  -- A clock far in the future would win every later write to the row.
  if sync.clock_too_far(clock) then
    raise exception using errcode = '22023', message = 'hlc is more than one hour ahead of the server clock';
  end if;
  if tbl = 'users' and row_id <> uid then
    raise exception using errcode = '42501', message = 'not allowed to write this row';
  end if;

  if op = 'upsert' then
    if jsonb_typeof(body) is distinct from 'object' then
      raise exception using errcode = '22023', message = 'row must be an object for upsert';
    end if;
    if body ? 'id' and (jsonb_typeof(body -> 'id') is distinct from 'string'
                        or (body ->> 'id')::uuid <> row_id) then
      raise exception using errcode = '22023', message = 'row.id differs from id';
    end if;
    -- Server-managed keys are ignored, not rejected: clients may echo them.
    body := body - array['id', 'user_id', 'hlc', 'deleted', 'xid'];
    select coalesce(array_agg(k order by k), '{}') into cols from jsonb_object_keys(body) k;
    select coalesce(array_agg(c), '{}') into unknown
    from unnest(cols) c
    where c <> all (sync.columns(tbl, 'INSERT')) or c <> all (sync.columns(tbl, 'UPDATE'));
    if cardinality(unknown) > 0 then
      raise exception using errcode = '22023',
        message = format('unknown column(s) for %s: %s', tbl, array_to_string(unknown, ', '));
    end if;
    select coalesce(string_agg(format('%I = r.%I, ', c, c), ''), ''),
           coalesce(string_agg(format(', %I', c), ''), ''),
           coalesce(string_agg(format(', r.%I', c), ''), '')
      into set_list, col_list, sel_list
    from unnest(cols) c;
  end if;

  for round in 1..2 loop
    stored_hlc := null;
    execute format('select hlc, deleted from public.%I where id = $1 for update', tbl)
      into stored_hlc, stored_deleted using row_id;

    if stored_hlc is not null then
      if not sync.clock_too_far(stored_hlc) then
        if clock < stored_hlc then
          return jsonb_build_object('status', 'superseded', 'row', sync.row_json(tbl, row_id));
        elsif clock = stored_hlc then
          return jsonb_build_object('status', 'applied');
        end if;
      end if;
      if op = 'delete' then
        execute format('update public.%I set deleted = true, hlc = $2 where id = $1', tbl)
          using row_id, clock;
        return jsonb_build_object('status', 'applied');
      end if;
      execute format('update public.%I t set %s hlc = $2, deleted = false
                      from jsonb_populate_record(null::public.%I, $3) r where t.id = $1',
                     tbl, set_list, tbl)
        using row_id, clock, body;
    else
      if op = 'delete' then
        -- A tombstone even for a row this server has not seen yet (created
        -- and deleted offline): a copy of the device's database may still
        -- push the create, whose older clock must then lose to the delete.
        -- An id of another user's row inserts nothing and says nothing.
        execute format('insert into public.%I (id, user_id, hlc, deleted) values ($1, $2, $3, true)
                        on conflict (id) do nothing', tbl)
          using row_id, uid, clock;
        get diagnostics n = row_count;
        continue when n = 0 and round = 1;  -- the row appeared meanwhile: compare with it
        return jsonb_build_object('status', 'applied');
      end if;
      execute format('insert into public.%I (id, user_id, hlc, deleted%s)
                      select $1, $4, $2, false%s from jsonb_populate_record(null::public.%I, $3) r
                      on conflict (id) do nothing',
                     tbl, col_list, sel_list, tbl)
        using row_id, clock, body, uid;
      get diagnostics n = row_count;
      continue when n = 0;
    end if;

    execute format('select deleted from public.%I where id = $1', tbl) into stored_deleted using row_id;
    if stored_deleted then
      return jsonb_build_object('status', 'superseded', 'row', sync.row_json(tbl, row_id));
    end if;
    return jsonb_build_object('status', 'applied');
  end loop;

  raise exception using errcode = '42501', message = 'not allowed to write this row';
end
$$;

-- A tombstone has only its key, owner and clock: the columns a live row
-- needs become required for live rows only.
alter table public.products alter column name drop not null,
  add constraint products_name_required check (deleted or name is not null);
alter table public.product_images alter column url drop not null,
  add constraint product_images_url_required check (deleted or url is not null);
alter table public.campaigns alter column name drop not null,
  add constraint campaigns_name_required check (deleted or name is not null);

-- What a recorded mutation was: the SHA-256 of the change without its
-- mutation_id (jsonb text is canonical). Null for records made before.
alter table public.sync_mutations add column payload_hash bytea;

-- As 0003's, but a recorded (client, mutation id) answers only a change with
-- the same payload; another payload under it (a restored backup or a copied
-- database reusing ids) is refused with reason mutation_id_reused and is not
-- recorded. The client then moves to a new client id and pushes again.
create or replace function sync.push_one(uid uuid, client text, ch jsonb) returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  mid bigint;
  result jsonb;
  recorded_hash bytea;
  hash bytea;
  state text;
  msg text;
begin
  if jsonb_typeof(ch) is distinct from 'object' then
    return jsonb_build_object('mutation_id', null, 'status', 'rejected',
                              'code', 'INVALID_ARGUMENT', 'message', 'change must be an object');
  end if;
  if jsonb_typeof(ch -> 'mutation_id') is distinct from 'number'
     or (ch ->> 'mutation_id') !~ '^[0-9]{1,18}$' then
    return jsonb_build_object('mutation_id', ch -> 'mutation_id', 'status', 'rejected',
                              'code', 'INVALID_ARGUMENT',
                              'message', 'mutation_id must be a non-negative integer');
  end if;
  mid := (ch ->> 'mutation_id')::bigint;
  hash := sha256(convert_to((ch - 'mutation_id')::text, 'UTF8'));

  select m.result, m.payload_hash into result, recorded_hash
  from public.sync_mutations m
  where m.user_id = uid and m.client_id = client and m.mutation_id = mid;
  if found then
    if recorded_hash is not null and recorded_hash <> hash then
      return jsonb_build_object('mutation_id', mid, 'status', 'rejected', 'code', 'CONFLICT',
        'reason', 'mutation_id_reused',
        'message', format('mutation_id %s of client %s was already used for a different change; '
                          'push it under a new client id', mid, client));
    end if;
    return result;
  end if;

  begin
    result := sync.apply_change(uid, ch);
  exception when others then
    get stacked diagnostics state = returned_sqlstate, msg = message_text;
    if state like '40%' or state like '08%' or state like '53%' or state like '57%'
       or state = '55P03' then
      raise;
    end if;
    result := jsonb_build_object('status', 'rejected', 'code', sync.error_code(state), 'message', msg);
  end;

  result := jsonb_build_object('mutation_id', mid) || result;
  insert into public.sync_mutations (user_id, client_id, mutation_id, result, payload_hash)
  values (uid, client, mid, result, hash);
  return result;
end
$$;

revoke all on function sync.clock_limit_ms(), sync.clock_too_far(text), sync.repair_future_clocks() from public;
grant execute on function sync.clock_limit_ms(), sync.clock_too_far(text) to authenticated, service_role;
grant execute on function sync.repair_future_clocks() to service_role;

-- Rows an older server stored with a clock beyond the limit.
select sync.repair_future_clocks();
