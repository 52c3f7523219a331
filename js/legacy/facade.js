// The legacy compatibility layer: the old app's call shapes, so its code
// keeps working while it moves to the store. Feature flags, as the migration
// plan has them:
//   useDatabase  false: read and write localStorage only, exactly as the old
//                app did (the store is not touched; it may even be absent)
//   dualWrite    true: every write also goes back to localStorage in the
//                legacy shape, best effort within the quota (first with
//                images inlined, then without, then not at all), so the old
//                app can take over again at any time
//   images       how blob references come back: 'ref' ("blob:sha256:..."),
//                'objectUrl' (URL.createObjectURL, needs store.blobs) or 'inline'
//                (data: URLs again, as the old app stored them)
// Errors come back the way the old app reported them: {success: false, error}.
import { localTimeZone } from './timezone.js';
import { pageLocalStorage } from './collect.js';

const REF = /^blob:sha256:[0-9a-f]{64}(#|$)/;

function readList(storage, key) {
  try {
    const v = JSON.parse(storage.getItem(key) ?? '[]');
    return Array.isArray(v) ? v : [];
  } catch {
    return [];
  }
}

const sameId = (a, b) => a !== undefined && a !== null && a !== '' && String(a) === String(b);

/**
 * @param {{store?: any, localStorage?: Storage, useDatabase?: boolean, dualWrite?: boolean,
 *          images?: 'ref'|'objectUrl'|'inline', onWriteBack?: (result: object) => void}} [options]
 */
export function createLegacyFacade(options = {}) {
  const { store = null, useDatabase = true, dualWrite = false, images = 'ref', onWriteBack } = options;
  const storage = 'localStorage' in options ? options.localStorage : pageLocalStorage();
  const call = (op, args) => store.call(op, args);

  async function present(value) {
    if (images !== 'objectUrl' || !store?.blobs?.objectUrl) return value;
    const walk = async (v) => {
      if (typeof v === 'string') return REF.test(v) ? store.blobs.objectUrl(v) : v;
      if (Array.isArray(v)) return Promise.all(v.map(walk));
      if (v && typeof v === 'object') {
        for (const k of Object.keys(v)) v[k] = await walk(v[k]);
      }
      return v;
    };
    return walk(value);
  }

  async function exported(key) {
    const { entries } = await call('legacy.export', { keys: [key], inlineImages: images === 'inline' });
    const entry = entries.find((e) => e.key === key);
    if (!entry) return key === 'sample_data' ? null : [];
    return JSON.parse(entry.value);
  }

  // Dual write: the key regenerated from the database, written back; the
  // engine records it as ours so the next import does not re-migrate it.
  async function writeBack(keys) {
    if (!dualWrite || !storage) return null;
    let result = null;
    for (const inlineImages of [true, false]) {
      const { entries } = await call('legacy.export', { keys, inlineImages, acknowledge: true });
      const failed = [];
      for (const { key, value } of entries) {
        try {
          storage.setItem(key, value);
        } catch (err) {
          failed.push({ key, error: err?.name === 'QuotaExceededError' ? 'QUOTA' : String(err?.message ?? err) });
        }
      }
      result = { keys, inlineImages, failed };
      if (failed.length === 0) break;
    }
    try { onWriteBack?.(result); } catch { /* a hook must not fail the write */ }
    return result;
  }

  const legacyOnly = {
    saveAd(adData) {
      const campaigns = readList(storage, 'campaigns');
      const existing = adData?.campaignId !== undefined ? campaigns.find((c) => sameId(c?.id, adData.campaignId)) : null;
      const campaign = existing ?? {
        id: Date.now(),
        name: adData?.campaignName || 'Untitled Campaign',
        type: adData?.ctaType === 'WHERE_TO_BUY' ? 'Where to Buy' : 'Add to Cart',
        status: 'active',
        createdAt: new Date().toISOString(),
      };
      campaign.adData = adData;
      if (existing) {
        if (adData?.campaignName) campaign.name = adData.campaignName;
        campaign.updatedAt = new Date().toISOString();
      } else {
        campaigns.push(campaign);
      }
      storage.setItem('campaigns', JSON.stringify(campaigns));
      return campaign;
    },
    getCampaigns: () => readList(storage, 'campaigns'),
    getSavedCampaigns: () => readList(storage, 'saved_campaigns'),
    getProducts: () => readList(storage, 'products'),
  };

  return {
    useDatabase,
    dualWrite,

    /** Saves an ad as a legacy campaign: {success, campaign} | {success: false, error}. */
    async saveAd(adData) {
      try {
        if (!useDatabase) return { success: true, campaign: legacyOnly.saveAd(adData) };
        const { value } = await call('legacy.saveAd', { adData, timeZone: localTimeZone() });
        await writeBack(['campaigns']);
        return { success: true, campaign: await present(JSON.parse(value)) };
      } catch (err) {
        return { success: false, error: String(err?.message ?? err) };
      }
    },

    /** Legacy campaigns (the `campaigns` key's shape). */
    async getCampaigns() {
      return useDatabase ? present(await exported('campaigns')) : legacyOnly.getCampaigns();
    },

    /** V2 campaigns (the `saved_campaigns` key's shape). */
    async getSavedCampaigns() {
      return useDatabase ? present(await exported('saved_campaigns')) : legacyOnly.getSavedCampaigns();
    },

    /** Products with images and background versions, in the legacy shape. */
    async getProducts() {
      return useDatabase ? present(await exported('products')) : legacyOnly.getProducts();
    },

    /** One product by its legacy id (42 and "42" alike) or row id; null if none. */
    async getProduct(id) {
      if (!useDatabase) return legacyOnly.getProducts().find((p) => sameId(p?.id, id)) ?? null;
      const got = await call('legacy.get', { entity: 'products', id, inlineImages: images === 'inline' });
      return got ? present(JSON.parse(got.value)) : null;
    },

    /** One legacy campaign by its legacy id or row id; null if none. */
    async getCampaign(id) {
      if (!useDatabase) return legacyOnly.getCampaigns().find((c) => sameId(c?.id, id)) ?? null;
      const got = await call('legacy.get', { entity: 'campaigns', id, inlineImages: images === 'inline' });
      return got ? present(JSON.parse(got.value)) : null;
    },

    /** Writes the given legacy keys back now (dual write on demand). */
    writeBack: (keys = ['products', 'campaigns', 'saved_campaigns', 'backgrounds']) => writeBack(keys),
  };
}
