#pragma once
// Shared by the built-in core passes ("nir.*"). They are written against the same SDK as
// third-party plugins (plugin.hpp) and registered through the same descriptor; only their
// link mode differs: linked into libnirb, so they may reach the nirb::Graph behind a handle.
#include "nirb/plugin.hpp"

#include "../plugin_host/abi_bridge.hpp"

#include "nirb/graph.hpp"

namespace nirb::passes {

/// The nirb::Graph behind an SDK graph view (valid: core passes only run inside libnirb).
inline Graph& core_graph(sdk::Graph& g) {
    return *g.handle()->graph;
}

/// Copy libnirb diagnostics into the step's diagnostics sink.
inline void forward(const Diagnostics& from, sdk::Diagnostics& to) {
    for (const auto& d : from.items()) {
        std::string message = d.message;
        for (const auto& n : d.notes)
            message += "; note: " + n;
        if (d.severity == Severity::Error)
            to.error(message, d.node_path, d.code);
        else if (d.severity == Severity::Warning)
            to.warning(message, d.node_path, d.code);
        else
            to.note(message, d.node_path, d.code);
    }
}

/// Registration functions, one per source file.
void add_metadata_passes(sdk::Plugin& plugin);
void add_tensor_passes(sdk::Plugin& plugin);
void add_check_passes(sdk::Plugin& plugin);
void add_algorithm_passes(sdk::Plugin& plugin);

} // namespace nirb::passes
