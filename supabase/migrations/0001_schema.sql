-- Campaign Builder schema.
--
-- Every table here is synced, so each carries the same five sync columns:
--   user_id  owner; also on child tables so RLS never needs a join
--   updated_at
--   hlc      writer's hybrid logical clock 'WWWWWWWWWWWWW-CCCCC-NODE'; collate "C"
--            so that text order is clock order whatever the database locale
--   deleted  tombstone flag (sync never hard-deletes)
--   xid      transaction that last wrote the row (pull cursor); set by trigger
--
-- Foreign keys between synced tables are composite (fk, user_id) so a row
-- can only point at a parent of the same owner (a plain FK would let user B
-- attach rows to user A's product by guessing its id, and ignores RLS). They
-- are DEFERRABLE INITIALLY DEFERRED so that any single transaction may write
-- parents and children in any order; sync_push additionally applies a push
-- parents-first. ON DELETE actions only matter for hard deletes (tombstone
-- purge, account removal); for tombstones see 0002_sync.sql.
-- Only the brief's required columns are NOT NULL (plus the sync columns):
-- legacy localStorage dumps are full of missing fields, and the client sends
-- null for them; a default still applies when a column is left out of a push.
-- FK columns are nullable too: legacy data has drafts of campaigns never
-- saved and AI backgrounds not attached to any image.

create table public.users (
  id uuid primary key,
  user_id uuid not null,
  email text unique,
  name text,
  avatar_url text,
  settings jsonb default '{}'::jsonb,
  created_at timestamptz default now(),
  updated_at timestamptz default now(),
  hlc text collate "C" not null,
  deleted boolean not null default false,
  xid xid8 not null default pg_current_xact_id(),
  constraint users_id_is_owner check (id = user_id)
);

create table public.products (
  id uuid primary key,
  user_id uuid not null,
  name text not null,
  description text,
  brand text,
  category text,
  price numeric(10, 2),
  sku text,
  url text,
  utm_codes jsonb default '{}'::jsonb,
  metadata jsonb default '{}'::jsonb,
  settings jsonb default '{}'::jsonb,
  status text default 'active',
  created_at timestamptz default now(),
  updated_at timestamptz default now(),
  hlc text collate "C" not null,
  deleted boolean not null default false,
  xid xid8 not null default pg_current_xact_id(),
  unique (id, user_id)
);

create table public.product_images (
  id uuid primary key,
  user_id uuid not null,
  product_id uuid,
  url text not null,
  storage_path text,
  file_name text,
  alt_text text,
  size bigint,
  is_primary boolean default false,
  metadata jsonb default '{}'::jsonb,
  created_at timestamptz default now(),
  updated_at timestamptz default now(),
  hlc text collate "C" not null,
  deleted boolean not null default false,
  xid xid8 not null default pg_current_xact_id(),
  unique (id, user_id),
  constraint product_images_product_fk foreign key (product_id, user_id)
    references public.products (id, user_id) on delete cascade
    deferrable initially deferred
);

create table public.background_versions (
  id uuid primary key,
  user_id uuid not null,
  product_image_id uuid,
  url text,
  storage_path text,
  prompt text,
  request_id text,
  processing_time integer,
  metadata jsonb default '{}'::jsonb,
  is_active boolean default false,
  created_at timestamptz default now(),
  updated_at timestamptz default now(),
  hlc text collate "C" not null,
  deleted boolean not null default false,
  xid xid8 not null default pg_current_xact_id(),
  constraint background_versions_image_fk foreign key (product_image_id, user_id)
    references public.product_images (id, user_id) on delete cascade
    deferrable initially deferred
);

create table public.campaigns (
  id uuid primary key,
  user_id uuid not null,
  product_id uuid,
  name text not null,
  type text,
  status text default 'draft',
  budget numeric(10, 2),
  currency text default 'USD',
  starts_at timestamptz,
  ends_at timestamptz,
  launched_at timestamptz,
  audience_config jsonb default '{}'::jsonb,
  platform_config jsonb default '{}'::jsonb,
  creative_config jsonb default '{}'::jsonb,
  publish_config jsonb default '{}'::jsonb,
  legacy_data jsonb,
  source text default 'v2',
  created_at timestamptz default now(),
  updated_at timestamptz default now(),
  hlc text collate "C" not null,
  deleted boolean not null default false,
  xid xid8 not null default pg_current_xact_id(),
  unique (id, user_id),
  -- SET NULL (product_id) only: user_id is part of the key but must survive.
  constraint campaigns_product_fk foreign key (product_id, user_id)
    references public.products (id, user_id) on delete set null (product_id)
    deferrable initially deferred
);

create table public.campaign_drafts (
  id uuid primary key,
  user_id uuid not null,
  campaign_id uuid,
  step_data jsonb default '{}'::jsonb,
  auto_saved_at timestamptz default now(),
  expires_at timestamptz default now() + interval '7 days',
  created_at timestamptz default now(),
  updated_at timestamptz default now(),
  hlc text collate "C" not null,
  deleted boolean not null default false,
  xid xid8 not null default pg_current_xact_id(),
  constraint campaign_drafts_campaign_fk foreign key (campaign_id, user_id)
    references public.campaigns (id, user_id) on delete cascade
    deferrable initially deferred
);

create table public.creatives (
  id uuid primary key,
  user_id uuid not null,
  campaign_id uuid,
  name text,
  format_id text,
  format_name text,
  width integer,
  height integer,
  elements jsonb default '[]'::jsonb,
  metadata jsonb default '{}'::jsonb,
  version integer default 1,
  is_active boolean default true,
  created_at timestamptz default now(),
  updated_at timestamptz default now(),
  hlc text collate "C" not null,
  deleted boolean not null default false,
  xid xid8 not null default pg_current_xact_id(),
  unique (id, user_id),
  constraint creatives_elements_is_array check (jsonb_typeof(elements) = 'array'),
  constraint creatives_campaign_fk foreign key (campaign_id, user_id)
    references public.campaigns (id, user_id) on delete cascade
    deferrable initially deferred
);

create table public.creative_assets (
  id uuid primary key,
  user_id uuid not null,
  creative_id uuid,
  type text check (type in ('image', 'video', 'text', 'button')),
  url text,
  storage_path text,
  content text,
  styles jsonb default '{}'::jsonb,
  position jsonb default '{}'::jsonb,
  metadata jsonb default '{}'::jsonb,
  created_at timestamptz default now(),
  updated_at timestamptz default now(),
  hlc text collate "C" not null,
  deleted boolean not null default false,
  xid xid8 not null default pg_current_xact_id(),
  constraint creative_assets_creative_fk foreign key (creative_id, user_id)
    references public.creatives (id, user_id) on delete cascade
    deferrable initially deferred
);

create table public.platform_integrations (
  id uuid primary key,
  user_id uuid not null,
  platform_id text check (platform_id in ('meta', 'display', 'ctv', 'tiktok')),
  platform_account_id text,
  -- Secrets: writable by the owner, never readable by `authenticated`
  -- (column privileges in 0002) and never returned by sync.
  access_token text,
  refresh_token text,
  settings jsonb default '{}'::jsonb,
  status text default 'active',
  expires_at timestamptz,
  created_at timestamptz default now(),
  updated_at timestamptz default now(),
  hlc text collate "C" not null,
  deleted boolean not null default false,
  xid xid8 not null default pg_current_xact_id(),
  unique (id, user_id)
);

create table public.campaign_publications (
  id uuid primary key,
  user_id uuid not null,
  campaign_id uuid,
  platform_integration_id uuid,
  platform_campaign_id text,
  status text default 'pending',
  metrics jsonb default '{}'::jsonb,
  last_sync_at timestamptz,
  created_at timestamptz default now(),
  updated_at timestamptz default now(),
  hlc text collate "C" not null,
  deleted boolean not null default false,
  xid xid8 not null default pg_current_xact_id(),
  constraint campaign_publications_campaign_fk foreign key (campaign_id, user_id)
    references public.campaigns (id, user_id) on delete cascade
    deferrable initially deferred,
  constraint campaign_publications_integration_fk foreign key (platform_integration_id, user_id)
    references public.platform_integrations (id, user_id) on delete set null (platform_integration_id)
    deferrable initially deferred
);

create table public.ai_generations (
  id uuid primary key,
  user_id uuid not null,
  type text check (type in ('background', 'copy', 'creative')),
  prompt text,
  service text check (service in ('fal', 'openai', 'midjourney')),
  request_id text,
  response_data jsonb default '{}'::jsonb,
  processing_time integer,
  cost_credits numeric(10, 4),
  created_at timestamptz default now(),
  updated_at timestamptz default now(),
  hlc text collate "C" not null,
  deleted boolean not null default false,
  xid xid8 not null default pg_current_xact_id()
);

-- Query indexes. Each synced table also gets (user_id, xid, id) for pulls in
-- 0002, which doubles as its user_id index.
create index products_user_status_idx on public.products (user_id, status);
create index products_created_at_idx on public.products (created_at);
create index products_metadata_gin on public.products using gin (metadata jsonb_path_ops);
create index products_utm_codes_gin on public.products using gin (utm_codes jsonb_path_ops);
create index product_images_product_idx on public.product_images (product_id);
create index product_images_metadata_gin on public.product_images using gin (metadata jsonb_path_ops);
create index background_versions_image_idx on public.background_versions (product_image_id);
create index background_versions_created_at_idx on public.background_versions (created_at);
create index campaigns_product_idx on public.campaigns (product_id);
create index campaigns_user_status_idx on public.campaigns (user_id, status);
create index campaigns_created_at_idx on public.campaigns (created_at);
create index campaigns_platform_config_gin on public.campaigns using gin (platform_config jsonb_path_ops);
create index campaigns_legacy_data_gin on public.campaigns using gin (legacy_data jsonb_path_ops);
create index campaign_drafts_campaign_idx on public.campaign_drafts (campaign_id);
create index campaign_drafts_expires_at_idx on public.campaign_drafts (expires_at);
create index creatives_campaign_idx on public.creatives (campaign_id);
create index creatives_elements_gin on public.creatives using gin (elements jsonb_path_ops);
create index creative_assets_creative_idx on public.creative_assets (creative_id);
create index platform_integrations_user_platform_idx on public.platform_integrations (user_id, platform_id);
create index platform_integrations_expires_at_idx on public.platform_integrations (expires_at);
create index campaign_publications_campaign_idx on public.campaign_publications (campaign_id);
create index campaign_publications_integration_idx on public.campaign_publications (platform_integration_id);
create index campaign_publications_status_idx on public.campaign_publications (status);
create index campaign_publications_metrics_gin on public.campaign_publications using gin (metrics jsonb_path_ops);
create index ai_generations_created_at_idx on public.ai_generations (user_id, created_at);
create index ai_generations_response_gin on public.ai_generations using gin (response_data jsonb_path_ops);
