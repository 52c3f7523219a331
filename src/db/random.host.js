// --js-library for the wasm build: secure random bytes in one crossing.
// Emscripten 3.1.6's getentropy() calls crypto.getRandomValues once per
// byte; that was a quarter of a bulk insert's time (16 calls per UUID).
mergeInto(LibraryManager.library, {
  cs_random_fill: function (ptr, size) {
    try {
      // getRandomValues fills at most 65536 bytes per call.
      for (let off = 0; off < size; off += 65536) {
        const end = Math.min(size, off + 65536);
        crypto.getRandomValues(HEAPU8.subarray(ptr + off, ptr + end));
      }
      return 0;
    } catch (e) {
      return -1;
    }
  },
});
