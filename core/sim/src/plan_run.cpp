// Multi-step runs (lanes on threads), recording, and reading outputs and states.
#include "plan.hpp"

#include "nirb/error.hpp"

#include <fmt/core.h>

#include <thread>

namespace nirb::sim::detail {

template <typename T>
const T* Plan<T>::var_data(const Lane<T>& lane, std::size_t node, const std::string& var,
                           std::int64_t& size) const {
    const auto& n = m_nodes[node];
    const T* base = lane.storage.data();
    if (var.empty()) {
        size = n.kernel->out_size;
        return base + lane.slots[node].out;
    }
    std::size_t offset = lane.slots[node].state;
    for (const auto& v : n.vars) {
        if (v.name == var) {
            size = v.size;
            return base + offset;
        }
        offset += static_cast<std::size_t>(v.size * lane.batch);
    }
    std::string names;
    for (const auto& v : n.vars)
        names += (names.empty() ? "" : ", ") + v.name;
    throw Error(fmt::format("node '{}' ({}) has no state '{}' (its states: {})", n.name, n.type,
                            var, names.empty() ? "none" : names));
}

template <typename T>
std::vector<double> Plan<T>::read(std::size_t node, const std::string& var) const {
    std::vector<double> out;
    for (const auto& lane : m_lanes) {
        std::int64_t size = 0;
        const T* data = var_data(lane, node, var, size);
        out.insert(out.end(), data, data + size * lane.batch);
    }
    return out;
}

template <typename T>
void Plan<T>::record(const Lane<T>& lane, const RunBuffers& buffers, std::int64_t t) const {
    for (std::size_t r = 0; r < buffers.record.size(); ++r) {
        const auto& spec = buffers.record[r];
        std::int64_t size = 0;
        const T* data = var_data(lane, node_index(spec.node), spec.state, size);
        float* dst = buffers.records[r] + (t * m_options.batch + lane.first) * size;
        for (std::int64_t i = 0; i < size * lane.batch; ++i)
            dst[i] = static_cast<float>(data[i]);
    }
}

template <typename T>
void Plan<T>::run_lane(Lane<T>& lane, std::int64_t steps, const RunBuffers& buffers, bool report) {
    std::vector<const float*> slice(m_input_nodes.size());
    for (std::int64_t s = 0; s < steps; ++s) {
        for (std::size_t i = 0; i < slice.size(); ++i) {
            const auto size = m_nodes[m_input_nodes[i]].kernel->out_size;
            const float* in = i < buffers.inputs.size() ? buffers.inputs[i] : nullptr;
            slice[i] = in ? in + (s * m_options.batch + lane.first) * size : nullptr;
        }
        step_lane(lane, slice);
        record(lane, buffers, s);
        if (report && buffers.progress && (s + 1) % 64 == 0)
            buffers.progress(s + 1);
    }
    if (report && buffers.progress)
        buffers.progress(steps);
}

template <typename T>
void Plan<T>::run(std::int64_t steps, const RunBuffers& buffers, RunStats& stats) {
    if (buffers.records.size() != buffers.record.size())
        throw UsageError("run(): one record buffer per record entry is needed");
    for (const auto& spec : buffers.record) { // validate names before any thread starts
        std::int64_t size = 0;
        var_data(m_lanes.front(), node_index(spec.node), spec.state, size);
    }
    for (auto& lane : m_lanes)
        lane.stats = {};
    {
        std::vector<std::jthread> workers;
        for (std::size_t l = 1; l < m_lanes.size(); ++l)
            workers.emplace_back([&, l] { run_lane(m_lanes[l], steps, buffers, false); });
        run_lane(m_lanes.front(), steps, buffers, true);
    }
    stats = {};
    for (const auto& lane : m_lanes) {
        stats.dense_synaptic_ops += lane.stats.dense_synaptic_ops;
        stats.synaptic_events += lane.stats.synaptic_events;
    }
}

template class Plan<float>;
template class Plan<double>;

} // namespace nirb::sim::detail
