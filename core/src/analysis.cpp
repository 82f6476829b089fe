// analyze(): one inference (flat view, adjacency, execution order, shapes), the components
// on the same adjacency, and the validation checks over it.
#include "nirb/analysis.hpp"

#include "validation.hpp"

namespace nirb {
namespace detail {

struct AnalysisData {
    explicit AnalysisData(Inference inference) : inf(std::move(inference)) {}
    Inference inf;
    std::vector<std::uint32_t> components;
    Diagnostics diagnostics;
};

} // namespace detail

namespace {

/// Warnings become errors under --strict (their codes stay NIRB-W###).
Diagnostics apply_strict(const Diagnostics& found, bool strict) {
    Diagnostics out;
    for (Diagnostic d : found.items()) {
        if (strict && d.severity == Severity::Warning) {
            d.severity = Severity::Error;
            d.notes.push_back("reported as an error because of --strict");
        }
        out.add(d.severity, d.code, d.message, d.node_path, d.location) = d;
    }
    return out;
}

} // namespace

namespace detail {

Diagnostics validate_inference(const Inference& inf, const ValidateOptions& options,
                               Diagnostics found) {
    const Checker c{inf, options, found};
    check_structure(c);
    check_edge_types(c);
    check_parameters(c);
    return apply_strict(found, options.strict);
}

} // namespace detail

GraphAnalysis::GraphAnalysis(std::shared_ptr<const detail::AnalysisData> data)
    : m_data(std::move(data)) {}

GraphAnalysis analyze(const Graph& g, const ValidateOptions& options) {
    Diagnostics found;
    auto data = std::make_shared<detail::AnalysisData>(
        detail::run_inference(g, {.reference_compatible = options.reference_compatible}, found));
    data->components = detail::ix_components(data->inf.adjacency);
    data->diagnostics = detail::validate_inference(data->inf, options, std::move(found));
    return GraphAnalysis(std::move(data));
}

std::size_t GraphAnalysis::node_count() const {
    return m_data->inf.view.nodes.size();
}

const std::string& GraphAnalysis::path(std::size_t v) const {
    return m_data->inf.view.nodes.at(v).path;
}

const Node& GraphAnalysis::node(std::size_t v) const {
    return *m_data->inf.view.nodes.at(v).node;
}

std::size_t GraphAnalysis::edge_count() const {
    return m_data->inf.view.edges.size();
}

FlatEdge GraphAnalysis::edge(std::size_t e) const {
    const detail::IxEdge& x = m_data->inf.view.edges.at(e);
    return {x.src, x.dst};
}

std::span<const std::uint32_t> GraphAnalysis::execution_order() const {
    return m_data->inf.order.nodes;
}

std::span<const std::size_t> GraphAnalysis::back_edges() const {
    return m_data->inf.order.back_edges;
}

std::span<const std::uint32_t> GraphAnalysis::components() const {
    return m_data->components;
}

std::vector<std::vector<std::uint32_t>> GraphAnalysis::cycles() const {
    return detail::ix_cyclic_components(m_data->components, m_data->inf.view.edges);
}

const MaybeShape& GraphAnalysis::input_shape(std::size_t v) const {
    return m_data->inf.in.at(v);
}

const MaybeShape& GraphAnalysis::output_shape(std::size_t v) const {
    return m_data->inf.out.at(v);
}

TypeMap GraphAnalysis::types() const {
    return detail::make_type_map(m_data->inf);
}

const Diagnostics& GraphAnalysis::diagnostics() const {
    return m_data->diagnostics;
}

} // namespace nirb
