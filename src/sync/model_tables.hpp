// The Campaign Builder tables as the sync engine needs them: every synced
// table with each column's kind (money as scaled INTEGER, JSON as text,
// booleans as 0/1), generated from the same descriptors the data API uses
// (src/model/tables.cpp), so sync never drifts from the schema. Local-only
// columns (seq) and tables (cache_entries, FTS) are not listed. Sync reads
// the model here; the model knows nothing of sync.
#pragma once

#include "sync/sync.hpp"

#include <vector>

namespace cs::sync {

// Parents before children (users, products, product_images, ...).
std::vector<TableSpec> model_tables();

}  // namespace cs::sync
