#include "db/random.hpp"

#include "db/error.hpp"

#include <unistd.h>

#include <algorithm>

#if defined(__EMSCRIPTEN__)
// src/db/random.host.js: crypto.getRandomValues over the whole buffer.
extern "C" int cs_random_fill(void* buf, std::size_t n);
#endif

namespace cs {

void secure_random(void* buf, std::size_t n) {
#if defined(__EMSCRIPTEN__)
  if (cs_random_fill(buf, n) != 0) throw Error(Code::Internal, "secure random source failed");
#else
  auto* p = static_cast<unsigned char*>(buf);
  while (n > 0) {
    std::size_t chunk = std::min<std::size_t>(n, 256);  // getentropy's per-call limit
    if (getentropy(p, chunk) != 0)
      throw Error(Code::Internal, "secure random source failed");
    p += chunk;
    n -= chunk;
  }
#endif
}

}  // namespace cs
