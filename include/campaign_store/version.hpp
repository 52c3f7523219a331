#pragma once

namespace cs {
// Bumped with package.json; reported by the `version` op.
inline constexpr const char* kVersion = "0.1.0";
}  // namespace cs
