// The one error type of campaign-store. Every failure leaves the core as an
// Error with a code from a small fixed set, a message a person can act on, and
// structured details (the field, the limit, the SQLite code...). The dispatcher
// turns it into {code, message, details}; nothing else crosses the boundary.
#pragma once

#include <nlohmann/json.hpp>

#include <exception>
#include <string>

namespace cs {

enum class Code {
  InvalidArgument,  // the request is malformed: wrong type, missing field, bad JSON
  NotFound,         // the row or op does not exist
  Conflict,         // a unique value is taken, or a state transition is not allowed
  Constraint,       // a foreign key, CHECK or NOT NULL rule of the schema
  StorageFull,      // disk or OPFS quota exhausted; the transaction rolled back
  Io,               // the storage host failed to read, write or flush
  Corrupt,          // the file is not a database or is damaged
  Busy,             // another connection/tab holds the database
  Unauthorized,     // the caller may not touch this row
  Network,          // sync could not reach the server
  Internal,         // a bug: an invariant did not hold
};

// Stable wire names ("INVALID_ARGUMENT", ...). The JS client and the server
// both depend on them, so they never change once published.
const char* code_name(Code code) noexcept;

class Error : public std::exception {
 public:
  Error(Code code, std::string message, nlohmann::json details = nlohmann::json::object())
      : code_(code), message_(std::move(message)), details_(std::move(details)) {}

  Code code() const noexcept { return code_; }
  const std::string& message() const noexcept { return message_; }
  const nlohmann::json& details() const noexcept { return details_; }
  const char* what() const noexcept override { return message_.c_str(); }

  // {code, message, details}: the wire form of an error.
  nlohmann::json to_json() const;

 private:
  Code code_;
  std::string message_;
  nlohmann::json details_;
};

// Maps a SQLite result code (extended codes included) to ours.
Code code_from_sqlite(int extended_rc) noexcept;

}  // namespace cs
