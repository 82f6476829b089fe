#pragma once
// PluginHostImpl: the registry behind nirb::PluginHost, shared by its .cpp files. Internal.
#include "abi_bridge.hpp"
#include "loader.hpp"

#include "nirb/error.hpp"
#include "nirb/plugin_host.hpp"

#include <fmt/core.h>

#include <algorithm>

namespace nirb {

const nirb_plugin_v1* core_plugin_descriptor(); // passes/core_plugin.cpp

/// Name of the namespace of a pass ("example" for "example.scale-weights").
std::string namespace_of(const std::string& pass);

class PluginHostImpl {
public:
    std::vector<std::string> dirs;
    PluginHostOptions options;
    abi::Registry registry;
    std::vector<PluginRecord> records;

    /// Discover every plugin on `search` (discovery.cpp).
    PluginHostImpl(std::vector<std::string> search, PluginHostOptions opts);

    /// Load (when discovered in a child) and initialise a plugin in this process on first
    /// use; false (with init_error set) when that failed.
    bool ensure_ready(abi::LoadedPlugin& p);

    /// What a plugin offers: from discovery, or (built-in plugin) from its init here.
    const abi::PluginOffer* offer_of(abi::LoadedPlugin& p) {
        if (!p.offer && p.state == abi::LoadedPlugin::State::Listed)
            ensure_ready(p);
        return p.offer ? &*p.offer : nullptr;
    }

    abi::LoadedPlugin* owner_of_namespace(const std::string& ns) {
        for (auto& p : registry.plugins)
            if (std::count(p.record.namespaces.begin(), p.record.namespaces.end(), ns))
                return &p;
        return nullptr;
    }

    abi::LoadedPlugin& plugin_of(const std::string& id) {
        for (auto& p : registry.plugins)
            if (p.record.id == id)
                return p;
        throw Error(fmt::format("no plugin with id '{}'", id));
    }

    /// The plugin `id`, loaded and initialised here; throws with the reason otherwise.
    abi::LoadedPlugin& ready_plugin(const std::string& id, const std::string& purpose) {
        abi::LoadedPlugin& p = plugin_of(id);
        if (!ensure_ready(p))
            throw Error(fmt::format("plugin '{}' cannot {}: {}", id, purpose, p.init_error));
        return p;
    }
};

} // namespace nirb
