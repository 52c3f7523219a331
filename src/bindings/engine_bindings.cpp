// embind glue: the only Emscripten-specific C++ besides the VFS host bridge.
// It exposes exactly one door, Engine.call(op, argsJson) -> envelopeJson;
// the dispatcher behind it catches every exception, so none crosses into JS.
#include "campaign_store/dispatcher.hpp"

#include <emscripten/bind.h>

#include <string>

namespace {

class Engine {
 public:
  std::string call(const std::string& op, const std::string& args) {
    return dispatcher_.call(op, args);
  }

 private:
  cs::Dispatcher dispatcher_;
};

}  // namespace

EMSCRIPTEN_BINDINGS(campaign_store) {
  emscripten::class_<Engine>("Engine")
      .constructor<>()
      .function("call", &Engine::call);
}
