// I, IF, LI, LIF, CubaLI and CubaLIF as one kernel: an optional synaptic current, a membrane
// with decay a, constant c = (1-a) v_leak and input gain g, and an optional threshold with the
// profile's timing, comparator, multiplicity, reset and clamp. docs/profiles.md has the
// formulas; the coefficients are computed once, in double, then converted to the compute type.
#include "kernel.hpp"
#include "neuron_coefficients.hpp"
#include "neuron_vector.hpp"

#include "nirb/error.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <cmath>
#include <optional>
#include <type_traits>

namespace nirb::sim::detail {
namespace {

/// Decay factor a and its complement 1 - a, computed without cancellation.
struct Decay {
    double a = 1.0;
    double one_minus_a = 0.0;
};

Decay decay_of(double dt, double tau, Integrator integrator) {
    const double k = dt / tau;
    if (integrator == Integrator::Euler)
        return {1.0 - k, k};
    return {std::exp(-k), -std::expm1(-k)};
}

double gain_of(InputGain form, const Decay& d) {
    switch (form) {
    case InputGain::Ode:
        return d.one_minus_a;
    case InputGain::One:
        return 1.0;
    case InputGain::Decay:
        return d.a;
    }
    return 1.0;
}

void integrator_coefficients(const Node& node, const BuildContext& ctx, std::int64_t n,
                             Coefficients& c) {
    const Profile& p = *ctx.profile;
    const auto r = field_values(node, "r", n, ctx);
    c.a_m.assign(n, 1.0);
    c.c_m.assign(n, 0.0);
    c.g_m.resize(n);
    for (std::int64_t j = 0; j < n; ++j) {
        const double rj = p.use_r ? r[j] : 1.0;
        c.g_m[j] = (p.input_gain.integrator == InputGain::Ode ? p.dt : 1.0) * rj;
    }
}

void leaky_coefficients(const Node& node, const BuildContext& ctx, std::int64_t n,
                        Coefficients& c) {
    const Profile& p = *ctx.profile;
    const NeuronFields& fields = ctx.schema->neuron;
    const auto tau = field_values(node, std::string(fields.membrane_tau), n, ctx);
    const auto r = field_values(node, "r", n, ctx);
    const auto v_leak = field_values(node, "v_leak", n, ctx);
    c.a_m.resize(n);
    c.c_m.resize(n);
    c.g_m.resize(n);
    for (std::int64_t j = 0; j < n; ++j) {
        if (!(tau[j] > 0))
            throw Error(fmt::format("node '{}' ({}): time constant {} must be > 0", ctx.node_name,
                                    node.type(), tau[j]));
        const Decay d = decay_of(p.dt, tau[j], p.integrator);
        c.a_m[j] = d.a;
        c.c_m[j] = d.one_minus_a * v_leak[j];
        c.g_m[j] = gain_of(p.input_gain.membrane, d) * (p.use_r ? r[j] : 1.0);
    }
    if (fields.synapse_tau.empty())
        return;
    const auto tau_syn = field_values(node, std::string(fields.synapse_tau), n, ctx);
    const auto w_in = field_values(node, "w_in", n, ctx);
    c.a_s.resize(n);
    c.g_s.resize(n);
    for (std::int64_t j = 0; j < n; ++j) {
        if (!(tau_syn[j] > 0))
            throw Error(fmt::format("node '{}' ({}): tau_syn {} must be > 0", ctx.node_name,
                                    node.type(), tau_syn[j]));
        const Decay d = decay_of(p.dt, tau_syn[j], p.integrator);
        c.a_s[j] = d.a;
        // "decay" is evaluated as a (I + w_in x) (one rounding, as the frameworks do), so g_s
        // holds w_in alone there.
        c.g_s[j] = p.input_gain.synapse == InputGain::Decay
                       ? w_in[j]
                       : gain_of(p.input_gain.synapse, d) * w_in[j];
    }
}

void threshold_coefficients(const Node& node, const BuildContext& ctx, std::int64_t n,
                            Coefficients& c) {
    const Profile& p = *ctx.profile;
    c.th = field_values(node, "v_threshold", n, ctx);
    c.v_reset = field_values(node, "v_reset", n, ctx);
    c.clamp.assign(n, -INFINITY);
    for (std::int64_t j = 0; j < n; ++j) {
        if (p.lower_clamp == LowerClamp::Value)
            c.clamp[j] = p.lower_clamp_value;
        else if (p.lower_clamp == LowerClamp::MinusThreshold)
            c.clamp[j] = -c.th[j];
        if (p.multiple_spikes && !(c.th[j] > 0))
            throw Error(fmt::format("node '{}': multiple spikes per step need v_threshold > 0",
                                    ctx.node_name));
    }
}

/// A field the record may not have (v_reset of LI), as zeros when it does not.
std::vector<double> values_or_zero(const Node& node, const char* field, const BuildContext& ctx,
                                   std::int64_t n) {
    if (!ctx.schema->field(field))
        return std::vector<double>(static_cast<std::size_t>(n), 0.0);
    return field_values(node, field, n, ctx);
}

void initial_values(const Node& node, const BuildContext& ctx, std::int64_t n, Coefficients& c) {
    switch (ctx.profile->initial_state) {
    case InitialState::Zero:
        c.v0.assign(n, 0.0);
        break;
    case InitialState::VLeak:
        // IF and I have no leak; they start at v_reset (IF) or 0 (I), as the reference IAF models
        // do.
        c.v0 = ctx.schema->neuron.membrane_tau.empty() ? values_or_zero(node, "v_reset", ctx, n)
                                                       : field_values(node, "v_leak", n, ctx);
        break;
    case InitialState::VReset:
        c.v0 = values_or_zero(node, "v_reset", ctx, n);
        break;
    }
}

} // namespace

std::vector<StateVar> neuron_state_vars(std::int64_t n, bool cuba, bool spiking) {
    std::vector<StateVar> vars{{"v", n}};
    if (cuba)
        vars.push_back({"i", n});
    if (spiking)
        vars.push_back({"v_pre", n});
    return vars;
}

Coefficients neuron_coefficients(const Node& node, const BuildContext& ctx) {
    const std::int64_t n = shape_element_count(ctx.input_shape);
    const PrimitiveSchema& record = *ctx.schema;
    Coefficients c;
    if (record.neuron.membrane_tau.empty())
        integrator_coefficients(node, ctx, n, c);
    else
        leaky_coefficients(node, ctx, n, c);
    if (record.is_spiking)
        threshold_coefficients(node, ctx, n, c);
    initial_values(node, ctx, n, c);
    return c;
}

namespace {

template <typename T>
class NeuronKernel final : public Kernel<T> {
public:
    NeuronKernel(const Node& node, const BuildContext& ctx)
        : m_profile(*ctx.profile), m_limit(spike_limit_of(ctx)) {
        const std::int64_t n = shape_element_count(ctx.input_shape);
        this->in_size = this->out_size = n;
        const PrimitiveSchema& record = *ctx.schema;
        m_cuba = !record.neuron.synapse_tau.empty();
        m_spiking = record.is_spiking;
        m_q = ctx.quant.state;
        const Coefficients c = neuron_coefficients(node, ctx);
        const Quantizer& w = ctx.quant.weight;
        m_a_m = to_compute<T>(c.a_m, w);
        m_c_m = to_compute<T>(c.c_m, w);
        m_g_m = to_compute<T>(c.g_m, w);
        m_a_s = to_compute<T>(c.a_s, w);
        m_g_s = to_compute<T>(c.g_s, w);
        m_th = to_compute<T>(c.th, w);
        m_v_reset = to_compute<T>(c.v_reset, ctx.quant.state);
        m_clamp = to_compute<T>(c.clamp, Quantizer());
        m_v0 = to_compute<T>(c.v0, ctx.quant.state);
        // Fixed point vectorises in double when the quantiser is the common one.
        if constexpr (std::is_same_v<T, double>)
            m_round = RoundSaturate::of(m_q);
        m_vectorised = m_spiking && (!m_q.enabled() || m_round);
    }

