// Images: files picked from disk become image rows; a background version is
// painted locally on a canvas (the real app asks fal.ai; the demo has no AI
// service, so it says so in the version's metadata). Bytes go to the store's
// blob store (store.blobs), content-addressed; rows keep the reference.
import { useEffect, useState } from 'react';
import { useCampaignStore } from 'campaign-store/react';

export const MAX_IMAGE_BYTES = 8 * 1024 * 1024;
const DIRECT = /^(data:|https?:|blob:(?!sha256:))/i;  // blob:sha256:… is a stored blob, not an object URL
// A synced image's public Storage URL ends in its content hash: shown from the
// local copy when there is one (offline), else from Storage (store.blobs.objectUrl).
const STORED = /\/storage\/v1\/object\/public\/[^/?#]+\/(?:[^?#]*\/)?[0-9a-f]{64}(?:[?#]|$)/;

/** A picked File -> the fields of images.add / products.create({images}). */
export async function imageFromFile(store, file) {
  if (!file.type.startsWith('image/')) throw new Error(`${file.name} is not an image`);
  if (file.size > MAX_IMAGE_BYTES) throw new Error(`${file.name} is larger than ${MAX_IMAGE_BYTES / 1024 / 1024} MB`);
  const { width, height } = await imageSize(file);
  const url = await storeBytes(store, file, file.type);
  return {
    url,
    fileName: file.name,
    size: file.size,
    altText: file.name.replace(/\.[^.]+$/, '').replace(/[-_]+/g, ' '),
    metadata: { type: file.type, width, height, source: 'upload' },
  };
}

// Content-addressed: the row keeps "blob:sha256:<hex>", never the bytes.
async function storeBytes(store, blob, type) {
  const stored = await store.blobs.put(new Uint8Array(await blob.arrayBuffer()), type || undefined);
  return stored.ref;
}

async function imageSize(blob) {
  try {
    const bitmap = await createImageBitmap(blob);
    const size = { width: bitmap.width, height: bitmap.height };
    bitmap.close();
    return size;
  } catch {
    return { width: null, height: null };
  }
}

/**
 * Paints a background for the product photo at `src` from the prompt (a
 * seeded gradient with soft shapes, the product centred on it).
 * @returns {Promise<{url: string, processingTime: number, metadata: object}>}
 */
export async function generateBackground(store, { src, prompt }) {
  const started = performance.now();
  const size = 512;
  const canvas = document.createElement('canvas');
  canvas.width = size;
  canvas.height = size;
  const ctx = canvas.getContext('2d');
  const rand = seeded(prompt);
  const hue = Math.floor(rand() * 360);
  const gradient = ctx.createLinearGradient(0, 0, size, size);
  gradient.addColorStop(0, `hsl(${hue} 70% 82%)`);
  gradient.addColorStop(1, `hsl(${(hue + 40 + rand() * 80) % 360} 60% 58%)`);
  ctx.fillStyle = gradient;
  ctx.fillRect(0, 0, size, size);
  for (let i = 0; i < 7; i++) {
    ctx.beginPath();
    ctx.fillStyle = `hsl(${(hue + rand() * 120) % 360} 80% ${60 + rand() * 30}% / 0.35)`;
    ctx.arc(rand() * size, rand() * size, 30 + rand() * 140, 0, Math.PI * 2);
    ctx.fill();
  }
  const photo = await loadImage(src).catch(() => null);
  if (photo) {
    const scale = Math.min((size * 0.7) / photo.width, (size * 0.7) / photo.height);
    const w = photo.width * scale;
    const h = photo.height * scale;
    ctx.shadowColor = 'rgb(0 0 0 / 0.25)';
    ctx.shadowBlur = 24;
    ctx.shadowOffsetY = 12;
    ctx.drawImage(photo, (size - w) / 2, (size - h) / 2, w, h);
  }
  const png = await new Promise((resolve) => canvas.toBlob(resolve, 'image/png'));
  const url = await storeBytes(store, png, "image/png");
  return {
    url,
    processingTime: Math.round(performance.now() - started),
    metadata: { generator: 'campaign-builder-demo/canvas', note: 'painted locally: the demo has no AI service', width: size, height: size },
  };
}

function loadImage(src) {
  return new Promise((resolve, reject) => {
    if (!src) { reject(new Error('no image')); return; }
    const img = new Image();
    img.onload = () => resolve(img);
    img.onerror = () => reject(new Error('image failed to load'));
    img.src = src;
  });
}

function seeded(text) {
  let h = 2166136261;
  for (const ch of String(text)) h = Math.imul(h ^ ch.codePointAt(0), 16777619);
  return () => {
    h = Math.imul(h ^ (h >>> 15), 2246822507);
    h = Math.imul(h ^ (h >>> 13), 3266489909);
    return ((h ^= h >>> 16) >>> 0) / 4294967296;
  };
}

/**
 * What an <img> can show for a stored image URL: data:/http(s): as they are,
 * anything else (a blob reference, a synced blob's Storage URL) through the
 * store's blob API.
 */
export function useImageSrc(url) {
  const store = useCampaignStore();
  const direct = typeof url === 'string' && DIRECT.test(url) && !STORED.test(url);
  const [resolved, setResolved] = useState(null);
  useEffect(() => {
    if (!url || direct) return undefined;
    let alive = true;
    // The store makes one object URL per blob and revokes it on close.
    store.blobs.objectUrl(url).then((u) => {
      if (alive) setResolved(typeof u === 'string' ? u : null);
    }, () => {});
    return () => {
      alive = false;
      setResolved(null);
    };
  }, [store, url, direct]);
  return direct ? url : resolved;
}
