#pragma once
/// \file simulator.hpp
/// The reference simulator: compile a NIR graph once under a Profile into a plan of kernels,
/// then step it. Nested graphs are flattened (dotted names), back edges of cycles read the
/// source's output from `recurrent_delay` steps earlier, fan-in is summed, every node has a
/// batch of independent samples. Buffers are allocated at compile time; stepping allocates
/// nothing.

#include "nirb/graph.hpp"
#include "nirb/sim/profile.hpp"
#include "nirb/tensor.hpp"

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

namespace nirb::sim {

/// Options fixed at compile time.
struct SimulatorOptions {
    int batch = 1;   ///< independent samples simulated together (>= 1)
    int threads = 1; ///< worker threads for run(); the batch is split into this many lanes
};

/// One thing to record during run(): a node's output (`state` empty) or one of its state
/// variables (`state` = "v", "i", ...).
struct RecordSpec {
    std::string node;
    std::string state;
};

/// Inputs and recording buffers for run(). Every buffer is time major: (steps, batch, size).
struct RunBuffers {
    /// One pointer per Input node, in input_names() order; nullptr feeds zeros.
    std::vector<const float*> inputs;
    /// What to record, and one destination per entry.
    std::vector<RecordSpec> record;
    std::vector<float*> records;
    /// Called from the calling thread now and then with the number of steps completed by the
    /// slowest lane (for progress bars); may be empty.
    std::function<void(std::int64_t)> progress;
};

/// Counters from the last run() (for benchmarks and reports).
struct RunStats {
    double dense_synaptic_ops = 0; ///< multiply-adds a dense evaluation would have done
    double synaptic_events = 0;    ///< nonzero inputs times fan-out, actually processed
};

/// A compiled graph with its state.
class Simulator {
public:
    /// Compile `graph` under `profile`. Throws nirb::Error naming the node on anything that
    /// cannot be simulated (unknown primitive, inconsistent shapes, bad parameters).
    Simulator(const Graph& graph, const Profile& profile, SimulatorOptions options = {});
    ~Simulator();
    Simulator(Simulator&&) noexcept;
    Simulator& operator=(Simulator&&) noexcept;

    /// The profile the graph was compiled with.
    const Profile& profile() const;
    /// Samples per step.
    int batch() const;
    /// Steps done since construction or the last reset().
    std::int64_t time() const;

    /// Names of the Input and Output nodes of the (flattened) graph, in node order.
    const std::vector<std::string>& input_names() const;
    const std::vector<std::string>& output_names() const;
    /// Every node of the flattened graph, in node order.
    std::vector<std::string> node_names() const;
    /// Shape (without batch) of a node's output; throws for an unknown node.
    Shape output_shape(const std::string& node) const;
    /// Names of a node's state variables ("v", "i", ...), empty for stateless nodes.
    std::vector<std::string> state_names(const std::string& node) const;

    /// Set the value one Input node receives on the next step(): batch * size values.
    void set_input(const std::string& input, std::span<const float> values);
    /// Advance one step with the inputs set by set_input (inputs keep their values).
    void step();
    /// Advance `steps` steps reading and recording through `buffers`; lanes of the batch run
    /// in parallel on `threads` threads. Deterministic for a given thread count.
    void run(std::int64_t steps, const RunBuffers& buffers);
    /// States back to their initial values, time to 0, inputs to zero.
    void reset();

    /// A node's output of the last step, batch * size values, converted to double.
    std::vector<double> output(const std::string& node) const;
    /// A node's state variable, batch * size values, converted to double.
    std::vector<double> state(const std::string& node, const std::string& var) const;
    /// Counters of the last run().
    const RunStats& stats() const;

    /// Implementation (public so that the compute-type specific plans can name it).
    struct Impl;

private:
    std::unique_ptr<Impl> m_impl;
};

} // namespace nirb::sim
