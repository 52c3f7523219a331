// The data every peer of the Node and Chromium workloads gets: generated
// once per run from a fixed seed, written to one JSON file, read by each
// peer before its clock starts. Peers never generate data of their own, so
// "same data" holds by construction.
export const SIZES = {
  full: { products: 10_000, imagesPerProduct: 3, reads: 5_000, listCategories: 6, pageSize: 50,
    searches: 300, draftCampaigns: 50, draftSaves: 1_000, warmProducts: 300 },
  quick: { products: 2_000, imagesPerProduct: 3, reads: 1_000, listCategories: 3, pageSize: 50,
    searches: 100, draftCampaigns: 20, draftSaves: 300, warmProducts: 150 },
};

const ADJ = ['trail', 'urban', 'classic', 'vintage', 'rapid', 'cozy', 'bold', 'silent', 'bright', 'alpine',
  'coastal', 'midnight', 'golden', 'electric', 'organic', 'rugged', 'nimble', 'lunar', 'solar', 'velvet'];
const NOUN = ['runner', 'jacket', 'backpack', 'sneaker', 'hoodie', 'bottle', 'lamp', 'headphones', 'watch',
  'wallet', 'tent', 'kettle', 'blender', 'sunglasses', 'scarf', 'boots', 'camera', 'speaker', 'chair', 'desk'];
const COLOR = ['red', 'blue', 'green', 'black', 'white', 'grey', 'navy', 'olive', 'sand', 'teal'];
export const BRANDS = ['Acme', 'Globex', 'Initech', 'Umbrella', 'Hooli', 'Stark', 'Wayne', 'Tyrell', 'Soylent',
  'Cyberdyne', 'Aperture', 'Wonka', 'Gringotts', 'Vandelay', 'Oceanic', 'Massive', 'Pied Piper', 'Dunder', 'Nakatomi',
  'Monarch'];
export const CATEGORIES = ['shoes', 'apparel', 'bags', 'outdoor', 'kitchen', 'audio', 'home', 'office', 'travel',
  'fitness', 'beauty', 'toys', 'garden', 'pets', 'books', 'games', 'tools', 'auto', 'music', 'baby'];

export function rng(seed) {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13; x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5; x >>>= 0;
    return x / 4294967296;
  };
}

/** One product as the public API takes it (products.create args). */
function product(i, r) {
  const pick = (xs) => xs[Math.floor(r() * xs.length)];
  const name = `${pick(ADJ)} ${pick(COLOR)} ${pick(NOUN)} ${i}`;
  const brand = BRANDS[i % BRANDS.length];
  const category = CATEGORIES[(i * 7) % CATEGORIES.length];
  const cents = 100 + Math.floor(r() * 99_900);
  const price = `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;
  const description = `${name} by ${brand}: ${pick(ADJ)} ${pick(NOUN)} for every ${pick(ADJ)} day, ${pick(COLOR)} finish.`;
  const images = [];
  return { name, brand, category, price, description, images, cents };
}

/** A builder draft's step data, ~3 KB of JSON, as the app autosaves it. */
export function stepData(rev, campaign) {
  const steps = [];
  for (let s = 0; s < 10; s++) {
    steps.push({ step: s, title: `Step ${s} of campaign ${campaign}`, copy: 'Lorem ipsum dolor sit amet, '.repeat(8), done: s < 3 });
  }
  return { rev, campaign, currentStep: rev % 5, audience: { ageRange: [18, 34], locations: ['US', 'CA'] }, steps };
}

export function generate(mode) {
  const size = SIZES[mode];
  const r = rng(20261124);
  const products = [];
  for (let i = 0; i < size.products; i++) {
    const p = product(i, r);
    for (let k = 0; k < size.imagesPerProduct; k++) {
      p.images.push({ url: `https://cdn.example.com/products/${i}/image-${k}-${Math.floor(r() * 1e9).toString(36)}.png` });
    }
    products.push(p);
  }
  const warm = [];
  for (let i = 0; i < size.warmProducts; i++) {
    const p = product(1_000_000 + i, r);
    p.images.push({ url: `https://cdn.example.com/warm/${i}.png` });
    warm.push(p);
  }
  const reads = Array.from({ length: size.reads }, () => Math.floor(r() * size.products));
  const listCategories = CATEGORIES.slice(0, size.listCategories);
  const terms = [...ADJ, ...NOUN, ...COLOR, 'acme', 'glob', 'run', 'sn', 'head'];
  const searches = Array.from({ length: size.searches }, (_, i) => terms[(i * 13) % terms.length]);
  // Draft saves: save i goes to campaign i % draftCampaigns with revision i.
  const drafts = { campaigns: size.draftCampaigns, saves: size.draftSaves };
  return { mode, size, products, warm, reads, listCategories, searches, drafts };
}

/** What a correct run must produce, computed from the data alone. */
export function expected(data) {
  const { products, reads, listCategories, drafts } = data;
  const bulk = {
    products: products.length,
    images: products.reduce((n, p) => n + p.images.length, 0),
    priceCents: products.reduce((n, p) => n + p.cents, 0),
    nameChars: products.reduce((n, p) => n + p.name.length, 0),
  };
  let readSum = 0;
  for (const i of reads) readSum += readChecksum(products[i].name, products[i].cents, products[i].images.length,
    products[i].images.reduce((n, im) => n + im.url.length, 0));
  const list = { items: 0, priceCents: 0 };
  for (const c of listCategories) {
    for (const p of products) if (p.category === c) { list.items++; list.priceCents += p.cents; }
  }
  let revSum = 0;
  for (let c = 0; c < drafts.campaigns; c++) {
    let last = -1;
    for (let i = 0; i < drafts.saves; i++) if (i % drafts.campaigns === c) last = i;
    if (last >= 0) revSum += last;
  }
  return { bulk, reads: readSum, list, drafts: { rows: Math.min(drafts.campaigns, drafts.saves), revSum } };
}

/** Per product read: the same arithmetic in every peer (JS and C++). */
export function readChecksum(name, cents, images, urlChars) {
  return name.length + cents + images * 1000 + urlChars;
}

/** "12.34" -> 1234, the way every peer turns the API's money into cents. */
export function cents(price) {
  const [whole, frac = ''] = String(price).split('.');
  return Number(whole) * 100 + Number((frac + '00').slice(0, 2));
}
