// The import driver: classifies the keys, skips groups whose values did not
// change since they were migrated (an XXH64 hash per key in legacy_sources, value_hash.cpp), and
// migrates each remaining group in its own transaction together with its
// legacy_sources rows. A group that fails rolls back alone and is reported;
// the next run tries it again. Groups run in dependency order (keys.cpp).
#include "internal.hpp"

#include "db/cold_code.hpp"
#include "model/clock.hpp"
#include "db/encoding.hpp"
#include "json/json_text.hpp"

#include <algorithm>
#include <array>
#include <chrono>

CS_COLD_CODE_BEGIN

namespace cs::legacy {

namespace {

struct Input {
  std::string key;
  std::string_view raw;
  std::string loaded;  // raw from legacy_sources, when the key is gone from localStorage
  bool lossy = false;
  bool present = true;
  KeyClass cls;
  std::string hash;
  std::int64_t units = 0;
};

struct Stored {
  std::string hash, echo_hash;
  bool released = false;
};

std::map<std::string, Stored> load_sources(Database& db) {
  return rows_by_key(db, "SELECT key, hash, echo_hash, released_at IS NOT NULL FROM legacy_sources", [](Statement& st) {
    Stored s;
    s.hash = st.column_text(1);
    if (!st.column_is_null(2)) s.echo_hash = st.column_text(2);
    s.released = st.column_int(3) != 0;
    return s;
  });
}

bool wants_array(KeyKind k) {
  return k == KeyKind::Products || k == KeyKind::Campaigns || k == KeyKind::SavedCampaigns || k == KeyKind::Backgrounds;
}

// Rule 2's shape check: lists are arrays, drafts and sample_data objects,
// and null migrates as nothing.
void check_shape(const Input& in, Parsed& p) {
  if (!p.ok || p.value.is_null()) return;
  const bool ok = wants_array(in.cls.kind) ? p.value.is_array() : p.value.is_object();
  if (!ok) {
    p.ok = false;
    p.reason = "shape";
  }
}

void write_source(Database& db, const Input& in, const KeyResult& kr, bool lossy, const std::string& now) {
  auto& st = db.cached(
      "INSERT INTO legacy_sources(key, raw, hash, units, bytes, entity, outcome, reason, detail, lossy, echo_hash, "
      "migrated_at, released_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, NULL, ?11, NULL) "
      "ON CONFLICT(key) DO UPDATE SET raw = excluded.raw, hash = excluded.hash, units = excluded.units, "
      "bytes = excluded.bytes, entity = excluded.entity, outcome = excluded.outcome, reason = excluded.reason, "
      "detail = excluded.detail, lossy = excluded.lossy, echo_hash = NULL, migrated_at = excluded.migrated_at, "
      "released_at = NULL");
  st.bind(1, std::string_view(in.key)).bind(2, in.raw).bind(3, std::string_view(in.hash)).bind(4, in.units);
  st.bind(5, static_cast<std::int64_t>(in.raw.size())).bind(6, std::string_view(kr.entity));
  st.bind(7, std::string_view(kr.status));
  if (kr.reason.empty()) st.bind_null(8); else st.bind(8, std::string_view(kr.reason));
  st.bind(9, std::string_view(dump(kr.to_detail()))).bind(10, std::int64_t{lossy ? 1 : 0});
  st.bind(11, std::string_view(now));
  st.run();
}

// A parse failure is kept verbatim and reported, never dropped.
KeyResult result_for(const Input& in, const Parsed& p) {
  KeyResult kr;
  kr.entity = in.cls.entity;
  kr.unwrapped = p.unwrapped;
  if (!p.ok) {
    kr.status = "unparsed";
    kr.reason = p.reason;
    kr.salvageable = p.salvageable;
  }
  kr.null_value = p.ok && p.value.is_null();
  return kr;
}

// The detail of a key's last whole migration (migrated, intact), or null.
ojson stored_detail(Database& db, const std::string& key) {
  Statement& st = db.cached("SELECT detail FROM legacy_sources WHERE key = ?1 AND outcome = 'migrated' AND lossy = 0");
  st.bind(1, std::string_view(key));
  ojson detail;
  if (st.step()) parse_json(st.column_text_view(0), detail);
  st.reset();
  return detail;
}

// The item hashes of a products value as the app wrote it (its text,
// element by element), for the next re-migration; empty when it is no plain array.
std::vector<std::string> item_hashes(std::string_view raw) {
  std::vector<std::pair<std::size_t, std::size_t>> slices;
  std::vector<std::string> out;
  if (!split_array(raw, slices)) return out;
  for (const auto& [b, e] : slices) out.push_back(item_hash(raw.substr(b, e - b)));
  return out;
}

// A products value parsed item by item (progress per item), when it is a
// plain array whose items each parse; anything else is parsed whole, with
// parse_value's diagnosis.
Parsed parse_items(Group& g, const Input& in) {
  std::vector<std::pair<std::size_t, std::size_t>> slices;
  if (in.lossy || !split_array(in.raw, slices)) return parse_value(in.raw);
  Parsed p;
  p.value = ojson::array();
  g.progress.start(in.key, static_cast<std::int64_t>(slices.size()));
  g.progress.step("parse");
  for (const auto& [b, e] : slices) {
    ojson item;
    if (json_text::parse(in.raw.substr(b, e - b), item, kMaxDepth - 1) != json_text::Parsed::Ok) return parse_value(in.raw);
    p.value.push_back(std::move(item));
    g.progress.item();
  }
  p.ok = true;
  return p;
}

void migrate_single(Group& g, Input& in) {
  // A changed products key: only the products whose text changed (collect_products.cpp).
  if (in.cls.kind == KeyKind::Products && g.incremental && !in.lossy) {
    const ojson previous = stored_detail(g.db, in.key);
    KeyResult kr;
    kr.entity = in.cls.entity;
    if (previous.is_object() && remigrate_products(g, in.raw, previous, kr)) {
      write_source(g.db, in, kr, false, g.now);
      return;
    }
  }
  Parsed p = in.cls.kind == KeyKind::Products ? parse_items(g, in) : parse_value(in.raw);
  const bool lossy = in.lossy || (p.ok && p.reason == "lone-surrogate");
  check_shape(in, p);
  KeyResult kr = result_for(in, p);
  // An unreadable products value holds none of the products an earlier
  // migration read from this key: their rows stay, counted as retained, as
  // when a re-migration no longer sees them (every other group starts afresh
  // in the driver).
  if (!p.ok && in.cls.kind == KeyKind::Products) g.ids.begin();
  if (p.ok) {
    switch (in.cls.kind) {
      case KeyKind::Products: {
        const std::vector<std::string> hashes = p.unwrapped == 0 ? item_hashes(in.raw) : std::vector<std::string>();
        import_products(g, p.value, Ns{}, kr, &hashes);
        break;
      }
      case KeyKind::Campaigns: import_legacy_campaigns(g, p.value, Ns{}, kr); break;
      case KeyKind::SavedCampaigns: import_v2_campaigns(g, p.value, kr); break;
      case KeyKind::Backgrounds: import_backgrounds(g, p.value, kr); break;
      case KeyKind::Sample: import_sample(g, p.value, kr); break;
      default: break;
    }
  }
  write_source(g.db, in, kr, lossy, g.now);
}

void migrate_drafts(Group& g, std::vector<Input>& inputs) {
  std::vector<Parsed> parsed(inputs.size());
  std::vector<KeyResult> results(inputs.size());
  std::vector<DraftInput> drafts;
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    parsed[i] = parse_value(inputs[i].raw);
    if (parsed[i].ok && parsed[i].reason == "lone-surrogate") inputs[i].lossy = true;
    check_shape(inputs[i], parsed[i]);
    results[i] = result_for(inputs[i], parsed[i]);
    drafts.push_back({inputs[i].cls.kind == KeyKind::DraftFull, &parsed[i], &results[i]});
  }
  import_draft(g, inputs.front().cls.draft_id, drafts);
  for (std::size_t i = 0; i < inputs.size(); ++i) write_source(g.db, inputs[i], results[i], inputs[i].lossy, g.now);
}

// References that dangled because their product was missing resolve once a
// re-migrated products key brings it. Only empty links are filled: a link
// the app changed is the app's.
void relink(Database& db) {
  Transaction tx(db);
  std::vector<std::array<std::string, 3>> todo;  // entity, row, ref
  {
    auto& st = db.cached(
        "SELECT m.entity, m.row_id, m.ref FROM legacy_id_map m JOIN campaigns c ON c.id = m.row_id "
        "WHERE m.entity IN ('legacy_campaigns', 'v2_campaigns', 'sample_campaigns', 'orphan_drafts') "
        "AND m.stale = 0 AND m.ref IS NOT NULL AND c.product_id IS NULL");
    while (st.step()) todo.push_back({st.column_text(0), st.column_text(1), st.column_text(2)});
  }
  for (const auto& [entity, row, ref] : todo) {
    auto product = resolve(db, entity == "sample_campaigns" ? "sample_products" : "products", ref);
    if (!product) continue;
    auto& up = db.cached("UPDATE campaigns SET product_id = ?1 WHERE id = ?2");
    up.bind(1, std::string_view(*product)).bind(2, std::string_view(row));
    up.run();
    // The migration made this change, not the app: keep the fingerprint true.
    auto& notes = db.cached(
        "UPDATE legacy_id_map SET link = ?1, notes = json_set(coalesce(notes, '{}'), '$.snap.product_id', ?2) "
        "WHERE entity = ?3 AND row_id = ?4");
    notes.bind(1, std::string_view(*product)).bind(2, std::string_view(fingerprint(Value::of(*product))));
    notes.bind(3, std::string_view(entity)).bind(4, std::string_view(row));
    notes.run();
  }
  tx.commit();
}

json keys_of(const std::vector<Input>& inputs) {
  json out = json::array();
  for (const Input& in : inputs) out.push_back(in.key);
  return out;
}

// Wasm engines start on baseline code and tier a function up only after it
// has run hot; the unrolled SHA-256 is slow until then, and a near-quota dump
// hashes ~2 MB. Hashing 64 KB once, before the values are even parsed, gets
// the optimizing compile going in the background early. Measured in Node 20:
// the first near-quota migration in a process went from ~750 to ~370 ms.
void warm_up_hashing() {
  static bool done = false;
  if (done) return;
  done = true;
  static const std::uint8_t zeros[16384] = {};
  for (int i = 0; i < 4; ++i) Sha256::hex(zeros, sizeof zeros);
}

}  // namespace

