// Strict mode: nir 1.0.7 rebuilds every nested NIRGraph with type checking switched on, even
// under nir.read(type_check=False), so a nested graph that fails type checking cannot be
// read at all (nir-format.md §4). Reproduce that with the reference-compatible validator.
#include "reader.hpp"

#include "nirb/validate.hpp"

namespace nirb::io {
namespace {

void check_nested(ReadContext& ctx, const Graph& g, const std::string& path,
                  const std::string& node_path, bool nested) {
    if (nested) {
        Diagnostics d;
        ValidateOptions vo;
        vo.reference_compatible = true;
        vo.skip_read_checks = true;
        validate_graph(g, vo, d);
        for (const auto& item : d.items())
            if (item.severity == Severity::Error && item.code.rfind("NIRB-E3", 0) == 0)
                ctx.fail(item.code.c_str(), path,
                         "nested graph '" + node_path + "' fails type checking: " + item.message +
                             " (strict mode: nir 1.0.7 always type-checks nested graphs)");
    }
    for (const auto& nn : g.nodes())
        if (nn.node.is_graph())
            check_nested(ctx, nn.node.graph(), path + "/nodes/" + nn.name,
                         node_path.empty() ? nn.name : node_path + "." + nn.name, true);
}

} // namespace

void check_nested_types_strict(ReadContext& ctx, const Node& root) {
    if (root.is_graph())
        check_nested(ctx, root.graph(), "/node", "", false);
}

} // namespace nirb::io
