// Small readers every collector uses, and the per-key tally (KeyResult)
// that becomes legacy_sources.detail: the source side of the validation.
#include "internal.hpp"

#include <cmath>
#include <cstdlib>

namespace cs::legacy {

Value text_value(const ojson& object, const char* name) { return Value::of(text_of(field(object, name))); }

std::string iso_or(const std::optional<std::string>& iso, const std::string& fallback) { return iso ? *iso : fallback; }

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

ojson unusable_items(const ojson& list, bool strings_are_items) {
  ojson out;
  std::int64_t index = 0;
  for (const ojson& item : list) {
    const bool usable = item.is_object() || (strings_are_items && item.is_string() && !item.get_ref<const std::string&>().empty());
    if (!usable) out.push_back(ojson::array({index, item}));
    ++index;
  }
  return out;
}

void KeyResult::id(const std::string& entity, const ojson* legacy_id) {
  ojson& list = ids[entity];
  if (!list.is_array()) list = ojson::array();
  list.push_back(legacy_id != nullptr ? *legacy_id : ojson(nullptr));
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
  ojson c = ojson::object();
  for (const auto& [k, v] : counts) c[k] = v;
  d["counts"] = std::move(c);
  ojson i = ojson::object();
  for (const auto& [k, v] : ids) i[k] = v;
  d["ids"] = std::move(i);
  ojson blobs = ojson::array();
  for (const auto& h : urls.hashes) blobs.push_back(h);
  d["dataUrls"] = {{"occurrences", urls.occurrences}, {"blobs", std::move(blobs)}};
  if (ojson f = fields.to_json(); !f.empty()) d["fields"] = std::move(f);
  if (null_value) d["null"] = true;
  if (skipped_at.is_object()) d["skippedAt"] = skipped_at;
  if (!container.is_null()) d["container"] = container;
  return d;
}

}  // namespace cs::legacy
