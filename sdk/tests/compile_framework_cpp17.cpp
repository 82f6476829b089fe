// Compile test: the framework-plugin part of the SDK (nirb/sdk/framework.hpp and what it
// includes) is valid C++17 under -Wall -Wextra -pedantic -Werror, templates instantiated.
#include "nirb/sdk/framework.hpp"

namespace {

struct Shared {
    int converted = 0;
};

void convert_lif(nirb::sdk::FromCanonicalRun<Shared>& r, const std::string& node) {
    ++r.state.converted;
    const auto s = r.semantics(node);
    if (s.reset != nirb::canonical::ResetMode::Subtract)
        r.verdict.impossible(node, "only subtract");
    std::string why;
    nirb::sdk::fold_input_gains(r.g, node, nirb::sdk::coefficients(r.g, node, r.dt).gain, why);
}

class CheckFromCanonical : public nirb::sdk::FromCanonicalPass<Shared> {
public:
    CheckFromCanonical()
        : FromCanonicalPass("checkfw.from-canonical", "canonical -> checkfw", "checkfw.load") {
        convert("LIF", convert_lif);
        keep({"Input", "Output"});
        handles({"reset"});
    }
    void finish(Run& r) override {
        r.set_target("checkfw", r.dt);
        r.import_argument("dt", r.dt);
        r.import_argument("mode", std::string("fast"));
    }
};

double fingerprint(const nirb::sdk::Graph&, std::string& evidence) {
    evidence += "no clue\n";
    return 0.0;
}

class CheckFramework : public nirb::sdk::FrameworkPlugin {
public:
    CheckFramework()
        : FrameworkPlugin({"org.nirb.checkfw", "checkfw", "0.0.1", ">=1.0", {"checkfw"}}, "checkfw",
                          "", &fingerprint) {
        add_pass<CheckFromCanonical>();
    }
};

} // namespace

NIRB_PLUGIN_BUILTIN(CheckFramework, nirb_sdk_framework_cpp17_check_descriptor)
