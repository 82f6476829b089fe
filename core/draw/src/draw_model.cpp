// Builds the DrawModel from nirb::analyze(): the analysis lists leaves in preorder, which is
// the order of the walk below, so each leaf gets the cluster of the graph level holding it.
#include "draw_model.hpp"

#include "nirb/analysis.hpp"

#include <algorithm>
#include <stdexcept>

namespace nirb::draw {
namespace {

NodeRole role_of(const std::string& type) {
    static const std::vector<std::string> neurons = {"LIF",    "CubaLIF", "IF",       "LI",
                                                     "CubaLI", "I",       "Threshold"};
    static const std::vector<std::string> weights = {"Affine", "Linear", "Conv1d", "Conv2d",
                                                     "Scale"};
    if (type == "Input")
        return NodeRole::Input;
    if (type == "Output")
        return NodeRole::Output;
    if (std::find(neurons.begin(), neurons.end(), type) != neurons.end())
        return NodeRole::Neuron;
    if (std::find(weights.begin(), weights.end(), type) != weights.end())
        return NodeRole::Weights;
    return NodeRole::Other;
}

/// Walk the nesting in preorder: a leaf gets the cluster of the graph holding it.
void collect_leaves(const Graph& g, std::size_t cluster, const std::string& prefix, DrawModel& m) {
    for (const auto& nn : g.nodes()) {
        const std::string path = prefix.empty() ? nn.name : prefix + "." + nn.name;
        if (nn.node.is_graph()) {
            m.clusters.push_back({path, cluster});
            collect_leaves(nn.node.graph(), m.clusters.size() - 1, path, m);
            continue;
        }
        DrawnNode d;
        d.path = path;
        d.name = nn.name;
        d.type = nn.node.type();
        d.role = role_of(d.type);
        d.cluster = cluster;
        m.nodes.push_back(std::move(d));
    }
}

std::string shape_text(const GraphAnalysis& a, std::size_t v) {
    const auto in = maybe_shape_to_string(a.input_shape(v));
    const auto out = maybe_shape_to_string(a.output_shape(v));
    return in == out ? in : in + " \u2192 " + out;
}

} // namespace

const RoleStyle& role_style(NodeRole role) {
    // Input and Output as house shapes pointing into and out of the graph; neurons rounded.
    static const RoleStyle styles[] = {
        {"input", "#d5f0d5", "shape=invhouse"},
        {"output", "#f6d5d5", "shape=house"},
        {"neuron", "#d8e6fa", "shape=box, style=\"rounded,filled\""},
        {"weights", "#fdf0c8", "shape=box"},
        {"other", "#ececec", "shape=box"},
    };
    return styles[static_cast<int>(role)];
}

DrawModel build_model(const Graph& g, const DrawOptions& options) {
    DrawModel m;
    m.clusters.push_back({"", 0});
    collect_leaves(g, 0, "", m);
    const GraphAnalysis a = analyze(g);
    // The analysis names leaves exactly as the walk does; if a future change broke that, the
    // drawing would attach edges to the wrong boxes, so fail loudly instead.
    if (a.node_count() != m.nodes.size())
        throw std::logic_error("draw: analysis and walk disagree on the leaves");
    for (std::size_t v = 0; v < m.nodes.size(); ++v) {
        if (a.path(v) != m.nodes[v].path)
            throw std::logic_error("draw: analysis and walk disagree on " + a.path(v));
        if (options.shapes)
            m.nodes[v].shape = shape_text(a, v);
    }
    const auto back = a.back_edges();
    for (std::size_t e = 0; e < a.edge_count(); ++e) {
        const FlatEdge fe = a.edge(e);
        const bool is_back = std::binary_search(back.begin(), back.end(), e);
        const MaybeShape& out = a.output_shape(fe.src);
        const MaybeShape& in = a.input_shape(fe.dst);
        m.edges.push_back({fe.src, fe.dst, is_back, out && in && *out != *in});
    }
    return m;
}

void visit_clusters(const DrawModel& m, const ClusterVisitor& visitor) {
    std::vector<std::vector<std::size_t>> children(m.clusters.size());
    std::vector<std::vector<std::size_t>> members(m.clusters.size());
    for (std::size_t c = 1; c < m.clusters.size(); ++c)
        children[m.clusters[c].parent].push_back(c);
    for (std::size_t v = 0; v < m.nodes.size(); ++v)
        members[m.nodes[v].cluster].push_back(v);
    std::function<void(std::size_t, int)> walk = [&](std::size_t c, int depth) {
        if (c != 0)
            visitor.open(c, depth);
        for (std::size_t v : members[c])
            visitor.node(v, depth);
        for (std::size_t child : children[c])
            walk(child, depth + 1);
        if (c != 0)
            visitor.close(c, depth);
    };
    walk(0, 0);
}

} // namespace nirb::draw
