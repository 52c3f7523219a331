// Typical app code against the migration's public types (type-checked by
// legacy-types.test.mjs; never run).
import { openCampaignStore, createLegacyFacade, type MigrationReport, type MigrationProgress } from 'campaign-store';

export async function usage(storage: Storage): Promise<void> {
  const events: MigrationProgress[] = [];
  const store = await openCampaignStore({
    migrateLocalStorage: true,
    localStorage: storage,
    onMigrationProgress: (e) => { events.push(e); },
    legacy: { dualWrite: true, images: 'objectUrl' },
  });
  const report: MigrationReport | null = store.migration.lastReport;
  if (report && !report.ok) for (const w of report.warnings) console.warn(w.key, w.code, w.entity, w.field, w.count);
  const ignored: number = report ? Object.values(report.fieldsIgnored).length + report.loss.fieldsIgnored : 0;
  const counts: number = report ? report.source.products + report.database.products! : 0;
  const bytes: Uint8Array = await store.blobs.get('blob:sha256:' + '0'.repeat(64));
  const url: string = await store.blobs.objectUrl('0'.repeat(64));
  const saved = await store.legacy.saveAd({ campaignName: 'x', ctaType: 'WHERE_TO_BUY' });
  if (saved.success) console.log(saved.campaign.id);
  else console.log(saved.error);
  const campaigns = await store.legacy.getCampaigns();
  const released = await store.migration.releaseLegacyKeys({ includeUnmigrated: false });
  for (const k of released.kept) console.log(k.key, k.code, k.reason);
  const rollback = await store.migration.exportLegacy({ write: true, inlineImages: true });
  const facade = createLegacyFacade({ useDatabase: false, localStorage: storage });
  await facade.getProduct(42);
  console.log(counts, ignored, bytes.length, url, campaigns.length, released.released, rollback.written, events.length);
}
