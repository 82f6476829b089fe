// group_subgraphs: dotted names back into nested NIRGraph nodes (the reverse of flattening).
#include "nirb/algorithms.hpp"

#include <map>

namespace nirb {
namespace {

struct Group {
    std::size_t position;    ///< index of the first member in the flat level
    Graph members;           ///< members under their names after "G."
    std::string only_input;  ///< the group's single Input node, or ""
    std::string only_output; ///< the group's single Output node, or ""
};

/// The group a name belongs to: its prefix before the first '.', when no node is literally
/// called that; "" when the name is not grouped.
std::string group_of(const Graph& g, const std::string& name) {
    auto dot = name.find('.');
    if (dot == std::string::npos || dot == 0 || dot + 1 == name.size())
        return {};
    std::string prefix = name.substr(0, dot);
    return g.contains(prefix) ? std::string() : prefix;
}

std::string sole_node_of_type(const Graph& g, const std::string& type) {
    std::string found;
    for (const NamedNode& n : g.nodes())
        if (n.node.type() == type) {
            if (!found.empty())
                return {};
            found = n.name;
        }
    return found;
}

/// The name an outer edge uses for `name`: the group itself at its single Input (as a
/// destination) or single Output (as a source), else the unchanged dotted path.
std::string outer_name(const std::map<std::string, Group>& groups, const std::string& group,
                       const std::string& name, bool as_dst) {
    if (group.empty())
        return name;
    const Group& G = groups.at(group);
    const std::string rest = name.substr(group.size() + 1);
    const std::string& port = as_dst ? G.only_input : G.only_output;
    return rest == port ? group : name;
}

Graph group_level(const Graph& flat) {
    std::map<std::string, Group> groups;
    for (std::size_t i = 0; i < flat.size(); ++i) {
        const NamedNode& n = flat.nodes()[i];
        std::string g = group_of(flat, n.name);
        if (g.empty())
            continue;
        auto [it, fresh] = groups.try_emplace(g, Group{i, {}, {}, {}});
        it->second.members.add_node(n.name.substr(g.size() + 1), n.node);
    }
    std::vector<Edge> outer;
    for (const Edge& e : flat.edges()) {
        const std::string gs = group_of(flat, e.src), gd = group_of(flat, e.dst);
        if (!gs.empty() && gs == gd && flat.contains(e.src) && flat.contains(e.dst))
            groups.at(gs).members.add_edge(e.src.substr(gs.size() + 1),
                                           e.dst.substr(gd.size() + 1));
        else
            outer.push_back(e);
    }
    for (auto& [name, G] : groups) {
        G.only_input = sole_node_of_type(G.members, "Input");
        G.only_output = sole_node_of_type(G.members, "Output");
    }
    Graph out;
    out.metadata() = flat.metadata();
    for (std::size_t i = 0; i < flat.size(); ++i) {
        const NamedNode& n = flat.nodes()[i];
        std::string g = group_of(flat, n.name);
        if (g.empty())
            out.add_node(n.name, n.node);
        else if (groups.at(g).position == i)
            out.add_node(g, Node::make_graph(group_level(groups.at(g).members)));
    }
    for (const Edge& e : outer)
        out.add_edge(outer_name(groups, group_of(flat, e.src), e.src, false),
                     outer_name(groups, group_of(flat, e.dst), e.dst, true));
    return out;
}

} // namespace

Graph group_subgraphs(const Graph& flat) {
    return group_level(flat);
}

} // namespace nirb
