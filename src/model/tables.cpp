// The field lists of every table: names, kinds, limits, defaults and
// references. Keep in step with migrations.cpp (tests/native/test_schema.cpp
// checks that every field here is a column there).
#include "table.hpp"

#include "db/error.hpp"
#include "model/limits.hpp"

#include <algorithm>

namespace cs::model {

namespace L = cs::limits;

namespace {

Field make(std::string api, std::string column, Kind kind, std::int64_t max = 0) {
  Field f;
  f.api = std::move(api);
  f.column = std::move(column);
  f.kind = kind;
  f.max = max;
  return f;
}

Field text(std::string api, std::string column, std::size_t max_chars) {
  return make(std::move(api), std::move(column), Kind::Text, static_cast<std::int64_t>(max_chars));
}
Field name_field() { return text("name", "name", L::kMaxNameChars).range(1, L::kMaxNameChars); }
Field short_text(std::string api, std::string column) { return text(std::move(api), std::move(column), L::kMaxShortTextChars); }
Field long_text(std::string api, std::string column) { return text(std::move(api), std::move(column), L::kMaxLongTextChars); }
Field url(std::string api, std::string column) {
  return make(std::move(api), std::move(column), Kind::Url, static_cast<std::int64_t>(L::kMaxUrlBytes));
}
Field id_ref(std::string api, std::string column, std::string table) {
  Field f = make(std::move(api), std::move(column), Kind::Id, static_cast<std::int64_t>(L::kMaxIdBytes));
  f.ref = std::move(table);
  return f;
}
Field integer(std::string api, std::string column, std::int64_t lo, std::int64_t hi) {
  return make(std::move(api), std::move(column), Kind::Integer).range(lo, hi);
}
Field boolean(std::string api, std::string column, bool def) {
  return make(std::move(api), std::move(column), Kind::Boolean).not_null().default_to(std::int64_t{def ? 1 : 0});
}
Field object(std::string api, std::string column) {
  return make(std::move(api), std::move(column), Kind::Object, static_cast<std::int64_t>(L::kMaxJsonBytes))
      .default_to(std::string_view("{}"));
}
Field timestamp(std::string api, std::string column) { return make(std::move(api), std::move(column), Kind::Timestamp); }
Field choice(std::string api, std::string column, std::vector<std::string> choices) {
  Field f = make(std::move(api), std::move(column), Kind::Enum);
  f.choices = std::move(choices);
  return f;
}
Field status(std::string def) {
  return text("status", "status", 32).range(1, 32).default_to(std::string(std::move(def)));
}

std::string quote(const std::string& identifier) { return "\"" + identifier + "\""; }

std::string replace_hlc(std::string sql, const char* with) {
  const std::string mark = "@HLC@";
  sql.replace(sql.find(mark), mark.size(), with);
  return sql;
}

// Generates the SQL of a spec once, at first use.
TableSpec finish(std::string name, bool has_seq, std::vector<Field> fields) {
  TableSpec t;
  t.name = std::move(name);
  t.has_seq = has_seq;
  t.fields = std::move(fields);
  const std::string q = quote(t.name);
  std::string cols = "id";
  for (const Field& f : t.fields) cols += ", " + quote(f.column);
  cols += ", created_at, updated_at";
  t.select_list = cols;
  t.select_by_id = "SELECT " + cols + " FROM " + q + " WHERE id = ?1";
  t.exists_by_id = "SELECT 1 FROM " + q + " WHERE id = ?1";
  t.delete_sql = "DELETE FROM " + q + " WHERE id = ?1";
  std::vector<std::pair<std::string, int>> keys = {{"id", -1}};
  for (std::size_t i = 0; i < t.fields.size(); ++i) keys.emplace_back(t.fields[i].api, static_cast<int>(i));
  keys.emplace_back("createdAt", static_cast<int>(t.fields.size()));
  keys.emplace_back("updatedAt", static_cast<int>(t.fields.size()) + 1);
  std::sort(keys.begin(), keys.end());
  for (const auto& [key, slot] : keys) t.answer_members.push_back({"\"" + key + "\":", slot});  // ASCII names

  // Insert: every column, always, so there is one statement per table (the
  // defaults are applied in C++ from the same spec). hlc comes from the
  // sync engine's clock when it is installed, see row_store.cpp.
  std::string names = "id", params = "?1";
  int n = 1;
  for (const Field& f : t.fields) {
    names += ", " + quote(f.column);
    params += ", ?" + std::to_string(++n);
  }
  names += ", created_at, updated_at, hlc";
  params += ", ?" + std::to_string(n + 1) + ", ?" + std::to_string(n + 2) + ", @HLC@";
  const std::string insert = "INSERT INTO " + q + " (" + names + ") VALUES (" + params + ")";

  // Update: one fixed statement per table. Each field has a flag parameter
  // (set it or keep it) and a value parameter, so partial updates of any
  // shape share one prepared statement instead of one per column subset.
  std::string sets;
  int p = 1;  // ?1 is the id
  for (const Field& f : t.fields) {
    const int flag = ++p, value = ++p;
    sets += quote(f.column) + " = CASE WHEN ?" + std::to_string(flag) + " THEN ?" + std::to_string(value) +
            " ELSE " + quote(f.column) + " END, ";
  }
  sets += "updated_at = ?" + std::to_string(p + 1) + ", hlc = @HLC@";
  const std::string update = "UPDATE " + q + " SET " + sets + " WHERE id = ?1";
  for (int clock = 0; clock < 2; ++clock) {
    const char* hlc = clock ? "cs_hlc_now()" : "NULL";
    t.insert_sql[clock] = replace_hlc(insert, hlc);
    t.update_sql[clock] = replace_hlc(update, hlc);
  }
  return t;
}

}  // namespace

int TableSpec::index_of(std::string_view api) const {
  for (std::size_t i = 0; i < fields.size(); ++i)
    if (fields[i].api == api) return static_cast<int>(i);
  return -1;
}

const Field& TableSpec::field(std::string_view api) const {
  int i = index_of(api);
  if (i < 0) throw Error(Code::Internal, name + " has no field " + std::string(api));
  return fields[static_cast<std::size_t>(i)];
}

std::string TableSpec::columns_with(const char* alias) const {
  std::string a = std::string(alias) + ".";
  std::string out = a + "id";
  for (const Field& f : fields) out += ", " + a + quote(f.column);
  out += ", " + a + "created_at, " + a + "updated_at";
  return out;
}

namespace spec {

const TableSpec& users() {
  static const TableSpec t = finish("users", false,
      {
          text("email", "email", L::kMaxEmailChars).range(3, L::kMaxEmailChars).unique_value(),
          text("name", "name", L::kMaxNameChars),
          url("avatarUrl", "avatar_url"),
          object("settings", "settings"),
      });
  return t;
}

const TableSpec& products() {
  static const TableSpec t = finish("products", true,
      {
          id_ref("userId", "user_id", "users"),
          name_field().req(),
          long_text("description", "description"),
          short_text("brand", "brand"),
          short_text("category", "category"),
          make("price", "price", Kind::Money2).range(0, L::kMaxPriceCents),
          short_text("sku", "sku"),
          url("url", "url"),
          object("utmCodes", "utm_codes"),
          object("metadata", "metadata"),
          object("settings", "settings"),
          status("active"),
      });
  return t;
}

const TableSpec& product_images() {
  static const TableSpec t = finish("product_images", false,
      {
          id_ref("productId", "product_id", "products").req().create_only(),
          url("url", "url").req().range(1, static_cast<std::int64_t>(L::kMaxUrlBytes)),
          text("storagePath", "storage_path", 1024),
          short_text("fileName", "file_name"),
          text("altText", "alt_text", 1024),
          integer("size", "size", 0, L::kMaxSafeInteger),
          // Changed through images.setPrimary, which keeps one per product.
          boolean("isPrimary", "is_primary", false).create_only(),
          object("metadata", "metadata"),
      });
  return t;
}

const TableSpec& background_versions() {
  static const TableSpec t = finish("background_versions", false,
      {
          id_ref("productImageId", "product_image_id", "product_images").req().create_only(),
          url("url", "url"),
          text("storagePath", "storage_path", 1024),
          long_text("prompt", "prompt"),
          short_text("requestId", "request_id"),
          integer("processingTime", "processing_time", 0, L::kMaxInt32),
          object("metadata", "metadata"),
          // Changed through backgrounds.activate, which keeps one per image.
          boolean("isActive", "is_active", true).create_only(),
      });
  return t;
}

const TableSpec& campaigns() {
  static const TableSpec t = finish("campaigns", true,
      {
          id_ref("userId", "user_id", ""),
          id_ref("productId", "product_id", "products"),
          name_field().req(),
          short_text("type", "type"),
          // Changed through campaigns.setStatus (transitions are checked there).
          choice("status", "status", {"draft", "scheduled", "active", "paused", "completed", "archived"})
              .not_null().create_only().default_to(std::string_view("draft")),
          make("budget", "budget", Kind::Money2).range(0, L::kMaxPriceCents),
          text("currency", "currency", 3).range(3, 3).not_null().default_to(std::string_view("USD")),
          timestamp("startsAt", "starts_at"),
          timestamp("endsAt", "ends_at"),
          // Stamped by the first move to active; a create may carry the original.
          timestamp("launchedAt", "launched_at").create_only(),
          object("audienceConfig", "audience_config"),
          object("platformConfig", "platform_config"),
          object("creativeConfig", "creative_config"),
          object("publishConfig", "publish_config"),
          make("legacyData", "legacy_data", Kind::Json, static_cast<std::int64_t>(L::kMaxJsonBytes)),
          text("source", "source", 32).range(1, 32).default_to(std::string_view("v2")),
      });
  return t;
}

const TableSpec& campaign_drafts() {
  static const TableSpec t = finish("campaign_drafts", false,
      {
          id_ref("campaignId", "campaign_id", "campaigns").req().create_only(),
          object("stepData", "step_data"),
          timestamp("autoSavedAt", "auto_saved_at").managed(),
          timestamp("expiresAt", "expires_at"),
      });
  return t;
}

const TableSpec& creatives() {
  static const TableSpec t = finish("creatives", false,
      {
          id_ref("campaignId", "campaign_id", "campaigns").req().create_only(),
          text("name", "name", L::kMaxNameChars),
          short_text("formatId", "format_id"),
          short_text("formatName", "format_name"),
          integer("width", "width", 1, L::kMaxPixels),
          integer("height", "height", 1, L::kMaxPixels),
          make("elements", "elements", Kind::Array, static_cast<std::int64_t>(L::kMaxJsonBytes))
              .default_to(std::string_view("[]")),
          object("metadata", "metadata"),
          // Bumped by creatives.update whenever elements change.
          integer("version", "version", 1, L::kMaxInt32).managed().default_to(std::int64_t{1}),
          boolean("isActive", "is_active", true),
      });
  return t;
}

const TableSpec& creative_assets() {
  static const TableSpec t = finish("creative_assets", false,
      {
          id_ref("creativeId", "creative_id", "creatives").req().create_only(),
          choice("type", "type", {"image", "video", "text", "button"}).req(),
          url("url", "url"),
          text("storagePath", "storage_path", 1024),
          long_text("content", "content"),
          object("styles", "styles"),
          object("position", "position"),
          object("metadata", "metadata"),
      });
  return t;
}

const TableSpec& platform_integrations() {
  static const TableSpec t = finish("platform_integrations", false,
      {
          id_ref("userId", "user_id", ""),
          choice("platformId", "platform_id", {"meta", "display", "ctv", "tiktok"}).req(),
          short_text("platformAccountId", "platform_account_id"),
          object("settings", "settings"),
          status("active"),
          timestamp("expiresAt", "expires_at"),
      });
  return t;
}

const TableSpec& campaign_publications() {
  static const TableSpec t = finish("campaign_publications", false,
      {
          id_ref("campaignId", "campaign_id", "campaigns").req().create_only(),
          id_ref("platformIntegrationId", "platform_integration_id", "platform_integrations"),
          short_text("platformCampaignId", "platform_campaign_id"),
          status("pending"),
          object("metrics", "metrics"),
          timestamp("lastSyncAt", "last_sync_at"),
      });
  return t;
}

const TableSpec& ai_generations() {
  static const TableSpec t = finish("ai_generations", false,
      {
          id_ref("userId", "user_id", ""),
          choice("type", "type", {"background", "copy", "creative"}).req(),
          long_text("prompt", "prompt"),
          choice("service", "service", {"fal", "openai", "midjourney"}),
          short_text("requestId", "request_id"),
          make("responseData", "response_data", Kind::Json, static_cast<std::int64_t>(L::kMaxJsonBytes))
              .default_to(std::string_view("{}")),
          integer("processingTime", "processing_time", 0, L::kMaxInt32),
          make("costCredits", "cost_credits", Kind::Money4).range(0, L::kMaxCostCreditUnits),
      });
  return t;
}

}  // namespace spec

const std::vector<const TableSpec*>& all_tables() {
  static const std::vector<const TableSpec*> list = {
      &spec::users(), &spec::products(), &spec::product_images(), &spec::background_versions(), &spec::campaigns(),
      &spec::campaign_drafts(), &spec::creatives(), &spec::creative_assets(), &spec::platform_integrations(),
      &spec::campaign_publications(), &spec::ai_generations()};
  return list;
}

}  // namespace cs::model