    std::vector<StateVar> state_vars() const override {
        return neuron_state_vars(this->in_size, m_cuba, m_spiking);
    }

    void init_state(T* state, int batch) const override {
        const auto n = this->in_size;
        for (int b = 0; b < batch; ++b)
            std::copy(m_v0.begin(), m_v0.end(), state + b * n);
        if (m_cuba)
            std::fill(state + batch * n, state + 2 * batch * n, T(0));
        if (m_spiking)
            for (int b = 0; b < batch; ++b)
                std::copy(m_v0.begin(), m_v0.end(), pre_block(state, batch) + b * n);
    }

    void step(const T* in, T* out, T* state, const StepContext& ctx) const override {
        const auto n = this->in_size;
        T* pre = m_spiking ? pre_block(state, ctx.batch) : nullptr;
        if (m_vectorised) {
            step_vectorised(in, out, state, pre, ctx.batch);
            return;
        }
        for (int b = 0; b < ctx.batch; ++b) {
            T* v = state + b * n;
            T* i = m_cuba ? state + (ctx.batch + b) * n : nullptr;
            step_sample(in + b * n, out + b * n, v, i, pre ? pre + b * n : nullptr);
        }
    }

private:
    /// The same computation as step_sample, one branch-free loop per sample (neuron_vector.hpp).
    void step_vectorised(const T* in, T* out, T* state, T* pre, int batch) const {
        const auto n = this->in_size;
        const NeuronArrays<T> k{m_a_m.data(),
                                m_c_m.data(),
                                m_g_m.data(),
                                m_th.data(),
                                m_v_reset.data(),
                                m_clamp.data(),
                                m_limit > 0 ? T(m_limit) : T(INFINITY),
                                m_round ? &*m_round : nullptr};
        const ThresholdMode mode{m_profile.spike_timing, m_profile.reset,
                                 m_profile.comparator == Comparator::GreaterEqual,
                                 m_profile.multiple_spikes};
        thread_local std::vector<T> drive; // grows once per thread
        if (m_cuba && drive.size() < static_cast<std::size_t>(n))
            drive.resize(static_cast<std::size_t>(n));
        for (int b = 0; b < batch; ++b) {
            const T* x = in + b * n;
            if (m_cuba) {
                const bool decay_form = m_profile.input_gain.synapse == InputGain::Decay;
                const bool new_current =
                    m_profile.synaptic_ordering == SynapticOrdering::NewCurrent;
                T* i = state + (batch + b) * n;
                if constexpr (std::is_same_v<T, double>)
                    synapse_update(n, x, i, m_a_s.data(), m_g_s.data(), decay_form, new_current,
                                   drive.data(), k.quantise);
                else
                    synapse_update(n, x, i, m_a_s.data(), m_g_s.data(), decay_form, new_current,
                                   drive.data());
                x = drive.data();
            }
            threshold_update(n, x, state + b * n, pre + b * n, out + b * n, k, mode);
        }
    }

