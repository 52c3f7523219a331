// The data API's repositories: JSON arguments in, JSON results out, one
// transaction per call (a savepoint inside a batch). Argument shapes are in
// src/api/op_table.cpp; behaviour notes are in src/model/README.md.
#pragma once

#include "db/database.hpp"
#include "model/table.hpp"

#include <nlohmann/json.hpp>

namespace cs::model {

using json = nlohmann::json;

// The repository of a table that needs nothing but the generic create, get,
// update and delete (repo.hpp): Plain<spec::users>::get answers users.get.
// Instantiated in repo.cpp for each table that uses it.
using TableOf = const TableSpec& (*)();  // spec::users, spec::products, ...
template <TableOf Table>
struct Plain {
  static json create(Database& db, const json& args);
  static json get(Database& db, const json& args);
  static json update(Database& db, const json& args);
  static json remove(Database& db, const json& args);
};

namespace products {
json create(Database& db, const json& args);  // with images: [...]
json get(Database& db, const json& args);     // + images (+ backgrounds), campaigns using it
json list(Database& db, const json& args);
}  // namespace products

namespace images {
json add(Database& db, const json& args);
json list(Database& db, const json& args);
json set_primary(Database& db, const json& args);
json remove(Database& db, const json& args);
}  // namespace images

namespace backgrounds {
json add(Database& db, const json& args);
json activate(Database& db, const json& args);
json list(Database& db, const json& args);
json remove(Database& db, const json& args);
}  // namespace backgrounds

namespace campaigns {
json create(Database& db, const json& args);
json get(Database& db, const json& args);  // + product, creatives (+ assets), latest draft
json list(Database& db, const json& args);
json update(Database& db, const json& args);
json set_status(Database& db, const json& args);
}  // namespace campaigns

namespace drafts {
json save(Database& db, const json& args);  // upsert of the campaign's one live draft
json get(Database& db, const json& args);   // latest unexpired draft or null
json remove(Database& db, const json& args);
json cleanup(Database& db, const json& args);  // {removed}
// The latest unexpired draft of a campaign, or null (campaigns.get uses it).
json latest(Database& db, std::string_view campaign_id);
}  // namespace drafts

namespace creatives {
json create(Database& db, const json& args);  // with assets: [...]
json get(Database& db, const json& args);     // + assets
json list(Database& db, const json& args);
json update(Database& db, const json& args);  // bumps version when elements change
// A campaign's creatives, each with its assets (campaigns.get uses it).
json of_campaign(Database& db, std::string_view campaign_id);
}  // namespace creatives

namespace assets {
json list(Database& db, const json& args);
}  // namespace assets

namespace integrations {
json create(Database& db, const json& args);
json list(Database& db, const json& args);
json update(Database& db, const json& args);
}  // namespace integrations

namespace publications {
json list(Database& db, const json& args);
}  // namespace publications

namespace ai {
json list(Database& db, const json& args);
}  // namespace ai

namespace search {
json query(Database& db, const json& args);
// Indexes the rows written since the last call (schema v5 defers full-text
// indexing to here: run before every commit and before reading the index).
void index_pending(Database& db);
// The same in a transaction of its own when anything is queued, for readers
// of the index (search, raw SQL reads).
void catch_up(Database& db);
}  // namespace search

namespace cache {
json get(Database& db, const json& args);
json set(Database& db, const json& args);
json invalidate(Database& db, const json& args);
json purge(Database& db, const json& args);
}  // namespace cache

namespace health {
json check(Database* db);  // null when no database is open
json metrics(Database& db);
}  // namespace health

}  // namespace cs::model
