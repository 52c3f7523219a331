-- The sync RPCs: sync_push, sync_pull, sync_purge_tombstones.
-- Contract: supabase/README.md. All SECURITY INVOKER: RLS and column
-- privileges of the caller decide what is visible and writable.

-- Columns of a synced table the current role holds `priv` on.
create function sync.columns(tbl text, priv text) returns text[]
language sql stable
set search_path = ''
as $$
  select coalesce(array_agg(a.attname::text order by a.attnum), '{}')
  from pg_catalog.pg_attribute a
  where a.attrelid = ('public.' || pg_catalog.quote_ident(tbl))::regclass
    and a.attnum > 0 and not a.attisdropped
    and pg_catalog.has_column_privilege(a.attrelid, a.attnum, priv)
$$;

-- `'col', t.col, ...` for jsonb_build_object: every column the caller may
-- read, except xid (a server detail). Secrets are not readable, so never in.
create function sync.row_pairs(tbl text) returns text
language sql stable
set search_path = ''
as $$
  select string_agg(format('%L, t.%I', c, c), ', ')
  from unnest(sync.columns(tbl, 'SELECT')) c
  where c <> 'xid'
$$;

create function sync.row_json(tbl text, row_id uuid) returns jsonb
language plpgsql stable
set search_path = ''
as $$
declare
  result jsonb;
begin
  execute format('select jsonb_build_object(%s) from public.%I t where t.id = $1',
                 sync.row_pairs(tbl), tbl)
    into result using row_id;
  return result;
end
$$;

-- Result code of a rejected change, from the SQLSTATE that rejected it.
create function sync.error_code(state text) returns text
language sql immutable
set search_path = ''
as $$
  select case
    when state = '42501' then 'UNAUTHORIZED'
    when state like '23%' then 'CONSTRAINT'
    when state like '22%' or state in ('42703', '42P01', '42804') then 'INVALID_ARGUMENT'
    else 'INTERNAL'
  end
$$;

-- Applies one change with last-writer-wins; raises on anything invalid so
-- the caller's exception block turns it into a `rejected` result.
create function sync.apply_change(uid uuid, ch jsonb) returns jsonb
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
  max_skew_ms constant bigint := 3600 * 1000;
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
  if substr(clock, 1, 13)::bigint > floor(extract(epoch from clock_timestamp()) * 1000) + max_skew_ms then
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
    -- Only the columns present are written: an absent column keeps its
    -- value (or default), so a client that never sees a secret cannot wipe it.
    select coalesce(string_agg(format('%I = r.%I, ', c, c), ''), ''),
           coalesce(string_agg(format(', %I', c), ''), ''),
           coalesce(string_agg(format(', r.%I', c), ''), '')
      into set_list, col_list, sel_list
    from unnest(cols) c;
  end if;

  -- Two rounds: an insert that loses a race with the same user's other
  -- client finds the row visible on the second round.
  for round in 1..2 loop
    stored_hlc := null;
    execute format('select hlc, deleted from public.%I where id = $1 for update', tbl)
      into stored_hlc, stored_deleted using row_id;

    if stored_hlc is not null then
      if clock < stored_hlc then
        return jsonb_build_object('status', 'superseded', 'row', sync.row_json(tbl, row_id));
      elsif clock = stored_hlc then
        -- Same clock = same write (node id is part of it): already applied.
        return jsonb_build_object('status', 'applied');
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
      -- Deleting a row this user cannot see is a no-op, like an RLS'd DELETE.
      if op = 'delete' then
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

    -- A live write under a tombstoned parent was stored as a tombstone by
    -- sync.follow_parent: the parent's delete won, so report it that way.
    execute format('select deleted from public.%I where id = $1', tbl) into stored_deleted using row_id;
    if stored_deleted then
      return jsonb_build_object('status', 'superseded', 'row', sync.row_json(tbl, row_id));
    end if;
    return jsonb_build_object('status', 'applied');
  end loop;

  -- The id exists but RLS hides it: another user's row. Say nothing more.
  raise exception using errcode = '42501', message = 'not allowed to write this row';
end
$$;