    T* pre_block(T* state, int batch) const {
        return state + (m_cuba ? 2 : 1) * batch * this->in_size;
    }

    /// Number of spikes a membrane value v emits against threshold th.
    T spikes(T v, T th) const {
        const bool fire = m_profile.comparator == Comparator::Greater ? v > th : v >= th;
        if (!fire)
            return T(0);
        if (!m_profile.multiple_spikes)
            return T(1);
        const T z = std::max(T(1), std::floor(v / th));
        return m_limit > 0 ? std::min(z, T(m_limit)) : z;
    }

    T drive(const T* in, T* i, std::int64_t j) const {
        if (!m_cuba)
            return in[j];
        const T old = i[j];
        T now = m_profile.input_gain.synapse == InputGain::Decay
                    ? m_a_s[j] * (old + m_g_s[j] * in[j])
                    : m_a_s[j] * old + m_g_s[j] * in[j];
        if (m_q.enabled())
            now = static_cast<T>(m_q(now));
        i[j] = now;
        return m_profile.synaptic_ordering == SynapticOrdering::NewCurrent ? now : old;
    }

    void step_sample(const T* in, T* out, T* v, T* i, T* pre) const {
        const auto n = this->in_size;
        for (std::int64_t j = 0; j < n; ++j) {
            const T x = drive(in, i, j);
            const T decayed = m_a_m[j] * v[j] + m_c_m[j];
            if (!m_spiking) {
                v[j] = quantized(decayed + m_g_m[j] * x);
                out[j] = v[j];
                continue;
            }
            out[j] = m_profile.spike_timing == SpikeTiming::SameStep
                         ? same_step(v[j], pre[j], decayed, x, j)
                         : delayed_reset(v[j], pre[j], decayed, x, j);
            if (v[j] < m_clamp[j])
                v[j] = m_clamp[j];
        }
    }

