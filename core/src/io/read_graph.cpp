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
    for (std::string& name : h5::member_names(nodes.object.get(), ctx.site(path))) {
        h5::Member child = h5::open_member(nodes.object.get(), std::move(name), ctx.site(path));
        const std::string p = path + "/" + child.name;
        if (!child.is_group)
            ctx.fail(code::kWrongKind, p, "is a dataset; expected a node group");
        const std::string child_path =
            node_path.empty() ? child.name : node_path + "." + child.name;
        graph.add_node(child.name, read_node(ctx, child.object.get(), p, child_path, depth + 1));
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
    node.set_graph(std::move(graph));
}

} // namespace nirb::io
