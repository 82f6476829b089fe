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

    std::vector<PrimitiveSchema> s;
    s.push_back({"Input",
                 "0.0",
                 "graph entry point (identity)",
                 {{"shape", K::Shape, D::None, {}, 0, "0.1.1", "input shape, no batch dim"}}});
    s.push_back({"Output",
                 "0.0",
                 "graph exit point (identity)",
                 {{"shape", K::Shape, D::Absent, {}, 0, "0.1.1", "output shape"}}});
    s.push_back({"Affine", "0.0", "y = W x + b", {weight, bias}});
    s.push_back({"Linear", "0.0", "y = W x", {weight}});
    s.push_back({"Scale",
                 "0.0",
                 "y = s * x (elementwise)",
                 {required_array("scale", "elementwise scale")},
                 "scale"});
    s.push_back({"Conv1d",
                 "0.2.0",
                 "PyTorch conv1d",
                 {conv_input_shape_1d,
                  weight,
                  {"stride", K::Int, D::None},
                  {"padding", K::Padding, D::None},
                  {"dilation", K::Int, D::None},
                  {"groups", K::Int, D::None},
                  bias}});
    s.push_back({"Conv2d",
                 "0.0",
                 "PyTorch conv2d",
                 {conv_input_shape_2d,
                  weight,
                  {"stride", K::IntPair, D::None},
                  {"padding", K::Padding, D::None},
                  {"dilation", K::IntPair, D::None},
                  {"groups", K::Int, D::None},
                  bias}});
    const std::vector<FieldSchema> pool{{"kernel_size", K::IntPair, D::None},
                                        {"stride", K::IntPair, D::None},
                                        {"padding", K::IntPair, D::None}};
    s.push_back({"SumPool2d", "0.0", "2-D sum pooling", pool});
    s.push_back({"AvgPool2d", "1.0.2", "2-D average pooling", pool});
    s.push_back({"Flatten",
                 "0.1",
                 "reshape dims start..end (inclusive) into one",
                 {{"start_dim", K::Int, D::IntValue, {}, 1},
                  {"end_dim", K::Int, D::IntValue, {}, -1},
                  {"input_type", K::Shape, D::Absent, {}, 0, "0.2.0", "input shape"}}});
    s.push_back({"Delay",
                 "0.0",
                 "y(t) = x(t - delay)",
                 {required_array("delay", "per-element delay in time units")},
                 "delay"});
    s.push_back({"Threshold",
                 "0.0",
                 "z = H(x - threshold)",
                 {required_array("threshold", "threshold")},
                 "threshold",
                 false,
                 true});
    s.push_back({"I", "0.0", "integrator: dv/dt = r I", {r}, "r", true});
    s.push_back({"IF", "0.0", "integrate-and-fire", {r, v_threshold, v_reset}, "r", true, true});
    s.push_back({"LI", "0.0", "leaky integrator", {tau, r, v_leak}, "r", true});
    s.push_back({"LIF",
                 "0.0",
                 "leaky integrate-and-fire",
                 {tau, r, v_leak, v_threshold, v_reset},
                 "r",
                 true,
                 true});
    s.push_back({"CubaLI",
                 "1.0.5",
                 "current-based leaky integrator",
                 {tau_syn, tau_mem, r, v_leak, w_in_li},
                 "v_leak",
                 true});
    s.push_back({"CubaLIF",
                 "0.0",
                 "current-based leaky integrate-and-fire",
                 {tau_syn, tau_mem, r, v_leak, v_threshold, v_reset, w_in_lif},
                 "v_threshold",
                 true,
                 true});
    s.push_back({"NIRGraph", "0.0", "nested graph (nodes, edges, metadata)", {}});
    for (PrimitiveSchema& p : s)
        p.type_rule = type_rule_for(p.type);
    return s;
}

} // namespace

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
