// Row ids: random (version 4) UUIDs from cs::secure_random, so ids made on
// two devices never collide and the server's `uuid` columns accept them.
#pragma once

#include <string>
#include <string_view>

namespace cs {

// "xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx", lower case.
std::string new_uuid();

// True for the 8-4-4-4-12 hex form (any version, either case).
bool is_uuid(std::string_view text) noexcept;

}  // namespace cs
