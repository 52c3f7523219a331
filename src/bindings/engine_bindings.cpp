// The one door as seen from JS: plain exported C functions around one
// Dispatcher, with the request and the answer as UTF-8 bytes in the wasm
// heap. JS encodes straight into the request buffer (TextEncoder.encodeInto)
// and decodes the answer from a view of it (TextDecoder); embind's
// std::string marshalling walked every byte in JS three times and its
// invoker is a generic function without eval (-sDYNAMIC_EXECUTION=0), which
// cost more than the call itself on small requests (profiled: fromWireType,
// lengthBytesUTF8, stringToUTF8Array). Bytes (BLOB parameters and results)
// travel beside the JSON the same way: staged after the arguments, and read
// from a view of the answer's bytes. The dispatcher catches everything, so
// no exception crosses into JS; allocation failure is a null/zero result.
#include "campaign_store/dispatcher.hpp"
#include "campaign_store/legacy.hpp"

#include <emscripten/emscripten.h>

#include <new>
#include <string>
#include <string_view>

// Import progress while legacy.import runs (cs::legacy::ImportOptions::progress):
// handed to Module.onLegacyProgress, which the engine's JS sets for the call.
EM_JS(void, cs_js_legacy_progress, (const char* text, std::size_t length), {
  const hook = Module['onLegacyProgress'];
  if (hook) hook(UTF8ToString(text, length));
});

namespace {

struct Engine {
  cs::Dispatcher dispatcher;
  std::string request;   // op bytes then argument bytes, written by JS
  std::string response;  // the last answer, read by JS until the next call
};

void forward_progress(const std::string& event) { cs_js_legacy_progress(event.data(), event.size()); }

}  // namespace

extern "C" {

EMSCRIPTEN_KEEPALIVE Engine* cs_engine_new() {
  cs::legacy::set_progress_sink(forward_progress);
  return new (std::nothrow) Engine();
}

EMSCRIPTEN_KEEPALIVE void cs_engine_delete(Engine* engine) { delete engine; }

// A request buffer of at least `capacity` bytes (its address moves when it
// grows), or null when the heap cannot hold it.
EMSCRIPTEN_KEEPALIVE char* cs_engine_request(Engine* engine, std::size_t capacity) {
  try {
    if (engine->request.size() < capacity) engine->request.resize(capacity);
    return engine->request.data();
  } catch (...) {
    return nullptr;
  }
}

// Runs the request buffer: its first op_len bytes are the op, the next
// args_len its JSON arguments, then (for a request that carries bytes)
// blobs_len bytes of blob list and bytes_len bytes of blobs (Dispatcher::call).
// Returns the answer's length in bytes (the answer is at cs_engine_response),
// or 0 when even that could not be stored.
EMSCRIPTEN_KEEPALIVE std::size_t cs_engine_call(Engine* engine, std::size_t op_len, std::size_t args_len,
                                                std::size_t blobs_len, std::size_t bytes_len) {
  const std::size_t size = engine->request.size();
  if (op_len > size || args_len > size - op_len || blobs_len > size - op_len - args_len ||
      bytes_len > size - op_len - args_len - blobs_len)
    return 0;
  const char* p = engine->request.data();
  const std::string_view op(p, op_len);
  const std::string_view args(p + op_len, args_len);
  const std::string_view blobs(p + op_len + args_len, blobs_len);
  const std::string_view bytes(p + op_len + args_len + blobs_len, bytes_len);
  try {
    engine->response = engine->dispatcher.call(op, args, blobs, bytes);
  } catch (...) {
    engine->response.clear();  // std::bad_alloc while moving the answer in
  }
  return engine->response.size();
}

EMSCRIPTEN_KEEPALIVE const char* cs_engine_response(Engine* engine) { return engine->response.data(); }

// The last answer's blobs (its "values" entries {"blob": k}): how many, and
// blob k's bytes at cs_engine_blob_bytes() + spans[2k], spans[2k+1] long.
EMSCRIPTEN_KEEPALIVE std::size_t cs_engine_blob_count(Engine* engine) {
  return engine->dispatcher.answer_values().blob_count();
}
EMSCRIPTEN_KEEPALIVE const std::size_t* cs_engine_blob_spans(Engine* engine) {
  return engine->dispatcher.answer_values().spans.data();
}
EMSCRIPTEN_KEEPALIVE const char* cs_engine_blob_bytes(Engine* engine) {
  return engine->dispatcher.answer_values().bytes.data();
}

// Hands back the memory of a large answer or request once JS has read it,
// so one big export or batch does not pin megabytes of heap until the next call.
EMSCRIPTEN_KEEPALIVE void cs_engine_trim(Engine* engine, std::size_t keep) {
  if (engine->response.capacity() > keep) std::string().swap(engine->response);
  if (engine->request.size() > keep) std::string().swap(engine->request);
  if (engine->dispatcher.answer_values().bytes.capacity() > keep) engine->dispatcher.release_answer_values();
}

}  // extern "C"
