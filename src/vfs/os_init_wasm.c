/*
 * SQLite's OS layer for the wasm build, which is compiled with
 * SQLITE_OS_OTHER=1 (no unix VFS, no Emscripten filesystem). SQLite calls
 * sqlite3_os_init() once at startup; we register the base VFS here: it knows
 * randomness, time and sleep, and opens no files. That is all an in-memory
 * database needs. The pool VFS over the storage hosts registers itself on top
 * (src/vfs/) when a persistent database is opened.
 */
#include <sqlite3.h>

#include <string.h>
#include <sys/random.h>
#include <time.h>

static int base_open(sqlite3_vfs* vfs, const char* name, sqlite3_file* file, int flags,
                     int* out_flags) {
  (void)vfs; (void)name; (void)flags; (void)out_flags;
  file->pMethods = 0;
  return SQLITE_CANTOPEN;
}
static int base_delete(sqlite3_vfs* vfs, const char* name, int sync) {
  (void)vfs; (void)name; (void)sync;
  return SQLITE_IOERR_DELETE;
}
static int base_access(sqlite3_vfs* vfs, const char* name, int flags, int* out) {
  (void)vfs; (void)name; (void)flags;
  *out = 0;
  return SQLITE_OK;
}
static int base_full_pathname(sqlite3_vfs* vfs, const char* name, int n, char* out) {
  (void)vfs;
  sqlite3_snprintf(n, out, "%s", name);
  return SQLITE_OK;
}
static int base_randomness(sqlite3_vfs* vfs, int n, char* out) {
  (void)vfs;
  int done = 0;
  while (done < n) {
    int chunk = n - done > 256 ? 256 : n - done;
    if (getentropy(out + done, (size_t)chunk) != 0) break;
    done += chunk;
  }
  return done;
}
static int base_sleep(sqlite3_vfs* vfs, int micros) {
  (void)vfs;
  /* Single connection, exclusive access: SQLite never needs to wait. */
  return micros;
}
static int base_current_time_int64(sqlite3_vfs* vfs, sqlite3_int64* out) {
  (void)vfs;
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  /* Julian day in milliseconds, as SQLite wants it. */
  *out = (sqlite3_int64)210866760000000LL + (sqlite3_int64)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
  return SQLITE_OK;
}
static int base_current_time(sqlite3_vfs* vfs, double* out) {
  sqlite3_int64 ms;
  base_current_time_int64(vfs, &ms);
  *out = (double)ms / 86400000.0;
  return SQLITE_OK;
}
static int base_get_last_error(sqlite3_vfs* vfs, int n, char* out) {
  (void)vfs; (void)n; (void)out;
  return 0;
}

static sqlite3_vfs base_vfs = {
    2,            /* iVersion */
    sizeof(sqlite3_file), /* szOsFile */
    512,          /* mxPathname */
    0,            /* pNext */
    "cs-base",    /* zName */
    0,            /* pAppData */
    base_open,
    base_delete,
    base_access,
    base_full_pathname,
    0, 0, 0, 0,   /* no dlopen: extensions are compiled out */
    base_randomness,
    base_sleep,
    base_current_time,
    base_get_last_error,
    base_current_time_int64,
    0, 0, 0,      /* iVersion 2: no system-call overrides */
};

int sqlite3_os_init(void) { return sqlite3_vfs_register(&base_vfs, 1); }
int sqlite3_os_end(void) { return SQLITE_OK; }
