#pragma once
/// \file document.hpp
/// A whole .nir file: the stored version string, the root node and unknown root objects.

#include "nirb/graph.hpp"

#include <optional>
#include <string>

namespace nirb {

/// The NIR version nirbridge writes into `/version` by default.
inline constexpr const char* kNirWriteVersion = "1.0.7";

/// Everything in a .nir file. The root is normally a NIRGraph node but any node is allowed.
struct Document {
    /// `/version` as stored; nullopt for 0.0.x files that have none.
    std::optional<std::string> version;
    /// `/node`.
    Node root = Node::make_graph(Graph{});
    /// Objects at the file root other than `version` and `node`; written back verbatim.
    ValueMap extras;

    /// The root graph; throws nirb::Error when the root is not a NIRGraph.
    const Graph& graph() const;
    Graph& graph();

    bool operator==(const Document& other) const = default;
};

} // namespace nirb
