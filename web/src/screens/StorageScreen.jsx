// Storage: what the database holds and where (OPFS quota, persistence), the
// legacy localStorage migration and its report, and the database export.
import { useState } from 'react';
import { useCampaignStore } from 'campaign-store/react';
import { ErrorNote, Field, PageHeader, Stat } from '../components/ui.jsx';
import { bytes, count, dateTime, plural } from '../lib/format.js';
import { useAction, usePolled } from '../lib/hooks.js';
import { QUOTA_UNITS, inspectLocalStorage, seedLegacyDump, seededDump } from '../lib/legacy.js';

export function StorageScreen() {
  return (
    <>
      <PageHeader title="Storage" />
      <DatabasePanel />
      <MigrationPanel />
    </>
  );
}

function DatabasePanel() {
  const store = useCampaignStore();
  const [persistAction, runPersist] = useAction();
  const [exportAction, runExport] = useAction();
  const { data, error, refresh } = usePolled(async (s) => {
    const [metrics, info, health, estimate, persisted, blobStats] = await Promise.all([
      s.metrics(), s.storage.info(), s.health(),
      navigator.storage?.estimate?.() ?? null,
      navigator.storage?.persisted?.() ?? null,
      s.sql.query('SELECT count(*) AS count, coalesce(sum(size), 0) AS bytes FROM blobs').then((r) => r.rows[0]),
    ]);
    return { metrics, info, health, estimate, persisted, blobStats };
  }, { intervalMs: 5000 });

  const exportDb = () => runExport(async () => {
    const { bytes: image } = await store.storage.export();
    const url = URL.createObjectURL(new Blob([image], { type: 'application/vnd.sqlite3' }));
    const link = document.createElement('a');
    link.href = url;
    link.download = `campaign-builder-${new Date().toISOString().slice(0, 10)}.sqlite`;
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
    return `Exported ${bytes(image.byteLength)}`;
  });

  const m = data?.metrics;
  const est = data?.estimate;
  const pool = data?.info?.pool;
  // The browser's estimate can lag behind files a worker holds open (Chromium
  // counts OPFS access-handle files once they are closed): show the larger.
  const used = est ? Math.max(est.usage ?? 0, pool?.bytes ?? 0) : null;
  const usedShare = est?.quota ? Math.min(1, used / est.quota) : 0;
  return (
    <section className="panel" aria-labelledby="db-heading">
      <div className="section-header">
        <h2 id="db-heading">Database</h2>
        <div className="row">
          <button type="button" className="button" onClick={refresh}>Refresh</button>
          <button type="button" className="button primary" onClick={exportDb} disabled={exportAction.busy}>Export database</button>
        </div>
      </div>
      {exportAction.done && <p className="muted" role="status">{exportAction.done} (SQLite file).</p>}
      <ErrorNote error={exportAction.error ?? error} />
      <dl className="stats">
        <Stat testId="db-size" label="Database size" value={m ? bytes(m.bytes) : '…'} />
        <Stat label="Pages" value={m ? `${count(m.pageCount)} × ${bytes(m.pageSize)}` : '…'} />
        <Stat label="Storage" value={data ? `${data.info.kind}${data.info.journalMode ? `, ${data.info.journalMode} journal` : ''}` : '…'} />
        <Stat label="Integrity" value={data ? (data.health.ok ? `ok (schema v${data.health.schemaVersion})` : data.health.quickCheck) : '…'} />
        <Stat testId="pool-bytes" label="Database files" value={pool ? `${bytes(pool.bytes)} in ${count(pool.files)} pool files` : data ? `${data.info.kind}: no files` : '…'} />
        <Stat testId="opfs-usage" label="Origin storage used" value={est ? `${bytes(used)} of ${bytes(est.quota)}` : 'not reported'} />
        <Stat testId="persisted" label="Persistent storage"
          value={data?.persisted === null || data?.persisted === undefined ? '…' : data.persisted ? 'yes: the browser will not evict it' : 'no: the browser may evict it under pressure'} />
        <Stat testId="blob-bytes" label="Images and other blobs"
          value={data?.blobStats ? `${bytes(data.blobStats.bytes)} in ${plural(data.blobStats.count, 'blob')}` : '…'} />
      </dl>
      {est?.quota ? (
        <div className="meter" role="meter" aria-label="Origin storage used" aria-valuemin={0} aria-valuemax={est.quota} aria-valuenow={est.usage}>
          <span style={{ width: `${Math.max(0.5, usedShare * 100)}%` }} />
        </div>
      ) : null}
      {data?.persisted === false && (
        <p>
          <button type="button" className="button small" disabled={persistAction.busy}
            onClick={() => runPersist(async () => { const granted = await navigator.storage.persist(); refresh(); return granted ? 'granted' : 'denied'; })}>
            Ask for persistent storage
          </button>
          {persistAction.busy && <span className="muted"> Waiting for the browser (Firefox asks you in a prompt beside the address bar)…</span>}
          {persistAction.done && <span className="muted"> The browser {persistAction.done} it.</span>}
        </p>
      )}
      <h3>Rows</h3>
      <dl className="row-counts" aria-label="Row counts">
        {Object.entries(m?.tables ?? {}).map(([table, n]) => (
          <div key={table} data-table={table}><dt>{table}</dt><dd>{count(n)}</dd></div>
        ))}
      </dl>
    </section>
  );
}

