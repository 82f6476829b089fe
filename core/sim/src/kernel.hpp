#pragma once
// A compiled node: parameters converted to the compute type once, a step function that maps
// the node's summed input to its output for a block of samples, and its state variables.
// Kernels are immutable after compilation and shared by every batch lane; all mutable state
// lives in lane buffers passed to step(), so lanes can run on different threads.
#include "nirb/node.hpp"
#include "nirb/schema.hpp"
#include "nirb/sim/fixed_point.hpp"
#include "nirb/sim/profile.hpp"
#include "nirb/tensor.hpp"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace nirb::sim::detail {

/// Per-call information every kernel may need.
struct StepContext {
    std::int64_t t = 0; ///< index of the step being computed (0-based since reset)
    int batch = 0;      ///< samples in this lane
    /// A weight kernel that counts its nonzero inputs anyway stores the count here (when not
    /// null), so that the plan's event counter need not scan the input again.
    std::int64_t* nonzero_inputs = nullptr;
};

/// One named state variable with `size` values per sample.
struct StateVar {
    std::string name;
    std::int64_t size = 0;
};

/// Everything a kernel factory needs besides the node.
struct BuildContext {
    const Profile* profile = nullptr;
    Quantizers quant;
    std::string node_name;                   ///< for messages
    Shape input_shape;                       ///< inferred, without batch
    Shape output_shape;                      ///< inferred, without batch
    const PrimitiveSchema* schema = nullptr; ///< the node's record (set by make_kernel)
    bool drives_output = false;              ///< an edge leads from the node to an Output
    /// arithmetic `accumulate: per_event`, node fed only by Linear nodes: their weights, forward
    /// sources first (a kernel that adds events one by one takes them, others ignore them).
    std::vector<const Tensor*> event_weights{};
};

/// Most spikes one neuron of the node emits per step under its profile (0: no cap).
inline int spike_limit_of(const BuildContext& ctx) {
    const SpikeLimit& limit = ctx.profile->spike_limit;
    return ctx.drives_output && limit.readout > 0 ? limit.readout : limit.per_step;
}

/// Base of every kernel for compute type T (float or double).
template <typename T>
class Kernel {
public:
    virtual ~Kernel() = default;
    /// State variables, laid out var-major in the lane state buffer, each [batch][size].
    virtual std::vector<StateVar> state_vars() const { return {}; }
    /// Set the state to its initial value for `batch` samples.
    virtual void init_state(T* /*state*/, int /*batch*/) const {}
    /// out[b][j] for b < ctx.batch from in[b][i]; `in` may be null for a node with no input.
    virtual void step(const T* in, T* out, T* state, const StepContext& ctx) const = 0;
    /// Synaptic operations done for one sample in the last step is data dependent; this is the
    /// dense count (multiply-adds per sample per step), used for reporting.
    virtual double dense_ops_per_sample() const { return 0.0; }
    /// True when the kernel took BuildContext::event_weights: the plan then calls step_events.
    virtual bool accumulates_events() const { return false; }
    /// One step from the event counts its weight sources read (`counts[k]`: [batch][columns of
    /// event_weights[k]]), added one channel at a time instead of as a summed input.
    virtual void step_events(const std::vector<const T*>& /*counts*/, T* /*out*/, T* /*state*/,
                             const StepContext& /*ctx*/) const {}

    std::int64_t in_size = 0;  ///< values per sample read
    std::int64_t out_size = 0; ///< values per sample written
};

/// Total state values per sample of a kernel.
template <typename T>
std::int64_t state_per_sample(const Kernel<T>& k) {
    std::int64_t n = 0;
    for (const auto& v : k.state_vars())
        n += v.size;
    return n;
}

/// Build the kernel for one (non-graph) node; throws nirb::Error naming the node when a
/// field is missing or inconsistent, or the primitive is unknown.
template <typename T>
std::unique_ptr<Kernel<T>> make_kernel(const Node& node, const BuildContext& ctx);

// Factories per family (one file each).
template <typename T>
std::unique_ptr<Kernel<T>> make_neuron_kernel(const Node& node, const BuildContext& ctx);
template <typename T>
std::unique_ptr<Kernel<T>> make_bitshift_neuron_kernel(const Node& node, const BuildContext& ctx);
template <typename T>
std::unique_ptr<Kernel<T>> make_dense_kernel(const Node& node, const BuildContext& ctx);
template <typename T>
std::unique_ptr<Kernel<T>> make_conv_kernel(const Node& node, const BuildContext& ctx);
template <typename T>
std::unique_ptr<Kernel<T>> make_pool_kernel(const Node& node, const BuildContext& ctx);
template <typename T>
std::unique_ptr<Kernel<T>> make_elementwise_kernel(const Node& node, const BuildContext& ctx);

/// A field as doubles broadcast to `n` values (size 1 or n accepted). An absent field takes
/// its record's simulator_default() (v_reset 0, w_in 1, conv stride 1, ...); absence of a
/// field without one is an error.
std::vector<double> field_values(const Node& node, const std::string& field, std::int64_t n,
                                 const BuildContext& ctx);

/// An integer-pair field (stride, padding...) of a conv/pool node: an int gives (v, v); an
/// absent field takes its record's simulator_default().
std::vector<std::int64_t> field_ints(const Node& node, const std::string& field, std::size_t n,
                                     const BuildContext& ctx);

/// Values converted to T after quantisation by `q`.
template <typename T>
std::vector<T> to_compute(const std::vector<double>& values, const Quantizer& q) {
    std::vector<T> out(values.size());
    for (std::size_t i = 0; i < values.size(); ++i)
        out[i] = static_cast<T>(q(values[i]));
    return out;
}

/// Quantise a block of compute values in place (no-op for floating point).
template <typename T>
void quantize_block(const Quantizer& q, T* values, std::size_t n) {
    if (q.enabled())
        q.apply(values, n);
}

} // namespace nirb::sim::detail