-- One change: replay a recorded result, or apply it in its own
-- subtransaction and record the outcome.
create function sync.push_one(uid uuid, client text, ch jsonb) returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  mid bigint;
  result jsonb;
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

  select m.result into result
  from public.sync_mutations m
  where m.user_id = uid and m.client_id = client and m.mutation_id = mid;
  if found then
    return result;
  end if;

  begin
    result := sync.apply_change(uid, ch);
  exception when others then
    get stacked diagnostics state = returned_sqlstate, msg = message_text;
    -- Transient failures fail the whole push so the client retries it,
    -- instead of being recorded as a permanent rejection.
    if state like '40%' or state like '08%' or state like '53%' or state like '57%'
       or state = '55P03' then
      raise;
    end if;
    result := jsonb_build_object('status', 'rejected', 'code', sync.error_code(state), 'message', msg);
  end;

  result := jsonb_build_object('mutation_id', mid) || result;
  insert into public.sync_mutations (user_id, client_id, mutation_id, result)
  values (uid, client, mid, result);
  return result;
end
$$;

create function public.sync_push(client_id text, changes jsonb) returns jsonb
language plpgsql
security invoker
set search_path = ''
as $$
declare
  uid uuid := auth.uid();
  results jsonb[] := '{}';
  c record;
begin
  if uid is null then
    raise exception using errcode = '42501', message = 'sync_push requires a signed-in user';
  end if;
  if client_id is null or length(client_id) not between 1 and 200 then
    raise exception using errcode = '22023', message = 'client_id must be 1 to 200 characters';
  end if;
  if jsonb_typeof(changes) is distinct from 'array' then
    raise exception using errcode = '22023', message = 'changes must be an array';
  end if;
  if jsonb_array_length(changes) > 1000 then
    raise exception using errcode = '22023', message = 'at most 1000 changes per push';
  end if;

  -- One push at a time per client, so a retry racing its original waits
  -- for it and then replays its recorded results.
  perform pg_advisory_xact_lock(hashtextextended('sync_push:' || uid::text || ':' || client_id, 0));
  -- FKs are deferrable; check each change's right away so a bad one is
  -- rejected alone rather than failing the whole push at commit.
  set constraints all immediate;

  for c in
    select e.value as ch, e.i
    from jsonb_array_elements(changes) with ordinality as e(value, i)
    left join sync.tables s on s.name = (case when jsonb_typeof(e.value) = 'object'
                                               then e.value ->> 'table' end)
    order by coalesce(s.rank, -1), e.i
  loop
    results[c.i] := sync.push_one(uid, client_id, c.ch);
  end loop;

  return jsonb_build_object('results',
    coalesce((select jsonb_agg(r order by i) from unnest(results) with ordinality as u(r, i)), '[]'::jsonb));
end
$$;

create function public.sync_pull(cursor text default null, "limit" integer default 1000) returns jsonb
language plpgsql
security invoker
set search_path = ''
as $$
declare
  uid uuid := auth.uid();
  n integer := coalesce("limit", 1000);
  parts text[];
  cur_xid xid8 := '0';
  cur_tbl text collate "C" := '';
  cur_id uuid := '00000000-0000-0000-0000-000000000000';
  horizon xid8;
  watermark xid8;
  cur_mark xid8 := '0';
  reset boolean := false;
  branches text;
  page jsonb;
  has_more boolean;
  last jsonb;
  next_cursor text;
