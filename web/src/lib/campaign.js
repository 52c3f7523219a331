// The builder's step data (what useDraftAutosave saves as the draft) and how
// it maps to and from a campaign row. Drafts migrated from the legacy app
// have other shapes; normalizeStepData takes whatever it finds.

export const STEPS = [
  { key: 'product', label: 'Product' },
  { key: 'audience', label: 'Audience' },
  { key: 'platforms', label: 'Platforms' },
  { key: 'creatives', label: 'Creatives' },
  { key: 'publish', label: 'Publish' },
];

export const PLATFORMS = [
  { id: 'meta', name: 'Meta (Facebook & Instagram)', placements: ['feed', 'stories', 'reels'] },
  { id: 'display', name: 'Display network', placements: [] },
  { id: 'ctv', name: 'Connected TV', placements: [] },
  { id: 'tiktok', name: 'TikTok', placements: [] },
];

export const FORMATS = [
  { id: 'feed-square', name: 'Feed square', width: 1080, height: 1080 },
  { id: 'story', name: 'Story', width: 1080, height: 1920 },
  { id: 'medium-rectangle', name: 'Medium rectangle', width: 300, height: 250 },
  { id: 'leaderboard', name: 'Leaderboard', width: 728, height: 90 },
  { id: 'ctv-16x9', name: 'CTV 16:9', width: 1920, height: 1080 },
];

export const CTAS = [
  { id: 'SHOP_NOW', label: 'Shop now' },
  { id: 'LEARN_MORE', label: 'Learn more' },
  { id: 'WHERE_TO_BUY', label: 'Where to buy' },
  { id: 'ADD_TO_CART', label: 'Add to cart' },
];

export const CURRENCIES = ['USD', 'EUR', 'GBP', 'CAD', 'AUD'];

export const STATUSES = ['draft', 'scheduled', 'active', 'paused', 'completed', 'archived'];

/** Allowed status moves (campaigns.setStatus checks the same). */
export const TRANSITIONS = {
  draft: ['scheduled', 'active', 'archived'],
  scheduled: ['draft', 'active', 'archived'],
  active: ['paused', 'completed', 'archived'],
  paused: ['active', 'completed', 'archived'],
  completed: ['archived'],
  archived: [],
};

export const TRANSITION_LABELS = {
  draft: 'Back to draft', scheduled: 'Schedule', active: 'Launch', paused: 'Pause',
  completed: 'Complete', archived: 'Archive',
};

// A creative's picture: '' (the product's primary photo), 'image:<id>' (one
// of the product's photos) or 'background:<id>' (a generated background).
export function newCreative(index = 0) {
  return { id: crypto.randomUUID(), formatId: FORMATS[index % 2].id, headline: '', body: '', cta: 'SHOP_NOW', imageKey: '' };
}

/** The image element a creative's imageKey becomes (null: no product photo at all). */
function imageElement(imageKey, primaryImageId) {
  const [kind, id] = imageKey ? imageKey.split(/:(.*)/s) : ['image', primaryImageId];
  if (!id) return null;
  return kind === 'background'
    ? { type: 'image', role: 'background', backgroundVersionId: id }
    : { type: 'image', role: 'product', productImageId: id };
}

/** A saved creative's elements -> its imageKey. */
function imageKeyOf(elements) {
  const e = elements.find((x) => x.type === 'image');
  if (e?.backgroundVersionId) return `background:${e.backgroundVersionId}`;
  return e?.productImageId ? `image:${e.productImageId}` : '';
}

/** The choice (from useImageChoices) a creative's elements show, or null. */
export function creativeImage(elements, choices) {
  const key = imageKeyOf(Array.isArray(elements) ? elements.map(obj) : []);
  return choices.find((c) => c.key === key) ?? null;
}

/**
 * A copy of a campaign with its creatives, as a draft named "… (copy)", in
 * one batch; resolves with the new campaign's id.
 */
export async function duplicateCampaign(store, c) {
  const id = crypto.randomUUID();
  const fields = {
    id, name: `${c.name} (copy)`.slice(0, 255), status: 'draft', source: 'v2', type: c.type ?? null,
    productId: c.productId ?? null, budget: c.budget ?? null, currency: c.currency ?? 'USD',
    startsAt: c.startsAt ?? null, endsAt: c.endsAt ?? null,
    audienceConfig: c.audienceConfig ?? {}, platformConfig: c.platformConfig ?? {},
    creativeConfig: c.creativeConfig ?? {}, publishConfig: { ...(c.publishConfig ?? {}), launch: 'draft' },
  };
  const creatives = (c.creatives ?? []).map((x) => ({
    op: 'creatives.create',
    args: { campaignId: id, name: x.name, formatId: x.formatId, formatName: x.formatName, width: x.width, height: x.height,
      elements: x.elements ?? [], metadata: { ...(x.metadata ?? {}), builderId: crypto.randomUUID() }, isActive: x.isActive !== false },
  }));
  await store.batch([{ op: 'campaigns.create', args: fields }, ...creatives]);
  return id;
}

