// The data API's repositories: JSON arguments in, JSON results out, one
// transaction per call (a savepoint inside a batch). Argument shapes are in
// src/api/op_table.cpp; behaviour notes are in src/model/README.md.
#pragma once

#include "db/database.hpp"
#include "model/table.hpp"

#include <nlohmann/json.hpp>

namespace cs::model {

using json = nlohmann::json;

// Every repository function has this type: `Op create;` declares
// json create(Database& db, const json& args), defined as such in the .cpp.
using Op = json(Database& db, const json& args);

// The repository of a table that needs nothing but the generic create, get,
// update and delete (repo.hpp): Plain<spec::users>::get answers users.get.
// Instantiated in repo.cpp for each table that uses it.
using TableOf = const TableSpec& (*)();  // spec::users, spec::products, ...
template <TableOf Table>
struct Plain {
  static Op create;
  static Op get;
  static Op update;
  static Op remove;
};

namespace products {
Op create;  // with images: [...]
Op get;     // + images (+ backgrounds), campaigns using it
Op list;
}  // namespace products

namespace images {
Op add;
Op list;
Op set_primary;
Op remove;
}  // namespace images

namespace backgrounds {
Op add;
Op activate;
Op list;
Op remove;
}  // namespace backgrounds

namespace campaigns {
Op create;
Op get;  // + product, creatives (+ assets), latest draft
Op list;
Op update;
Op set_status;
}  // namespace campaigns

namespace drafts {
Op save;  // upsert of the campaign's one live draft
Op get;   // latest unexpired draft or null
Op remove;
Op cleanup;  // {removed}
// The latest unexpired draft of a campaign, or null (campaigns.get uses it).
json latest(Database& db, std::string_view campaign_id);
}  // namespace drafts

namespace creatives {
Op create;  // with assets: [...]
Op get;     // + assets
Op list;
Op update;  // bumps version when elements change
// A campaign's creatives, each with its assets (campaigns.get uses it).
json of_campaign(Database& db, std::string_view campaign_id);
}  // namespace creatives

namespace assets {
Op list;
}  // namespace assets

namespace integrations {
Op create;
Op list;
Op update;
}  // namespace integrations

namespace publications {
Op list;
}  // namespace publications

namespace ai {
Op list;
}  // namespace ai

namespace search {
Op query;
// Indexes the rows written since the last call (schema v5 defers full-text
// indexing to here: run before every commit and before reading the index).
void index_pending(Database& db);
// The same in a transaction of its own when anything is queued, for readers
// of the index (search, raw SQL reads).
void catch_up(Database& db);
}  // namespace search

namespace cache {
Op get;
Op set;
Op invalidate;
Op purge;
}  // namespace cache

namespace health {
json check(Database* db);  // null when no database is open
json metrics(Database& db);
}  // namespace health

}  // namespace cs::model
