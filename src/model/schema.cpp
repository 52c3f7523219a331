#include "campaign_store/schema.hpp"

namespace cs::schema {

// Filled in by the core-engine work (issue 3); until then there is no schema.
int current_version() { return 0; }
int migrate(Database&) { return 0; }

}  // namespace cs::schema
