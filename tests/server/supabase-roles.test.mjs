// The stand-in is a Supabase project where it matters to the migrations:
// they were applied by `postgres`, which is not a superuser; Storage's
// tables belong to supabase_storage_admin and refuse direct deletes; a
// policy on storage.objects is only possible through supautils'
// policy_grants (emulated for exactly the tables Supabase lists).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { startBackend } from '../../tools/backend/backend.mjs';
import { superuser } from './helpers.mjs';

let be;
let db;
let asPostgres;

before(async () => {
  be = await startBackend();
  db = await superuser(be);
  asPostgres = new pg.Client({ connectionString: be.pg.postgresConnectionString });
  await asPostgres.connect();
});

after(async () => {
  await asPostgres?.end();
  await db?.end();
  await be?.stop();
});

const one = async (client, sql, params) => (await client.query(sql, params)).rows[0];

describe('roles and ownership', () => {
  test('postgres is no superuser and owns what the migrations created; Storage owns its tables', async () => {
    assert.deepEqual(await one(db, "select rolsuper, rolbypassrls, rolcreaterole from pg_roles where rolname = 'postgres'"),
      { rolsuper: false, rolbypassrls: true, rolcreaterole: true });
    const owners = await db.query(`select c.oid::regclass::text as t, pg_get_userbyid(c.relowner) as owner from pg_class c
      where c.oid in ('public.products'::regclass, 'public.sync_mutations'::regclass, 'sync.tables'::regclass,
                      'storage.objects'::regclass, 'storage.buckets'::regclass) order by 1`);
    assert.deepEqual(Object.fromEntries(owners.rows.map((r) => [r.t, r.owner])), {
      products: 'postgres', sync_mutations: 'postgres', 'sync.tables': 'postgres',
      'storage.buckets': 'supabase_storage_admin', 'storage.objects': 'supabase_storage_admin',
    });
    const member = await one(db, `select pg_has_role('postgres', 'supabase_storage_admin', 'member') as storage,
      pg_has_role('postgres', 'supabase_auth_admin', 'member') as auth,
      pg_has_role('postgres', 'authenticated', 'member') as api`);
    assert.deepEqual(member, { storage: false, auth: false, api: true });
    const { rows } = await db.query("select policyname from pg_policies where schemaname = 'storage' and tablename = 'objects' order by 1");
    assert.deepEqual(rows.map((r) => r.policyname), ['campaign_assets_delete_own', 'campaign_assets_insert_own',
      'campaign_assets_select_own', 'campaign_assets_update_own']);
  });

  test('without policy_grants, postgres cannot create a policy on storage.objects', async () => {
    await assert.rejects(asPostgres.query('create policy p on storage.objects for select to authenticated using (true)'),
      /must be owner of table objects/);
  });

  test('policy_grants lets postgres manage policies on a listed table, and only there', async () => {
    await asPostgres.query("select supautils.run_policy_statement('create policy probe on storage.objects for select to anon using (false)')");
    await asPostgres.query("select supautils.run_policy_statement('drop policy probe on storage.objects')");
    await db.query('create table storage.unlisted (id int)');
    await db.query('alter table storage.unlisted owner to supabase_storage_admin');
    await assert.rejects(asPostgres.query("select supautils.run_policy_statement('create policy probe on storage.unlisted using (true)')"),
      /does not grant postgres policies/);
    assert.equal((await one(asPostgres, "select supautils.policy_granted('create policy x on public.products using (true)') as g")).g, false);
  });

  test('direct deletes from Storage tables are refused (protect_objects_delete)', async () => {
    await assert.rejects(asPostgres.query('delete from storage.objects'), (err) => err.code === '42501' &&
      /Direct deletion from storage tables is not allowed/.test(err.message));
    await assert.rejects(asPostgres.query('delete from storage.buckets where false'), /Direct deletion/);
  });

  test("auth.uid() reads request.jwt.claims (and the legacy claim.sub first, as Supabase's does)", async () => {
    await db.query('begin');
    try {
      await db.query("select set_config('request.jwt.claims', $1, true)", [JSON.stringify({ sub: 'a11ce000-0000-4000-8000-000000000001' })]);
      assert.equal((await one(db, 'select auth.uid()::text as u')).u, 'a11ce000-0000-4000-8000-000000000001');
      await db.query("select set_config('request.jwt.claim.sub', 'b0b00000-0000-4000-8000-000000000002', true)");
      assert.equal((await one(db, 'select auth.uid()::text as u')).u, 'b0b00000-0000-4000-8000-000000000002');
    } finally {
      await db.query('rollback');
    }
  });
});
