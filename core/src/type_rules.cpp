// One type rule per primitive family. The formulas are nir-format.md §3; where nir 1.0.7
// computes something else, both are computed and the rule reports the difference
// (warning in reference-compatible mode, note otherwise). Codes: docs/diagnostics.md.
#include "type_rules.hpp"

#include "shape_rules.hpp"

#include "nirb/diagnostics.hpp"
#include "nirb/node.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace nirb {
namespace {

using detail::field_ints;
using detail::field_per_axis;

Diagnostic* report(const TypeRuleArgs& a, Severity sev, const char* code, std::string msg) {
    if (!a.diags)
        return nullptr;
    return &a.diags->add(sev, code, std::move(msg), std::string(a.path));
}

/// A difference between nir 1.0.7 and the correct formula: warning in reference mode
/// (the reference result is used), note otherwise.
void report_reference_bug(const TypeRuleArgs& a, int number, const std::string& what) {
    const bool ref = a.reference_compatible;
    const std::string code = fmt::format("NIRB-{}{}", ref ? 'W' : 'N', number);
    if (Diagnostic* d = report(a, ref ? Severity::Warning : Severity::Note, code.c_str(), what))
        d->notes.push_back(ref ? "reference-compatible mode reproduces nir 1.0.7 here"
                               : "nir 1.0.7 computes this differently (nir-format.md §3.7)");
}

std::optional<Shape> tensor_shape(const Node& n, std::string_view field) {
    const Tensor* t = n.tensor(field);
    if (!t || t->dtype() == DType::String)
        return std::nullopt;
    return t->shape();
}

TypeRuleResult rule_input(const TypeRuleArgs& a) {
    auto shape = field_ints(a.node, "shape");
    if (!shape)
        return {a.input, a.input}; // Output without a shape copies its predecessor
    return {*shape, *shape};
}

TypeRuleResult rule_dense(const TypeRuleArgs& a) {
    const Tensor* t = a.node.tensor("weight");
    if (!t || t->dtype() == DType::String || t->rank() < 2)
        return {};
    const Shape& w = t->shape();
    Shape in(w.begin(), w.end() - 2), out = in;
    in.push_back(w.back());
    out.push_back(w[w.size() - 2]);
    return {std::move(in), std::move(out)};
}

/// Elementwise nodes. nir 1.0.7 takes the population field's shape (0-d gives []). The
/// correct reading broadcasts 0-d parameters: the population is the common shape of the
/// non-scalar parameters, or the input's shape when every parameter is 0-d.
TypeRuleResult rule_population(const TypeRuleArgs& a) {
    const PrimitiveSchema* s = &a.schema;
    auto own = [&] { return tensor_shape(a.node, s->population_field); };
    if (a.reference_compatible)
        return {own(), own()};
    const Shape* common = nullptr; // no copies until the result: a million nodes pass here
    for (const FieldSchema& f : s->fields) {
        const Tensor* t = a.node.tensor(f.name);
        if (!t || t->dtype() == DType::String || t->rank() == 0)
            continue;
        if (!common)
            common = &t->shape();
        else if (*common != t->shape())
            return {own(), own()}; // inconsistent parameters: validate() reports E402
    }
    if (!common)
        return {a.input, a.input};
    return {*common, *common};
}

/// The spatial input size: stored `input_shape`, else the trailing dims of the input.
std::optional<std::vector<std::int64_t>> spatial_input(const TypeRuleArgs& a, std::size_t dims) {
    if (auto stored = field_per_axis(a.node, "input_shape", dims))
        return stored;
    if (a.input && a.input->size() == dims + 1)
        return std::vector<std::int64_t>(a.input->begin() + 1, a.input->end());
    return std::nullopt;
}

struct Geometry {
    std::vector<std::int64_t> kernel, stride, dilation, padding;
    std::string padding_mode; ///< "same", "valid" or "" for explicit padding
};

/// A per-axis geometry field; when the node lacks it, the record's simulator default (what
/// the simulator runs with), so inference and simulation agree on the shape.
std::optional<std::vector<std::int64_t>> geometry_field(const TypeRuleArgs& a,
                                                        const std::string& name, std::size_t dims) {
    if (a.node.fields().find(name))
        return field_per_axis(a.node, name, dims);
    const FieldSchema* f = a.schema.field(name);
    const auto fallback = f ? f->simulator_default() : std::nullopt;
    if (!fallback)
        return std::nullopt;
    return std::vector<std::int64_t>(dims, static_cast<std::int64_t>(*fallback));
}

std::optional<Geometry> conv_geometry(const TypeRuleArgs& a, const Shape& w, std::size_t dims) {
    const Node& n = a.node;
    Geometry g;
    g.kernel.assign(w.begin() + 2, w.end());
    auto stride = geometry_field(a, "stride", dims);
    auto dilation = geometry_field(a, "dilation", dims);
    if (!stride || !dilation)
        return std::nullopt;
    g.stride = *stride;
    g.dilation = *dilation;
    if (const std::string* mode = n.string_field("padding")) {
        g.padding_mode = *mode;
        g.padding.assign(dims, 0);
    } else if (auto pad = geometry_field(a, "padding", dims)) {
        g.padding = *pad;
    } else {
        return std::nullopt;
    }
    return g;
}

/// Output length of one axis; `reference` reproduces "same" ignoring stride.
std::int64_t axis_length(const Geometry& g, std::size_t i, std::int64_t n, std::int64_t k,
                         bool reference) {
    if (g.padding_mode == "same") {
        if (reference || g.stride[i] == 1)
            return n;
        return (n + g.stride[i] - 1) / g.stride[i]; // TF/JAX "SAME": ceil(n / s)
    }
    return detail::conv_length(n, k, g.stride[i], g.padding[i], g.dilation[i]);
}

Shape conv_output(const Geometry& g, std::int64_t c_out, const std::vector<std::int64_t>& n,
                  bool reference, bool square_bug) {
    Shape out{c_out};
    for (std::size_t i = 0; i < n.size(); ++i)
        out.push_back(axis_length(g, i, n[i], square_bug ? g.kernel[0] : g.kernel[i], reference));
    return out;
}

void report_conv_differences(const TypeRuleArgs& a, const Geometry& g, std::int64_t groups,
                             const Shape& w, const std::vector<std::int64_t>& n,
                             const Shape& correct, const Shape& reference) {
    if (g.kernel.size() == 2 && g.kernel[0] != g.kernel[1]) {
        const Shape with_bug = conv_output(g, w[0], n, false, true);
        if (with_bug != correct)
            report_reference_bug(a, 310,
                                 fmt::format("non-square kernel {}: nir 1.0.7 uses K_h for both "
                                             "axes and infers {}, the correct output is {}",
                                             shape_to_string(g.kernel), shape_to_string(with_bug),
                                             shape_to_string(correct)));
    }
    if (groups > 1)
        report_reference_bug(
            a, 311,
            fmt::format("groups={}: nir 1.0.7 takes {} input channels (weight.shape[1]) instead "
                        "of {} (weight.shape[1] * groups)",
                        groups, w[1], w[1] * groups));
    bool strided = false;
    for (auto s : g.stride)
        strided = strided || s > 1;
    if (g.padding_mode == "same" && strided)
        report_reference_bug(a, 312,
                             fmt::format("padding 'same' with stride {}: nir 1.0.7 keeps the "
                                         "input size (output {}), the correct output is {}",
                                         shape_to_string(g.stride), shape_to_string(reference),
                                         shape_to_string(correct)));
}

TypeRuleResult rule_conv(const TypeRuleArgs& a, std::size_t dims) {
    auto w = tensor_shape(a.node, "weight");
    auto groups_v = field_ints(a.node, "groups");
    const std::int64_t groups = groups_v && groups_v->size() == 1 ? (*groups_v)[0] : 1;
    if (!w || w->size() != dims + 2)
        return {};
    auto g = conv_geometry(a, *w, dims);
    auto n = spatial_input(a, dims);
    if (!g || !n)
        return {};
    Shape in_ref{(*w)[1]}, in_ok{(*w)[1] * groups};
    in_ref.insert(in_ref.end(), n->begin(), n->end());
    in_ok.insert(in_ok.end(), n->begin(), n->end());
    const Shape out_ref = conv_output(*g, (*w)[0], *n, true, dims == 2);
    const Shape out_ok = conv_output(*g, (*w)[0], *n, false, false);
    report_conv_differences(a, *g, groups, *w, *n, out_ok, out_ref);
    if (a.diags && g->padding_mode == "same" && out_ok != out_ref)
        if (Diagnostic* d = report(a, Severity::Warning, "NIRB-W306",
                                   "padding 'same' with stride > 1 is rejected by PyTorch")) {
            d->notes.push_back(fmt::format("nirbridge uses TensorFlow/JAX 'SAME' semantics: "
                                           "output = ceil(N / stride) = {}",
                                           shape_to_string(out_ok)));
            d->fix = "use explicit integer padding for a PyTorch-compatible conv";
        }
    const Shape& out = a.reference_compatible ? out_ref : out_ok;
    for (std::size_t i = 1; i < out.size(); ++i)
        if (out[i] <= 0) {
            report(a, Severity::Error, "NIRB-E305",
                   fmt::format("output size {} is not positive: the kernel is larger than the "
                               "(padded) input {}",
                               shape_to_string(out), shape_to_string(*n)));
            return {a.reference_compatible ? in_ref : in_ok, std::nullopt};
        }
    return {a.reference_compatible ? in_ref : in_ok, out};
}

TypeRuleResult rule_pool(const TypeRuleArgs& a) {
    auto k = geometry_field(a, "kernel_size", 2);
    auto s = a.node.fields().find("stride") ? field_per_axis(a.node, "stride", 2) : k;
    auto p = geometry_field(a, "padding", 2);
    if (!k || !s || !p || !a.input || a.input->size() != 3)
        return {a.input, std::nullopt};
    Shape out{(*a.input)[0]};
    for (std::size_t i = 0; i < 2; ++i)
        out.push_back(detail::conv_length((*a.input)[i + 1], (*k)[i], (*s)[i], (*p)[i], 1));
    if (out[1] <= 0 || out[2] <= 0) {
        report(a, Severity::Error, "NIRB-E305",
               fmt::format("output size {} is not positive: the window is larger than the "
                           "(padded) input {}",
                           shape_to_string(out), shape_to_string(*a.input)));
        return {a.input, std::nullopt};
    }
    return {a.input, out};
}

void report_flatten_dims(const TypeRuleArgs& a, const Shape& in, std::int64_t start,
                         std::int64_t end) {
    Diagnostic* d = report(a, Severity::Error, "NIRB-E307",
                           fmt::format("Flatten dims start_dim={} end_dim={} are out of range "
                                       "for input {} (rank {})",
                                       start, end, shape_to_string(in), in.size()));
    if (!d)
        return;
    d->notes.push_back("NIR dims index the unbatched shape (no batch dimension)");
    if (start >= static_cast<std::int64_t>(in.size()) &&
        detail::flatten_shape(in, start - 1, end)) {
        d->notes.push_back(fmt::format("start_dim={} only makes sense with a batch dimension in "
                                       "front (torch.nn.Flatten convention)",
                                       start));
        d->fix = fmt::format("set start_dim={} (subtract 1 from torch dims)", start - 1);
    }
}

TypeRuleResult rule_flatten(const TypeRuleArgs& a) {
    auto stored = field_ints(a.node, "input_type");
    std::optional<Shape> in = stored ? std::optional<Shape>(*stored) : a.input;
    auto start = field_ints(a.node, "start_dim");
    auto end = field_ints(a.node, "end_dim");
    const std::int64_t s = start && start->size() == 1 ? (*start)[0] : 1;
    const std::int64_t e = end && end->size() == 1 ? (*end)[0] : -1;
    if (!in)
        return {};
    auto out = detail::flatten_shape(*in, s, e);
    if (!out)
        report_flatten_dims(a, *in, s, e);
    return {std::move(in), std::move(out)};
}

} // namespace

namespace type_rules {

TypeRuleResult io(const TypeRuleArgs& a) {
    return rule_input(a);
}
TypeRuleResult dense(const TypeRuleArgs& a) {
    return rule_dense(a);
}
TypeRuleResult conv1d(const TypeRuleArgs& a) {
    return rule_conv(a, 1);
}
TypeRuleResult conv2d(const TypeRuleArgs& a) {
    return rule_conv(a, 2);
}
TypeRuleResult pool(const TypeRuleArgs& a) {
    return rule_pool(a);
}
TypeRuleResult flatten(const TypeRuleArgs& a) {
    return rule_flatten(a);
}
TypeRuleResult population(const TypeRuleArgs& a) {
    return rule_population(a);
}

} // namespace type_rules
} // namespace nirb
