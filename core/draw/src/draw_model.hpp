#pragma once
// The picture of a graph both text forms (DOT, Mermaid) are written from: leaves with labels
// and roles, nested graphs as a cluster tree, resolved edges with back edges marked. Built
// from one nirb::analyze() so resolution and cycle rules are those of validate (internal).
#include "nirb/draw.hpp"

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace nirb::draw {

/// How a node is drawn.
enum class NodeRole { Input, Output, Neuron, Weights, Other };

/// How each role looks, shared by the DOT and Mermaid writers.
struct RoleStyle {
    const char* name;      ///< Mermaid class name
    const char* fill;      ///< fill colour
    const char* dot_shape; ///< Graphviz node attributes besides the fill
};

/// The style of a role.
const RoleStyle& role_style(NodeRole role);

/// Every role, in enum order (for Mermaid's classDef lines).
inline constexpr NodeRole kAllRoles[] = {NodeRole::Input, NodeRole::Output, NodeRole::Neuron,
                                         NodeRole::Weights, NodeRole::Other};

/// One drawn node (a leaf of the flattened graph).
struct DrawnNode {
    std::string path;  ///< dotted path, unique
    std::string name;  ///< its name inside its own graph
    std::string type;  ///< primitive type
    std::string shape; ///< "[2, 34, 34] → [16, 17, 17]", "" when not shown
    NodeRole role = NodeRole::Other;
    std::size_t cluster = 0; ///< index into clusters; 0 is the root graph
};

/// One nested NIRGraph (index 0 is the root, which is not drawn as a cluster).
struct Cluster {
    std::string path;
    std::size_t parent = 0;
};

/// One drawn connection.
struct DrawnEdge {
    std::size_t src;
    std::size_t dst;
    bool back = false;     ///< closes a cycle (delayed by one step)
    bool mismatch = false; ///< the source's output shape is not the target's input shape
};

/// Everything drawn.
struct DrawModel {
    std::vector<DrawnNode> nodes;
    std::vector<Cluster> clusters;
    std::vector<DrawnEdge> edges;
};

/// The model of `g`.
DrawModel build_model(const Graph& g, const DrawOptions& options);

/// What a text writer does while the cluster tree is walked (depth 0 is the root graph).
struct ClusterVisitor {
    std::function<void(std::size_t cluster, int depth)> open;  ///< not called for the root
    std::function<void(std::size_t node, int depth)> node;     ///< each member node
    std::function<void(std::size_t cluster, int depth)> close; ///< not called for the root
};

/// Leading spaces of a line at cluster depth `depth` (the root's members: depth 0, two spaces).
inline std::string indent(int depth) {
    return std::string(static_cast<std::size_t>(depth) * 2 + 2, ' ');
}

/// Walk clusters in preorder: open, member nodes, child clusters, close.
void visit_clusters(const DrawModel& m, const ClusterVisitor& visitor);

} // namespace nirb::draw