begin
  if uid is null then
    raise exception using errcode = '42501', message = 'sync_pull requires a signed-in user';
  end if;
  if n < 1 or n > 10000 then
    raise exception using errcode = '22023', message = 'limit must be between 1 and 10000';
  end if;
  -- Cursor: position (xid, table, id) plus the purge watermark it was
  -- issued under, so a restart after a purge is not itself seen as stale.
  select w.purged_xid into watermark from sync.purge_watermarks w where w.user_id = uid;
  watermark := coalesce(watermark, '0'::xid8);
  if cursor is not null then
    parts := regexp_match(cursor, '^v1:([0-9]{1,20}):([a-z_]{0,63}):([0-9a-f-]{36})(?::([0-9]{1,20}))?$');
    if parts is null then
      raise exception using errcode = '22023', message = 'invalid cursor';
    end if;
    cur_xid := parts[1]::xid8;
    cur_tbl := parts[2];
    cur_id := parts[3]::uuid;
    cur_mark := coalesce(parts[4], '0')::xid8;
    -- <= : a page may have ended inside the transaction that wrote the
    -- newest purged tombstone.
    if cur_xid <= watermark and cur_mark < watermark then
      -- Tombstones this client had not reached were purged: serve a full
      -- pull from the start and say so, so the client can drop local rows
      -- the full pull does not return.
      reset := true;
      cur_xid := '0';
      cur_tbl := '';
      cur_id := '00000000-0000-0000-0000-000000000000';
    end if;
  end if;

  -- Transactions below xmin have all ended, so every row they wrote is
  -- visible now; rows of still-running ones (however old their xid) are
  -- left for a later pull instead of being jumped over by the cursor.
  horizon := pg_snapshot_xmin(pg_current_snapshot());

  select string_agg(format(
      '(select %1$L::text collate "C" as tbl, t.id, t.xid, t.hlc, t.deleted, jsonb_build_object(%2$s) as row
        from public.%1$I t
        where t.user_id = $4 and t.xid < $5 and %3$s
        order by t.xid, t.id limit $6)',
      s.name, sync.row_pairs(s.name),
      case when s.name > cur_tbl then 't.xid >= $1'
           when s.name = cur_tbl then '(t.xid, t.id) > ($1, $3)'
           else 't.xid > $1' end),
    ' union all ')
  into branches
  from sync.tables s;

  execute format(
    'select coalesce(jsonb_agg(jsonb_build_object(''table'', p.tbl, ''id'', p.id, ''hlc'', p.hlc,
                                                   ''deleted'', p.deleted, ''row'', p.row, ''xid'', p.xid::text)
                               order by p.xid, p.tbl, p.id), ''[]''::jsonb)
     from (select * from (%s) u order by u.xid, u.tbl, u.id limit $6) p', branches)
    into page
    using cur_xid, cur_tbl, cur_id, uid, horizon, n + 1;

  has_more := jsonb_array_length(page) > n;
  if has_more then
    page := page - n;
  end if;
  if jsonb_array_length(page) > 0 then
    last := page -> -1;
    next_cursor := format('v1:%s:%s:%s:%s', last ->> 'xid', last ->> 'table', last ->> 'id', watermark);
  else
    next_cursor := format('v1:%s:%s:%s:%s', cur_xid, cur_tbl, cur_id, watermark);
  end if;

  return jsonb_build_object(
    'changes', (select coalesce(jsonb_agg(e - 'xid' order by i), '[]'::jsonb)
                from jsonb_array_elements(page) with ordinality as x(e, i)),
    'cursor', next_cursor,
    'has_more', has_more)
    || case when reset then jsonb_build_object('reset', true) else '{}'::jsonb end;
end
$$;

-- Hard-deletes tombstones whose clock is older than `older_than`, and the
-- idempotency records of the same age. For service_role (a scheduled job).
create function public.sync_purge_tombstones(older_than interval default interval '30 days') returns jsonb
language plpgsql
security invoker
set search_path = ''
as $$
declare
  cutoff text;
  t record;
  n bigint;
  counts jsonb := '{}'::jsonb;
begin
  if older_than is null or older_than < interval '0' then
    raise exception using errcode = '22023', message = 'older_than must be a non-negative interval';
  end if;
  cutoff := lpad(floor(extract(epoch from now() - older_than) * 1000)::bigint::text, 13, '0');
  -- Children first, so each table's own count is its own tombstones.
  for t in select s.name from sync.tables s order by s.rank desc, s.name loop
    execute format(
      'with gone as (delete from public.%I where deleted and hlc < $1 returning user_id, xid),
            marks as (insert into sync.purge_watermarks as w (user_id, purged_xid)
                      select distinct on (user_id) user_id, xid from gone order by user_id, xid desc
                      on conflict (user_id) do update
                        set purged_xid = greatest(w.purged_xid, excluded.purged_xid), purged_at = now())
       select count(*) from gone', t.name)
      into n using cutoff;
    counts := counts || jsonb_build_object(t.name, n);
  end loop;
  delete from public.sync_mutations where created_at < now() - older_than;
  get diagnostics n = row_count;
  return jsonb_build_object('tombstones', counts, 'mutations', n);
end
$$;

-- Supabase's default privileges grant EXECUTE to anon and everyone; narrow it.
revoke all on function
  sync.columns(text, text), sync.row_pairs(text), sync.row_json(text, uuid), sync.error_code(text),
  sync.apply_change(uuid, jsonb), sync.push_one(uuid, text, jsonb)
  from public;
grant execute on function
  sync.columns(text, text), sync.row_pairs(text), sync.row_json(text, uuid), sync.error_code(text),
  sync.apply_change(uuid, jsonb), sync.push_one(uuid, text, jsonb)
  to authenticated;

revoke all on function public.sync_push(text, jsonb), public.sync_pull(text, integer),
  public.sync_purge_tombstones(interval)
  from public, anon, authenticated, service_role;
grant execute on function public.sync_push(text, jsonb), public.sync_pull(text, integer) to authenticated;
grant execute on function public.sync_purge_tombstones(interval) to service_role;
