// Statistics and the Markdown report: medians over repeated runs with
// min/max, and each figure as a ratio to the best peer of its workload.
import os from 'node:os';

export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

export function loadavg() {
  return os.loadavg().map((x) => x.toFixed(2)).join(' / ');
}

/**
 * A section collects rows {workload, peer, unit, values, better: 'lower'|'higher', note, ok}.
 * ok: false marks a peer whose answer did not verify (it never counts as best).
 */
export class Section {
  constructor(title, { intro = '' } = {}) {
    this.title = title;
    this.intro = intro;
    this.rows = [];
    this.notes = [];
    this.loadStart = loadavg();
    this.started = Date.now();
  }
  add(workload, peer, values, { unit = 'ms', better = 'lower', note = '', ok = true, failed = 'wrong answer' } = {}) {
    const row = { workload, peer, unit, values: values.filter((v) => Number.isFinite(v)), better, note, ok, failed };
    this.rows.push(row);
    return row;
  }
  note(text) {
    this.notes.push(text);
  }
  finish() {
    this.loadEnd = loadavg();
    this.seconds = (Date.now() - this.started) / 1000;
  }
  /** The median of a peer's row (for goals), or NaN. */
  value(workload, peer) {
    const r = this.rows.find((x) => x.workload === workload && x.peer === peer);
    return r && r.values.length ? median(r.values) : NaN;
  }
  markdown() {
    const out = [`### ${this.title}`, ''];
    if (this.intro) out.push(this.intro, '');
    out.push(`Load average (1/5/15 min) at start ${this.loadStart}, at end ${this.loadEnd}; ${this.seconds.toFixed(0)} s.`, '');
    out.push('| workload | peer | median | min | max | runs | vs best |', '| --- | --- | ---: | ---: | ---: | ---: | ---: |');
    const groups = new Map();
    for (const r of this.rows) {
      if (!groups.has(r.workload)) groups.set(r.workload, []);
      groups.get(r.workload).push(r);
    }
    for (const [workload, rows] of groups) {
      const meds = rows.filter((r) => r.ok && r.values.length).map((r) => median(r.values));
      const best = rows[0].better === 'higher' ? Math.max(...meds) : Math.min(...meds);
      for (const r of rows) {
        if (!r.values.length) {
          out.push(`| ${workload} | ${r.peer} | — | | | 0 | ${r.note || 'not run'} |`);
          continue;
        }
        const m = median(r.values);
        if (!meds.length) {
          out.push(`| ${workload} | ${r.peer} | ${fmt(m, r.unit)} | | | ${r.values.length} | — ✗ ${r.failed} |`);
          continue;
        }
        const ratio = r.better === 'higher' ? best / m : m / best;
        if (!r.ok) {
          out.push(`| ${workload} | ${r.peer}${r.note ? ` (${r.note})` : ''} | ${fmt(m, r.unit)} | ${fmt(Math.min(...r.values), r.unit)} | ` +
            `${fmt(Math.max(...r.values), r.unit)} | ${r.values.length} | ✗ ${r.failed} |`);
          continue;
        }
        const mark = !r.ok ? ` ✗ ${r.failed}` : Math.abs(ratio - 1) < 1e-9 ? ' **best**' : '';
        const u = r.unit;
        out.push(`| ${workload} | ${r.peer}${r.note ? ` (${r.note})` : ''} | ${fmt(m, u)} | ${fmt(Math.min(...r.values), u)} | ` +
          `${fmt(Math.max(...r.values), u)} | ${r.values.length} | ${ratio.toFixed(2)}×${mark} |`);
      }
    }
    if (this.notes.length) out.push('', ...this.notes.map((n) => `- ${n}`));
    out.push('');
    return out.join('\n');
  }
}

export function fmt(v, unit) {
  if (unit === 'bytes') return `${(v / 1024).toFixed(v < 10240 ? 1 : 0)} KiB`;
  if (unit === 'ms') return `${v < 1 ? v.toFixed(3) : v < 100 ? v.toFixed(1) : v.toFixed(0)} ms`;
  if (unit === 's') return `${v.toFixed(2)} s`;
  return `${v.toFixed(2)} ${unit}`;
}
