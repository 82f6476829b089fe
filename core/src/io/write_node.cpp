// Writing nodes in the layout nir 1.0.7 reads (nir-format.md §7.1-7.7): `type` first, then
// fields in node order, metadata only when non-empty, extras verbatim, nested graphs with
// edges as (N, 2) vlen UTF-8 strings or float64 (0,) when there are none.
#include "writer.hpp"

#include "nirb/error.hpp"

namespace nirb::io {
namespace {

void check_name(const std::string& name, const h5::Site& site) {
    if (name.empty() || name == "." || name.find('/') != std::string::npos)
        throw Error(h5::where(site.file, site.path,
                              "cannot write node name \"" + name +
                                  "\": names must be non-empty and must not contain '/' "
                                  "(HDF5 would nest groups)"));
}

void write_edges(hid_t group, const std::vector<Edge>& edges, const h5::Site& site,
                 const h5::CreateOptions& opts) {
    const h5::Site es{site.file, site.path + "/edges"};
    if (edges.empty()) {
        h5::write_tensor(group, "edges", Tensor(DType::Float64, {0}), es, {});
        return;
    }
    std::vector<std::string> flat;
    flat.reserve(edges.size() * 2);
    for (const auto& e : edges) {
        flat.push_back(e.src);
        flat.push_back(e.dst);
    }
    h5::write_tensor(
        group, "edges",
        Tensor::from_strings(std::move(flat), {static_cast<std::int64_t>(edges.size()), 2}), es,
        opts);
}

void write_map_members(hid_t group, const ValueMap& map, const h5::Site& site,
                       const h5::CreateOptions& opts) {
    for (const auto& [name, value] : map.entries())
        h5::write_value(group, name, value, site, opts);
}

} // namespace

void write_node(hid_t group, const Node& node, const h5::Site& site,
                const h5::CreateOptions& opts) {
    h5::write_string(group, "type", node.type(), {site.file, site.path + "/type"});
    if (node.is_graph()) {
        const Graph& g = node.graph();
        const h5::Site ns{site.file, site.path + "/nodes"};
        h5::Handle nodes = h5::create_group(group, "nodes", ns);
        for (const auto& nn : g.nodes()) {
            const h5::Site cs{site.file, ns.path + "/" + nn.name};
            check_name(nn.name, cs);
            h5::Handle child = h5::create_group(nodes.get(), nn.name, cs);
            write_node(child.get(), nn.node, cs, opts);
        }
        write_edges(group, g.edges(), site, opts);
    }
    write_map_members(group, node.fields(), site, opts);
    // A NIRGraph's metadata lives on its Graph; a node-level map is the fallback.
    const Metadata& md = node.is_graph() && !node.graph().metadata().empty()
                             ? node.graph().metadata()
                             : node.metadata();
    if (!md.empty())
        h5::write_value(group, "metadata", Value(md), site, opts);
    write_map_members(group, node.extras(), site, opts);
}

} // namespace nirb::io