namespace {
ProgressSink g_progress_sink = nullptr;
// A key this large (UTF-16 units) says when its group commits (indexing, its text saved).
constexpr std::int64_t kLargeKeyUnits = 1 << 20;
}  // namespace

void set_progress_sink(ProgressSink sink) { g_progress_sink = sink; }
ProgressSink progress_sink() { return g_progress_sink; }

void Progress::emit() { sink_({{"phase", "items"}, {"key", key_}, {"step", step_}, {"done", done_}, {"total", total_}}); }

void Progress::start(const std::string& key, std::int64_t total) {
  key_ = key;
  total_ = total;
  done_ = 0;
  step_ = "start";
  on_ = sink_ && total >= kMinItems;
  every_ = std::max<std::int64_t>(1, total / 100);
  next_ = every_;
  if (on_) emit();
}

void Progress::step(const char* name) {
  step_ = name;
  done_ = 0;
  next_ = every_;
  if (on_) emit();
}

void Progress::item(std::int64_t n) { reach(done_ + n); }

void Progress::reach(std::int64_t done) {
  if (done <= done_) return;
  done_ = std::min(total_, done);
  if (!on_ || done_ < next_) return;
  next_ = done_ + every_;
  emit();
}

void Progress::finish() {
  if (!on_) return;
  step_ = "done";
  done_ = total_;
  emit();
  on_ = false;
}

