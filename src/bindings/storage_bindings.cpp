// The binary side door for database images (export/import), so the bytes
// never go through JSON. Each function hands JS a Uint8Array *view* of the
// wasm heap: JS copies an export out (view.slice()) before releasing it, and
// fills an import buffer in place before calling the storage.import op.
// None of these throws: failure is a null result.
#include "vfs/transfer.hpp"

#include <emscripten/bind.h>
#include <emscripten/val.h>

namespace {

using emscripten::val;

// The bytes the last storage.export op staged, or null.
val storage_export_view() {
  const auto& slot = cs::vfs::export_slot();
  if (slot.data() == nullptr) return val::null();
  return val(emscripten::typed_memory_view(slot.size(), slot.data()));
}

void storage_export_release() { cs::vfs::export_slot().reset(); }

// A buffer of n bytes for the next storage.import op, or null when the
// heap cannot hold it.
val storage_import_buffer(double n) {
  if (!(n >= 0) || n > 2147483647.0) return val::null();
  unsigned char* p = cs::vfs::import_slot().allocate(static_cast<std::size_t>(n));
  if (p == nullptr) return val::null();
  return val(emscripten::typed_memory_view(static_cast<std::size_t>(n), p));
}

}  // namespace

EMSCRIPTEN_BINDINGS(campaign_store_storage) {
  emscripten::function("storageExportView", &storage_export_view);
  emscripten::function("storageExportRelease", &storage_export_release);
  emscripten::function("storageImportBuffer", &storage_import_buffer);
}
