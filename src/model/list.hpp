// Keyset pagination over one table: equality filters, a sort key, and an
// opaque cursor holding the last row's (sort value, rowid). Each page is an
// index range scan from where the previous one stopped, so page 200 costs
// what page 1 costs (OFFSET would re-read every row before it).
//
// Result: {items: [...], nextCursor: string|null}. A cursor continues the
// query it came from: same filters, sort and order.
#pragma once

#include "values.hpp"

namespace cs::model {

struct ListFilter {
  std::string api;    // argument name
  std::string expr;   // SQL compared with `=` (or IS NULL for a null argument)
  const Field* field = nullptr;  // checks the argument; nullptr: any JSON scalar
  std::string guard;  // extra SQL term that lets a partial index apply
};

struct ListSort {
  std::string api;   // value of the `sort` argument
  std::string expr;  // SQL of the key; NULL-free (use ifnull) so keysets compare
};

struct ListSpec {
  const TableSpec* table = nullptr;
  std::vector<ListFilter> filters;
  std::vector<std::string> required;  // filters that must be given
  std::vector<ListSort> sorts;        // the first is the default
  bool default_desc = true;
};

// Filter on a field of the table: `column = ?`.
ListFilter filter_on(const TableSpec& spec, const std::string& api);

// A list of the table's rows filtered on the named fields (filter_on each),
// sorted by createdAt (the default), updatedAt, then more_sorts; newest first.
ListSpec list_over(const TableSpec& spec, const std::vector<std::string>& filters,
                   std::vector<ListSort> more_sorts = {});

json list_rows(Database& db, const ListSpec& spec, const json& args);

// Page size argument: default 50, 1..500.
std::int64_t page_limit(const json& args);

}  // namespace cs::model
