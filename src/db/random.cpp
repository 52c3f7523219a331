#include "campaign_store/random.hpp"

#include "campaign_store/error.hpp"

#include <unistd.h>
#if defined(__EMSCRIPTEN__)
#include <sys/random.h>
#endif

#include <algorithm>

namespace cs {

void secure_random(void* buf, std::size_t n) {
  auto* p = static_cast<unsigned char*>(buf);
  while (n > 0) {
    std::size_t chunk = std::min<std::size_t>(n, 256);  // getentropy's per-call limit
    if (getentropy(p, chunk) != 0)
      throw Error(Code::Internal, "secure random source failed");
    p += chunk;
    n -= chunk;
  }
}

}  // namespace cs