// Labels for the counts a migration report may carry (the fixture manifest's names).
const ENTITY_LABELS = {
  products: 'Products', product_images: 'Product images', background_versions: 'Background versions',
  legacy_campaigns: 'Legacy campaigns', v2_campaigns: 'V2 campaigns', creatives: 'Creatives', drafts: 'Drafts',
  campaigns_created_for_orphan_drafts: 'Campaigns made for orphan drafts', ai_generations: 'AI generations',
  ai_generations_linked: 'AI generations linked to images', sample_products: 'Sample products',
  sample_campaigns: 'Sample campaigns', sample_rows: 'Sample rows', data_url_occurrences: 'data: URLs found', data_url_blobs: 'Distinct blobs',
  data_url_blob_bytes: 'Blob bytes (decoded)', unrelated_keys: 'Unrelated keys (left alone)', unparsable_keys: 'Unparsable keys (kept verbatim)',
  skipped_items: 'Skipped items',
};

/** The counts in a report, whatever it calls them: {name: number}. */
function reportCounts(report) {
  const source = report?.database ?? report?.counts ?? report?.entities ?? report?.rows ?? report?.totals ?? report?.expected ?? report ?? {};
  const out = {};
  for (const [key, value] of Object.entries(source)) {
    if (typeof value === 'number') out[key] = value;
    else if (value && typeof value === 'object' && !Array.isArray(value) && typeof value.rows === 'number') out[key] = value.rows;
  }
  return out;
}

function reportKeys(report) {
  const keys = report?.keys;
  if (!keys) return [];
  if (Array.isArray(keys)) return keys.map((k) => [k.key ?? k.name, k]);
  return Object.entries(keys);
}

// Warnings that say something did not reach the typed tables (report.loss), and the others.
const LOSS_CODES = new Set(['UNPARSED', 'LOSSY', 'ITEMS_SKIPPED', 'FIELD_IGNORED', 'VALUE_UNREADABLE', 'FIELD_CONFLICT']);
const CODE_LABELS = {
  UNPARSED: 'Never parsed', LOSSY: 'Lone surrogates replaced', ITEMS_SKIPPED: 'Items skipped', FIELD_IGNORED: 'Field ignored',
  VALUE_UNREADABLE: 'Value unreadable', FIELD_CONFLICT: 'Spellings disagreed', LOOKALIKE_KEY: 'Look-alike key (left alone)',
  DRAFT_EMPTY_ID: 'Draft with an empty id', DRAFT_PLACEHOLDER_ID: 'Draft with a placeholder id', RESUMED: 'Resumed run',
};

