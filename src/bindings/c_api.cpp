// The C API (include/campaign_store/c_api.h) around one Dispatcher. Plain
// C++ that builds natively too, so its contract is tested by Catch2
// (tests/native/test_c_api.cpp); in the wasm build these are the exports JS
// calls (js/engine/engine.js NativeDoor).
//
// Why C functions and heap buffers rather than embind strings: JS encodes
// straight into the request buffer (TextEncoder.encodeInto) and decodes the
// answer from a view of it (TextDecoder); embind's std::string marshalling
// walked every byte in JS three times and its invoker is a generic function
// without eval (-sDYNAMIC_EXECUTION=0), which cost more than the call itself
// on small requests (profiled: fromWireType, lengthBytesUTF8,
// stringToUTF8Array). Bytes travel beside the JSON the same way.
#include "campaign_store/c_api.h"

#include "api/session.hpp"
#include "campaign_store/dispatcher.hpp"
#include "json/json_text.hpp"

#include <new>
#include <string>
#include <string_view>

#ifdef __EMSCRIPTEN__
#include <emscripten/emscripten.h>
#define CS_EXPORT EMSCRIPTEN_KEEPALIVE
#else
#define CS_EXPORT
#endif

struct cs_engine {
  cs::Dispatcher dispatcher;
  std::string request;   // op bytes then argument bytes, written by the caller
  std::string response;  // the last answer, read by the caller until the next call
  std::string changes;   // the last answer's changed tables, '\n'-separated
};

extern "C" {

CS_EXPORT cs_engine* cs_engine_new(void) { return new (std::nothrow) cs_engine(); }

CS_EXPORT void cs_engine_delete(cs_engine* engine) { delete engine; }

CS_EXPORT char* cs_engine_request(cs_engine* engine, size_t capacity) {
  try {
    if (engine->request.size() < capacity) engine->request.resize(capacity);
    return engine->request.data();
  } catch (...) {
    return nullptr;
  }
}

CS_EXPORT size_t cs_engine_call(cs_engine* engine, size_t op_len, size_t args_len, size_t blobs_len,
                                size_t bytes_len) {
  engine->response.clear();
  engine->changes.clear();
  const size_t size = engine->request.size();
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
    for (const std::string& table : engine->dispatcher.answer_changes()) {
      if (!engine->changes.empty()) engine->changes += '\n';
      engine->changes += table;
    }
  } catch (...) {
    engine->response.clear();  // std::bad_alloc while moving the answer in
    engine->changes.clear();
  }
  return engine->response.size();
}

CS_EXPORT const char* cs_engine_response(cs_engine* engine) { return engine->response.data(); }

CS_EXPORT int cs_engine_ok(cs_engine* engine) {
  return !engine->response.empty() && engine->dispatcher.answered_ok() ? 1 : 0;
}

CS_EXPORT const char* cs_engine_changes(cs_engine* engine) { return engine->changes.data(); }
CS_EXPORT size_t cs_engine_changes_size(cs_engine* engine) { return engine->changes.size(); }

CS_EXPORT size_t cs_engine_blob_count(cs_engine* engine) { return engine->dispatcher.answer_values().blob_count(); }
CS_EXPORT const size_t* cs_engine_blob_spans(cs_engine* engine) {
  return engine->dispatcher.answer_values().spans.data();
}
CS_EXPORT const char* cs_engine_blob_bytes(cs_engine* engine) {
  return engine->dispatcher.answer_values().bytes.data();
}

CS_EXPORT unsigned char* cs_engine_import_buffer(cs_engine* engine, size_t size) {
  return engine->dispatcher.session().import_slot().allocate(size);
}
CS_EXPORT const unsigned char* cs_engine_exported(cs_engine* engine) {
  return engine->dispatcher.session().export_slot().data();
}
CS_EXPORT size_t cs_engine_exported_size(cs_engine* engine) {
  return engine->dispatcher.session().export_slot().size();
}
CS_EXPORT void cs_engine_release_exported(cs_engine* engine) { engine->dispatcher.session().export_slot().reset(); }

CS_EXPORT void cs_engine_trim(cs_engine* engine, size_t keep) {
  if (engine->response.capacity() > keep) std::string().swap(engine->response);
  if (engine->request.size() > keep) std::string().swap(engine->request);
  if (engine->dispatcher.answer_values().bytes.capacity() > keep) engine->dispatcher.release_answer_values();
}

}  // extern "C"
