# SQLite, compiled from the amalgamation that the pinned npm package
# better-sqlite3@12.11.1 ships (SQLite 3.53.2). package-lock.json pins the
# tarball by integrity hash; this file pins the two sources by SHA-256, so a
# different amalgamation can never slip into a build unnoticed.
set(CS_SQLITE_DIR "${PROJECT_SOURCE_DIR}/node_modules/better-sqlite3/deps/sqlite3"
    CACHE PATH "Directory holding sqlite3.c and sqlite3.h")
set(CS_SQLITE_C_SHA256 "60d2f39a3726cd6b9021da6f4e868608d66fbb6528a9f513dc8ffcc640493422")
set(CS_SQLITE_H_SHA256 "9e69a1353a4288450b0d5239ede11fc7f1f4c8e5eb07491fc8317eacb5b7de7e")

foreach(part c h)
  set(file "${CS_SQLITE_DIR}/sqlite3.${part}")
  if(NOT EXISTS "${file}")
    message(FATAL_ERROR "SQLite amalgamation not found at ${file}.\n"
                        "Run `npm ci` first (tools/build.sh does).")
  endif()
  file(SHA256 "${file}" actual)
  string(TOUPPER "${part}" PART)
  if(NOT actual STREQUAL CS_SQLITE_${PART}_SHA256)
    message(FATAL_ERROR "Checksum mismatch for ${file}:\n  expected ${CS_SQLITE_${PART}_SHA256}\n"
                        "  actual   ${actual}")
  endif()
endforeach()

# In the wasm build, SQLite's SQL compiler is compiled for size. It runs when
# a statement is prepared, and the core prepares each statement once
# (Database::cached) and on open (schema, migrations); a workload's time is in
# the VDBE, the b-tree, the pager, FTS5 and JSON, which stay at CS_WASM_OPT.
# The amalgamation is one translation unit, so the build writes a copy with
# `#pragma clang attribute push(minsize)` around these files' sections
# (clang's per-function -Oz). Measured: README "Build".
set(CS_SQLITE_COLD_FILES
  parse.c tokenize.c prepare.c resolve.c walker.c expr.c select.c where.c
  wherecode.c whereexpr.c window.c insert.c update.c upsert.c delete.c
  trigger.c fkey.c build.c alter.c analyze.c attach.c pragma.c vacuum.c
  callback.c backup.c
  CACHE STRING "SQLite source files compiled with minsize in the wasm build (empty: none)")
set(CS_SQLITE_SOURCE "${CS_SQLITE_DIR}/sqlite3.c")
if(EMSCRIPTEN AND CS_SQLITE_COLD_FILES)
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS "${CS_SQLITE_SOURCE}")
  file(READ "${CS_SQLITE_SOURCE}" amalgamation)
  foreach(name ${CS_SQLITE_COLD_FILES})
    set(begin "/************** Begin file ${name} ")
    set(end "/************** End of ${name} ")
    string(FIND "${amalgamation}" "${begin}" at_begin)
    string(FIND "${amalgamation}" "${end}" at_end)
    if(at_begin EQUAL -1 OR at_end EQUAL -1)
      message(FATAL_ERROR "CS_SQLITE_COLD_FILES: ${name} is not a file of the amalgamation")
    endif()
    string(REPLACE "${begin}" "#pragma clang attribute push(__attribute__((minsize)), apply_to = function)\n${begin}"
           amalgamation "${amalgamation}")
    string(REPLACE "${end}" "#pragma clang attribute pop\n${end}" amalgamation "${amalgamation}")
  endforeach()
  set(CS_SQLITE_SOURCE "${CMAKE_BINARY_DIR}/sqlite3_sized.c")
  file(WRITE "${CS_SQLITE_SOURCE}.new" "${amalgamation}")
  file(COPY_FILE "${CS_SQLITE_SOURCE}.new" "${CS_SQLITE_SOURCE}" ONLY_IF_DIFFERENT)
  file(REMOVE "${CS_SQLITE_SOURCE}.new")
  unset(amalgamation)
endif()

add_library(cs_sqlite STATIC "${CS_SQLITE_SOURCE}")
target_include_directories(cs_sqlite SYSTEM PUBLIC "${CS_SQLITE_DIR}")
# Compile-time options (README "Build"): each one is a decision.
target_compile_definitions(cs_sqlite PUBLIC
  SQLITE_THREADSAFE=0               # one connection, one thread (the worker)
  SQLITE_DQS=0                      # "string" is never silently a literal
  SQLITE_OMIT_LOAD_EXTENSION        # no dlopen, no code loaded at run time
  SQLITE_TEMP_STORE=3               # temp tables and sorts stay in memory
  SQLITE_ENABLE_FTS5                # full-text search over products/campaigns
  SQLITE_DEFAULT_PAGE_SIZE=4096     # matches OPFS/disk block size
  SQLITE_DEFAULT_CACHE_SIZE=-8192   # 8 MiB page cache
  SQLITE_DEFAULT_FOREIGN_KEYS=1     # the schema's references are enforced
  SQLITE_DEFAULT_MEMSTATUS=0        # no global malloc accounting on hot paths
  SQLITE_LIKE_DOESNT_MATCH_BLOBS
  SQLITE_OMIT_DEPRECATED
  SQLITE_OMIT_SHARED_CACHE
  SQLITE_USE_ALLOCA
  SQLITE_MAX_EXPR_DEPTH=0
  SQLITE_ENABLE_MATH_FUNCTIONS
)
if(EMSCRIPTEN)
  # No unix VFS and no Emscripten filesystem: src/vfs/ provides the OS layer.
  target_compile_definitions(cs_sqlite PUBLIC SQLITE_OS_OTHER=1)
  # What the shipped module never calls (tests/native and bench/native keep
  # them: the benchmark's drift check traces statements natively). Each is
  # one the amalgamation can omit: no parser or grammar change.
  target_compile_definitions(cs_sqlite PUBLIC
    SQLITE_OMIT_UTF16                 # text crosses the door as UTF-8 only
    SQLITE_OMIT_TRACE
    SQLITE_OMIT_PROGRESS_CALLBACK
    SQLITE_OMIT_AUTHORIZATION
    SQLITE_OMIT_COMPLETE
    SQLITE_OMIT_GET_TABLE
    SQLITE_OMIT_DECLTYPE
    SQLITE_OMIT_COMPILEOPTION_DIAGS
    SQLITE_UNTESTABLE)
endif()
# Third-party code: do not drown our warnings in its own.
target_compile_options(cs_sqlite PRIVATE -w)
# Shared libraries link it natively (the layer checks in CMakeLists.txt);
# the wasm module is one static link and needs no position-independent code.
if(NOT EMSCRIPTEN)
  set_target_properties(cs_sqlite PROPERTIES POSITION_INDEPENDENT_CODE ON)
endif()
