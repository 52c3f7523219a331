// Canonical legacy ids (README rule 4). The app compared ids with ===, but
// wrote the same id as 42 in one place and "42" in another; JSON.stringify
// wrote numbers as JavaScript prints them. So a number's id is its JS text
// (after JS's rounding: 9007199254740993 was stored as ...992), a string is
// itself, and nothing is trimmed, case-folded or normalized.
#include "internal.hpp"

#include "db/cold_code.hpp"
#include "json/json_text.hpp"

#include <cmath>

CS_COLD_CODE_BEGIN

namespace cs::legacy {

std::optional<std::string> canonical_id(const ojson& id) {
  if (id.is_string()) {
    const auto& s = id.get_ref<const std::string&>();
    if (s.empty()) return std::nullopt;
    return s;
  }
  if (id.is_number()) {
    const double v = id.get<double>();  // JSON.parse's reading of the number
    if (!std::isfinite(v)) return std::nullopt;
    return json_text::js_number(v);
  }
  return std::nullopt;
}

std::optional<std::string> text_of(const ojson* value) {
  if (value == nullptr) return std::nullopt;
  if (value->is_string()) return value->get_ref<const std::string&>();
  if (value->is_number()) {
    const double v = value->get<double>();
    if (std::isfinite(v)) return json_text::js_number(v);
  }
  return std::nullopt;
}

const ojson* field(const ojson& object, const char* name) {
  if (!object.is_object()) return nullptr;
  auto it = object.find(name);
  return it == object.end() ? nullptr : &*it;
}

}  // namespace cs::legacy

CS_COLD_CODE_END
