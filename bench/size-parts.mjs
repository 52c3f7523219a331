// What the wasm's code bytes are made of: every function body of a build
// linked with names (`--profiling-funcs`, which changes no code), attributed
// to a part by its (demangled) name, summed raw and gzip -9 (each part's
// bodies compressed together, so the gzip column adds up to about the whole).
//   relink build/wasm's link line (CMakeFiles/campaign_store_wasm.dir/link.txt)
//   with --profiling-funcs and another -o, then
//   node bench/size-parts.mjs file.wasm
// C functions are told apart by name only: libc's few land with SQLite.
import fs from 'node:fs';
import { execFileSync } from 'node:child_process';
import { gzipSync } from 'node:zlib';

// First match wins; order from the most specific.
const PARTS = [
  ['SQLite (sqlite3*, FTS5, JSON1, its statics)', /^(sqlite3|fts5|Fts5|json|jsonb|rtree|vdbe|btree|pager|pcache|wal|yy|sqlite)|^[a-z][a-zA-Z0-9]*$/],
  ['nlohmann::json', /nlohmann/],
  ['legacy import/export (cs::legacy)', /cs::legacy|legacy_/],
  ['sync (cs::sync)', /cs::sync/],
  ['VFS (cs::vfs)', /cs::vfs/],
  ['model: repositories, values, schema (cs::model, cs::...repo)', /cs::(model|Products|Campaigns|Drafts|Images|Creatives|Accounts|Row|Table|Field|List|search|migrations|schema)/],
  ['door: dispatcher, ops, args, JSON text (cs::ops, cs::json...)', /cs::(ops|Dispatcher|Args|Session|json_text|json|op_table|find_op)/],
  ['other campaign-store (cs::)', /cs::/],
  ['embind', /emscripten::|embind|_embind/],
  ['libc++ (std::)', /std::|__cxx|__cxa|_Unwind|__gxx|__dynamic_cast|typeinfo|vtable/],
  ['libc, malloc, compiler-rt', /./],
];

function leb(buf, pos) {
  let result = 0, shift = 0, byte;
  do {
    byte = buf[pos.p++];
    result += (byte & 0x7f) * 2 ** shift;
    shift += 7;
  } while (byte & 0x80);
  return result;
}

/** {name, body: Buffer}[] of the defined functions, names from the "name" section. */
export function functionBodies(bytes) {
  const pos = { p: 8 };
  let imported = 0;
  const bodies = [];
  const names = new Map();
  while (pos.p < bytes.length) {
    const id = bytes[pos.p++];
    const len = leb(bytes, pos);
    const end = pos.p + len;
    if (id === 2) {  // imports: functions among them shift the indices
      const n = leb(bytes, pos);
      for (let i = 0; i < n; i++) {
        for (let k = 0; k < 2; k++) {  // module and field names
          const l = leb(bytes, pos);
          pos.p += l;
        }
        const kind = bytes[pos.p++];
        const limits = () => { const flags = bytes[pos.p++]; leb(bytes, pos); if (flags & 1) leb(bytes, pos); };
        if (kind === 0) { leb(bytes, pos); imported++; }  // function: type index
        else if (kind === 1) { pos.p++; limits(); }  // table: reftype, limits
        else if (kind === 2) limits();  // memory
        else if (kind === 3) pos.p += 2;  // global: valtype, mutability
        else if (kind === 4) { pos.p++; leb(bytes, pos); }  // tag: attribute, type index
      }
    } else if (id === 10) {
      const n = leb(bytes, pos);
      for (let i = 0; i < n; i++) {
        const size = leb(bytes, pos);
        bodies.push(bytes.subarray(pos.p, pos.p + size));
        pos.p += size;
      }
    } else if (id === 0) {
      const nameLen = leb(bytes, pos);
      const section = bytes.subarray(pos.p, pos.p + nameLen).toString();
      pos.p += nameLen;
      if (section === 'name') {
        while (pos.p < end) {
          const sub = bytes[pos.p++];
          const subLen = leb(bytes, pos);
          const subEnd = pos.p + subLen;
          if (sub === 1) {
            const n = leb(bytes, pos);
            for (let i = 0; i < n; i++) {
              const index = leb(bytes, pos);
              const l = leb(bytes, pos);
              names.set(index, bytes.subarray(pos.p, pos.p + l).toString());
              pos.p += l;
            }
          }
          pos.p = subEnd;
        }
      }
    }
    pos.p = end;
  }
  return bodies.map((body, i) => ({ name: names.get(i + imported) ?? `f${i + imported}`, body }));
}

function demangle(names) {
  try {
    return execFileSync('c++filt', { input: names.join('\n'), maxBuffer: 256 << 20 }).toString().split('\n');
  } catch {
    return names;
  }
}

/** The qualified name without its parameter list: what the function is, not what it takes. */
function qualified(name) {
  let depth = 0;
  for (let i = 0; i < name.length; i++) {
    const c = name[i];
    if (c === '<') depth++;
    else if (c === '>') depth--;
    else if (c === '(' && depth <= 0 && i > 0) return name.slice(0, i);
  }
  return name;
}

export function sizeParts(file) {
  const fns = functionBodies(fs.readFileSync(file));
  const plain = demangle(fns.map((f) => f.name)).map(qualified);
  const parts = new Map(PARTS.map(([label]) => [label, { raw: 0, bodies: [], count: 0 }]));
  fns.forEach((f, i) => {
    const label = PARTS.find(([, re]) => re.test(plain[i]))[0];
    const part = parts.get(label);
    part.raw += f.body.length;
    part.bodies.push(f.body);
    part.count++;
  });
  return [...parts].map(([label, p]) => ({ part: label, functions: p.count, raw: p.raw,
    gzip: p.raw ? gzipSync(Buffer.concat(p.bodies), { level: 9 }).length : 0 }));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const file = process.argv[2];
  const rows = sizeParts(file);
  const total = rows.reduce((a, r) => ({ raw: a.raw + r.raw, gzip: a.gzip + r.gzip }), { raw: 0, gzip: 0 });
  console.log('| part | functions | code bytes | gzip -9 | share of code (gzip) |\n| --- | ---: | ---: | ---: | ---: |');
  for (const r of rows) console.log(`| ${r.part} | ${r.functions} | ${r.raw.toLocaleString()} | ${r.gzip.toLocaleString()} | ${(100 * r.gzip / total.gzip).toFixed(0)}% |`);
  console.log(`| all code | ${rows.reduce((a, r) => a + r.functions, 0)} | ${total.raw.toLocaleString()} | ${total.gzip.toLocaleString()} | 100% |`);
}
