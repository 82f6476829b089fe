// A plugin whose pass crashes the process (null dereference) or hangs: `nirb plugin
// validate` must report it as a failure from its child process and survive. Kept out of the
// folder the unit tests scan.
#include "nirb/plugin.hpp"

#include <csignal>

namespace {

class Crash : public nirb::sdk::Pass {
public:
    Crash() : Pass("testcrash.segfault", "crashes on any graph") {}
    void run(nirb::sdk::Graph&, const nirb::sdk::Options&, nirb::sdk::Diagnostics&) override {
        std::raise(SIGSEGV); // what a null dereference does, without undefined behaviour
    }
};

class CrashPlugin : public nirb::sdk::Plugin {
public:
    CrashPlugin() : Plugin({"org.nirb.test.crash", "crash", "0.1.0", ">=1.0", {"testcrash"}}) {
        add_pass<Crash>();
    }
};

} // namespace

NIRB_PLUGIN(CrashPlugin)
