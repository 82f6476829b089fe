#pragma once
// The compiled plan: kernels in execution order with their input wiring, and lanes (batch
// slices) that own every mutable buffer. A lane runs the whole plan for its samples, so lanes
// are independent and run on separate threads without synchronisation.
#include "kernel.hpp"

#include "nirb/graph.hpp"
#include "nirb/sim/simulator.hpp"

#include <memory>
#include <string>
#include <vector>

namespace nirb::sim::detail {

/// Static description of one node in the plan.
template <typename T>
struct PlanNode {
    std::string name;
    std::string type;
    Shape out_shape;
    std::unique_ptr<Kernel<T>> kernel;
    std::vector<std::size_t> forward_sources; ///< read this step's output
    std::vector<std::size_t> back_sources;    ///< read the output of recurrent_delay steps ago
    int input_index = -1;                     ///< position among Input nodes, or -1
    bool keeps_history = false;               ///< source of a back edge
    bool aliases_input = false;               ///< single forward source: read it in place
    std::vector<std::size_t> event_sources;   ///< accumulate per_event: Linear nodes whose
                                              ///< input counts the kernel adds (step_events)
    std::vector<StateVar> vars;
    std::int64_t state_size = 0; ///< per sample
};

/// Offsets of one node's buffers inside a lane's storage.
struct NodeSlots {
    std::size_t out = 0, in = 0, state = 0, history = 0;
};

/// One batch slice with all its mutable data.
template <typename T>
struct Lane {
    int first = 0; ///< first sample of the full batch
    int batch = 0;
    std::vector<T> storage;
    std::vector<NodeSlots> slots;
    std::int64_t t = 0;
    RunStats stats;
};

/// Graph -> plan compilation and stepping for compute type T.
template <typename T>
class Plan {
public:
    /// `graph` must be flat (no NIRGraph nodes); `shapes` gives (input, output) per node.
    Plan(const Graph& graph, const std::vector<std::pair<Shape, Shape>>& shapes,
         const Profile& profile, const SimulatorOptions& options);

    const std::vector<PlanNode<T>>& nodes() const { return m_nodes; }
    std::size_t input_count() const { return m_input_nodes.size(); }
    std::size_t node_index(const std::string& name) const;

    /// Reset every lane's state, history and time.
    void reset();
    /// One step for every lane (sequentially); `inputs[i]` is (batch, size) of Input i.
    void step(const std::vector<const float*>& inputs);
    /// Many steps, lanes in parallel, reading (steps, batch, size) inputs.
    void run(std::int64_t steps, const RunBuffers& buffers, RunStats& stats);
    /// Values of a node's output (var empty) or state var across the full batch.
    std::vector<double> read(std::size_t node, const std::string& var) const;
    std::int64_t time() const { return m_lanes.front().t; }

private:
    void wire(const Graph& graph, const std::vector<std::size_t>& order,
              const std::vector<std::size_t>& back_edges);
    void layout_lanes();
    /// One step of one lane; `inputs[i]` points at this lane's (batch, size) slice or is null.
    void step_lane(Lane<T>& lane, const std::vector<const float*>& inputs);
    void run_lane(Lane<T>& lane, std::int64_t steps, const RunBuffers& buffers, bool report);
    const T* node_input(Lane<T>& lane, std::size_t k) const;
    /// The values Linear node `k` reads (its last step's for one that has not run yet).
    const T* weight_input(const Lane<T>& lane, std::size_t k) const;
    void link_event_sources(const Graph& graph, const std::vector<std::size_t>& back_edges);
    void prime_history(Lane<T>& lane) const;
    /// Add a weight node's events to the lane's stats: `nnz` nonzero inputs, or -1 to count
    /// them in `in` (the node's input, which its step leaves unchanged).
    void count(Lane<T>& lane, std::size_t k, const T* in, std::int64_t nnz) const;
    void record(const Lane<T>& lane, const RunBuffers& buffers, std::int64_t t) const;
    const T* var_data(const Lane<T>& lane, std::size_t node, const std::string& var,
                      std::int64_t& size) const;

    Profile m_profile;
    SimulatorOptions m_options;
    Quantizers m_quant;
    std::vector<PlanNode<T>> m_nodes;
    std::vector<std::size_t> m_order;
    std::vector<std::size_t> m_input_nodes;
    std::vector<Lane<T>> m_lanes;
};

} // namespace nirb::sim::detail
