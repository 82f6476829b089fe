#pragma once
/// \file schema.hpp
/// One schema record per NIR primitive (the 18 primitives plus NIRGraph). This is the only
/// place that knows a primitive's fields; readers, writers, dumps, validation and docs
/// iterate over it.

#include "nirb/tensor.hpp"

#include <optional>
#include <span>
#include <string_view>
#include <vector>

namespace nirb {

class Node;
class Diagnostics;

/// What a primitive's type rule is given: the node, the input shape known from its
/// predecessors (nullopt when none is known yet) and the inference mode.
struct PrimitiveSchema;

struct TypeRuleArgs {
    const PrimitiveSchema& schema;
    const Node& node;
    const std::optional<Shape>& input;
    bool reference_compatible = false;
    Diagnostics* diags = nullptr; ///< where to report problems; nullptr while only computing
    std::string_view path = {};   ///< node path for diagnostics
};

/// A node's single-port input and output shapes (nullopt: unknown).
struct TypeRuleResult {
    std::optional<Shape> input;
    std::optional<Shape> output;
};

/// Computes a node's types from its parameters and, when known, its input shape.
/// Pure apart from `args.diags`. Rules live in core/src/type_rules.cpp.
using TypeRule = TypeRuleResult (*)(const TypeRuleArgs& args);

/// What a field holds on disk.
enum class FieldKind {
    Array,   ///< float parameter array of any shape (weights, tau, thresholds, ...)
    Shape,   ///< int64 1-D shape (Input.shape, Flatten.input_type, Conv2d.input_shape)
    Int,     ///< int64 scalar (groups, Conv1d stride, Flatten dims, Conv1d.input_shape)
    IntPair, ///< int64 (2,) array or a scalar int meaning (k, k): Conv2d/pool geometry
    Padding, ///< like Int/IntPair, or the string "same" / "valid"
};

/// What the reader fills in when an optional field is missing.
enum class FieldDefault {
    None,      ///< required (strict mode fails; lenient mode reports an error)
    Absent,    ///< may stay absent (inferred later)
    ZerosLike, ///< zeros shaped like `like_field` (v_reset)
    OnesLike,  ///< ones shaped like `like_field` (w_in)
    IntValue,  ///< the integer `int_default` (Flatten dims)
};

/// One field of a primitive.
struct FieldSchema {
    std::string_view name;
    FieldKind kind;
    FieldDefault default_rule = FieldDefault::None;
    std::string_view like_field = {}; ///< for ZerosLike / OnesLike
    long int_default = 0;             ///< for IntValue
    std::string_view since = "0.0";   ///< first nir version with this field
    std::string_view doc = {};
    /// What the simulator assumes when a required field is absent (a graph built in code or
    /// read leniently), e.g. stride 1; nullopt: absence is an error. Optional fields use
    /// default_rule (see simulator_default()).
    std::optional<double> lenient_value = std::nullopt;

    /// The value the simulator uses for an absent field: 0 (ZerosLike), 1 (OnesLike),
    /// int_default (IntValue) or lenient_value; nullopt when absence is an error.
    std::optional<double> simulator_default() const;
};

/// Which simulator kernel runs a primitive (core/sim/src/*_kernel.cpp).
enum class KernelFamily {
    None,      ///< not run itself (NIRGraph is flattened into its nodes)
    Identity,  ///< y = x (Input, Output)
    Reshape,   ///< y = x with a new shape (Flatten)
    Scale,     ///< y = s * x, s from the population field
    Threshold, ///< z = H(x - threshold) with the profile's comparator
    Delay,     ///< y(t) = x(t - delay), delay rounded to whole steps
    Dense,     ///< y = W x, plus b when the record has a `bias` field
    Conv,      ///< PyTorch convolution over `spatial_dims` axes
    SumPool,   ///< 2-D sum pooling
    AvgPool,   ///< 2-D average pooling (count_include_pad)
    Neuron,    ///< membrane (and synapse) dynamics under the profile
};

/// Name of a kernel family as written in docs/primitives.md ("neuron", "conv", ...).
std::string_view kernel_family_name(KernelFamily family);

/// The fields a neuron's dynamics read (KernelFamily::Neuron only).
struct NeuronFields {
    std::string_view membrane_tau = {}; ///< "tau" or "tau_mem"; empty: no leak (I, IF)
    std::string_view synapse_tau = {};  ///< "tau_syn" for current-based neurons; else empty
};

/// What the schema knows about a primitive.
struct PrimitiveSchema {
    std::string_view type;  ///< class name stored in the `type` dataset
    std::string_view since; ///< first nir version with this primitive
    std::string_view summary;
    std::vector<FieldSchema> fields = {};
    /// Field whose shape is the node's input/output type for elementwise nodes
    /// ("r" for LIF, "v_threshold" for CubaLIF, "scale" for Scale); empty otherwise.
    std::string_view population_field = {};
    bool is_neuron = false;  ///< has neuron dynamics (I, IF, LI, LIF, CubaLI, CubaLIF)
    bool is_spiking = false; ///< emits spikes (IF, LIF, CubaLIF, Threshold)
    /// Type and shape inference for this primitive; nullptr for NIRGraph (typed from its
    /// Input/Output children).
    TypeRule type_rule = nullptr;
    /// The type rule can report diagnostics (convs, pools, Flatten); inference skips the
    /// reporting pass for the others, which are pure shape arithmetic.
    bool type_rule_reports = false;
    KernelFamily kernel = KernelFamily::None; ///< how the simulator runs it
    int spatial_dims = 0;                     ///< Conv1d 1; Conv2d and the pools 2
    NeuronFields neuron = {};                 ///< for KernelFamily::Neuron

    /// The field named `name`, or nullptr.
    const FieldSchema* field(std::string_view name) const;
};

/// All schema records: the 18 primitives followed by NIRGraph.
std::span<const PrimitiveSchema> all_primitives();

/// The record for a type name, or nullptr for an unknown type.
const PrimitiveSchema* find_primitive(std::string_view type);

} // namespace nirb
