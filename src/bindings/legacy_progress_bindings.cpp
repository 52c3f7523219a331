// What the C API (c_api.cpp) needs from JS in the wasm build: import
// progress while legacy.import runs (cs::legacy::ImportOptions::progress),
// handed to Module.onLegacyProgress, which the engine's JS sets for the call.
#include "legacy/legacy.hpp"

#include <emscripten/emscripten.h>

#include <string>

EM_JS(void, cs_js_legacy_progress, (const char* text, std::size_t length), {
  const hook = Module['onLegacyProgress'];
  if (hook) hook(UTF8ToString(text, length));
});

namespace {

void forward_progress(const std::string& event) { cs_js_legacy_progress(event.data(), event.size()); }

// Registered when the module starts: this file is linked into the module
// itself (not a library), so its initializer always runs, before any call.
// The sink is a plain function pointer, constant-initialized to null, so the
// order against other files' initializers does not matter.
[[maybe_unused]] const bool kProgressRegistered = (cs::legacy::set_progress_sink(forward_progress), true);

}  // namespace
