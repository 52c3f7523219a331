// Every field the Campaign Builder ever wrote, per entity, under every
// spelling it used (README.md here, "Field spellings"; tests/fixtures/fields.mjs is
// the same table for the fixtures), and the reader that takes an item's
// fields by them.
//
// A field is named the way the current app writes it (camelCase). Its
// spellings, in precedence order, are that name, its aliases, then the
// snake_case form of each (older versions of the app wrote created_at,
// utm_codes, is_primary...). When several spellings are present the first
// one holding a readable value wins; null, "" (where a date, an amount or a
// number is expected) and unreadable values give way. Two present values
// that would not fill the column alike are a conflict: the winner is
// written, the conflict counted (the other value stays in the original,
// for the export). A member that is no spelling of any field is counted as
// ignored. Neither ever passes silently: the counts end up in the report.
#include "internal.hpp"

#include "db/cold_code.hpp"

#include <algorithm>
#include <functional>

CS_COLD_CODE_BEGIN

namespace cs::legacy {

namespace {

const std::string kNone;

struct Def {
  const char* name;
  std::vector<const char*> aliases;
  bool kept = false;  // no column: stays as data in the row's JSON under every spelling
};

Def f(const char* name, std::vector<const char*> aliases = {}) { return {name, std::move(aliases), false}; }
Def kept(const char* name) { return {name, {}, true}; }

std::string snake_case(const std::string& name) {
  std::string out;
  for (char c : name) {
    if (c >= 'A' && c <= 'Z') {
      out += '_';
      out += static_cast<char>(c - 'A' + 'a');
    } else {
      out += c;
    }
  }
  return out;
}

std::vector<Def> with(std::vector<Def> base, std::initializer_list<Def> more) {
  base.insert(base.end(), more.begin(), more.end());
  return base;
}

std::vector<Def> product_defs() {
  return {f("id"), f("name"), f("brand"), f("category"), f("price"), f("description"), f("sku"), f("url"),
          f("utmCodes"), f("metadata"), f("images"), f("createdAt"), f("updatedAt")};
}

std::vector<Def> legacy_campaign_defs() {
  return {f("id"), f("name"), kept("type"), f("status"), f("adData"), f("createdAt"), f("updatedAt")};
}

std::map<std::string, Fields> build_tables() {
  std::map<std::string, std::vector<Def>> defs = {
      {"products", product_defs()},
      {"sample_products", with(product_defs(), {kept("isSample")})},
      {"product_images", {f("id"), f("url"), f("name", {"fileName"}), f("alt", {"altText"}), f("size"), f("isPrimary"),
                          f("backgroundVersions"), f("uploadedAt", {"createdAt"})}},
      {"background_versions",
       {f("id"), f("url"), f("prompt"), f("requestId"), f("processingTime"), f("createdAt"), f("isActive")}},
      {"legacy_campaigns", legacy_campaign_defs()},
      {"sample_campaigns", with(legacy_campaign_defs(), {kept("isSample")})},
      {"adData", {kept("id"), kept("campaignId"), kept("campaignName"), f("ctaType"), f("productId"), kept("headline"),
                  kept("description"), f("budget"), f("startDate"), f("endDate"), kept("retailers"), kept("imageUrl"),
                  kept("targeting")}},
      {"v2_campaigns", {f("id"), f("name"), f("productId"), f("type"), f("status"), f("audience"), f("platforms"),
                        f("platformConfig"), f("creatives"), f("creativeConfig"), f("publishSettings", {"publishConfig"}),
                        f("budget"), f("currency"), f("schedule"), f("createdAt"), f("updatedAt")}},
      {"schedule", {f("startsAt"), f("endsAt")}},
      {"budget", {f("amount"), kept("type"), f("currency")}},
      {"creatives", {f("id"), f("name"), f("formatId"), f("formatName"), f("width"), f("height"), f("elements"),
                     f("assets"), f("isActive")}},
      {"creative_assets", {f("id"), f("type"), f("url"), f("content"), f("name"), f("styles"), f("position")}},
      {"drafts", {f("campaignId"), f("currentStep"), f("stepData"), f("lastSaved"), f("createdAt"), f("isMinimal"),
                  f("name", {"campaignName"})}},
      {"ai_generations", {f("id"), f("productId"), f("imageId"), f("prompt"), f("requestId"), f("processingTime"),
                          f("url"), kept("model"), f("createdAt")}},
      {"sample_data", {f("products"), f("campaigns")}},
  };
  std::map<std::string, Fields> out;
  for (auto& [entity, list] : defs) {
    Fields& table = out[entity];
    for (const Def& d : list) {
      Fields::Field field;
      field.name = d.name;
      field.kept = d.kept;
      std::vector<std::string> names{d.name};
      for (const char* a : d.aliases) names.emplace_back(a);
      const std::size_t n = names.size();
      for (std::size_t i = 0; i < n; ++i) names.push_back(snake_case(names[i]));
      for (const std::string& s : names)
        if (std::find(field.spellings.begin(), field.spellings.end(), s) == field.spellings.end()) field.spellings.push_back(s);
      for (const std::string& s : field.spellings) table.by_spelling.emplace(s, table.fields.size());
      table.fields.push_back(std::move(field));
    }
  }
  // Rows of sample_data's products carry the same fields as real ones.
  out["sample_product_images"] = out["product_images"];
  out["sample_background_versions"] = out["background_versions"];
  return out;
}

}  // namespace

const Fields& fields_of(const std::string& entity) {
  static const std::map<std::string, Fields> tables = build_tables();
  auto it = tables.find(entity);
  if (it == tables.end()) throw Error(Code::Internal, "no field table for " + entity);
  return it->second;
}

const Fields::Field& Fields::field(const char* name) const {
  for (const Field& f : fields)
    if (f.name == name) return f;
  throw Error(Code::Internal, std::string("no field ") + name);
}

ojson unwrap_fields(ojson& object, const std::string& table, const char* name) {
  ojson levels = ojson::object();
  if (!object.is_object()) return levels;
  for (const std::string& s : fields_of(table).field(name).spellings) {
    auto it = object.find(s);
    if (it == object.end() || !it->is_string()) continue;
    if (const int n = unwrap_json_string(*it); n > 0) levels[s] = n;
  }
  return levels;
}

// ------------------------------------------------------------------ tally

void FieldTally::add(const std::string& entity, const std::string& field, Kind kind, std::int64_t n) {
  Counts& c = by_entity[entity][field];
  (kind == Ignored ? c.ignored : kind == Unreadable ? c.unreadable : c.conflicts) += n;
}

void FieldTally::merge(const FieldTally& other) {
  for (const auto& [entity, fields] : other.by_entity)
    for (const auto& [name, c] : fields) {
      Counts& mine = by_entity[entity][name];
      mine.ignored += c.ignored;
      mine.unreadable += c.unreadable;
      mine.conflicts += c.conflicts;
    }
}

ojson FieldTally::to_json() const {
  ojson out = ojson::object();
  for (const auto& [entity, fields] : by_entity) {
    ojson e = ojson::object();
    for (const auto& [name, c] : fields) {
      ojson counts = ojson::object();
      if (c.ignored) counts["ignored"] = c.ignored;
      if (c.unreadable) counts["unreadable"] = c.unreadable;
      if (c.conflicts) counts["conflicts"] = c.conflicts;
      if (!counts.empty()) e[name] = std::move(counts);
    }
    if (!e.empty()) out[entity] = std::move(e);
  }
  return out;
}

void FieldTally::add_json(const ojson& j) {
  if (!j.is_object()) return;
  for (auto e = j.begin(); e != j.end(); ++e)
    for (auto f = e.value().begin(); f != e.value().end(); ++f)
      for (auto [kind, name] : {std::pair{Ignored, "ignored"}, {Unreadable, "unreadable"}, {Conflict, "conflicts"}})
        if (const ojson* n = field(f.value(), name); n && n->is_number_integer()) add(e.key(), f.key(), kind, n->get<std::int64_t>());
}

// ------------------------------------------------------------------ reader

Item::Item(const ojson& object, const std::string& table, FieldTally& tally, std::string entity, std::string prefix)
    : object_(object), fields_(fields_of(table)), tally_(tally), entity_(entity.empty() ? table : std::move(entity)),
      prefix_(std::move(prefix)), chosen_(&kNone) {
  if (!object_.is_object()) return;
  for (auto it = object_.begin(); it != object_.end(); ++it)
    if (!fields_.by_spelling.count(it.key())) tally_.add(entity_, prefix_ + it.key(), FieldTally::Ignored);
}

std::vector<std::pair<const std::string*, const ojson*>> Item::present(const char* name) const {
  std::vector<std::pair<const std::string*, const ojson*>> out;
  if (!object_.is_object()) return out;
  for (const std::string& s : fields_.field(name).spellings) {
    auto it = object_.find(s);
    if (it != object_.end() && !it->is_null()) out.emplace_back(&s, &*it);
  }
  return out;
}

const std::string& spelling_in(const ojson& object, const std::string& table, const char* name) {
  const Fields::Field& f = fields_of(table).field(name);
  for (const std::string& s : f.spellings)
    if (object.is_object() && object.contains(s)) return s;
  return f.spellings.front();
}

void Item::count(const char* name, FieldTally::Kind kind) { tally_.add(entity_, prefix_ + name, kind); }

const ojson* Item::peek(const char* name) const {
  const auto candidates = present(name);
  return candidates.empty() ? nullptr : candidates.front().second;
}

// The first readable value wins. A value that cannot be read is unreadable
// when no spelling could be read, and a conflict (it is lost) when another
// one was; two readable values that differ are a conflict. One count per
// item and field either way.
template <class T, class Read, class Same>
std::optional<T> Item::pick(const char* name, Read read, Same same) {
  std::optional<T> winner;
  bool bad = false, conflict = false;
  chosen_ = &kNone;
  for (const auto& [spelling, value] : present(name)) {
    Reading<T> r = read(*value);
    if (r.got == Got::Absent) continue;
    if (r.got == Got::Bad) {
      bad = true;
    } else if (!winner) {
      winner = std::move(r.value);
      chosen_ = spelling;
    } else if (!same(*winner, r.value)) {
      conflict = true;
    }
  }
  if (bad && !winner) count(name, FieldTally::Unreadable);
  if (conflict || (bad && winner)) count(name, FieldTally::Conflict);
  return winner;
}

const ojson* Item::raw(const char* name) {
  return pick<const ojson*>(name, [](const ojson& v) { return Reading<const ojson*>{Got::Ok, &v}; },
                            [](const ojson* a, const ojson* b) { return *a == *b; })
      .value_or(nullptr);
}

std::optional<std::string> Item::text(const char* name) {
  return pick<std::string>(name, [](const ojson& v) {
    auto t = text_of(&v);
    return t ? Reading<std::string>{Got::Ok, *t} : Reading<std::string>{Got::Bad, {}};
  });
}

std::optional<std::string> Item::date(const char* name, const TimeZone& tz) {
  return pick<std::string>(name, [&](const ojson& v) {
    if (v.is_string() && v.get_ref<const std::string&>().find_first_not_of(" \t\r\n") == std::string::npos)
      return Reading<std::string>{Got::Absent, {}};
    auto iso = iso_date(&v, tz);
    return iso ? Reading<std::string>{Got::Ok, *iso} : Reading<std::string>{Got::Bad, {}};
  });
}

Amount Item::amount(const char* name) {
  return pick<Amount>(name, [](const ojson& v) {
           if (v.is_string() && v.get_ref<const std::string&>().find_first_not_of(" \t\r\n") == std::string::npos)
             return Reading<Amount>{Got::Absent, {}};
           Amount a = parse_amount(&v);
           return a.cents ? Reading<Amount>{Got::Ok, a} : Reading<Amount>{Got::Bad, {}};
         }, [](const Amount& a, const Amount& b) { return a.cents == b.cents && a.currency == b.currency; })
      .value_or(Amount{});
}

std::optional<std::int64_t> Item::whole(const char* name) {
  return pick<std::int64_t>(name, [](const ojson& v) {
    if (v.is_string() && v.get_ref<const std::string&>().empty()) return Reading<std::int64_t>{Got::Absent, 0};
    auto n = count_of(&v);
    return n ? Reading<std::int64_t>{Got::Ok, *n} : Reading<std::int64_t>{Got::Bad, 0};
  });
}

std::optional<bool> Item::flag(const char* name) {
  return pick<bool>(name, [](const ojson& v) {
    if (v.is_boolean()) return Reading<bool>{Got::Ok, v.get<bool>()};
    if (v.is_number()) return Reading<bool>{Got::Ok, v.get<double>() != 0};
    if (v.is_string()) {
      const std::string& s = v.get_ref<const std::string&>();
      if (s == "true" || s == "false") return Reading<bool>{Got::Ok, s == "true"};
    }
    return Reading<bool>{Got::Bad, false};
  });
}

const ojson* Item::object(const char* name) {
  return pick<const ojson*>(name, [](const ojson& v) {
           return v.is_object() ? Reading<const ojson*>{Got::Ok, &v} : Reading<const ojson*>{Got::Bad, nullptr};
         }, [](const ojson* a, const ojson* b) { return *a == *b; })
      .value_or(nullptr);
}

const ojson* Item::list(const char* name) {
  return pick<const ojson*>(name, [](const ojson& v) {
           return v.is_array() ? Reading<const ojson*>{Got::Ok, &v} : Reading<const ojson*>{Got::Bad, nullptr};
         }, [](const ojson* a, const ojson* b) { return *a == *b; })
      .value_or(nullptr);
}

std::optional<std::string> Item::id(const char* name) {
  return pick<std::string>(name, [](const ojson& v) {
    if (v.is_string() && v.get_ref<const std::string&>().empty()) return Reading<std::string>{Got::Absent, {}};
    auto c = canonical_id(v);
    return c ? Reading<std::string>{Got::Ok, *c} : Reading<std::string>{Got::Bad, {}};
  });
}

}  // namespace cs::legacy

CS_COLD_CODE_END
