// Every op the core answers, with its argument shape. This table is the
// protocol: the JS client's typed methods and the README's API section are
// checked against it (`ops` returns it at run time).
#include "ops.hpp"

namespace cs {

const std::vector<OpSpec>& op_table() {
  static const std::vector<OpSpec> table = {
      // engine
      {"ping", "{echo?: any}", ops::ping, false},
      {"version", "{}", ops::version, false},
      {"ops", "{}", ops::list_ops, false},
      {"open", "{path?: string, vfs?: string}", ops::open, false},
      {"close", "{}", ops::close, false},
      // raw SQL, bound parameters only
      {"sql.query", "{sql: string, params?: array|object}", ops::sql_query},
      {"sql.exec", "{sql: string, params?: array|object}", ops::sql_exec},
      {"batch", "{ops: [{op: string, args?: object}]}", ops::batch},
      // sync (sans-I/O: the JS fetch loop carries the requests)
      {"sync.configure", "{userId: string, pushBatch?: 1..1000, pullPage?: 1..5000}", ops::sync_configure},
      {"sync.begin", "{}", ops::sync_begin},
      {"sync.next", "{} -> {kind: push|pull|idle, id, method, path, body}", ops::sync_next},
      {"sync.apply", "{id: integer, status: integer (0 = network error), body: any}", ops::sync_apply},
      {"sync.status", "{}", ops::sync_status},
      {"sync.conflicts", "{limit?: 1..500}", ops::sync_conflicts},
  };
  return table;
}

}  // namespace cs
