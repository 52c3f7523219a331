#include "db/error.hpp"

#include <sqlite3.h>

namespace cs {

const char* code_name(Code code) noexcept {
  switch (code) {
    case Code::InvalidArgument: return "INVALID_ARGUMENT";
    case Code::NotFound: return "NOT_FOUND";
    case Code::Conflict: return "CONFLICT";
    case Code::Constraint: return "CONSTRAINT";
    case Code::StorageFull: return "STORAGE_FULL";
    case Code::Io: return "IO";
    case Code::Corrupt: return "CORRUPT";
    case Code::Busy: return "BUSY";
    case Code::Unauthorized: return "UNAUTHORIZED";
    case Code::Network: return "NETWORK";
    case Code::Internal: return "INTERNAL";
  }
  return "INTERNAL";
}

nlohmann::json Error::to_json() const {
  return {{"code", code_name(code_)}, {"message", message_}, {"details", details_}};
}

Code code_from_sqlite(int rc) noexcept {
  switch (rc) {
    // A taken unique value is something the caller can resolve (pick another
    // name, update instead): CONFLICT, not a schema violation.
    case SQLITE_CONSTRAINT_UNIQUE:
    case SQLITE_CONSTRAINT_PRIMARYKEY:
      return Code::Conflict;
    default:
      break;
  }
  switch (rc & 0xff) {
    case SQLITE_CONSTRAINT: return Code::Constraint;
    case SQLITE_FULL: return Code::StorageFull;
    case SQLITE_IOERR: return Code::Io;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB: return Code::Corrupt;
    case SQLITE_BUSY:
    case SQLITE_LOCKED: return Code::Busy;
    case SQLITE_CANTOPEN: return Code::Io;
    case SQLITE_READONLY: return Code::Unauthorized;
    case SQLITE_NOTFOUND: return Code::NotFound;
    // Syntax errors, bad parameter indexes, oversized values and type
    // mismatches all come from what the caller sent.
    case SQLITE_ERROR:
    case SQLITE_RANGE:
    case SQLITE_TOOBIG:
    case SQLITE_MISMATCH:
    case SQLITE_AUTH:
      return Code::InvalidArgument;
    default: return Code::Internal;
  }
}

}  // namespace cs
