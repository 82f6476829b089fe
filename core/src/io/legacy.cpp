// Layouts other than the current one: edges in every historical encoding (strings of any
// flavour, an empty float64 array, the 0.0.x integer pairs) and node names containing `/`,
// which h5py writes as nested groups.
#include "reader.hpp"

#include "nirb/error.hpp"

#include <cmath>

namespace nirb::io {
namespace {

std::vector<Edge> string_edges(const Tensor& t) {
    std::vector<Edge> edges;
    const auto& s = t.strings();
    edges.reserve(s.size() / 2);
    for (std::size_t i = 0; i + 1 < s.size(); i += 2)
        edges.push_back({s[i], s[i + 1]});
    return edges;
}

std::vector<Edge> integer_edges(ReadContext& ctx, const Tensor& t, const std::string& path,
                                const std::string& node_path) {
    if (!dtype_is_integer(t.dtype()))
        ctx.fail(code::kBadEdges, path,
                 "edges are " + std::string(dtype_name(t.dtype())) +
                     " numbers; expected (N, 2) strings (or integers in 0.0.x files)");
    ctx.oddity(code::kIntEdges,
               "edges are integer pairs (nir 0.0.x layout); read as the child names \"0\", "
               "\"1\", ...",
               node_path, path);
    std::vector<Edge> edges;
    const auto ints = t.to_ints();
    for (std::size_t i = 0; i + 1 < ints.size(); i += 2)
        edges.push_back({std::to_string(ints[i]), std::to_string(ints[i + 1])});
    return edges;
}

} // namespace

std::vector<Edge> read_edges(ReadContext& ctx, hid_t dataset, const std::string& path,
                             const std::string& node_path) {
    auto dv = h5::read_dataset(dataset, ctx.site(path), h5::ScalarStyle::Field);
    if (!dv.value.is_tensor())
        ctx.fail(code::kBadEdges, path, "is a scalar; expected an (N, 2) string dataset");
    const Tensor& t = dv.value.as_tensor();
    if (t.size() == 0)
        return {}; // the reference writes float64 (0,) for "no edges"
    if (t.rank() != 2 || t.shape()[1] != 2)
        ctx.fail(code::kBadEdges, path,
                 "edges have shape " + shape_to_string(t.shape()) + "; expected (N, 2)");
    if (dv.is_string) {
        if (!(dv.flavour.variable && dv.flavour.utf8))
            ctx.report(Severity::Note, code::kStringFlavour,
                       "edges stored as fixed-length or ASCII strings (read as UTF-8 text)",
                       node_path, path);
        return string_edges(t);
    }
    return integer_edges(ctx, t, path, node_path);
}

void fail_untyped_group(ReadContext& ctx, std::vector<h5::Member>& members,
                        const std::string& path) {
    // h5py turns a node named "a/b" into group "a" holding group "b": the inner group has a
    // `type`, the outer one does not.
    for (auto& m : members) {
        if (!m.is_group)
            continue;
        auto inner = h5::list_members(m.object.get(), ctx.site(path + "/" + m.name));
        for (const auto& im : inner)
            if (im.name == "type" && !im.is_group) {
                const auto slash = path.rfind('/');
                const std::string outer = path.substr(slash + 1);
                ctx.fail(code::kSlashName, path,
                         "node group has no 'type' but contains node group '" + m.name +
                             "': a node name with '/' (\"" + outer + "/" + m.name +
                             "\") was written as nested groups; expected one group per node "
                             "(rename the node without '/')");
            }
    }
    ctx.fail(code::kNoType, path, "node group has no 'type' dataset; expected the node type name");
}

} // namespace nirb::io
