// Cryptographically secure random bytes: getentropy(), which is the kernel's
// getrandom() natively and crypto.getRandomValues() under Emscripten.
#pragma once

#include <cstddef>

namespace cs {
// Fills buf with n random bytes; throws cs::Error(INTERNAL) if the platform
// source fails, never falls back to a weak generator.
void secure_random(void* buf, std::size_t n);
}  // namespace cs
