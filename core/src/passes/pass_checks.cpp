// nir.validate and nir.infer: wrappers over validate_graph() and infer_types().
#include "core_pass.hpp"

#include "nirb/infer.hpp"
#include "nirb/validate.hpp"

#include <fmt/core.h>

namespace nirb::passes {
namespace {

class Validate : public sdk::Pass {
public:
    Validate() : Pass("nir.validate", "Check structure, types and parameters; fail on errors") {
        add_bool("strict", false, "Report warnings as errors");
        add_bool("reference_compatible", false,
                 "Infer types as nir 1.0.7 does and report where it would fail");
    }
    void run(sdk::Graph& graph, const sdk::Options& options, sdk::Diagnostics& diag) override {
        ValidateOptions opts;
        opts.strict = options.flag("strict");
        opts.reference_compatible = options.flag("reference_compatible");
        Diagnostics diags;
        validate_graph(core_graph(graph), opts, diags);
        forward(diags, diag);
        if (diags.has_errors())
            throw sdk::invalid_input(
                fmt::format("validation found {} error(s)", diags.count(Severity::Error)));
    }
};

/// Fill the optional shape fields a reader may leave absent from the inferred types.
void fill_fields(Graph& g, const std::string& prefix, const TypeMap& types, int& filled) {
    for (auto& [name, node] : g.nodes()) {
        const std::string path = prefix.empty() ? name : prefix + "." + name;
        if (node.is_graph()) {
            fill_fields(node.graph(), path, types, filled);
            continue;
        }
        const NodeTypes* t = types.find(path);
        const MaybeShape in = t ? single_shape(t->input_type) : std::nullopt;
        if (!in)
            continue;
        // Explicit capture: clang 14 cannot capture a structured binding.
        const auto absent = [&n = node](const char* field) { return !n.fields().find(field); };
        const std::string& type = node.type();
        if (type == "Output" && absent("shape"))
            node.set_field("shape", Tensor::from_ints(*in));
        else if (type == "Flatten" && absent("input_type"))
            node.set_field("input_type", Tensor::from_ints(*in));
        else if (type == "Conv1d" && absent("input_shape") && in->size() == 2)
            node.set_field("input_shape", Tensor::scalar(double((*in)[1]), DType::Int64));
        else if (type == "Conv2d" && absent("input_shape") && in->size() == 3)
            node.set_field("input_shape", Tensor::from_ints({(*in)[1], (*in)[2]}));
        else
            continue;
        ++filled;
    }
}

class Infer : public sdk::Pass {
public:
    Infer() : Pass("nir.infer", "Infer every node's types; fill absent shape fields from them") {
        add_bool("reference_compatible", false, "Reproduce nir 1.0.7's inference, bugs included");
        add_bool("fill_fields", true,
                 "Fill absent Output.shape, Flatten.input_type and Conv input_shape");
    }
    void run(sdk::Graph& graph, const sdk::Options& options, sdk::Diagnostics& diag) override {
        Graph& g = core_graph(graph);
        Diagnostics diags;
        const TypeMap types =
            infer_types(g, InferOptions{options.flag("reference_compatible")}, diags);
        forward(diags, diag);
        if (diags.has_errors())
            throw sdk::invalid_input(
                fmt::format("type inference found {} error(s)", diags.count(Severity::Error)));
        int filled = 0;
        if (options.flag("fill_fields"))
            fill_fields(g, "", types, filled);
        diag.note(
            fmt::format("inferred {} node type(s); filled {} field(s)", types.size(), filled));
    }
};

} // namespace

void add_check_passes(sdk::Plugin& plugin) {
    plugin.add_pass<Validate>();
    plugin.add_pass<Infer>();
}

} // namespace nirb::passes
