// Parameter checks (NIRB-x4xx), driven by the schema: every field of every node.
#include "byte_access.hpp"
#include "shape_rules.hpp"
#include "validation.hpp"

#include "nirb/schema.hpp"

#include <fmt/format.h>

#include <cmath>

namespace nirb::detail {
namespace {

struct NodeCheck {
    const Checker& c;
    std::uint32_t v;
    const Node& node;
    const PrimitiveSchema& schema;

    const std::string& path() const { return c.inf.view.nodes[v].path; }
    Diagnostic& error(const char* code, std::string msg) const {
        return c.diags.error(code, std::move(msg), path());
    }
};

bool is_numeric(const Tensor& t) {
    return t.dtype() != DType::String;
}

void check_required(const NodeCheck& n) {
    if (n.c.options.skip_read_checks)
        return;
    for (const FieldSchema& f : n.schema.fields) {
        const Value* v = n.node.fields().find(f.name);
        if (!v && f.default_rule == FieldDefault::None)
            n.error("NIRB-E401",
                    fmt::format("node {} lacks the required field '{}'", n.c.label(n.v), f.name));
        else if (v && f.kind == FieldKind::Array && !(v->is_tensor() && is_numeric(v->as_tensor())))
            n.error("NIRB-E401", fmt::format("field '{}' of node {} must be a numeric array",
                                             f.name, n.c.label(n.v)));
    }
}

void check_finite(const NodeCheck& n, const std::string& field, const Tensor& t) {
    if (!dtype_is_float(t.dtype()))
        return;
    std::int64_t bad = 0;
    for_each_as_double(t.dtype(), t.bytes(), [&](double x) { bad += !std::isfinite(x); });
    if (bad > 0)
        n.error("NIRB-E404", fmt::format("parameter '{}' of node {} has {} NaN or infinite "
                                         "value(s)",
                                         field, n.c.label(n.v), bad));
}

void check_time_constant(const NodeCheck& n, const std::string& field, const Tensor& t) {
    const NeuronFields& taus = n.schema.neuron; // the record names its time constants
    if (field != taus.membrane_tau && field != taus.synapse_tau)
        return;
    std::int64_t bad = 0;
    double lowest = 0;
    for_each_as_double(t.dtype(), t.bytes(), [&](double x) {
        if (x <= 0)
            lowest = bad++ == 0 ? x : std::min(lowest, x);
    });
    if (bad > 0)
        n.error("NIRB-E405",
                fmt::format("time constant '{}' of node {} has {} value(s) <= 0 (lowest {})", field,
                            n.c.label(n.v), bad, lowest))
            .notes.push_back("a time constant must be positive for the ODE to decay");
}

/// numpy broadcasting of `from` onto `to`.
bool broadcasts_to(const Shape& from, const Shape& to) {
    if (from.size() > to.size())
        return false;
    for (std::size_t i = 0; i < from.size(); ++i) {
        auto f = from[from.size() - 1 - i], t = to[to.size() - 1 - i];
        if (f != 1 && f != t)
            return false;
    }
    return true;
}

void check_population(const NodeCheck& n) {
    if (n.schema.population_field.empty())
        return;
    // Pointers into the node: this runs for every neuron of a million-node graph.
    std::vector<std::pair<std::string_view, const Shape*>> shaped, scalars;
    for (const FieldSchema& f : n.schema.fields)
        if (const Tensor* t = n.node.tensor(f.name); t && f.name != "w_in")
            (t->rank() == 0 ? scalars : shaped).emplace_back(f.name, &t->shape());
    bool consistent = true;
    for (const auto& s : shaped)
        consistent = consistent && *s.second == *shaped[0].second;
    if (!consistent) {
        std::string listing;
        for (const auto& [name, shape] : shaped)
            listing +=
                fmt::format("{}{} {}", listing.empty() ? "" : ", ", name, shape_to_string(*shape));
        n.error("NIRB-E402", fmt::format("the parameters of node {} have different shapes: {}",
                                         n.c.label(n.v), listing))
            .notes.push_back("every neuron parameter must have the population's shape");
    }
    const Tensor* w_in = n.node.tensor("w_in");
    if (consistent && w_in && !shaped.empty() && !broadcasts_to(w_in->shape(), *shaped[0].second))
        n.error("NIRB-E402", fmt::format("w_in {} of node {} does not broadcast to the "
                                         "population {}",
                                         shape_to_string(w_in->shape()), n.c.label(n.v),
                                         shape_to_string(*shaped[0].second)));
    // The reader reports 0-d parameters (W104); only the reference-mode error is added then.
    if (scalars.empty() ||
        (n.c.options.skip_read_checks && !(n.c.options.reference_compatible && !shaped.empty())))
        return;
    std::string names;
    for (const auto& s : scalars)
        names += fmt::format("{}'{}'", names.empty() ? "" : ", ", s.first);
    const bool ref_fails = n.c.options.reference_compatible && !shaped.empty();
    Diagnostic& d = n.c.diags.add(
        ref_fails ? Severity::Error : Severity::Warning, ref_fails ? "NIRB-E403" : "NIRB-W403",
        shaped.empty()
            ? fmt::format("every parameter of node {} is 0-d: the population size is taken "
                          "from the input",
                          n.c.label(n.v))
            : fmt::format("0-d parameter(s) {} of node {} are broadcast to {}", names,
                          n.c.label(n.v), shape_to_string(*shaped[0].second)),
        n.path());
    d.notes.push_back(
        shaped.empty()
            ? "nir 1.0.7 gives such a node the type [] (exporters that write 0-d parameters)"
            : "nir 1.0.7 rejects a node that mixes 0-d and shaped "
              "parameters (AssertionError)");
    d.fix = "store every parameter with the population's shape";
}

void check_conv(const NodeCheck& n, std::size_t dims) {
    const Tensor* w = n.node.tensor("weight");
    if (!w || !is_numeric(*w))
        return;
    if (w->rank() != dims + 2) {
        n.error("NIRB-E409",
                fmt::format("the weight of node {} has shape {}; a {}-d conv needs "
                            "rank {} (C_out, C_in/groups, kernel...)",
                            n.c.label(n.v), shape_to_string(w->shape()), dims, dims + 2));
        return;
    }
    auto groups = field_ints(n.node, "groups");
    const std::int64_t g = groups && groups->size() == 1 ? (*groups)[0] : 1;
    if (g < 1 || w->shape()[0] % g != 0)
        n.error("NIRB-E409", fmt::format("groups={} of node {} must be >= 1 and divide "
                                         "C_out={}",
                                         g, n.c.label(n.v), w->shape()[0]));
    for (const char* f : {"stride", "dilation"})
        if (auto v = field_ints(n.node, f))
            for (auto x : *v)
                if (x < 1)
                    n.error("NIRB-E409", fmt::format("{} of node {} must be >= 1, got {}", f,
                                                     n.c.label(n.v), x));
    const Tensor* b = n.node.tensor("bias");
    if (b && is_numeric(*b) && b->shape() != Shape{w->shape()[0]} &&
        !(b->rank() == 0 || b->shape() == Shape{1}))
        n.error("NIRB-E406",
                fmt::format("the bias of node {} has shape {}; it needs one value "
                            "per output channel ({})",
                            n.c.label(n.v), shape_to_string(b->shape()), w->shape()[0]));
}

void check_dense(const NodeCheck& n) {
    const Tensor* w = n.node.tensor("weight");
    if (!w || !is_numeric(*w))
        return;
    if (w->rank() < 2) {
        n.error("NIRB-E303", fmt::format("the weight of node {} has shape {}; it needs at least "
                                         "2 dimensions (out, in)",
                                         n.c.label(n.v), shape_to_string(w->shape())));
        return;
    }
    const Tensor* b = n.node.tensor("bias");
    Shape out(w->shape().begin(), w->shape().end() - 1);
    if (!b || !is_numeric(*b) || broadcasts_to(b->shape(), out))
        return;
    // nir 1.0.7 never looks at the bias (its own tests build such graphs), so it reads both
    // cases below. Extra leading 1s change nothing but the rank; a bias of another length
    // leaves y = W x + b undefined, which only --reference-compatible accepts (as a warning).
    Shape squeezed = b->shape();
    while (squeezed.size() > out.size() && squeezed.front() == 1)
        squeezed.erase(squeezed.begin());
    const bool leading_ones = broadcasts_to(squeezed, out);
    const std::string what =
        fmt::format("the bias {} of node {} does not broadcast to the output {}",
                    shape_to_string(b->shape()), n.c.label(n.v), shape_to_string(out));
    if (leading_ones || n.c.options.reference_compatible) {
        Diagnostic& d = n.c.diags.warning(
            "NIRB-W408",
            what + (leading_ones ? " (only leading 1s differ)"
                                 : "; nir 1.0.7 accepts it, but no simulator can add it"),
            n.path());
        if (leading_ones)
            d.fix = "store the bias with shape " + shape_to_string(squeezed);
        return;
    }
    Diagnostic& d = n.error("NIRB-E408", what);
    d.notes.push_back("nir 1.0.7 reads it (it never checks the bias); `nirb validate "
                      "--reference-compatible` reports it as warning NIRB-W408");
}

void check_node(const NodeCheck& n) {
    check_required(n);
    for (const auto& [name, value] : n.node.fields().entries())
        if (value.is_tensor() && is_numeric(value.as_tensor())) {
            check_finite(n, name, value.as_tensor());
            check_time_constant(n, name, value.as_tensor());
        }
    check_population(n);
    if (n.schema.kernel == KernelFamily::Conv)
        check_conv(n, static_cast<std::size_t>(n.schema.spatial_dims));
    if (n.schema.kernel == KernelFamily::Dense)
        check_dense(n);
}

} // namespace

void check_parameters(const Checker& c) {
    for (std::uint32_t v = 0; v < c.inf.view.nodes.size(); ++v) {
        if (const PrimitiveSchema* s = c.inf.schema[v])
            check_node({c, v, *c.inf.view.nodes[v].node, *s});
    }
}

} // namespace nirb::detail
