-- Realtime: a commit that writes a user's rows sends that user one Broadcast
-- message ("something changed") on the private topic
-- `campaign-store:<user id>`, and the user's devices pull. The message
-- carries no row data (the pull does, through RLS): its payload is `{}`.
--
-- This is Supabase's Broadcast from the database: realtime.send() inserts
-- into realtime.messages, which the Realtime server delivers to the clients
-- joined to the topic that the RLS policy below lets read it. Clients join
-- with `private: true`; turn off "Allow public access" in the project's
-- Realtime settings so no channel can be joined without authorization.

-- At most one message per user per transaction: a push of 1,000 rows sends
-- one. The users a transaction already nudged are kept in a
-- transaction-local setting.
create function sync.realtime_nudge() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  owner uuid := case when tg_op = 'DELETE' then old.user_id else new.user_id end;
  sent text := coalesce(current_setting('campaign_store.realtime_nudged', true), '');
begin
  if owner is null or position(owner::text in sent) > 0 then
    return null;
  end if;
  perform set_config('campaign_store.realtime_nudged', sent || owner::text || ',', true);
  perform realtime.send('{}'::jsonb, 'changed', 'campaign-store:' || owner::text, true);
  return null;
end
$$;

revoke all on function sync.realtime_nudge() from public;

do $$
declare
  t text;
begin
  for t in select name from sync.tables loop
    execute format('create trigger sync_90_realtime after insert or update or delete on public.%I
                    for each row execute function sync.realtime_nudge()', t);
  end loop;
end
$$;

-- A signed-in user may receive (select) the Broadcast messages of their own
-- topic, and no one else's; nobody may send on it from a client (no insert
-- policy): only the database does.
create policy campaign_store_sync_topic_receive on realtime.messages
  for select to authenticated
  using (
    realtime.messages.extension = 'broadcast'
    and (select realtime.topic()) = 'campaign-store:' || (select auth.uid())::text
  );
