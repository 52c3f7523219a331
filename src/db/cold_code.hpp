// Cold code: a file whose functions run once per user (the legacy import) or
// once per open, export, report, release or sync cycle, never once per
// keystroke, puts them between CS_COLD_CODE_BEGIN and CS_COLD_CODE_END, after
// its last #include.
//
// In the wasm build (CS_COLD_MINSIZE, CMakeLists.txt) they are then compiled
// with clang's minsize attribute: size-tuned inlining and code generation for
// the file's own functions, which nlohmann's templates inline into. The
// templates the file instantiates from headers stay at the build's -O2.
// That is why this is an attribute and not -Oz on the file: the linker keeps
// one copy of each template instance (std::string, nlohmann::json), the first
// it meets, which with -Oz on the file can be the cold file's size-tuned copy
// that every hot caller then runs: with -Oz on these files a products.get
// through the door took 9.8 instead of 6.7 µs, though it runs none of them
// (README "Build").
#pragma once

#if defined(CS_COLD_MINSIZE) && defined(__clang__)
#define CS_COLD_CODE_BEGIN _Pragma("clang attribute push(__attribute__((minsize)), apply_to = function)")
#define CS_COLD_CODE_END _Pragma("clang attribute pop")
#else
#define CS_COLD_CODE_BEGIN
#define CS_COLD_CODE_END
#endif
