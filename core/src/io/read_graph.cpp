// Reading a NIRGraph node: its child node groups in file order, its edges and metadata.
#include "reader.hpp"

#include "nirb/error.hpp"

namespace nirb::io {
namespace {

void read_children(ReadContext& ctx, Graph& graph, h5::Member& nodes, const std::string& path,
                   const std::string& node_path, int depth) {
    if (!nodes.is_group)
        ctx.fail(code::kWrongKind, path, "is a dataset; expected a group of node groups");
    ctx.check_depth(depth + 1, path);
    ctx.guard().enter(nodes.object.get(), ctx.site(path));
    // One child group open at a time (a graph may have 100,000 nodes).
    for (h5::MemberLink& link : h5::member_links(nodes.object.get(), ctx.site(path))) {
        h5::Member child = h5::open_member(nodes.object.get(), std::move(link), ctx.site(path));
        const std::string p = path + "/" + child.name;
        if (!child.is_group)
            ctx.fail(code::kWrongKind, p, "is a dataset; expected a node group");
        const std::string child_path =
            node_path.empty() ? child.name : node_path + "." + child.name;
        graph.add_node(child.name, read_node(ctx, child.object.get(), p, child_path, depth + 1));
    }
}

/// A Conv successor whose input is (C, spatial...) of the Input's rank with one input channel:
/// then the Input's leading 1 is that channel, not a batch dimension.
bool feeds_single_channel_conv(const Graph& graph, const std::string& input, std::size_t rank) {
    for (const auto& e : graph.edges()) {
        const Node* next = e.src == input ? graph.find(e.dst) : nullptr;
        if (!next || (next->type() != "Conv1d" && next->type() != "Conv2d"))
            continue;
        const std::size_t spatial = next->type() == "Conv1d" ? 1 : 2;
        const Tensor* w = next->tensor("weight");
        const Tensor* groups = next->tensor("groups");
        const double g = groups && groups->size() == 1 ? groups->at(0) : 1.0;
        if (rank == spatial + 1 && w && w->rank() == spatial + 2 && w->shape()[1] * g == 1.0)
            return true;
    }
    return false;
}

/// W109, checked once the edges are known: an Input shape of rank >= 2 that starts with 1.
void check_batch_dims(ReadContext& ctx, const Graph& graph, const std::string& path,
                      const std::string& node_path) {
    for (const auto& nn : graph.nodes()) {
        const Tensor* shape = nn.node.tensor("shape");
        if (nn.node.type() != "Input" || !shape || shape->rank() != 1 || shape->size() < 2 ||
            shape->at(0) != 1.0 ||
            feeds_single_channel_conv(graph, nn.name, static_cast<std::size_t>(shape->size())))
            continue;
        const std::string child = node_path.empty() ? nn.name : node_path + "." + nn.name;
        ctx.report(Severity::Warning, code::kBatchDim,
                   "Input shape " + shape_to_string(shape->to_ints()) +
                       " starts with 1: probably a batch dimension (NIR shapes have none)",
                   child, path + "/nodes/" + nn.name + "/shape");
    }
}

} // namespace

void read_graph_members(ReadContext& ctx, Node& node, std::vector<h5::Member>& members,
                        const std::string& path, const std::string& node_path, int depth) {
    Graph graph;
    bool has_nodes = false, has_edges = false;
    for (auto& m : members) {
        const std::string p = path + "/" + m.name;
        if (m.name == "type")
            continue;
        if (m.name == "nodes") {
            has_nodes = true;
            read_children(ctx, graph, m, p, node_path, depth);
        } else if (m.name == "edges") {
            has_edges = true;
            if (m.is_group)
                ctx.fail(code::kBadEdges, p, "is a group; expected an (N, 2) string dataset");
            graph.edges() = read_edges(ctx, m.object.get(), p, node_path);
        } else if (m.name == "metadata" && m.is_group) {
            graph.metadata() = read_member_value(ctx, m, p, depth + 1).as_map();
        } else {
            ctx.oddity(code::kUnknownField,
                       "unknown " + std::string(m.is_group ? "group" : "dataset") + " '" + m.name +
                           "' in NIRGraph node; kept and written back",
                       node_path, p);
            node.extras().set(m.name, read_member_value(ctx, m, p, depth + 1));
        }
    }
    for (const char* field : {"nodes", "edges"}) {
        if ((field[0] == 'n' ? has_nodes : has_edges))
            continue;
        const std::string p = path + "/" + field;
        const std::string msg = std::string("NIRGraph node has no '") + field + "'";
        if (ctx.strict())
            ctx.fail(code::kMissingField, p, msg);
        ctx.diags().add(Severity::Error, code::kMissingField, msg, node_path, p);
    }
    check_batch_dims(ctx, graph, path, node_path);
    node.set_graph(std::move(graph));
}

} // namespace nirb::io
