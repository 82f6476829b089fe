// Type checks (NIRB-x3xx): every edge carries the shape its destination expects; where it
// does not, say which node is the likely culprit and how to fix it.
#include "shape_rules.hpp"
#include "validation.hpp"

#include <fmt/format.h>

#include <set>

namespace nirb::detail {
namespace {

std::string str(const Shape& s) {
    return shape_to_string(s);
}

/// Dense weight (rank >= 2) of a Linear/Affine node, or nullptr.
const Tensor* dense_weight(const Checker& c, std::uint32_t v) {
    const PrimitiveSchema* schema = c.inf.schema[v];
    if (!schema || schema->kernel != KernelFamily::Dense)
        return nullptr;
    const Tensor* w = c.inf.view.nodes[v].node->tensor("weight");
    return w && w->rank() >= 2 ? w : nullptr;
}

/// w[:-2] + [w[dim]] for dim = rank-2 (out) or rank-1 (in).
Shape dense_side(const Tensor& w, std::size_t dim) {
    Shape s(w.shape().begin(), w.shape().end() - 2);
    s.push_back(w.shape()[dim]);
    return s;
}

void report_transposed(const Checker& c, std::uint32_t v, std::set<std::uint32_t>& done) {
    if (!done.insert(v).second)
        return;
    const Tensor& w = *dense_weight(c, v);
    Diagnostic& d = c.diags.error(
        "NIRB-E407",
        fmt::format("the weight of {} looks transposed: stored {} but its neighbours need "
                    "(out, in) = {}",
                    c.label(v), str(w.shape()),
                    str({w.shape()[w.rank() - 1], w.shape()[w.rank() - 2]})),
        c.inf.view.nodes[v].path);
    d.notes.push_back(
        "NIR stores Linear/Affine weights as (out, in) (PyTorch layout); JAX frameworks "
        "Dense kernels are (in, out)");
    d.fix = "transpose the weight to (out, in)";
}

/// Predecessors and successors of every node, built only when a mismatch needs them.
class Neighbours {
public:
    explicit Neighbours(const FlatView& v) : m_view(v) {}
    const std::vector<std::uint32_t>& preds(std::uint32_t n) { return build().first[n]; }
    const std::vector<std::uint32_t>& succs(std::uint32_t n) { return build().second[n]; }

private:
    using Lists = std::vector<std::vector<std::uint32_t>>;
    std::pair<Lists, Lists>& build() {
        if (m_lists.first.empty()) {
            m_lists.first.resize(m_view.nodes.size());
            m_lists.second.resize(m_view.nodes.size());
            for (const IxEdge& e : m_view.edges) {
                m_lists.first[e.dst].push_back(e.src);
                m_lists.second[e.src].push_back(e.dst);
            }
        }
        return m_lists;
    }
    const FlatView& m_view;
    std::pair<Lists, Lists> m_lists;
};

/// A dense weight stored (in, out): everything feeding it carries its "out" size and
/// everything it feeds expects its "in" size, and nothing agrees with the stored layout.
bool looks_transposed(const Checker& c, std::uint32_t v, Neighbours& nb) {
    const Tensor* w = dense_weight(c, v);
    if (!w)
        return false;
    const Shape out_side = dense_side(*w, w->rank() - 2), in_side = dense_side(*w, w->rank() - 1);
    if (out_side == in_side)
        return false;
    int evidence = 0;
    for (std::uint32_t p : nb.preds(v))
        if (const MaybeShape& s = c.inf.out[p]) {
            if (*s != out_side)
                return false;
            ++evidence;
        }
    for (std::uint32_t q : nb.succs(v))
        if (const MaybeShape& s = c.inf.in[q]) {
            if (*s != in_side)
                return false;
            ++evidence;
        }
    return evidence > 0;
}

/// Explain a mismatch; returns true when a more specific diagnostic replaced E301.
bool explain_specific(const Checker& c, std::uint32_t a, std::uint32_t b, const Shape& sa,
                      const Shape& sb, std::set<std::uint32_t>& done, Neighbours& nb) {
    for (std::uint32_t v : {b, a})
        if (looks_transposed(c, v, nb)) {
            report_transposed(c, v, done);
            return true;
        }
    if (c.type(a) == "Input" && sa.size() >= 2 && Shape(sa.begin() + 1, sa.end()) == sb) {
        if (done.insert(a).second) {
            Diagnostic& d = c.diags.error(
                "NIRB-E309",
                fmt::format("Input node {} has the shape {}, which includes a batch dimension "
                            "({}): {} expects {}",
                            c.label(a), str(sa), sa[0], c.label(b), str(sb)),
                c.inf.view.nodes[a].path);
            d.notes.push_back("NIR shapes never include the batch dimension");
            d.fix = fmt::format("set the Input shape to {}", str(sb));
        }
        return true;
    }
    return false;
}

/// A fix for a Flatten whose dims count a batch dimension, or "".
std::string flatten_fix(const Checker& c, std::uint32_t a, const Shape& sb, Diagnostic& d) {
    if (c.type(a) != "Flatten" || !c.inf.in[a])
        return {};
    auto start = field_ints(*c.inf.view.nodes[a].node, "start_dim");
    auto end = field_ints(*c.inf.view.nodes[a].node, "end_dim");
    std::int64_t s = start && start->size() == 1 ? (*start)[0] : 1;
    std::int64_t e = end && end->size() == 1 ? (*end)[0] : -1;
    if (s <= 0 || flatten_shape(*c.inf.in[a], s - 1, e > 0 ? e - 1 : e) != sb)
        return {};
    d.notes.push_back(fmt::format("'{}' flattens from start_dim={}: that counts a batch "
                                  "dimension (torch convention); NIR dims index the unbatched "
                                  "shape",
                                  c.inf.view.nodes[a].path, s));
    return fmt::format("set start_dim={} on '{}'", s - 1, c.inf.view.nodes[a].path);
}

/// A fix for an Input/Output node whose declared shape is the odd one out, or "".
std::string io_shape_fix(const Checker& c, std::uint32_t a, std::uint32_t b, const Shape& sa,
                         Neighbours& nb) {
    if (c.type(b) == "Output" && c.inf.view.nodes[b].node->fields().find("shape"))
        return fmt::format("set the shape of Output '{}' to {}", c.inf.view.nodes[b].path, str(sa));
    if (c.type(b) != "Input")
        return {};
    // A subgraph Input whose own successors agree with the outer predecessor.
    for (std::uint32_t q : nb.succs(b))
        if (c.inf.in[q] != sa)
            return {};
    (void)a;
    return fmt::format("set the shape of Input '{}' to {}", c.inf.view.nodes[b].path, str(sa));
}

void add_cause_notes(const Checker& c, std::uint32_t a, std::uint32_t b, const Shape& sa,
                     const Shape& sb, Diagnostic& d, Neighbours& nb) {
    d.fix = flatten_fix(c, a, sb, d);
    if (d.fix.empty())
        d.fix = io_shape_fix(c, a, b, sa, nb);
    if ((sa.empty() && sb == Shape{1}) || (sb.empty() && sa == Shape{1}))
        d.notes.push_back("a 0-d (scalar) parameter gives the type []; nir 1.0.7 does not "
                          "broadcast it (exporters that write 0-d parameters)");
    else if (d.fix.empty() && shape_element_count(sa) == shape_element_count(sb))
        d.notes.push_back("both have the same number of elements; the shapes differ only in "
                          "their layout or size-1 dimensions");
    if (c.options.reference_compatible && c.inf.view.nodes[a].level != 0)
        d.notes.push_back("nir 1.0.7 always type-checks nested graphs, so it cannot read this "
                          "file even with type_check=False");
}

/// Shapes of rank <= 3 with dimensions below 2^20, packed exactly into one word, so the check
/// of millions of edges compares two integers instead of two heap-allocated shapes.
class PackedShapes {
public:
    static constexpr std::uint64_t kUnknown = 0, kUnpacked = 1;