const obj = (v) => (v && typeof v === 'object' && !Array.isArray(v) ? v : {});
const str = (v) => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');
const list = (v) => (Array.isArray(v) ? v.map(str).filter(Boolean).join(', ') : str(v));

/** Step data from a saved draft (ours or a migrated legacy one). */
export function normalizeStepData(raw, campaign) {
  const d = obj(raw);
  const base = fromCampaign(campaign);
  const audience = obj(d.audience);
  const ageRange = audience.ageRange;
  let [ageMin, ageMax] = [audience.ageMin, audience.ageMax];
  if (Array.isArray(ageRange)) [ageMin, ageMax] = ageRange;
  else if (typeof ageRange === 'string' && /^\d+\s*-\s*\d+$/.test(ageRange)) [ageMin, ageMax] = ageRange.split('-').map((x) => x.trim());
  else if (ageRange && typeof ageRange === 'object') ({ min: ageMin, max: ageMax } = ageRange);
  const platformsIn = d.platforms;
  const platforms = {};
  for (const p of PLATFORMS) {
    const given = Array.isArray(platformsIn) ? { enabled: platformsIn.includes(p.id) } : obj(obj(platformsIn)[p.id]);
    const placements = Array.isArray(given.placements) ? given.placements.filter((x) => p.placements.includes(x)) : base.platforms[p.id].placements;
    platforms[p.id] = { enabled: given.enabled === undefined ? base.platforms[p.id].enabled : Boolean(given.enabled), placements };
  }
  const creatives = Array.isArray(d.creatives) && d.creatives.length > 0
    ? d.creatives.map((c, i) => {
      const x = obj(c);
      const elements = Array.isArray(x.elements) ? x.elements : [];
      const text = (role) => str(x[role] ?? elements.find((e) => obj(e).role === role)?.content);
      return {
        id: str(x.id) || crypto.randomUUID(),
        formatId: FORMATS.some((f) => f.id === x.formatId) ? x.formatId : FORMATS[i % 2].id,
        headline: text('headline'),
        body: text('body'),
        cta: CTAS.some((a) => a.id === x.cta) ? x.cta : 'SHOP_NOW',
        imageKey: str(x.imageKey),
      };
    })
    : base.creatives;
  const publish = obj(d.publish);
  const product = d.product;
  return {
    currentStep: STEPS.some((s) => s.key === d.currentStep) ? d.currentStep : 'product',
    name: str(d.name) || base.name,
    productId: str(d.productId) || (typeof product === 'string' ? product : str(obj(product).id)) || base.productId,
    audience: {
      ageMin: str(ageMin) || base.audience.ageMin,
      ageMax: str(ageMax) || base.audience.ageMax,
      gender: ['all', 'female', 'male'].includes(audience.gender) ? audience.gender : base.audience.gender,
      locations: list(audience.locations) || base.audience.locations,
      interests: list(audience.interests) || base.audience.interests,
    },
    platforms,
    creatives,
    publish: {
      budget: str(publish.budget) || base.publish.budget,
      currency: CURRENCIES.includes(publish.currency) ? publish.currency : base.publish.currency,
      startsAt: str(publish.startsAt).slice(0, 10) || base.publish.startsAt,
      endsAt: str(publish.endsAt).slice(0, 10) || base.publish.endsAt,
      launch: ['draft', 'schedule', 'now'].includes(publish.launch) ? publish.launch : base.publish.launch,
    },
  };
}

/** Step data for a campaign without a draft: what the campaign row says. */
export function fromCampaign(c) {
  const audience = obj(c?.audienceConfig);
  const platformConfig = obj(c?.platformConfig);
  const publish = obj(c?.publishConfig);
  const platforms = {};
  for (const p of PLATFORMS) {
    const given = obj(platformConfig[p.id]);
    platforms[p.id] = {
      enabled: given.enabled === undefined ? p.id === 'meta' && Object.keys(platformConfig).length === 0 : Boolean(given.enabled),
      placements: Array.isArray(given.placements) ? given.placements : p.id === 'meta' ? ['feed'] : [],
    };
  }
  const rows = Array.isArray(c?.creatives) ? c.creatives.filter((x) => x.isActive !== false) : [];
  const creatives = rows.length > 0 ? rows.map(creativeFromRow) : [newCreative()];
  return {
    currentStep: 'product',
    name: c?.name && c.name !== UNTITLED ? c.name : '',
    productId: c?.productId ?? '',
    audience: {
      ageMin: str(audience.ageMin) || '18',
      ageMax: str(audience.ageMax) || '65',
      gender: audience.gender ?? 'all',
      locations: list(audience.locations),
      interests: list(audience.interests),
    },
    platforms,
    creatives,
    publish: {
      budget: str(c?.budget),
      currency: c?.currency ?? 'USD',
      startsAt: str(c?.startsAt).slice(0, 10),
      endsAt: str(c?.endsAt).slice(0, 10),
      launch: publish.launch ?? 'draft',
    },
  };
}

