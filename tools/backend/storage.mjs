// The slice of Supabase Storage the module uses: upload (POST/PUT with
// x-upsert), public read, owner read. Object rows live in storage.objects
// and are written as the caller's role, so the bucket policies in
// supabase/migrations decide ownership exactly as on Supabase; the bytes
// live in files under a temp dir.
import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { withRequestTx } from './request-tx.mjs';

export const STORAGE_MAX_BYTES = 50 * 1024 * 1024; // Supabase's default per-file limit

export class StorageError extends Error {
  constructor(status, error, message) {
    super(message);
    this.status = status;
    this.body = { statusCode: String(status), error, message };
  }
}

const BUCKET_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;

/** Validates `bucket` and the decoded object name; returns the name's segments. */
export function checkObjectPath(bucket, name) {
  if (!BUCKET_RE.test(bucket)) throw new StorageError(400, 'InvalidBucketName', 'The bucket name is invalid');
  const segments = name.split('/');
  const bad = !name || name.length > 1024 || /[\0\\]/.test(name) ||
    segments.some((s) => s === '' || s === '.' || s === '..');
  if (bad) throw new StorageError(400, 'InvalidKey', `Invalid key: ${name}`);
  return segments;
}

async function parseUpload(req, buf) {
  const type = req.headers['content-type'] ?? '';
  if (type.startsWith('multipart/form-data')) {
    // supabase-js sends Blobs/Files as a form: one unnamed file part plus
    // cacheControl. undici's Response parses multipart for us.
    const form = await new Response(buf, { headers: { 'content-type': type } }).formData();
    let file = null;
    for (const [, value] of form.entries()) {
      if (typeof value === 'object' && value !== null && 'arrayBuffer' in value) { file = value; break; }
    }
    if (!file) throw new StorageError(400, 'InvalidRequest', 'No file found in the form');
    return {
      data: Buffer.from(await file.arrayBuffer()),
      mimetype: file.type || 'application/octet-stream',
      cacheControl: String(form.get('cacheControl') ?? '3600'),
    };
  }
  const cache = /max-age=(\d+)/.exec(req.headers['cache-control'] ?? '');
  return {
    data: buf,
    mimetype: type || 'application/octet-stream',
    cacheControl: cache ? cache[1] : '3600',
  };
}

function storageErrorFromPg(err) {
  if (err?.code === '23505') return new StorageError(409, 'Duplicate', 'The resource already exists');
  if (err?.code === '42501') return new StorageError(403, 'Unauthorized', 'new row violates row-level security policy');
  return err;
}

export function createStorage({ pool, root }) {
  fs.mkdirSync(root, { recursive: true });
  const service = { role: 'service_role', claims: { role: 'service_role' } };

  function filePath(bucket, segments) {
    const p = path.join(root, bucket, ...segments);
    if (!p.startsWith(root + path.sep)) throw new StorageError(400, 'InvalidKey', 'Invalid key');
    return p;
  }

  // Buckets are looked up with service rights, as storage-api does.
  async function bucket(id) {
    const { rows } = await withRequestTx(pool, service, (c) =>
      c.query('select id, public, file_size_limit from storage.buckets where id = $1', [id]));
    if (!rows[0]) throw new StorageError(404, 'Bucket not found', 'Bucket not found');
    return rows[0];
  }

  async function upload({ req, body, auth, bucketId, name, upsert }) {
    const segments = checkObjectPath(bucketId, name);
    const b = await bucket(bucketId);
    const { data, mimetype, cacheControl } = await parseUpload(req, body);
    if (b.file_size_limit && data.length > Number(b.file_size_limit)) {
      throw new StorageError(413, 'Payload too large', 'The object exceeded the maximum allowed size');
    }
    const metadata = {
      eTag: `"${createHash('md5').update(data).digest('hex')}"`,
      size: data.length,
      mimetype,
      cacheControl: `max-age=${cacheControl}`,
      lastModified: new Date().toISOString(),
      contentLength: data.length,
      httpStatusCode: 200,
    };
    const target = filePath(bucketId, segments);
    const tmp = `${target}.${randomUUID()}.part`;
    let created = false;
    try {
      return await withRequestTx(pool, { ...auth, method: req.method, path: req.url }, async (c) => {
        const sql = `insert into storage.objects as o (bucket_id, name, owner, owner_id, metadata, version)
                     values ($1, $2, auth.uid(), auth.uid()::text, $3, $4)
                     ${upsert ? `on conflict (bucket_id, name) do update
                        set owner = excluded.owner, owner_id = excluded.owner_id, metadata = excluded.metadata,
                            version = excluded.version, updated_at = now()` : ''}
                     returning id, (xmax = 0) as inserted`;
        const { rows } = await c.query(sql, [bucketId, name, JSON.stringify(metadata), randomUUID()]);
        // The row lock taken above orders concurrent writers of one object,
        // so the rename happens in the same order as the commits.
        fs.mkdirSync(path.dirname(target), { recursive: true });
        fs.writeFileSync(tmp, data);
        fs.renameSync(tmp, target);
        created = rows[0].inserted;
        return { Key: `${bucketId}/${name}`, Id: rows[0].id };
      });
    } catch (err) {
      fs.rmSync(tmp, { force: true });
      if (created) fs.rmSync(target, { force: true }); // commit failed after the file landed
      throw storageErrorFromPg(err);
    }
  }

  async function read({ bucketId, name, auth }) {
    const segments = checkObjectPath(bucketId, name);
    const b = await bucket(bucketId);
    // Public objects: anyone. Otherwise the caller's select policy decides.
    const who = auth ?? service;
    if (!auth && !b.public) throw new StorageError(400, 'InvalidRequest', 'The bucket is not public');
    const { rows } = await withRequestTx(pool, who, (c) =>
      c.query('select metadata from storage.objects where bucket_id = $1 and name = $2', [bucketId, name]));
    if (!rows[0]) throw new StorageError(404, 'not_found', 'Object not found');
    let data;
    try {
      data = fs.readFileSync(filePath(bucketId, segments));
    } catch {
      throw new StorageError(404, 'not_found', 'Object not found');
    }
    const meta = rows[0].metadata ?? {};
    return {
      data,
      headers: {
        'content-type': meta.mimetype ?? 'application/octet-stream',
        'cache-control': meta.cacheControl ?? 'no-cache',
        etag: meta.eTag ?? '',
        'content-length': data.length,
      },
    };
  }

  return { upload, read };
}
