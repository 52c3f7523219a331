// Small readers every collector uses, and the per-key tally (KeyResult)
// that becomes legacy_sources.detail: the source side of the validation.
#include "internal.hpp"

#include "db/cold_code.hpp"

#include <cmath>
#include <cstdlib>

CS_COLD_CODE_BEGIN

namespace cs::legacy {

Value text_value(const ojson& object, const char* name) { return Value::of(text_of(field(object, name))); }


Stamp stamp_or(const std::optional<std::string>& iso, const Stamp& fallback) { return iso ? Stamp{*iso, false} : fallback; }

ojson object_or_empty(const ojson* value) {
  return value != nullptr && value->is_object() ? *value : ojson::object();
}

std::optional<std::int64_t> count_of(const ojson* value) {
  if (value == nullptr) return std::nullopt;
  double v = 0;
  if (value->is_number()) v = value->get<double>();
  else if (value->is_string()) {
    const std::string& s = value->get_ref<const std::string&>();
    if (s.empty() || s.size() > 20 || s.find_first_not_of("0123456789.") != std::string::npos) return std::nullopt;
    v = std::strtod(s.c_str(), nullptr);
  } else return std::nullopt;
  if (!std::isfinite(v) || v < 0 || v > 9007199254740991.0) return std::nullopt;
  return std::llround(v);
}

bool truthy_flag(const ojson* value) {
  if (value == nullptr) return false;
  if (value->is_boolean()) return value->get<bool>();
  if (value->is_number()) return value->get<double>() != 0;
  if (value->is_string()) return value->get_ref<const std::string&>() == "true";
  return false;
}

void KeyResult::skip(const std::string& list, std::int64_t index, const ojson& item) {
  ++skipped;
  count("skipped_items");
  if (!skipped_at.is_object()) skipped_at = ojson::object();
  skipped_at[list].push_back(ojson::array({index, item}));
}

void note_unusable_items(ojson& notes, const ojson& list, bool strings_are_items) {
  ojson out;
  std::int64_t index = 0;
  for (const ojson& item : list) {
    const bool usable = item.is_object() || (strings_are_items && item.is_string() && !item.get_ref<const std::string&>().empty());
    if (!usable) out.push_back(ojson::array({index, item}));
    ++index;
  }
  if (!out.is_null()) notes["skipped"] = std::move(out);
}

void note_children(ojson& notes, const char* member, std::int64_t position, const ojson& children) {
  if (!children.is_array()) return;
  notes[member] = position;
  note_unusable_items(notes, children, false);
}

void KeyResult::id(const std::string& entity, const ojson* legacy_id) {
  ojson& list = ids[entity];
  if (!list.is_array()) list = ojson::array();
  list.push_back(legacy_id != nullptr ? *legacy_id : ojson(nullptr));
}

MapRecord map_record(const KeyResult::ItemId& id, std::int64_t ordinal) {
  MapRecord r;
  r.legacy_id = id.value;
  r.canon = id.canon;
  r.ordinal = ordinal;
  return r;
}

KeyResult::ItemId KeyResult::item(const std::string& entity, const ojson& item) {
  ItemId out{value_of(field(item, "id")), std::nullopt};
  out.canon = canonical_id(out.value);
  id(entity, &out.value);
  count(entity);
  return out;
}

namespace {

ojson counted(const std::map<std::string, std::int64_t>& m) {
  ojson out = ojson::object();
  for (const auto& [k, v] : m)
    if (v != 0) out[k] = v;
  return out;
}

// {occurrences, blobs: [[hash, occurrences], ...]}: pairs, not an object,
// so that reading thousands of blobs back needs no key lookups.
ojson urls_json(const ScanStats& urls) {
  ojson blobs = ojson::array();
  for (const auto& [h, n] : urls.hashes)
    if (n != 0) blobs.push_back(ojson::array({h, n}));
  return {{"occurrences", urls.occurrences}, {"blobs", std::move(blobs)}};
}

// Counts, ids, data: URLs and fields from a tally or a detail, times sign.
void add_parts(KeyResult& kr, const ojson& t, const char* urls_name, std::int64_t sign) {
  if (const ojson* c = field(t, "counts"))
    for (auto it = c->begin(); it != c->end(); ++it) kr.count(it.key(), sign * it.value().get<std::int64_t>());
  if (const ojson* i = field(t, "ids"))
    for (auto it = i->begin(); it != i->end(); ++it)
      for (const ojson& v : it.value()) {
        if (sign > 0) {
          kr.id(it.key(), &v);
          continue;
        }
        ojson& list = kr.ids[it.key()];  // one occurrence of the id leaves
        for (auto at = list.begin(); at != list.end(); ++at)
          if (*at == v) {
            list.erase(at);
            break;
          }
      }
  if (const ojson* u = field(t, urls_name)) {
    kr.urls.occurrences += sign * u->value("occurrences", std::int64_t{0});
    if (const ojson* b = field(*u, "blobs")) {
      // [[hash, occurrences], ...]; plain hashes in details written before counts were kept
      for (const ojson& h : *b) {
        if (h.is_array() && h.size() == 2) kr.urls.hashes[h[0].get<std::string>()] += sign * h[1].get<std::int64_t>();
        else if (h.is_string()) kr.urls.hashes[h.get<std::string>()] += sign;
      }
      for (auto it = kr.urls.hashes.begin(); it != kr.urls.hashes.end();) it = it->second == 0 ? kr.urls.hashes.erase(it) : std::next(it);
    }
  }
  if (const ojson* f = field(t, "fields")) {
    FieldTally other;
    other.add_json(*f);
    for (const auto& [entity, names] : other.by_entity)
      for (const auto& [name, c] : names) {
        kr.fields.add(entity, name, FieldTally::Ignored, sign * c.ignored);
        kr.fields.add(entity, name, FieldTally::Unreadable, sign * c.unreadable);
        kr.fields.add(entity, name, FieldTally::Conflict, sign * c.conflicts);
      }
  }
}

}  // namespace

ojson KeyResult::tally() const {
  ojson t = ojson::object();
  if (!counts.empty()) t["counts"] = counted(counts);
  if (!ids.empty()) {
    ojson i = ojson::object();
    for (const auto& [k, v] : ids) i[k] = v;
    t["ids"] = std::move(i);
  }
  if (urls.occurrences > 0) t["urls"] = urls_json(urls);
  if (ojson f = fields.to_json(); !f.empty()) t["fields"] = std::move(f);
  return t;
}

void KeyResult::add_tally(const ojson& t, std::int64_t sign) { add_parts(*this, t, "urls", sign); }

void KeyResult::add_detail(const ojson& d) { add_parts(*this, d, "dataUrls", 1); }

void KeyResult::merge(const KeyResult& item) {
  for (const auto& [k, v] : item.counts) count(k, v);
  for (const auto& [k, list] : item.ids)
    for (const ojson& v : list) id(k, &v);
  urls.occurrences += item.urls.occurrences;
  for (const auto& [h, n] : item.urls.hashes) urls.hashes[h] += n;
  fields.merge(item.fields);
}

ojson KeyResult::to_detail() const {
  ojson d = ojson::object();
  d["status"] = status;
  d["entity"] = entity;
  if (!reason.empty()) d["reason"] = reason;
  if (salvageable >= 0) d["salvageable_items"] = salvageable;
  d["rows"] = rows;
  d["skipped"] = skipped;
  if (unwrapped > 0) d["unwrapped"] = unwrapped;
  d["counts"] = counted(counts);
  ojson i = ojson::object();
  for (const auto& [k, v] : ids) i[k] = v;
  d["ids"] = std::move(i);
  d["dataUrls"] = urls_json(urls);
  if (ojson f = fields.to_json(); !f.empty()) d["fields"] = std::move(f);
  if (null_value) d["null"] = true;
  if (skipped_at.is_object()) d["skippedAt"] = skipped_at;
  if (!container.is_null()) d["container"] = container;
  if (!items.is_null()) d["items"] = items;
  return d;
}

}  // namespace cs::legacy

CS_COLD_CODE_END