void Progress::note(const std::string& key, const char* step) {
  if (sink_) sink_({{"phase", "items"}, {"key", key}, {"step", step}});
}

json import(Database& db, const std::vector<Entry>& entries, const ImportOptions& options) {
  const auto t0 = std::chrono::steady_clock::now();
  warm_up_hashing();
  RunInfo run = open_run(db, options.run_id);
  const std::string now = clock::now_iso();

  std::map<std::string, std::vector<Input>> groups;
  std::set<std::string> seen_other;
  auto add_other = [&](const std::string& key, std::int64_t units) {
    if (!seen_other.insert(key).second) return;
    json o{{"key", key}};
    if (units >= 0) {
      o["units"] = units;
      run.other_units += units;
    }
    run.other_keys.push_back(std::move(o));
  };
  if (options.other_keys_given) {
    run.other_keys = json::array();
    run.other_units = 0;
  }
  for (const json& o : run.other_keys) seen_other.insert(o.value("key", ""));
  for (const auto& [key, units] : options.other_keys) add_other(key, units);
  for (const Entry& e : entries) {
    KeyClass cls = classify_key(e.key);
    if (cls.kind == KeyKind::None) {
      // Rule 1: other code's keys are not read; only their size is noted.
      add_other(e.key, utf16_units(e.key) + utf16_units(e.value));
      continue;
    }
    Input in;
    in.key = e.key;
    in.raw = e.value;
    in.lossy = e.lossy;
    in.cls = std::move(cls);
    in.hash = value_hash(e.value);
    in.units = utf16_units(e.key) + utf16_units(e.value);
    groups[group_of(in.cls)].push_back(std::move(in));
  }

  const std::map<std::string, Stored> stored = load_sources(db);
  std::vector<std::string> order;
  for (const auto& [name, _] : groups) order.push_back(name);
  std::stable_sort(order.begin(), order.end(),
                   [](const std::string& a, const std::string& b) { return group_rank(a) < group_rank(b); });

  BlobSink sink(db);
  Progress progress(options.progress);
  int migrated = 0;
  bool products_changed = false;
  json remaining = json::array();
  for (const std::string& name : order) {
    std::vector<Input>& inputs = groups[name];
    bool changed = false;
    for (const Input& in : inputs) {
      auto s = stored.find(in.key);
      changed = changed || s == stored.end() || (s->second.hash != in.hash && s->second.echo_hash != in.hash);
    }
    if (!changed) {
      for (const Input& in : inputs) {
        auto s = stored.find(in.key);
        if (s == stored.end() || !s->second.released) continue;
        // Released earlier, present again with the same value: not released.
        auto& st = db.cached("UPDATE legacy_sources SET released_at = NULL WHERE key = ?1");
        st.bind(1, std::string_view(in.key));
        st.run();
      }
      run.groups.push_back({{"group", name}, {"keys", keys_of(inputs)}, {"outcome", "unchanged"}});
      continue;
    }
    if (options.stop_after_groups >= 0 && migrated >= options.stop_after_groups) {
      remaining.push_back(name);
      continue;
    }
    try {
      Transaction tx(db);
      IdMap ids(db, name);
      // Products mark what they no longer hold themselves (only the products
      // that changed: collect_products.cpp); every other group starts afresh.
      if (name != "products") ids.begin();
      Group g{db, options.time_zone, sink, ids, now, progress, options.incremental};
      if (inputs.front().cls.kind == KeyKind::DraftFull || inputs.front().cls.kind == KeyKind::DraftMinimal) {
        // The partner key may be gone from localStorage (released): its
        // stored value still takes part in the merge.
        const std::string id = inputs.front().cls.draft_id;
        for (bool full : {true, false}) {
          const std::string key = draft_key(full, id);
          const bool have = std::any_of(inputs.begin(), inputs.end(), [&](const Input& in) { return in.key == key; });
          if (have || !stored.count(key)) continue;
          auto& st = db.cached("SELECT raw, hash, units, lossy FROM legacy_sources WHERE key = ?1");
          st.bind(1, std::string_view(key));
          if (st.step()) {
            Input in;
            in.key = key;
            in.loaded = st.column_text(0);
            in.hash = st.column_text(1);
            in.units = st.column_int(2);
            in.lossy = st.column_int(3) != 0;
            in.present = false;
            in.cls = classify_key(key);
            inputs.push_back(std::move(in));
          }
          st.reset();
        }
        for (Input& in : inputs)
          if (!in.present) in.raw = in.loaded;
        std::sort(inputs.begin(), inputs.end(), [](const Input& a, const Input& b) {
          return (a.cls.kind == KeyKind::DraftFull) > (b.cls.kind == KeyKind::DraftFull);
        });
        migrate_drafts(g, inputs);
      } else {
        migrate_single(g, inputs.front());
      }
      ids.flush();
      if (progress.on() || inputs.front().units >= kLargeKeyUnits) progress.note(name, "commit");
      progress.finish();
      tx.commit();
      ++migrated;
      products_changed = products_changed || name == "products" || name == "sample_data";
      run.groups.push_back({{"group", name}, {"keys", keys_of(inputs)}, {"outcome", "migrated"}});
    } catch (const Error& e) {
      sink.forget();  // blobs inserted by the rolled-back group are gone
      run.errors.push_back({{"key", inputs.front().key}, {"group", name}, {"code", code_name(e.code())},
                            {"message", e.message()}});
      run.groups.push_back({{"group", name}, {"keys", keys_of(inputs)}, {"outcome", "failed"}});
    } catch (const std::exception& e) {
      sink.forget();
      run.errors.push_back({{"key", inputs.front().key}, {"group", name}, {"code", "INTERNAL"}, {"message", e.what()}});
      run.groups.push_back({{"group", name}, {"keys", keys_of(inputs)}, {"outcome", "failed"}});
    }
  }
  if (products_changed) relink(db);

  run.blobs_inserted += sink.inserted;
  run.blob_bytes_inserted += sink.inserted_bytes;
  run.duration_ms += std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  if (!options.final) {
    save_run(db, run, nullptr);
    return {{"runId", run.id}, {"groups", run.groups}, {"remaining", remaining}, {"done", remaining.empty()},
            {"errors", run.errors}, {"warnings", run.warnings}, {"blobsInserted", run.blobs_inserted},
            {"durationMs", run.duration_ms}};
  }
  run.finished_at = clock::now_iso();
  progress.note("*", "report");
  json report = build_report(db, run);
  report["remaining"] = remaining;
  if (!remaining.empty()) report["ok"] = false;
  save_run(db, run, &report);
  return report;
}

}  // namespace cs::legacy

CS_COLD_CODE_END
