// The localStorage migration (src/legacy/): moves the Campaign Builder's
// legacy keys into the tables, keeps every original value verbatim, and can
// regenerate the keys from the database for a rollback.
//
// The main thread collects the keys (workers have no localStorage) and hands
// them over; everything else happens here, in one place, so that the rules
// (tests/fixtures/README.md) are implemented once and tested natively.
//
// Idempotent and resumable: each key group (products, sample_data, campaigns,
// saved_campaigns, backgrounds, one group per draft id) is migrated in its own
// transaction together with the legacy_sources rows of its keys, which carry
// the SHA-256 of the value. A group whose values did not change is skipped; a
// crash between groups leaves whole groups, and the next run does the rest.
#pragma once

#include "db/database.hpp"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cs::legacy {

// The browser's local time zone as UTC-offset transitions, so that dates the
// app wrote in local time ("11/24/2025, 3:04:05 PM", "2025-11-24T15:04:05")
// become instants. Sent by the main thread (js/legacy/timezone.js); empty
// means UTC.
struct TimeZone {
  // (first UTC ms the offset applies from, minutes east of UTC), ascending.
  std::vector<std::pair<std::int64_t, int>> transitions;

  int offset_at_utc(std::int64_t utc_ms) const;
  // Local wall-clock ms (as if it were UTC) -> UTC ms.
  std::int64_t local_to_utc(std::int64_t local_ms) const;
};

struct Entry {
  std::string key;
  std::string_view value;  // exactly what localStorage.getItem returned, as UTF-8
  // The JS string held lone surrogates, which UTF-8 cannot carry: the value
  // arrived with U+FFFD in their place. Migrated, reported, never released.
  bool lossy = false;
};

struct ImportOptions {
  TimeZone time_zone;
  // The names of every other localStorage key (never read, never touched),
  // with their UTF-16 sizes when the caller knows them (-1 if not).
  std::vector<std::pair<std::string, std::int64_t>> other_keys;
  bool other_keys_given = false;
  // Build, store and return the validated report (false: a progress summary
  // only; the driver asks for the report with its last call).
  bool final = true;
  // Tests: stop after this many migrated groups, as a crash would (-1: all).
  int stop_after_groups = -1;
  // Continue the run an earlier call (final = false) started; 0 = a new run.
  std::int64_t run_id = 0;
  // A re-migrated products key writes only the products whose text changed
  // (false: every product, as a first migration does).
  bool incremental = true;
  // Called while the import runs, for keys of many items: {phase: "items",
  // key, done, total} (done counts rows written or found unchanged).
  std::function<void(const json&)> progress;
};

// Where the door sends import progress while a call runs (the wasm
// bindings forward it to the worker's JavaScript); none by default.
using ProgressSink = void (*)(const std::string& event_json);
void set_progress_sink(ProgressSink sink);
ProgressSink progress_sink();

// Migrates the entries (values are not retained after the call). Returns the
// report when options.final, else {groups: [...], done, remaining}.
json import(Database& db, const std::vector<Entry>& entries, const ImportOptions& options);

// The last report, with its validation re-run against the database now.
json report(Database& db);

struct ExportOptions {
  std::vector<std::string> keys;  // empty: every legacy key the database can produce
  bool inline_images = false;     // blob references back to data: URLs
  bool acknowledge = false;       // the caller writes these values back (dual write)
  bool parsed = false;            // values as JSON instead of text (the compat facade)
  // With inline_images: a value whose rows say what the stored original
  // says comes back as that original text, byte for byte (false: always as
  // JSON.stringify would write it; tests of the shaping).
  bool prefer_source = true;
};

// Regenerates the legacy keys from the database: {entries: [{key, value}],
// warnings}. Unparsed values come back byte for byte.
json export_keys(Database& db, const ExportOptions& options);

// One row in the legacy shape: entity 'products' | 'campaigns' |
// 'saved_campaigns', id = a legacy id (number or string) or a row id.
json get_item(Database& db, const std::string& entity, const json& id, bool inline_images);

// The old app's saveAd(adData): creates (or, when adData.id/campaignId names
// a legacy campaign, updates) a legacy campaign; returns it in the legacy shape.
json save_ad(Database& db, const json& ad_data, const TimeZone& tz);

struct ReleaseOptions {
  // Also release keys whose migration left something out of the typed
  // tables (never parsed, items skipped, fields lost): the database keeps
  // their text, and the export gives it back. Lossy keys are never released.
  bool include_unmigrated = false;
};

// Which keys the main thread may remove from localStorage now: the values it
// still holds must be the ones migrated (or written back by us), whole.
// Marks them released. entries: the current values. Returns {release:
// [key], keep: [{key, code, reason}], units}.
json release(Database& db, const std::vector<Entry>& entries, const ReleaseOptions& options = {});

// Deletes every row that came from sample_data (products, their images,
// sample campaigns).
json delete_sample(Database& db);

}  // namespace cs::legacy
