// Runs one peer once, isolated: a fresh worker thread (JS peers) or a fresh
// process (native peers), bounded in time.
import { execFile } from 'node:child_process';
import { Worker } from 'node:worker_threads';

export function inWorker(file, workerData, { timeoutMs = 180_000 } = {}) {
  return new Promise((resolve, reject) => {
    const w = new Worker(file, { workerData });
    const timer = setTimeout(() => {
      w.terminate();
      reject(new Error(`${file}: timed out after ${timeoutMs} ms`));
    }, timeoutMs);
    w.once('message', (m) => {
      clearTimeout(timer);
      w.terminate();
      if (m.error) reject(new Error(m.error));
      else resolve(m.result);
    });
    w.once('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
  });
}

export function native(bin, args, { timeoutMs = 180_000 } = {}) {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    execFile(bin, args, { timeout: timeoutMs, maxBuffer: 64 << 20 }, (err, stdout) => {
      const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
      let out;
      try {
        out = JSON.parse(stdout);
      } catch {
        reject(err ?? new Error(`${bin} ${args.join(' ')}: no JSON on stdout`));
        return;
      }
      if (out.error) reject(new Error(`${bin} ${args[0]}: ${out.error}`));
      else resolve({ ...out, wallMs });
    });
  });
}
