// nir 1.0.7's auto I/O (nir/ir/graph.py infer_types) as an explicit pass, plus the matching
// reference-mode warnings of validate().
#include "validation.hpp"

#include "nirb/infer.hpp"
#include "nirb/normalize.hpp"

#include <fmt/format.h>

#include <unordered_set>

namespace nirb {
namespace {

std::string free_name(std::unordered_set<std::string>& taken, const std::string& base) {
    std::string name = base;
    for (std::size_t k = 0; taken.count(name); ++k)
        name = base + "_" + std::to_string(k);
    taken.insert(name);
    return name;
}

Tensor shape_tensor(const Shape& s) {
    return Tensor::from_ints(s);
}

/// The shape the added node gets: the attached node's input (or output) type.
MaybeShape attach_shape(const TypeMap& types, const std::string& path, bool input) {
    const NodeTypes* t = types.find(path);
    if (!t)
        return std::nullopt;
    return single_shape(input ? t->input_type : t->output_type);
}

void normalize_level(Graph& g, const std::string& prefix, Diagnostics& diags) {
    for (NamedNode& n : g.nodes())
        if (n.node.is_graph())
            normalize_level(n.node.graph(), prefix + n.name + ".", diags);
    const auto added = reference_auto_io(g);
    if (added.empty())
        return;
    Diagnostics ignored;
    const TypeMap types = infer_types(g, {.reference_compatible = true}, ignored);
    for (const AutoIoNode& a : added) {
        MaybeShape s = attach_shape(types, a.node, a.is_input);
        if (!s) {
            diags.error("NIRB-E320",
                        fmt::format("cannot add {} '{}' for '{}': its {} type is unknown",
                                    a.is_input ? "Input" : "Output", prefix + a.name,
                                    prefix + a.node, a.is_input ? "input" : "output"),
                        prefix + a.node);
            continue;
        }
        Node io(a.is_input ? "Input" : "Output");
        io.set_field("shape", shape_tensor(*s));
        g.add_node(a.name, std::move(io));
        if (a.is_input)
            g.add_edge(a.name, a.node);
        else
            g.add_edge(a.node, a.name);
        diags.note("NIRB-N321",
                   fmt::format("added {} node '{}' {} '{}'", a.is_input ? "Input" : "Output",
                               prefix + a.name, a.is_input ? "before" : "after", prefix + a.node),
                   prefix + a.name);
    }
}

} // namespace

std::vector<AutoIoNode> reference_auto_io(const Graph& g) {
    std::unordered_set<std::string> dsts, srcs, taken;
    for (const Edge& e : g.edges()) {
        srcs.insert(e.src);
        dsts.insert(e.dst);
    }
    for (const NamedNode& n : g.nodes())
        taken.insert(n.name);
    std::vector<AutoIoNode> out;
    for (const NamedNode& n : g.nodes())
        if (!dsts.count(n.name) && n.node.type() != "Input")
            out.push_back({true, n.name, free_name(taken, "input_" + n.name)});
    for (const NamedNode& n : g.nodes())
        if (!srcs.count(n.name) && n.node.type() != "Output")
            out.push_back({false, n.name, free_name(taken, "output_" + n.name)});
    return out;
}

Graph normalize_io(const Graph& g, Diagnostics& diags) {
    Graph out = g;
    normalize_level(out, "", diags);
    return out;
}

namespace detail {

void check_reference_io(const Checker& c) {
    for (const FlatLevel& L : c.inf.view.levels) {
        const std::string prefix = L.path.empty() ? "" : L.path + ".";
        for (const AutoIoNode& a : reference_auto_io(*L.graph))
            c.diags
                .warning(a.is_input ? "NIRB-W313" : "NIRB-W314",
                         fmt::format("nir 1.0.7 adds an {} node '{}' {} '{}' when reading",
                                     a.is_input ? "Input" : "Output", prefix + a.name,
                                     a.is_input ? "before" : "after", prefix + a.node),
                         prefix + a.node)
                .fix = "add the node explicitly (nirb::normalize_io adds it with the same name)";
    }
    for (const EdgeResolution& r : c.inf.view.special_resolutions)
        if (r.src_count > 1 || r.dst_count > 1) {
            const Edge& e = c.inf.view.levels[r.level].graph->edges()[r.edge];
            c.diags.warning("NIRB-W315",
                            fmt::format("nir 1.0.7 cannot type-check edge '{}' -> '{}': a "
                                        "subgraph with several Input/Output nodes raises "
                                        "NotImplementedError",
                                        e.src, e.dst),
                            c.inf.view.levels[r.level].path);
        }
}

} // namespace detail
} // namespace nirb
