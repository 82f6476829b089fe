// Recurrence normalisation (see recurrence.hpp for the forms and why the rewrite is exact).
#include "nirb/recurrence.hpp"

#include "nirb/infer.hpp"
#include "nirb/schema.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <optional>
#include <unordered_set>

namespace nirb {

std::string_view recurrence_form_name(RecurrenceForm form) {
    switch (form) {
    case RecurrenceForm::FlatTwoCycle:
        return "flat 2-cycle";
    case RecurrenceForm::PaperSubgraph:
        return "paper subgraph";
    case RecurrenceForm::InputThroughWeight:
        return "input through weight";
    case RecurrenceForm::Other:
        break;
    }
    return "other";
}

namespace {

bool is_neuron(const Node& n) {
    const PrimitiveSchema* s = find_primitive(n.type());
    return s && s->is_neuron;
}

bool is_dense(const Node& n) {
    const PrimitiveSchema* s = find_primitive(n.type());
    return s && s->kernel == KernelFamily::Dense;
}

bool has_edge(const Graph& g, const std::string& a, const std::string& b) {
    return std::any_of(g.edges().begin(), g.edges().end(),
                       [&](const Edge& e) { return e.src == a && e.dst == b; });
}

/// The paper shape exactly: Input, Output, N, W and the four edges, nothing else.
bool is_paper_level(const Graph& g, const std::string& n, const std::string& w) {
    if (g.size() != 4 || g.edges().size() != 4)
        return false;
    std::string in, out;
    for (const NamedNode& x : g.nodes()) {
        if (x.node.type() == "Input")
            in = x.name;
        if (x.node.type() == "Output")
            out = x.name;
    }
    return !in.empty() && !out.empty() && has_edge(g, in, n) && has_edge(g, n, w) &&
           has_edge(g, w, n) && has_edge(g, n, out);
}

RecurrenceForm classify(const Graph& g, const std::string& n, const std::string& w, bool nested) {
    bool other_in = false, other_out = false;
    for (const Edge& e : g.edges()) {
        other_in = other_in || (e.dst == w && e.src != n);
        other_out = other_out || (e.src == w && e.dst != n);
    }
    if (other_out)
        return RecurrenceForm::Other;
    if (other_in)
        return RecurrenceForm::InputThroughWeight;
    if (nested && is_paper_level(g, n, w))
        return RecurrenceForm::PaperSubgraph;
    return RecurrenceForm::FlatTwoCycle;
}

/// Every edge of one level as "src\0dst", so the reverse-edge test of each neuron -> dense
/// edge is a hash lookup (a scan per edge made `nirb info` quadratic on big graphs).
std::unordered_set<std::string> edge_keys(const Graph& g) {
    std::unordered_set<std::string> keys;
    keys.reserve(g.edges().size());
    for (const Edge& e : g.edges())
        keys.insert(e.src + '\0' + e.dst);
    return keys;
}

void find_in(const Graph& g, const std::string& prefix, std::vector<RecurrenceMatch>& out) {
    const bool nested = !prefix.empty();
    std::optional<std::unordered_set<std::string>> keys; // built on the first candidate
    std::unordered_set<std::string> found;               // pairs matched in this level
    for (const Edge& e : g.edges()) {
        const Node* n = g.find(e.src);
        const Node* w = g.find(e.dst);
        if (!n || !w || !is_neuron(*n) || !is_dense(*w))
            continue;
        if (!keys)
            keys = edge_keys(g);
        if (!keys->count(e.dst + '\0' + e.src) || !found.insert(e.src + '\0' + e.dst).second)
            continue; // no reverse edge, or a duplicate edge of a pair already found
        RecurrenceForm f = classify(g, e.src, e.dst, nested);
        std::string group = nested ? prefix.substr(0, prefix.size() - 1) : std::string();
        out.push_back({f, prefix + e.src, prefix + e.dst, group, false});
    }
    for (const NamedNode& c : g.nodes())
        if (c.node.is_graph())
            find_in(c.node.graph(), prefix + c.name + ".", out);
}

/// Names for the canonical subgraph: `X` with children `lif`, `w_rec` for `X.lif`/`X.w_rec`,
/// else `<N>_rec` with children named as before.
struct Names {
    std::string group, neuron, weight;
};

Names group_names(const std::string& n, const std::string& w) {
    auto dn = n.rfind('.'), dw = w.rfind('.');
    if (dn != std::string::npos && dw != std::string::npos && n.substr(0, dn) == w.substr(0, dw))
        return {n.substr(0, dn), n.substr(dn + 1), w.substr(dw + 1)};
    return {n + "_rec", n, w};
}

/// Why the flat 2-cycle cannot be rewritten exactly, or nullopt when it can.
std::optional<std::string> blocker(const Graph& g, const RecurrenceMatch& m, const Names& names,
                                   const MaybeShape& in_type) {
    if (g.contains(names.group))
        return fmt::format("a node named '{}' already exists", names.group);
    for (const std::string& c : {names.neuron, names.weight})
        if (c == "input" || c == "output")
            return fmt::format("the child name '{}' would clash with the subgraph's I/O", c);
    if (!in_type)
        return fmt::format("the input type of '{}' is unknown", m.neuron);
    if (has_edge(g, m.neuron, m.neuron))
        return fmt::format("'{}' also has a self loop", m.neuron);
    // Fan-in sums in edge order: exact only if W -> N comes after every external input.
    bool rec_seen = false;
    for (const Edge& e : g.edges()) {
        if (e.dst != m.neuron)
            continue;
        if (e.src == m.weight)
            rec_seen = true;
        else if (rec_seen)
            return fmt::format("an input edge '{}' -> '{}' comes after the recurrent edge, so "
                               "the fan-in sum order would change",
                               e.src, e.dst);
    }
    return std::nullopt;
}

Graph canonical_subgraph(const Graph& g, const RecurrenceMatch& m, const Names& names,
                         const Shape& in_type, const MaybeShape& out_type) {
    Graph sub;
    Node in("Input");
    in.set_field("shape", Tensor::from_ints(in_type));
    sub.add_node("input", std::move(in));
    sub.add_node(names.neuron, g.node(m.neuron));
    sub.add_node(names.weight, g.node(m.weight));
    Node out("Output");
    if (out_type)
        out.set_field("shape", Tensor::from_ints(*out_type));
    sub.add_node("output", std::move(out));
    sub.add_edge("input", names.neuron);
    sub.add_edge(names.neuron, names.weight);
    sub.add_edge(names.weight, names.neuron);
    sub.add_edge(names.neuron, "output");
    return sub;
}

Graph rewrite(const Graph& g, const RecurrenceMatch& m, const Names& names, Graph sub) {
    Graph out;
    out.metadata() = g.metadata();
    bool placed = false;
    for (const NamedNode& x : g.nodes()) {
        if (x.name != m.neuron && x.name != m.weight) {
            out.add_node(x.name, x.node);
        } else if (!placed) {
            out.add_node(names.group, Node::make_graph(std::move(sub)));
            placed = true;
        }
    }
    for (const Edge& e : g.edges()) {
        if ((e.src == m.neuron && e.dst == m.weight) || (e.src == m.weight && e.dst == m.neuron))
            continue;
        out.add_edge(e.src == m.neuron ? names.group : e.src,
                     e.dst == m.neuron ? names.group : e.dst);
    }
    return out;
}

void report(Diagnostics& diags, const RecurrenceMatch& m, const std::string& why) {
    const std::string where = m.group.empty() ? "" : fmt::format(" in subgraph '{}'", m.group);
    if (m.rewritten || m.form == RecurrenceForm::PaperSubgraph) {
        diags.note("NIRB-N501",
                   m.rewritten ? fmt::format("recurrent layer '{}' <-> '{}' (flat 2-cycle) "
                                             "rewritten to the canonical subgraph '{}'",
                                             m.neuron, m.weight, m.group)
                               : fmt::format("recurrent layer '{}' <-> '{}'{} is already in "
                                             "the canonical (paper) form",
                                             m.neuron, m.weight, where),
                   m.neuron);
    } else if (m.form == RecurrenceForm::InputThroughWeight) {
        Diagnostic& d = diags.warning(
            "NIRB-W502",
            fmt::format("recurrent layer '{}' <-> '{}'{} routes its input through the "
                        "recurrent weight (the input-through-weight form); kept unchanged",
                        m.neuron, m.weight, where),
            m.neuron);
        d.notes.push_back(fmt::format("'{}' receives W·(x[t] + s[t-1]); the canonical form "
                                      "gives x[t] + W·s[t-1]: not the same network",
                                      m.neuron));
        d.notes.push_back("it equals a feed-forward copy of W followed by the canonical form "
                          "only up to floating-point rounding, so it is not rewritten");
    } else {
        diags.note("NIRB-N503",
                   fmt::format("recurrent layer '{}' <-> '{}'{} ({}) kept unchanged: {}", m.neuron,
                               m.weight, where, recurrence_form_name(m.form), why),
                   m.neuron);
    }
}

} // namespace

std::vector<RecurrenceMatch> find_recurrences(const Graph& g) {
    std::vector<RecurrenceMatch> out;
    find_in(g, "", out);
    return out;
}

RecurrenceResult normalize_recurrence(const Graph& g, Diagnostics& diags) {
    RecurrenceResult r{g, find_recurrences(g)};
    Diagnostics ignored;
    const TypeMap types = infer_types(g, {}, ignored);
    for (RecurrenceMatch& m : r.matches) {
        std::string why = m.form == RecurrenceForm::Other
                              ? "the weight also feeds other nodes"
                              : "only flat 2-cycles of the root graph are rewritten";
        if (m.form == RecurrenceForm::FlatTwoCycle && m.group.empty()) {
            const Names names = group_names(m.neuron, m.weight);
            const NodeTypes* t = types.find(m.neuron);
            MaybeShape in = t ? single_shape(t->input_type) : std::nullopt;
            auto block = blocker(r.graph, m, names, in);
            if (!block) {
                Graph sub =
                    canonical_subgraph(r.graph, m, names, *in, single_shape(t->output_type));
                r.graph = rewrite(r.graph, m, names, std::move(sub));
                m.rewritten = true;
                m.group = names.group;
            } else {
                why = *block;
            }
        }
        report(diags, m, why);
    }
    return r;
}

} // namespace nirb
