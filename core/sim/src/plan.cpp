// Plan compilation (kernels + wiring + lane layout) and the step loop.
#include "plan.hpp"

#include "nirb/algorithms.hpp"
#include "nirb/error.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <thread>

namespace nirb::sim::detail {
namespace {

/// True when an edge leads from `node` to an Output node (the profile's readout spike limit).
bool feeds_output(const Graph& graph, const std::string& node) {
    for (const auto& e : graph.edges())
        if (e.src == node) {
            const long dst = graph.index_of(e.dst);
            if (dst >= 0 && graph.nodes()[static_cast<std::size_t>(dst)].node.type() == "Output")
                return true;
        }
    return false;
}

/// Indices of the edges into `node`, forward edges first, then back edges (arithmetic
/// `accumulate: per_event` adds the sources' events in this order).
std::vector<std::size_t> incoming_edges(const Graph& graph, const std::string& node,
                                        const std::vector<std::size_t>& back_edges) {
    std::vector<std::size_t> forward, back;
    for (std::size_t e = 0; e < graph.edges().size(); ++e)
        if (graph.edges()[e].dst == node)
            (std::count(back_edges.begin(), back_edges.end(), e) ? back : forward).push_back(e);
    forward.insert(forward.end(), back.begin(), back.end());
    return forward;
}

/// The weights of a node's sources when every one is a Linear node (else empty).
std::vector<const Tensor*> linear_source_weights(const Graph& graph,
                                                 const std::vector<std::size_t>& edges) {
    std::vector<const Tensor*> out;
    for (std::size_t e : edges) {
        const long src = graph.index_of(graph.edges()[e].src);
        if (src < 0)
            return {};
        const Node& n = graph.nodes()[static_cast<std::size_t>(src)].node;
        if (n.type() != "Linear")
            return {};
        out.push_back(&n.require_tensor("weight"));
    }
    return out;
}

} // namespace

template <typename T>
Plan<T>::Plan(const Graph& graph, const std::vector<std::pair<Shape, Shape>>& shapes,
              const Profile& profile, const SimulatorOptions& options)
    : m_profile(profile), m_options(options), m_quant(make_quantizers(profile.arithmetic)) {
    if (options.batch < 1 || options.threads < 1)
        throw UsageError("batch and threads must be >= 1");
    const auto& named = graph.nodes();
    const ExecutionOrder order = execution_order(graph);
    std::vector<std::string> back_edge_sources;
    for (std::size_t e : order.back_edges)
        back_edge_sources.push_back(graph.edges()[e].src);
    for (std::size_t k = 0; k < named.size(); ++k) {
        Profile node_profile = profile_for_node(m_profile, named[k].name, named[k].node.type());
        // A weight layer closing a cycle: its latency and the back edge's delay are the same
        // buffer (as on chips where the synapse stage is what breaks the loop), so the loop
        // is delayed by max(weight_latency, recurrent_delay), not by their sum.
        if (std::count(back_edge_sources.begin(), back_edge_sources.end(), named[k].name))
            node_profile.weight_latency =
                std::max(0, node_profile.weight_latency - node_profile.recurrent_delay);
        BuildContext ctx{&node_profile, m_quant, named[k].name, shapes[k].first, shapes[k].second};
        ctx.drives_output = feeds_output(graph, named[k].name);
        if (node_profile.arithmetic.per_event)
            ctx.event_weights = linear_source_weights(
                graph, incoming_edges(graph, named[k].name, order.back_edges));
        PlanNode<T> node;
        node.name = named[k].name;
        node.type = named[k].node.type();
        node.out_shape = shapes[k].second;
        node.kernel = make_kernel<T>(named[k].node, ctx);
        node.vars = node.kernel->state_vars();
        node.state_size = state_per_sample(*node.kernel);
        if (node.type == "Input") {
            node.input_index = static_cast<int>(m_input_nodes.size());
            m_input_nodes.push_back(k);
        }
        m_nodes.push_back(std::move(node));
    }
    wire(graph, order.nodes, order.back_edges);
    link_event_sources(graph, order.back_edges);
    layout_lanes();
    reset();
}

template <typename T>
void Plan<T>::wire(const Graph& graph, const std::vector<std::size_t>& order,
                   const std::vector<std::size_t>& back_edges) {
    m_order = order;
    const auto& edges = graph.edges();
    for (std::size_t e = 0; e < edges.size(); ++e) {
        const long src = graph.index_of(edges[e].src);
        const long dst = graph.index_of(edges[e].dst);
        if (src < 0 || dst < 0)
            throw Error(fmt::format("edge {} -> {} names a node that does not exist", edges[e].src,
                                    edges[e].dst));
        auto& to = m_nodes[static_cast<std::size_t>(dst)];
        const auto& from = m_nodes[static_cast<std::size_t>(src)];
        if (to.input_index >= 0)
            throw Error(fmt::format("edge {} -> {}: an Input node cannot receive edges",
                                    edges[e].src, edges[e].dst));
        if (from.kernel->out_size != to.kernel->in_size)
            throw Error(fmt::format("edge {} -> {}: {} values (shape {}) feed a node that takes "
                                    "{}",
                                    edges[e].src, edges[e].dst, from.kernel->out_size,
                                    shape_to_string(from.out_shape), to.kernel->in_size));
        const bool back = std::find(back_edges.begin(), back_edges.end(), e) != back_edges.end();
        if (back) {
            to.back_sources.push_back(static_cast<std::size_t>(src));
            m_nodes[static_cast<std::size_t>(src)].keeps_history = true;
        } else {
            to.forward_sources.push_back(static_cast<std::size_t>(src));
        }
    }
    for (auto& node : m_nodes)
        node.aliases_input = node.forward_sources.size() == 1 && node.back_sources.empty();
}

/// Nodes whose kernel adds its sources' events one by one read the Linear sources' inputs.
/// A back source must be a Linear from the node to itself, so that the input it still holds
/// when the node runs (the node's own output, not yet overwritten) is last step's.
template <typename T>
void Plan<T>::link_event_sources(const Graph& graph, const std::vector<std::size_t>& back_edges) {
    for (std::size_t k = 0; k < m_nodes.size(); ++k) {
        auto& node = m_nodes[k];
        if (!node.kernel->accumulates_events())
            continue;
        const Profile p = profile_for_node(m_profile, node.name);
        for (std::size_t e : incoming_edges(graph, node.name, back_edges)) {
            const auto src = static_cast<std::size_t>(graph.index_of(graph.edges()[e].src));
            const bool back = std::count(back_edges.begin(), back_edges.end(), e) > 0;
            const auto& linear = m_nodes[src];
            const bool self_loop = linear.back_sources.empty() &&
                                   linear.forward_sources.size() == 1 &&
                                   linear.forward_sources[0] == k;
            if (back && (!self_loop || p.recurrent_delay != 1))
                throw Error(fmt::format("node '{}': accumulate per_event takes a back edge only "
                                        "from a Linear fed by the node itself, with "
                                        "recurrent_delay 1 ('{}' is not)",
                                        node.name, linear.name));
            if (p.weight_latency != 0)
                throw Error(fmt::format("node '{}': accumulate per_event needs weight_latency 0",
                                        node.name));
            node.event_sources.push_back(src);
        }
    }
}

template <typename T>
void Plan<T>::layout_lanes() {
    const int lanes = std::min(m_options.threads, m_options.batch);
    int first = 0;
    for (int l = 0; l < lanes; ++l) {
        Lane<T> lane;
        lane.first = first;
        lane.batch = m_options.batch / lanes + (l < m_options.batch % lanes ? 1 : 0);
        first += lane.batch;
        std::size_t offset = 0;
        for (const auto& node : m_nodes) {
            NodeSlots s;
            const auto b = static_cast<std::size_t>(lane.batch);
            s.out = offset;
            offset += b * node.kernel->out_size;
            s.in = offset;
            if (!node.aliases_input)
                offset += b * node.kernel->in_size;
            s.state = offset;
            offset += b * node.state_size;
            s.history = offset;
            if (node.keeps_history)
                offset += b * node.kernel->out_size * m_profile.recurrent_delay;
            lane.slots.push_back(s);
        }
        lane.storage.assign(offset, T(0));
        m_lanes.push_back(std::move(lane));
    }
}

template <typename T>
std::size_t Plan<T>::node_index(const std::string& name) const {
    for (std::size_t k = 0; k < m_nodes.size(); ++k)
        if (m_nodes[k].name == name)
            return k;
    throw Error(fmt::format("no node named '{}' in the simulated graph", name));
}

template <typename T>
void Plan<T>::reset() {
    for (auto& lane : m_lanes) {
        std::fill(lane.storage.begin(), lane.storage.end(), T(0));
        for (std::size_t k = 0; k < m_nodes.size(); ++k)
            m_nodes[k].kernel->init_state(lane.storage.data() + lane.slots[k].state, lane.batch);
        lane.t = 0;
        prime_history(lane);
    }
}

/// With back_edge_initial = zero_input_response, a stateless back-edge source starts out
/// having emitted its response to a zero input (an Affine's bias) in every delay slot.
template <typename T>
void Plan<T>::prime_history(Lane<T>& lane) const {
    if (m_profile.back_edge_initial != BackEdgeInitial::ZeroInputResponse)
        return;
    for (std::size_t k = 0; k < m_nodes.size(); ++k) {
        const auto& node = m_nodes[k];
        if (!node.keeps_history || node.state_size > 0)
            continue;
        const std::vector<T> zeros(lane.batch * node.kernel->in_size, T(0));
        T* hist = lane.storage.data() + lane.slots[k].history;
        const auto block = static_cast<std::size_t>(lane.batch * node.kernel->out_size);
        node.kernel->step(zeros.data(), hist, nullptr, StepContext{0, lane.batch});
        for (int s = 1; s < m_profile.recurrent_delay; ++s)
            std::copy(hist, hist + block, hist + s * block);
    }
}

template <typename T>
const T* Plan<T>::node_input(Lane<T>& lane, std::size_t k) const {
    const auto& node = m_nodes[k];
    T* base = lane.storage.data();
    if (node.aliases_input)
        return base + lane.slots[node.forward_sources[0]].out;
    const auto n = static_cast<std::size_t>(lane.batch * node.kernel->in_size);
    T* in = base + lane.slots[k].in;
    std::fill(in, in + n, T(0));
    for (std::size_t src : node.forward_sources) {
        const T* s = base + lane.slots[src].out;
        for (std::size_t i = 0; i < n; ++i)
            in[i] += s[i];
    }
    const auto slot = static_cast<std::size_t>(lane.t % m_profile.recurrent_delay);
    for (std::size_t src : node.back_sources) {
        const T* s = base + lane.slots[src].history + slot * n;
        for (std::size_t i = 0; i < n; ++i)
            in[i] += s[i];
    }
    return in;
}

template <typename T>
const T* Plan<T>::weight_input(const Lane<T>& lane, std::size_t k) const {
    const auto& node = m_nodes[k];
    const T* base = lane.storage.data();
    return node.aliases_input ? base + lane.slots[node.forward_sources[0]].out
                              : base + lane.slots[k].in;
}

template <typename T>
void Plan<T>::count(Lane<T>& lane, std::size_t k, const T* in, std::int64_t nnz) const {
    const auto& kernel = *m_nodes[k].kernel;
    const double dense = kernel.dense_ops_per_sample();
    if (dense <= 0)
        return;
    if (nnz < 0) { // the kernel did not count: scan its input
        nnz = 0;
        const auto n = lane.batch * kernel.in_size;
        for (std::int64_t i = 0; i < n; ++i)
            nnz += in[i] != T(0);
    }
    lane.stats.dense_synaptic_ops += dense * lane.batch;
    lane.stats.synaptic_events += static_cast<double>(nnz) * dense / kernel.in_size;
}

template <typename T>
void Plan<T>::step_lane(Lane<T>& lane, const std::vector<const float*>& inputs) {
    T* base = lane.storage.data();
    const StepContext ctx{lane.t, lane.batch};
    for (std::size_t k : m_order) {
        const auto& node = m_nodes[k];
        T* out = base + lane.slots[k].out;
        if (node.input_index >= 0) {
            const float* src = inputs[node.input_index];
            const auto n = static_cast<std::size_t>(lane.batch * node.kernel->out_size);
            if (!src) {
                std::fill(out, out + n, T(0));
                continue;
            }
            for (std::size_t i = 0; i < n; ++i)
                out[i] = static_cast<T>(src[i]);
            if (const int cap = m_profile.spike_limit.input; cap > 0)
                for (std::size_t i = 0; i < n; ++i)
                    out[i] = std::min(out[i], static_cast<T>(cap));
            quantize_block(m_quant.state, out, n);
            continue;
        }
        if (!node.event_sources.empty()) {
            std::vector<const T*> counts;
            for (std::size_t s : node.event_sources)
                counts.push_back(weight_input(lane, s));
            node.kernel->step_events(counts, out, base + lane.slots[k].state, ctx);
            continue;
        }
        const bool has_input = !node.forward_sources.empty() || !node.back_sources.empty();
        const T* in = has_input ? node_input(lane, k) : nullptr;
        if (!in) { // a node nobody feeds sees zeros
            T* own = base + lane.slots[k].in;
            std::fill(own, own + lane.batch * node.kernel->in_size, T(0));
            in = own;
        }
        std::int64_t nonzero = -1;
        StepContext node_ctx = ctx;
        node_ctx.nonzero_inputs = &nonzero;
        node.kernel->step(in, out, base + lane.slots[k].state, node_ctx);
        count(lane, k, in, nonzero);
    }
    const auto slot = static_cast<std::size_t>(lane.t % m_profile.recurrent_delay);
    for (std::size_t k = 0; k < m_nodes.size(); ++k) {
        if (!m_nodes[k].keeps_history)
            continue;
        const auto n = static_cast<std::size_t>(lane.batch * m_nodes[k].kernel->out_size);
        const T* out = base + lane.slots[k].out;
        std::copy(out, out + n, base + lane.slots[k].history + slot * n);
    }
    ++lane.t;
}

template <typename T>
void Plan<T>::step(const std::vector<const float*>& inputs) {
    std::vector<const float*> slice(inputs.size());
    for (auto& lane : m_lanes) {
        for (std::size_t i = 0; i < inputs.size(); ++i)
            slice[i] = inputs[i] ? inputs[i] + static_cast<std::size_t>(lane.first) *
                                                   m_nodes[m_input_nodes[i]].kernel->out_size
                                 : nullptr;
        step_lane(lane, slice);
    }
}

template class Plan<float>;
template class Plan<double>;

} // namespace nirb::sim::detail
