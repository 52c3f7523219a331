-- Storage for product images, backgrounds and creative assets.
-- Buckets: `product-images` (product images and their background versions),
-- `creative-assets` (creative assets), `campaign-assets` (anything else the
-- app uploads). Objects live under `<user id>/...`: anyone with the URL may
-- read (the app shows them in <img>), only the owner may write, overwrite or
-- remove. The client uploads by content hash, `<user id>/<sha256>`, so an
-- object never changes once written.

insert into storage.buckets (id, name, public)
values ('campaign-assets', 'campaign-assets', true),
       ('product-images', 'product-images', true),
       ('creative-assets', 'creative-assets', true)
on conflict (id) do nothing;

create policy campaign_assets_select_own on storage.objects
  for select to authenticated
  using (bucket_id in ('campaign-assets', 'product-images', 'creative-assets') and (storage.foldername(name))[1] = (select auth.uid())::text);

create policy campaign_assets_insert_own on storage.objects
  for insert to authenticated
  with check (bucket_id in ('campaign-assets', 'product-images', 'creative-assets') and (storage.foldername(name))[1] = (select auth.uid())::text);

create policy campaign_assets_update_own on storage.objects
  for update to authenticated
  using (bucket_id in ('campaign-assets', 'product-images', 'creative-assets') and (storage.foldername(name))[1] = (select auth.uid())::text)
  with check (bucket_id in ('campaign-assets', 'product-images', 'creative-assets') and (storage.foldername(name))[1] = (select auth.uid())::text);

create policy campaign_assets_delete_own on storage.objects
  for delete to authenticated
  using (bucket_id in ('campaign-assets', 'product-images', 'creative-assets') and (storage.foldername(name))[1] = (select auth.uid())::text);
