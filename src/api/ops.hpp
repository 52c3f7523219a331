// Op handlers, declared here and listed once in op_table.cpp. Each group of
// ops lives in its own ops_<group>.cpp; handlers only adapt JSON arguments to
// the layer that does the work (db/, model/, legacy/, sync/).
#pragma once

#include "campaign_store/dispatcher.hpp"

namespace cs::ops {

// ops_core.cpp: the engine itself and raw SQL
json ping(Session&, const json& args);
json version(Session&, const json& args);
json list_ops(Session&, const json& args);
json open(Session&, const json& args);
json close(Session&, const json& args);
json sql_query(Session&, const json& args);
json sql_exec(Session&, const json& args);
json batch(Session&, const json& args);

// ops_sync.cpp: the sans-I/O sync engine, driven by the JS fetch loop
json sync_configure(Session&, const json& args);
json sync_begin(Session&, const json& args);
json sync_next(Session&, const json& args);
json sync_apply(Session&, const json& args);
json sync_status(Session&, const json& args);
json sync_conflicts(Session&, const json& args);

}  // namespace cs::ops
