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

}  // namespace cs::ops
