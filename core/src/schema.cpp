// The schema records of nir 1.0.7 (nir-format.md §3). Field order follows the reference's
// constructor order so dumps read naturally.
#include "nirb/schema.hpp"

#include "type_rules.hpp"

namespace nirb {
namespace {

using K = FieldKind;
using D = FieldDefault;

FieldSchema required_array(std::string_view name, std::string_view doc) {
    return {name, K::Array, D::None, {}, 0, "0.0", doc};
}

std::vector<PrimitiveSchema> build_schemas() {
    const FieldSchema r = required_array("r", "input resistance (gain on the input)");
    const FieldSchema tau = required_array("tau", "membrane time constant");
    const FieldSchema v_leak = required_array("v_leak", "leak (resting) potential");
    const FieldSchema v_threshold = required_array("v_threshold", "firing threshold");
    const FieldSchema v_reset{
        "v_reset", K::Array, D::ZerosLike, "v_threshold", 0, "1.0.6", "potential after a spike"};
    const FieldSchema tau_syn = required_array("tau_syn", "synaptic time constant");
    const FieldSchema tau_mem = required_array("tau_mem", "membrane time constant");
    const FieldSchema w_in_li{
        "w_in", K::Array, D::OnesLike, "v_leak", 0, "0.2.0", "elementwise input weight"};
    const FieldSchema w_in_lif{
        "w_in", K::Array, D::OnesLike, "v_threshold", 0, "0.2.0", "elementwise input weight"};
    const FieldSchema weight = required_array("weight", "weight, PyTorch layout (out, in, ...)");
    const FieldSchema bias = required_array("bias", "bias, one per output (channel)");
    const FieldSchema conv_input_shape_1d{
        "input_shape", K::Int, D::Absent, {}, 0, "0.2.0", "spatial input length N"};
    const FieldSchema conv_input_shape_2d{
        "input_shape", K::Shape, D::Absent, {}, 0, "0.2.0", "spatial input shape (H, W)"};

    // Geometry a graph built in code may leave out; the simulator then assumes PyTorch's
    // defaults (`assumed`), while the reader requires the field.
    const auto geometry = [](std::string_view name, FieldKind kind, std::string_view doc,
                             std::optional<double> assumed) {
        FieldSchema f{name, kind, D::None, {}, 0, "0.0", doc};
        f.lenient_value = assumed;
        return f;
    };
    const auto conv_fields = [&](FieldSchema input_shape, FieldKind per_axis) {
        FieldSchema conv_bias = bias;
        conv_bias.lenient_value = 0.0;
        return std::vector<FieldSchema>{
            std::move(input_shape),
            weight,
            geometry("stride", per_axis, "step between output positions", 1),
            geometry("padding", K::Padding, "zero padding per side, or \"same\"/\"valid\"", 0),
            geometry("dilation", per_axis, "spacing between kernel taps", 1),
            geometry("groups", K::Int, "channel groups", 1),
            conv_bias};
    };

    using F = KernelFamily;
    namespace rule = type_rules;
    std::vector<PrimitiveSchema> s;
    s.push_back(
        {.type = "Input",
         .since = "0.0",
         .summary = "graph entry point (identity)",
         .fields = {{"shape", K::Shape, D::None, {}, 0, "0.1.1", "input shape, no batch dim"}},
         .type_rule = rule::io,
         .kernel = F::Identity});
    s.push_back({.type = "Output",
                 .since = "0.0",
                 .summary = "graph exit point (identity)",
                 .fields = {{"shape", K::Shape, D::Absent, {}, 0, "0.1.1", "output shape"}},
                 .type_rule = rule::io,
                 .kernel = F::Identity});
    s.push_back({.type = "Affine",
                 .since = "0.0",
                 .summary = "y = W x + b",
                 .fields = {weight, bias},
                 .type_rule = rule::dense,
                 .kernel = F::Dense});
    s.push_back({.type = "Linear",
                 .since = "0.0",
                 .summary = "y = W x",
                 .fields = {weight},
                 .type_rule = rule::dense,
                 .kernel = F::Dense});
    s.push_back({.type = "Scale",
                 .since = "0.0",
                 .summary = "y = s * x (elementwise)",
                 .fields = {required_array("scale", "elementwise scale")},
                 .population_field = "scale",
                 .type_rule = rule::population,
                 .kernel = F::Scale});
    s.push_back({.type = "Conv1d",
                 .since = "0.2.0",
                 .summary = "PyTorch conv1d",
                 .fields = conv_fields(conv_input_shape_1d, K::Int),
                 .type_rule = rule::conv1d,
                 .type_rule_reports = true,
                 .kernel = F::Conv,
                 .spatial_dims = 1});
    s.push_back({.type = "Conv2d",
                 .since = "0.0",
                 .summary = "PyTorch conv2d",
                 .fields = conv_fields(conv_input_shape_2d, K::IntPair),
                 .type_rule = rule::conv2d,
                 .type_rule_reports = true,
                 .kernel = F::Conv,
                 .spatial_dims = 2});
    // A pool without a stride steps by its kernel size (PyTorch); the pool kernel does that.
    const std::vector<FieldSchema> pool{
        geometry("kernel_size", K::IntPair, "window size", 1),
        geometry("stride", K::IntPair,
                 "step between windows (absent: the simulator steps by "
                 "kernel_size)",
                 std::nullopt),
        geometry("padding", K::IntPair, "zero padding per side", 0)};
    s.push_back({.type = "SumPool2d",
                 .since = "0.0",
                 .summary = "2-D sum pooling",
                 .fields = pool,
                 .type_rule = rule::pool,
                 .type_rule_reports = true,
                 .kernel = F::SumPool,
                 .spatial_dims = 2});
    s.push_back({.type = "AvgPool2d",
                 .since = "1.0.2",
                 .summary = "2-D average pooling",
                 .fields = pool,
                 .type_rule = rule::pool,
                 .type_rule_reports = true,
                 .kernel = F::AvgPool,
                 .spatial_dims = 2});
    s.push_back({.type = "Flatten",
                 .since = "0.1",
                 .summary = "reshape dims start..end (inclusive) into one",
                 .fields = {{"start_dim", K::Int, D::IntValue, {}, 1, "0.0", "first dim flattened"},
                            {"end_dim", K::Int, D::IntValue, {}, -1, "0.0", "last dim flattened"},
                            {"input_type", K::Shape, D::Absent, {}, 0, "0.2.0", "input shape"}},
                 .type_rule = rule::flatten,
                 .type_rule_reports = true,
                 .kernel = F::Reshape});
    s.push_back({.type = "Delay",
                 .since = "0.0",
                 .summary = "y(t) = x(t - delay)",
                 .fields = {required_array("delay", "per-element delay in time units")},
                 .population_field = "delay",
                 .type_rule = rule::population,
                 .kernel = F::Delay});
    s.push_back({.type = "Threshold",
                 .since = "0.0",
                 .summary = "z = H(x - threshold)",
                 .fields = {required_array("threshold", "threshold")},
                 .population_field = "threshold",
                 .is_spiking = true,
                 .type_rule = rule::population,
                 .kernel = F::Threshold});
    const auto neuron = [](PrimitiveSchema p, std::string_view membrane_tau,
                           std::string_view synapse_tau) {
        p.is_neuron = true;
        p.type_rule = type_rules::population;
        p.kernel = KernelFamily::Neuron;
        p.neuron = {membrane_tau, synapse_tau};
        return p;
    };
    s.push_back(neuron({.type = "I",
                        .since = "0.0",
                        .summary = "integrator: dv/dt = r I",
                        .fields = {r},
                        .population_field = "r"},
                       "", ""));
    s.push_back(neuron({.type = "IF",
                        .since = "0.0",
                        .summary = "integrate-and-fire",
                        .fields = {r, v_threshold, v_reset},
                        .population_field = "r",
                        .is_spiking = true},
                       "", ""));
    s.push_back(neuron({.type = "LI",
                        .since = "0.0",
                        .summary = "leaky integrator",
                        .fields = {tau, r, v_leak},
                        .population_field = "r"},
                       "tau", ""));
    s.push_back(neuron({.type = "LIF",
                        .since = "0.0",
                        .summary = "leaky integrate-and-fire",
                        .fields = {tau, r, v_leak, v_threshold, v_reset},
                        .population_field = "r",
                        .is_spiking = true},
                       "tau", ""));
    s.push_back(neuron({.type = "CubaLI",
                        .since = "1.0.5",
                        .summary = "current-based leaky integrator",
                        .fields = {tau_syn, tau_mem, r, v_leak, w_in_li},
                        .population_field = "v_leak"},
                       "tau_mem", "tau_syn"));
    s.push_back(neuron({.type = "CubaLIF",
                        .since = "0.0",
                        .summary = "current-based leaky integrate-and-fire",
                        .fields = {tau_syn, tau_mem, r, v_leak, v_threshold, v_reset, w_in_lif},
                        .population_field = "v_threshold",
                        .is_spiking = true},
                       "tau_mem", "tau_syn"));
    s.push_back({.type = "NIRGraph",
                 .since = "0.0",
                 .summary = "nested graph (nodes, edges, metadata)",
                 .fields = {}});
    return s;
}

} // namespace

std::optional<double> FieldSchema::simulator_default() const {
    switch (default_rule) {
    case FieldDefault::ZerosLike:
        return 0.0;
    case FieldDefault::OnesLike:
        return 1.0;
    case FieldDefault::IntValue:
        return static_cast<double>(int_default);
    case FieldDefault::None:
    case FieldDefault::Absent:
        break;
    }
    return lenient_value;
}

std::string_view kernel_family_name(KernelFamily family) {
    switch (family) {
    case KernelFamily::None:
        return "none";
    case KernelFamily::Identity:
        return "identity";
    case KernelFamily::Reshape:
        return "reshape";
    case KernelFamily::Scale:
        return "scale";
    case KernelFamily::Threshold:
        return "threshold";
    case KernelFamily::Delay:
        return "delay";
    case KernelFamily::Dense:
        return "dense";
    case KernelFamily::Conv:
        return "conv";
    case KernelFamily::SumPool:
        return "sum-pool";
    case KernelFamily::AvgPool:
        return "avg-pool";
    case KernelFamily::Neuron:
        return "neuron";
    }
    return "none";
}

const FieldSchema* PrimitiveSchema::field(std::string_view name) const {
    for (const auto& f : fields)
        if (f.name == name)
            return &f;
    return nullptr;
}

std::span<const PrimitiveSchema> all_primitives() {
    static const std::vector<PrimitiveSchema> schemas = build_schemas();
    return schemas;
}

const PrimitiveSchema* find_primitive(std::string_view type) {
    for (const auto& p : all_primitives())
        if (p.type == type)
            return &p;
    return nullptr;
}

} // namespace nirb
