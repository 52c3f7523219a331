/* The engine's C API: the one door (cs::Dispatcher) as plain C functions,
 * which the wasm module exports to JS (js/engine/engine.js NativeDoor) and
 * which build and are tested natively too (tests/native/test_c_api.cpp).
 *
 * A call goes through one reusable request buffer: cs_engine_request() gives
 * room for at least `capacity` bytes; the caller writes the op, its JSON
 * arguments and, for a request that carries bytes, a blob list and the
 * blobs' bytes one after the other; cs_engine_call() runs them. The answer
 * (the dispatcher's JSON envelope), its status, the tables it changed and
 * its blobs stay readable until the next call on the same engine.
 *
 * Nothing here throws or aborts: allocation failure is a null or zero result,
 * and every other failure is an error envelope with cs_engine_ok() == 0. */
#ifndef CAMPAIGN_STORE_C_API_H
#define CAMPAIGN_STORE_C_API_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct cs_engine cs_engine;

/* A new engine with no database open, or null when out of memory. */
cs_engine* cs_engine_new(void);
void cs_engine_delete(cs_engine* engine);

/* The request buffer, at least `capacity` bytes (it moves when it grows), or
 * null when it cannot grow. */
char* cs_engine_request(cs_engine* engine, size_t capacity);

/* Runs the request buffer: op_len bytes of op, args_len of JSON arguments,
 * blobs_len of blob list ([[path, length], ...]) and bytes_len of blob bytes.
 * Returns the answer's length in bytes, or 0 when the lengths overrun the
 * buffer or the answer could not be stored. */
size_t cs_engine_call(cs_engine* engine, size_t op_len, size_t args_len, size_t blobs_len, size_t bytes_len);

/* The last answer: the envelope's UTF-8 text (cs_engine_call's length). */
const char* cs_engine_response(cs_engine* engine);
/* 1 when the last call succeeded, 0 when it answered an error. */
int cs_engine_ok(cs_engine* engine);
/* The tables the last call's committed transactions touched, as names
 * separated by '\n' (cs_engine_changes_size bytes; 0 when none). */
const char* cs_engine_changes(cs_engine* engine);
size_t cs_engine_changes_size(cs_engine* engine);

/* The last answer's blobs: how many, and blob k's bytes at
 * cs_engine_blob_bytes() + spans[2k], spans[2k+1] bytes long. */
size_t cs_engine_blob_count(cs_engine* engine);
const size_t* cs_engine_blob_spans(cs_engine* engine);
const char* cs_engine_blob_bytes(cs_engine* engine);

/* Bytes that bypass JSON, for the ops the op table marks (bytesIn,
 * bytesOut): each engine has an import slot and an export slot.
 * cs_engine_import_buffer: `size` bytes to fill before an op that reads
 * staged bytes (it consumes them), or null when out of memory.
 * cs_engine_exported: what the last op that stages bytes left (null: none;
 * zero bytes are not null), cs_engine_exported_size long, kept until
 * cs_engine_release_exported or the next op that stages bytes. */
unsigned char* cs_engine_import_buffer(cs_engine* engine, size_t size);
const unsigned char* cs_engine_exported(cs_engine* engine);
size_t cs_engine_exported_size(cs_engine* engine);
void cs_engine_release_exported(cs_engine* engine);

/* Frees the answer's and the request's memory when above `keep` bytes. */
void cs_engine_trim(cs_engine* engine, size_t keep);

#ifdef __cplusplus
}
#endif

#endif /* CAMPAIGN_STORE_C_API_H */