/** What the migration lost, field by field, and what else it noticed. */
function MigrationLoss({ report }) {
  const warnings = Array.isArray(report?.warnings) ? report.warnings : [];
  const lost = warnings.filter((w) => LOSS_CODES.has(w.code));
  const notes = warnings.filter((w) => !LOSS_CODES.has(w.code));
  const ignored = Object.entries(report?.fieldsIgnored ?? {});
  return (
    <>
      <p data-testid="migration-verdict" className={report.ok ? 'muted' : 'notice'} role="status">
        {report.ok
          ? 'Everything in the legacy keys reached the database.'
          : lost.length
            ? `Not everything arrived: ${plural(lost.reduce((n, w) => n + (w.count ?? 1), 0), 'loss', 'losses')} in ${plural(new Set(lost.map((w) => w.key)).size, 'key')} (below). The originals stay in the database for the export, and these keys stay in localStorage.`
            : `The report has ${count(report.errors?.length ?? 0)} errors.`}
      </p>
      {lost.length > 0 && (
        <table className="table compact" aria-label="What did not arrive" data-testid="migration-losses">
          <thead><tr><th scope="col">Key</th><th scope="col">What</th><th scope="col">Entity</th><th scope="col">Field</th><th scope="col" className="num">Count</th><th scope="col">Note</th></tr></thead>
          <tbody>
            {lost.map((w, i) => (
              <tr key={`${w.key}/${w.code}/${w.entity}/${w.field}/${i}`} data-code={w.code}>
                <th scope="row"><code>{w.key}</code></th><td>{CODE_LABELS[w.code] ?? w.code}</td><td>{w.entity ?? '—'}</td>
                <td>{w.field ? <code>{w.field}</code> : w.reason ?? '—'}</td><td className="num">{count(w.count ?? 1)}</td><td className="muted">{w.message}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {ignored.length > 0 && (
        <details data-testid="fields-ignored">
          <summary>Fields ignored, by entity</summary>
          <dl className="row-counts">
            {ignored.map(([entity, fields]) => (
              <div key={entity}><dt>{ENTITY_LABELS[entity] ?? entity}</dt><dd>{Object.entries(fields).map(([f, n]) => `${f} ×${n}`).join(', ')}</dd></div>
            ))}
          </dl>
        </details>
      )}
      {notes.length > 0 && (
        <details data-testid="migration-notes">
          <summary>{count(notes.length)} notes</summary>
          <ul className="plain-list">
            {notes.map((w, i) => <li key={`${w.key}/${w.code}/${i}`}><code>{w.key}</code>: {CODE_LABELS[w.code] ?? w.code}{w.resembles ? ` (looks like ${w.resembles})` : ''}</li>)}
          </ul>
        </details>
      )}
    </>
  );
}

function MigrationPanel() {
  const store = useCampaignStore();
  const { migration } = store;
  // After "Seed and reload" the selector keeps the dump just seeded.
  const [preset, setPreset] = useState(() => seededDump()?.preset ?? 'near-quota');
  const [seedAction, runSeed] = useAction();
  const [releaseAction, runRelease] = useAction();
  const [includeUnmigrated, setIncludeUnmigrated] = useState(false);
  const seeded = seededDump();
  const { data, error, refresh } = usePolled(async () => ({
    local: inspectLocalStorage(),
    report: migration ? await migration.report() : undefined,
  }), { intervalMs: 3000 });
  const local = data?.local;
  const report = data?.report;
  const counts = reportCounts(report);
  const expected = seeded?.expected ?? {};
  const names = [...new Set([...Object.keys(counts), ...Object.keys(expected)])]
    .filter((k) => typeof (counts[k] ?? expected[k]) === 'number');
  const keys = reportKeys(report);

  return (
    <section className="panel" aria-labelledby="migration-heading">
      <div className="section-header">
        <h2 id="migration-heading">Legacy localStorage migration</h2>
        <div className="row">
          <Field label="Legacy dump">
            {(p) => (
              <select {...p} value={preset} onChange={(e) => setPreset(e.target.value)}>
                <option value="small">small (6 products)</option>
                <option value="medium">medium (100 products, 1.6 MB)</option>
                <option value="near-quota">near-quota (4.9 MB, 94% of the quota)</option>
              </select>
            )}
          </Field>
          <button type="button" className="button" disabled={seedAction.busy} onClick={() => runSeed(() => seedLegacyDump(preset))}>
            {seedAction.busy ? 'Seeding…' : 'Seed legacy data and reload'}
          </button>
        </div>
      </div>
      <p className="muted">
        The legacy app kept everything in localStorage. Seeding writes a realistic dump of it (tests/fixtures/generate.mjs)
        into this origin’s localStorage and reloads; the store migrates it when it opens.
      </p>
      <ErrorNote error={seedAction.error ?? error} />
      <dl className="stats">
        <Stat testId="legacy-keys" label="Legacy keys in localStorage" value={local ? count(local.legacy.length) : '…'} />
        <Stat label="localStorage used" value={local ? `${(local.units / QUOTA_UNITS * 100).toFixed(1)}% of the 5 Mi-unit quota` : '…'} />
        {seeded && <Stat label="Last seeded" value={`${seeded.preset}, ${dateTime(seeded.seededAt)}`} />}
      </dl>

      {!migration ? (
        <p className="notice" role="note" data-testid="migration-unavailable">
          This build of campaign-store has no migration API yet (<code>store.migration</code>): the legacy keys stay where they are.
        </p>
      ) : report === undefined ? <p className="muted">Loading the report…</p> : report === null ? (
        <p className="muted" data-testid="migration-none">No migration has run on this database.</p>
      ) : (
        <div data-testid="migration-report">
          <h3>Migration report</h3>
          {(report.run?.finishedAt || report.run?.durationMs !== undefined) && (
            <p className="muted">
              {report.run?.finishedAt ? `Finished ${dateTime(report.run.finishedAt)}. ` : ''}
              {report.run?.durationMs !== undefined ? `Took ${count(Math.round(report.run.durationMs))} ms.` : ''}
            </p>
          )}
          <MigrationLoss report={report} />
          <table className="table compact" aria-label="Migrated entities">
            <thead>
              <tr><th scope="col">Entity</th><th scope="col" className="num">Migrated</th>{seeded && <th scope="col" className="num">Expected (fixture manifest)</th>}</tr>
            </thead>
            <tbody>
              {names.map((name) => {
                const ok = counts[name] === undefined || expected[name] === undefined || counts[name] === expected[name];
                return (
                  <tr key={name} data-entity={name} className={ok ? '' : 'mismatch'}>
                    <th scope="row">{ENTITY_LABELS[name] ?? name}</th>
                    <td className="num" data-testid={`migrated-${name}`}>{counts[name] === undefined ? '—' : count(counts[name])}</td>
                    {seeded && <td className="num">{expected[name] === undefined ? '—' : count(expected[name])}</td>}
                  </tr>
                );
              })}
            </tbody>
          </table>
          {keys.length > 0 && (
            <details>
              <summary>{count(keys.length)} localStorage keys</summary>
              <table className="table compact" aria-label="Legacy keys">
                <thead><tr><th scope="col">Key</th><th scope="col">Status</th><th scope="col">Entity</th><th scope="col" className="num">Rows</th><th scope="col" className="num">Lost</th><th scope="col">Note</th></tr></thead>
                <tbody>
                  {keys.map(([key, k]) => (
                    <tr key={key}>
                      <th scope="row"><code>{key}</code></th><td>{k?.status ?? '—'}</td><td>{k?.entity ?? '—'}</td>
                      <td className="num">{k?.rows ?? '—'}</td><td className="num">{k?.lost ?? ''}</td><td>{k?.reason ?? ''}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </details>
          )}
        </div>
      )}

      <div className="row">
        <button type="button" className="button" disabled={!migration?.releaseLegacyKeys || !local?.legacy.length || releaseAction.busy}
          onClick={() => runRelease(async () => { const r = await migration.releaseLegacyKeys({ includeUnmigrated }); refresh(); return r; })}>
          Release legacy keys
        </button>
        <label className="muted">
          <input type="checkbox" checked={includeUnmigrated} onChange={(e) => setIncludeUnmigrated(e.target.checked)} />
          {' '}also those that did not fully arrive (their text stays in the database, the export gives it back)
        </label>
      </div>
      <p className="muted" role="status" data-testid="release-result">
        {!releaseAction.done ? 'Removes the keys whose whole value the database holds from localStorage.'
          : `Released ${count(releaseAction.done.released?.length ?? 0)} keys; ${count(releaseAction.done.kept?.filter((k) => k.code !== 'NOT_LEGACY').length ?? 0)} kept.`}
      </p>
      {releaseAction.done?.kept?.some((k) => k.code !== 'NOT_LEGACY') && (
        <ul className="plain-list" aria-label="Keys kept in localStorage" data-testid="release-kept">
          {releaseAction.done.kept.filter((k) => k.code !== 'NOT_LEGACY').map((k) => (
            <li key={k.key} data-code={k.code}><code>{k.key}</code>: {k.reason}</li>
          ))}
        </ul>
      )}
      <ErrorNote error={releaseAction.error} />
      {local?.legacy.length > 0 && (
        <details>
          <summary>Legacy keys now in localStorage</summary>
          <ul className="plain-list mono">{local.legacy.map((k) => <li key={k.key}>{k.key} <span className="muted">({count(k.units)} units)</span></li>)}</ul>
        </details>
      )}
    </section>
  );
}
