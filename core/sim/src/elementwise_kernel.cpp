// Input, Output and Flatten (identity on the flat row-major buffer: Flatten only renames
// the shape; under `flatten_order: channels_last` it lists a (C, ...) input as (..., C)),
// Scale, Threshold and Delay (a ring buffer of rounded per-element delays).
#include "kernel.hpp"

#include "nirb/error.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <cmath>

namespace nirb::sim::detail {
namespace {

template <typename T>
class IdentityKernel final : public Kernel<T> {
public:
    explicit IdentityKernel(std::int64_t n) { this->in_size = this->out_size = n; }
    void step(const T* in, T* out, T*, const StepContext& ctx) const override {
        if (in)
            std::copy(in, in + this->in_size * ctx.batch, out);
    }
};

/// Flatten of a (C, P...) input in channels-last order: out[p C + c] = in[c P + p].
template <typename T>
class ChannelsLastFlattenKernel final : public Kernel<T> {
public:
    ChannelsLastFlattenKernel(std::int64_t n, std::int64_t channels) : m_channels(channels) {
        this->in_size = this->out_size = n;
    }
    void step(const T* in, T* out, T*, const StepContext& ctx) const override {
        const auto n = this->in_size;
        const auto positions = n / m_channels;
        for (int b = 0; b < ctx.batch; ++b)
            for (std::int64_t c = 0; c < m_channels; ++c)
                for (std::int64_t p = 0; p < positions; ++p)
                    out[b * n + p * m_channels + c] = in[b * n + c * positions + p];
    }

private:
    std::int64_t m_channels;
};

template <typename T>
class ScaleKernel final : public Kernel<T> {
public:
    ScaleKernel(const Node& node, const BuildContext& ctx, std::int64_t n) : m_q(ctx.quant.state) {
        this->in_size = this->out_size = n;
        m_scale = to_compute<T>(field_values(node, "scale", n, ctx), ctx.quant.weight);
    }
    void step(const T* in, T* out, T*, const StepContext& ctx) const override {
        const auto n = this->in_size;
        for (int b = 0; b < ctx.batch; ++b)
            for (std::int64_t j = 0; j < n; ++j)
                out[b * n + j] = m_scale[j] * in[b * n + j];
        quantize_block(m_q, out, static_cast<std::size_t>(n * ctx.batch));
    }

private:
    Quantizer m_q;
    std::vector<T> m_scale;
};

template <typename T>
class ThresholdKernel final : public Kernel<T> {
public:
    ThresholdKernel(const Node& node, const BuildContext& ctx, std::int64_t n)
        : m_strict(ctx.profile->comparator == Comparator::Greater) {
        this->in_size = this->out_size = n;
        m_th = to_compute<T>(field_values(node, "threshold", n, ctx), ctx.quant.weight);
    }
    void step(const T* in, T* out, T*, const StepContext& ctx) const override {
        const auto n = this->in_size;
        for (int b = 0; b < ctx.batch; ++b)
            for (std::int64_t j = 0; j < n; ++j) {
                const T x = in[b * n + j];
                out[b * n + j] = (m_strict ? x > m_th[j] : x >= m_th[j]) ? T(1) : T(0);
            }
    }

private:
    bool m_strict;
    std::vector<T> m_th;
};

template <typename T>
class DelayKernel final : public Kernel<T> {
public:
    DelayKernel(const Node& node, const BuildContext& ctx, std::int64_t n) {
        this->in_size = this->out_size = n;
        const auto delay = field_values(node, "delay", n, ctx);
        m_steps.resize(n);
        for (std::int64_t j = 0; j < n; ++j) {
            const double steps = std::nearbyint(delay[j] / ctx.profile->dt);
            if (!(steps >= 0) || steps > 1e7)
                throw Error(fmt::format("node '{}' (Delay): delay {} is {} steps of dt={}; it "
                                        "must be between 0 and 1e7 steps",
                                        ctx.node_name, delay[j], steps, ctx.profile->dt));
            m_steps[j] = static_cast<std::int64_t>(steps);
        }
        m_slots = 1 + *std::max_element(m_steps.begin(), m_steps.end());
    }
    std::vector<StateVar> state_vars() const override {
        return {{"history", m_slots * this->in_size}};
    }
    void init_state(T* state, int batch) const override {
        std::fill(state, state + m_slots * this->in_size * batch, T(0));
    }
    /// Slot t % slots holds x(t); y(t) = x(t - d) = slot (t - d) % slots, zero before t = d.
    void step(const T* in, T* out, T* state, const StepContext& ctx) const override {
        const auto n = this->in_size;
        const auto now = ctx.t % m_slots;
        for (int b = 0; b < ctx.batch; ++b) {
            T* hist = state + b * m_slots * n;
            std::copy(in + b * n, in + (b + 1) * n, hist + now * n);
            for (std::int64_t j = 0; j < n; ++j) {
                const bool before_start = ctx.t < m_steps[j];
                const auto slot = ((ctx.t - m_steps[j]) % m_slots + m_slots) % m_slots;
                out[b * n + j] = before_start ? T(0) : hist[slot * n + j];
            }
        }
    }

private:
    std::vector<std::int64_t> m_steps;
    std::int64_t m_slots = 1;
};

} // namespace

template <typename T>
std::unique_ptr<Kernel<T>> make_elementwise_kernel(const Node& node, const BuildContext& ctx) {
    const auto n = shape_element_count(ctx.input_shape);
    const KernelFamily family = ctx.schema->kernel;
    if (family == KernelFamily::Reshape && shape_element_count(ctx.output_shape) != n)
        throw Error(fmt::format("node '{}' (Flatten): input {} and output {} differ in size",
                                ctx.node_name, shape_to_string(ctx.input_shape),
                                shape_to_string(ctx.output_shape)));
    if (family == KernelFamily::Reshape && ctx.profile->flatten_channels_last &&
        ctx.input_shape.size() >= 2) {
        if (ctx.output_shape.size() != 1)
            throw Error(fmt::format("node '{}' (Flatten): flatten_order channels_last needs the "
                                    "whole input {} flattened, not {}",
                                    ctx.node_name, shape_to_string(ctx.input_shape),
                                    shape_to_string(ctx.output_shape)));
        return std::make_unique<ChannelsLastFlattenKernel<T>>(n, ctx.input_shape[0]);
    }
    if (family == KernelFamily::Scale)
        return std::make_unique<ScaleKernel<T>>(node, ctx, n);
    if (family == KernelFamily::Threshold)
        return std::make_unique<ThresholdKernel<T>>(node, ctx, n);
    if (family == KernelFamily::Delay)
        return std::make_unique<DelayKernel<T>>(node, ctx, n);
    return std::make_unique<IdentityKernel<T>>(n);
}

template std::unique_ptr<Kernel<float>> make_elementwise_kernel<float>(const Node&,
                                                                       const BuildContext&);
template std::unique_ptr<Kernel<double>> make_elementwise_kernel<double>(const Node&,
                                                                         const BuildContext&);

} // namespace nirb::sim::detail