    T quantized(T value) const { return m_q.enabled() ? static_cast<T>(m_q(value)) : value; }

    /// z(t) from v'(t), reset applied to v'(t) now.
    T same_step(T& v, T& pre, T decayed, T x, std::int64_t j) const {
        const T vp = quantized(decayed + m_g_m[j] * x);
        pre = vp;
        const T z = spikes(vp, m_th[j]);
        v = z == T(0) ? vp : reset_value(vp, z, j);
        return z;
    }

    T reset_value(T vp, T z, std::int64_t j) const {
        switch (m_profile.reset) {
        case ResetMode::Subtract:
        case ResetMode::SubtractBeforeDecay:
            return quantized(vp - z * m_th[j]);
        case ResetMode::None:
            return vp;
        case ResetMode::ToReset:
        case ResetMode::ZeroWithInput:
            return m_v_reset[j];
        }
        return vp;
    }

    /// The stored v(t-1) decides R; R resets this step's update (delayed-reset and previous-state
    /// profiles).
    T delayed_reset(T& v, T& pre, T decayed, T x, std::int64_t j) const {
        const T r = spikes(v, m_th[j]);
        const T old = v;
        T vp = decayed + m_g_m[j] * x;
        if (r != T(0)) {
            switch (m_profile.reset) {
            case ResetMode::Subtract:
                vp = decayed + m_g_m[j] * x - r * m_th[j];
                break;
            case ResetMode::SubtractBeforeDecay:
                vp = decayed + m_g_m[j] * x - m_a_m[j] * r * m_th[j];
                break;
            case ResetMode::None:
                break;
            case ResetMode::ToReset:
                vp = m_v_reset[j] + m_g_m[j] * x;
                break;
            case ResetMode::ZeroWithInput:
                vp = m_v_reset[j];
                break;
            }
        }
        v = quantized(vp);
        if (m_profile.spike_timing == SpikeTiming::PreviousState) {
            pre = old;
            return r;
        }
        pre = v;
        const T z = spikes(v, m_th[j]);
        if (m_profile.spike_timing == SpikeTiming::SameStepResetCorrection)
            undo_pending(v, z - r, j);
        return z;
    }

    /// Same-step spike with the reset as a correction: `do_reset = S - R` applied to the new
    /// membrane.
    void undo_pending(T& v, T do_reset, std::int64_t j) const {
        if (m_profile.reset == ResetMode::Subtract ||
            m_profile.reset == ResetMode::SubtractBeforeDecay)
            v = quantized(v - do_reset * m_th[j]);
        else if (m_profile.reset != ResetMode::None)
            v = quantized(v - do_reset * v);
    }

    const Profile m_profile;
    const int m_limit; ///< most spikes per step (0: no cap)
    bool m_cuba = false;
    bool m_spiking = false;
    bool m_vectorised = false; ///< spiking, unquantised or m_round: step_vectorised
    Quantizer m_q;
    std::optional<RoundSaturate> m_round; ///< m_q inlinable (double only)
    std::vector<T> m_a_m, m_c_m, m_g_m, m_a_s, m_g_s, m_th, m_v_reset, m_clamp, m_v0;
};

} // namespace

template <typename T>
std::unique_ptr<Kernel<T>> make_neuron_kernel(const Node& node, const BuildContext& ctx) {
    if (ctx.profile->integer_neuron.decay == NeuronDecay::MultiplyShift)
        return make_integer_neuron_kernel<T>(node, ctx);
    if (ctx.profile->integrator == Integrator::Bitshift)
        return make_bitshift_neuron_kernel<T>(node, ctx);
    return std::make_unique<NeuronKernel<T>>(node, ctx);
}

template std::unique_ptr<Kernel<float>> make_neuron_kernel<float>(const Node&, const BuildContext&);
template std::unique_ptr<Kernel<double>> make_neuron_kernel<double>(const Node&,
                                                                    const BuildContext&);

} // namespace nirb::sim::detail