export const UNTITLED = 'Untitled campaign';

/** A saved creative row back into the builder's shape. */
function creativeFromRow(row) {
  const elements = Array.isArray(row.elements) ? row.elements.map(obj) : [];
  const text = (role) => str(elements.find((e) => e.role === role)?.content);
  const cta = obj(row.metadata).cta ?? elements.find((e) => e.type === 'cta')?.action;
  return {
    id: str(obj(row.metadata).builderId) || row.id,
    formatId: FORMATS.some((f) => f.id === row.formatId) ? row.formatId : FORMATS[0].id,
    headline: text('headline'),
    body: text('body'),
    cta: CTAS.some((a) => a.id === cta) ? cta : 'SHOP_NOW',
    imageKey: imageKeyOf(elements),
  };
}

/** Problems that keep the step data from becoming a campaign, by step. */
export function validate(d) {
  const problems = [];
  if (!d.name.trim()) problems.push({ step: 'product', message: 'Give the campaign a name.' });
  const min = Number(d.audience.ageMin);
  const max = Number(d.audience.ageMax);
  if (!Number.isInteger(min) || !Number.isInteger(max) || min < 13 || max > 100 || min > max) {
    problems.push({ step: 'audience', message: 'Ages must be whole numbers from 13 to 100, minimum first.' });
  }
  if (!PLATFORMS.some((p) => d.platforms[p.id]?.enabled)) problems.push({ step: 'platforms', message: 'Pick at least one platform.' });
  if (d.creatives.length === 0) problems.push({ step: 'creatives', message: 'Add at least one creative.' });
  if (d.creatives.some((c) => !c.headline.trim())) problems.push({ step: 'creatives', message: 'Every creative needs a headline.' });
  if (d.publish.budget && !/^\d{1,12}(\.\d{1,2})?$/.test(d.publish.budget.trim())) {
    problems.push({ step: 'publish', message: 'Budget must be a number like 500 or 1250.50.' });
  }
  if (d.publish.startsAt && d.publish.endsAt && d.publish.endsAt < d.publish.startsAt) {
    problems.push({ step: 'publish', message: 'The end date is before the start date.' });
  }
  if (d.publish.launch === 'schedule' && !d.publish.startsAt) problems.push({ step: 'publish', message: 'A scheduled campaign needs a start date.' });
  return problems;
}

const splitList = (text) => text.split(',').map((s) => s.trim()).filter(Boolean);

/** The campaign fields and creatives the builder's step data becomes. */
export function toCampaign(d, productImageId) {
  const creatives = d.creatives.map((c, i) => {
    const format = FORMATS.find((f) => f.id === c.formatId) ?? FORMATS[0];
    const cta = CTAS.find((a) => a.id === c.cta) ?? CTAS[0];
    return {
      name: `${format.name} ${i + 1}`,
      formatId: format.id,
      formatName: format.name,
      width: format.width,
      height: format.height,
      elements: [
        ...[imageElement(c.imageKey, productImageId)].filter(Boolean),
        { type: 'text', role: 'headline', content: c.headline.trim() },
        ...(c.body.trim() ? [{ type: 'text', role: 'body', content: c.body.trim() }] : []),
        { type: 'cta', role: 'cta', label: cta.label, action: cta.id },
      ],
      metadata: { builderId: c.id, cta: cta.id },
    };
  });
  const platformConfig = {};
  for (const p of PLATFORMS) platformConfig[p.id] = { enabled: Boolean(d.platforms[p.id]?.enabled), placements: d.platforms[p.id]?.placements ?? [] };
  return {
    fields: {
      name: d.name.trim(),
      productId: d.productId || null,
      budget: d.publish.budget.trim() || null,
      currency: d.publish.currency,
      startsAt: d.publish.startsAt ? new Date(`${d.publish.startsAt}T00:00:00Z`).toISOString() : null,
      endsAt: d.publish.endsAt ? new Date(`${d.publish.endsAt}T00:00:00Z`).toISOString() : null,
      audienceConfig: {
        ageMin: Number(d.audience.ageMin), ageMax: Number(d.audience.ageMax), gender: d.audience.gender,
        locations: splitList(d.audience.locations), interests: splitList(d.audience.interests),
      },
      platformConfig,
      creativeConfig: { count: creatives.length, formats: creatives.map((c) => c.formatId) },
      publishConfig: { launch: d.publish.launch },
    },
    creatives,
    status: d.publish.launch === 'now' ? 'active' : d.publish.launch === 'schedule' ? 'scheduled' : 'draft',
  };
}