    explicit PackedShapes(const std::vector<MaybeShape>& shapes) : m_codes(shapes.size()) {
        for (std::size_t v = 0; v < shapes.size(); ++v)
            m_codes[v] = pack(shapes[v]);
    }
    std::uint64_t operator[](std::uint32_t v) const { return m_codes[v]; }

private:
    static std::uint64_t pack(const MaybeShape& s) {
        if (!s)
            return kUnknown;
        if (s->size() > 3)
            return kUnpacked;
        std::uint64_t code = std::uint64_t{1} << 63 | std::uint64_t{s->size()} << 60;
        for (std::size_t i = 0; i < s->size(); ++i) {
            const std::int64_t d = (*s)[i];
            if (d < 0 || d >= (1 << 20))
                return kUnpacked;
            code |= static_cast<std::uint64_t>(d) << (40 - 20 * i);
        }
        return code;
    }
    std::vector<std::uint64_t> m_codes;
};

/// True when the packed codes already show the edge is fine (a shape unknown, or both equal).
bool edge_known_fine(std::uint64_t out_code, std::uint64_t in_code) {
    if (out_code == PackedShapes::kUnknown || in_code == PackedShapes::kUnknown)
        return true;
    return out_code == in_code && out_code != PackedShapes::kUnpacked;
}

void check_edge(const Checker& c, std::uint32_t a, std::uint32_t b, std::set<std::uint32_t>& done,
                Neighbours& nb) {
    const MaybeShape& sa = c.inf.out[a];
    const MaybeShape& sb = c.inf.in[b];
    if (!sa || !sb || *sa == *sb)
        return;
    if (explain_specific(c, a, b, *sa, *sb, done, nb))
        return;
    Diagnostic& d = c.diags.error(
        "NIRB-E301",
        fmt::format("shape mismatch on edge '{}' -> '{}': {} outputs {}, {} expects {}",
                    c.inf.view.nodes[a].path, c.inf.view.nodes[b].path, c.label(a), str(*sa),
                    c.label(b), str(*sb)),
        c.inf.view.nodes[b].path);
    add_cause_notes(c, a, b, *sa, *sb, d, nb);
}

void check_unknown(const Checker& c, std::uint32_t v) {
    if (c.inf.unknown_type[v] || (c.inf.in[v] && c.inf.out[v]))
        return;
    const char* which = !c.inf.in[v] ? "input" : "output";
    Diagnostic& d = c.diags.warning(
        "NIRB-W302", fmt::format("cannot infer the {} type of {}", which, c.label(v)),
        c.inf.view.nodes[v].path);
    d.notes.push_back("its parameters do not fix its shape and no predecessor has a known type");
}

void check_batch_like_input(const Checker& c, std::uint32_t v, std::set<std::uint32_t>& done) {
    const MaybeShape& s = c.inf.out[v];
    if (c.options.skip_read_checks || c.inf.view.nodes[v].role != IoRole::Input || !s ||
        s->size() < 2 || (*s)[0] != 1 || done.count(v))
        return; // the reader reports this as W109
    for (std::size_t i = 0; i < c.inf.view.edges.size(); ++i) {
        const IxEdge& e = c.inf.view.edges[i];
        if (e.src == v && c.inf.in[e.dst] == s)
            return; // a successor really expects the leading 1
    }
    Diagnostic& d = c.diags.warning(
        "NIRB-W309",
        fmt::format("Input node {} has the shape {}: the leading 1 looks like a batch dimension",
                    c.label(v), str(*s)),
        c.inf.view.nodes[v].path);
    d.fix = fmt::format("set the Input shape to {}", str(Shape(s->begin() + 1, s->end())));
}

} // namespace

void check_reference_io(const Checker& c);

void check_edge_types(const Checker& c) {
    std::set<std::uint32_t> done;
    Neighbours nb(c.inf.view);
    const PackedShapes out(c.inf.out), in(c.inf.in);
    for (const IxEdge& e : c.inf.view.edges)
        if (!edge_known_fine(out[e.src], in[e.dst]))
            check_edge(c, e.src, e.dst, done, nb);
    for (std::uint32_t v = 0; v < c.inf.view.nodes.size(); ++v) {
        check_unknown(c, v);
        check_batch_like_input(c, v, done);
    }
    if (c.options.reference_compatible)
        check_reference_io(c);
}

} // namespace nirb::detail
