// Compile test: plugin.h and the header-only helper plugin.hpp are valid C++17 under
// -Wall -Wextra -pedantic -Werror (plugin authors may be on C++17).
#include "nirb/plugin.hpp"

namespace {

class CheckPass : public nirb::sdk::Pass {
public:
    CheckPass() : Pass("check.noop", "does nothing") {
        add_number("x", 0.5, "a number").range(0, 1);
        add_choice("mode", {"a", "b"}, "a", "a choice");
    }
    void run(nirb::sdk::Graph&, const nirb::sdk::Options&, nirb::sdk::Diagnostics&) override {}
};

class CheckPlugin : public nirb::sdk::Plugin {
public:
    CheckPlugin() : Plugin({"org.nirb.check", "check", "0.0.1", ">=1.0", {"check"}}) {
        add_pass<CheckPass>();
    }
};

} // namespace

NIRB_PLUGIN_BUILTIN(CheckPlugin, nirb_sdk_cpp17_check_descriptor)
