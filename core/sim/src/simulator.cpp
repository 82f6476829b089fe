// The public Simulator: flattens the graph, infers shapes, picks the compute type from the
// profile's arithmetic and forwards to the typed plan.
#include "nirb/sim/simulator.hpp"

#include "plan.hpp"

#include "nirb/algorithms.hpp"
#include "nirb/error.hpp"
#include "nirb/infer.hpp"

#include <fmt/core.h>

#include <variant>

namespace nirb::sim {

using detail::Plan;

struct Simulator::Impl {
    Profile profile;
    SimulatorOptions options;
    std::vector<std::string> inputs, outputs;
    std::vector<std::vector<float>> input_values; ///< per Input, set_input() values
    std::variant<std::unique_ptr<Plan<float>>, std::unique_ptr<Plan<double>>> plan;
    RunStats stats;

    template <typename F>
    decltype(auto) visit(F&& f) {
        return std::visit([&](auto& p) -> decltype(auto) { return f(*p); }, plan);
    }
    template <typename F>
    decltype(auto) visit(F&& f) const {
        return std::visit([&](const auto& p) -> decltype(auto) { return f(*p); }, plan);
    }
};

namespace {

/// (input shape, output shape) of every node of a flat graph, from infer_types.
std::vector<std::pair<Shape, Shape>> node_shapes(const Graph& flat) {
    Diagnostics diags;
    const TypeMap types = infer_types(flat, InferOptions{}, diags);
    std::vector<std::pair<Shape, Shape>> shapes;
    for (const auto& named : flat.nodes()) {
        const NodeTypes* t = types.find(named.name);
        const MaybeShape in = t ? single_shape(t->input_type) : std::nullopt;
        const MaybeShape out = t ? single_shape(t->output_type) : std::nullopt;
        if (!in || !out)
            throw Error(fmt::format("node '{}' ({}): its {} shape cannot be inferred (connect it "
                                    "to an Input with a shape, or give it shape fields)",
                                    named.name, named.node.type(), !in ? "input" : "output"));
        shapes.emplace_back(*in, *out);
    }
    return shapes;
}

} // namespace

Simulator::Simulator(const Graph& graph, const Profile& profile, SimulatorOptions options)
    : m_impl(std::make_unique<Impl>()) {
    m_impl->profile = profile;
    m_impl->options = options;
    const Graph flat = flatten_subgraphs(graph, FlattenOptions{true});
    const auto shapes = node_shapes(flat);
    for (const auto& named : flat.nodes()) {
        if (named.node.type() == "Input")
            m_impl->inputs.push_back(named.name);
        if (named.node.type() == "Output")
            m_impl->outputs.push_back(named.name);
    }
    if (profile.arithmetic.kind == NumberKind::Float32)
        m_impl->plan = std::make_unique<Plan<float>>(flat, shapes, profile, options);
    else
        m_impl->plan = std::make_unique<Plan<double>>(flat, shapes, profile, options);
    m_impl->input_values.resize(m_impl->inputs.size());
}

Simulator::~Simulator() = default;
Simulator::Simulator(Simulator&&) noexcept = default;
Simulator& Simulator::operator=(Simulator&&) noexcept = default;

const Profile& Simulator::profile() const {
    return m_impl->profile;
}
int Simulator::batch() const {
    return m_impl->options.batch;
}
std::int64_t Simulator::time() const {
    return m_impl->visit([](const auto& p) { return p.time(); });
}
const std::vector<std::string>& Simulator::input_names() const {
    return m_impl->inputs;
}
const std::vector<std::string>& Simulator::output_names() const {
    return m_impl->outputs;
}
const RunStats& Simulator::stats() const {
    return m_impl->stats;
}

std::vector<std::string> Simulator::node_names() const {
    return m_impl->visit([](const auto& p) {
        std::vector<std::string> names;
        for (const auto& n : p.nodes())
            names.push_back(n.name);
        return names;
    });
}

Shape Simulator::output_shape(const std::string& node) const {
    return m_impl->visit([&](const auto& p) { return p.nodes()[p.node_index(node)].out_shape; });
}

std::vector<std::string> Simulator::state_names(const std::string& node) const {
    return m_impl->visit([&](const auto& p) {
        std::vector<std::string> names;
        for (const auto& v : p.nodes()[p.node_index(node)].vars)
            names.push_back(v.name);
        return names;
    });
}

void Simulator::set_input(const std::string& input, std::span<const float> values) {
    for (std::size_t i = 0; i < m_impl->inputs.size(); ++i) {
        if (m_impl->inputs[i] != input)
            continue;
        const auto size = shape_element_count(output_shape(input)) * batch();
        if (static_cast<std::int64_t>(values.size()) != size)
            throw UsageError(fmt::format("set_input('{}'): expected {} values (batch {} x {}), "
                                         "got {}",
                                         input, size, batch(), shape_to_string(output_shape(input)),
                                         values.size()));
        m_impl->input_values[i].assign(values.begin(), values.end());
        return;
    }
    throw UsageError(fmt::format("set_input: '{}' is not an Input node", input));
}

void Simulator::step() {
    std::vector<const float*> in;
    for (const auto& v : m_impl->input_values)
        in.push_back(v.empty() ? nullptr : v.data());
    m_impl->visit([&](auto& p) { p.step(in); });
}

void Simulator::run(std::int64_t steps, const RunBuffers& buffers) {
    if (buffers.inputs.size() > m_impl->inputs.size())
        throw UsageError("run(): more input buffers than Input nodes");
    m_impl->visit([&](auto& p) { p.run(steps, buffers, m_impl->stats); });
}

void Simulator::reset() {
    for (auto& v : m_impl->input_values)
        v.clear();
    m_impl->visit([](auto& p) { p.reset(); });
}

std::vector<double> Simulator::output(const std::string& node) const {
    return m_impl->visit([&](const auto& p) { return p.read(p.node_index(node), ""); });
}

std::vector<double> Simulator::state(const std::string& node, const std::string& var) const {
    if (var.empty())
        throw UsageError("state(): name a state variable (\"v\", \"i\", ...)");
    return m_impl->visit([&](const auto& p) { return p.read(p.node_index(node), var); });
}

} // namespace nirb::sim
