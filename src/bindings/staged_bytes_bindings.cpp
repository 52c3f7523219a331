// An engine's staged bytes as views of the wasm heap (embind), for the ops
// the op table marks bytesIn/bytesOut: JS copies an export out (slice())
// before releasing it, and fills an import buffer in place before the op.
// The slots are the engine's (the C API's cs_engine_exported and
// cs_engine_import_buffer, src/api/session.hpp); `engine` is the handle
// cs_engine_new returned. None of these throws: failure is a null result.
#include "campaign_store/c_api.h"

#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <cstdint>

namespace {

using emscripten::val;

cs_engine* engine_of(std::uintptr_t handle) { return reinterpret_cast<cs_engine*>(handle); }

// What the engine's last op staged for export (zero bytes are a view too),
// or null when it staged none.
val export_view(std::uintptr_t handle) {
  cs_engine* engine = engine_of(handle);
  const unsigned char* p = cs_engine_exported(engine);
  if (p == nullptr) return val::null();
  return val(emscripten::typed_memory_view(cs_engine_exported_size(engine), p));
}

void export_release(std::uintptr_t handle) { cs_engine_release_exported(engine_of(handle)); }

// n bytes for the engine's next op that reads staged bytes, or null when the
// heap cannot hold them.
val import_buffer(std::uintptr_t handle, double n) {
  if (!(n >= 0) || n > 2147483647.0) return val::null();
  const auto size = static_cast<std::size_t>(n);
  unsigned char* p = cs_engine_import_buffer(engine_of(handle), size);
  if (p == nullptr) return val::null();
  return val(emscripten::typed_memory_view(size, p));
}

}  // namespace

EMSCRIPTEN_BINDINGS(campaign_store_staged_bytes) {
  emscripten::function("stagedExportView", &export_view);
  emscripten::function("stagedExportRelease", &export_release);
  emscripten::function("stagedImportBuffer", &import_buffer);
}
