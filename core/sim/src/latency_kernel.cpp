// Weight latency (profile key weight_latency = L): a weight layer's result reaches its
// targets L steps after its input arrived, as on chips whose synapse stage hands its
// accumulation to the neurons one step later. The wrapped kernel computes as usual; its
// results wait in a ring of L slots held in the lane state, so lanes stay independent.
#include "latency_kernel.hpp"

#include <algorithm>
#include <utility>

namespace nirb::sim::detail {
namespace {

template <typename T>
class LatencyKernel final : public Kernel<T> {
public:
    LatencyKernel(std::unique_ptr<Kernel<T>> inner, int latency)
        : m_inner(std::move(inner)), m_latency(latency), m_inner_state(state_per_sample(*m_inner)) {
        this->in_size = m_inner->in_size;
        this->out_size = m_inner->out_size;
    }

    std::vector<StateVar> state_vars() const override {
        auto vars = m_inner->state_vars();
        vars.push_back({"pending", this->out_size * m_latency});
        return vars;
    }

    void init_state(T* state, int batch) const override {
        m_inner->init_state(state, batch);
        std::fill(pending(state, batch), pending(state, batch) + batch * pending_size(), T(0));
    }

    void step(const T* in, T* out, T* state, const StepContext& ctx) const override {
        m_inner->step(in, out, state, ctx); // this step's result, to be delivered later
        const auto slot = static_cast<std::int64_t>(ctx.t % m_latency) * this->out_size;
        T* ring = pending(state, ctx.batch);
        for (int b = 0; b < ctx.batch; ++b)
            for (std::int64_t j = 0; j < this->out_size; ++j)
                std::swap(out[b * this->out_size + j], ring[b * pending_size() + slot + j]);
    }

    double dense_ops_per_sample() const override { return m_inner->dense_ops_per_sample(); }

private:
    std::int64_t pending_size() const { return this->out_size * m_latency; }
    T* pending(T* state, int batch) const { return state + batch * m_inner_state; }

    std::unique_ptr<Kernel<T>> m_inner;
    int m_latency;
    std::int64_t m_inner_state; ///< state values per sample of the wrapped kernel
};

} // namespace

template <typename T>
std::unique_ptr<Kernel<T>> with_weight_latency(std::unique_ptr<Kernel<T>> kernel, int latency) {
    if (latency <= 0)
        return kernel;
    return std::make_unique<LatencyKernel<T>>(std::move(kernel), latency);
}

template std::unique_ptr<Kernel<float>> with_weight_latency(std::unique_ptr<Kernel<float>>, int);
template std::unique_ptr<Kernel<double>> with_weight_latency(std::unique_ptr<Kernel<double>>, int);

} // namespace nirb::sim::detail
