// A plugin whose init refuses: listing works, using one of its passes reports the message.
#include "nirb/plugin.hpp"

#include <stdexcept>

namespace {
class Noop : public nirb::sdk::Pass {
public:
    Noop() : Pass("initfail.noop", "never runs") {}
    void run(nirb::sdk::Graph&, const nirb::sdk::Options&, nirb::sdk::Diagnostics&) override {}
};
class InitFail : public nirb::sdk::Plugin {
public:
    InitFail() : Plugin({"org.nirb.test.initfail", "initfail", "0.1.0", ">=1.0", {"initfail"}}) {
        add_pass<Noop>();
    }
    void init(const nirb_host&) override { throw std::runtime_error("license file not found"); }
};
} // namespace

NIRB_PLUGIN(InitFail)
