// The profiles framework plugins contribute (each convention's profiles_yaml, a YAML stream
// of nirb_profile documents) registered with the simulator, so the names the plugins write
// in NIRB_META_PROFILE resolve.
#include "nirb/bridge/profiles.hpp"

#include "nirb/sim/profile.hpp"
#include "nirb/sim/profile_catalog.hpp"

#include <sstream>

namespace nirb::bridge {

namespace {

/// Register each nirb_profile document of a "---"-separated YAML stream.
void register_stream(const std::string& yaml, const std::string& source,
                     const std::string& plugin_id) {
    std::istringstream text(yaml);
    std::string line, doc;
    auto flush = [&] {
        if (doc.find("nirb_profile") != std::string::npos)
            sim::register_profile(sim::parse_profile(doc, source), plugin_id);
        doc.clear();
    };
    while (std::getline(text, line)) {
        if (line == "---")
            flush();
        else
            doc += line + "\n";
    }
    flush();
}

} // namespace

void register_plugin_profiles(PluginHost& host) {
    for (const auto& c : host.conventions())
        register_stream(host.profiles_yaml(c), "plugin " + c.framework, c.plugin_id);
    for (const auto& t : host.targets())
        register_stream(host.profiles_yaml(t), "target " + t.target, t.plugin_id);
}

} // namespace nirb::bridge
