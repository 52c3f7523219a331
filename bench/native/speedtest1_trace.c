/* Linked into speedtest1: our SQLite build omits deprecated APIs
   (SQLITE_OMIT_DEPRECATED) and speedtest1 calls sqlite3_trace() only under
   --trace, which the bench never passes. */
#include "sqlite3.h"
void *sqlite3_trace(sqlite3 *db, void (*cb)(void *, const char *), void *arg) {
  (void)db; (void)cb; (void)arg;
  return 0;
}
