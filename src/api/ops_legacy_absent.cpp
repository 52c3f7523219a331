// The legacy.* handlers of the lean module, which has no src/legacy in it:
// each answers NOT_FOUND and says where the code is. The op table keeps the
// ops (their shapes and traits are the same in both modules) and marks them
// absent (`ops`), so the worker loads the full module before it runs one
// (js/worker/server.js); only a caller driving the lean module directly sees
// these errors. CMakeLists.txt links this file or ops_legacy.cpp, never both.
#include <string>

#include "db/cold_code.hpp"
#include "db/error.hpp"
#include "ops.hpp"

CS_COLD_CODE_BEGIN

namespace cs::ops {

namespace {

[[noreturn]] void absent(const char* op) {
  throw Error(Code::NotFound,
              std::string("this module has no legacy code for '") + op +
                  "': the full module (campaign_store.wasm) has it, and the store's worker loads it itself",
              {{"op", op}, {"module", "lean"}});
}

}  // namespace

bool legacy_linked() { return false; }

json legacy_import(Session&, const json&) { absent("legacy.import"); }
json legacy_report(Session&, const json&) { absent("legacy.report"); }
json legacy_export(Session&, const json&) { absent("legacy.export"); }
json legacy_get(Session&, const json&) { absent("legacy.get"); }
json legacy_save_ad(Session&, const json&) { absent("legacy.saveAd"); }
json legacy_release(Session&, const json&) { absent("legacy.release"); }
json legacy_delete_sample(Session&, const json&) { absent("legacy.deleteSample"); }

}  // namespace cs::ops

CS_COLD_CODE_END
