// Integer neurons whose leak is an arithmetic right shift (`integrator: bitshift`), the update
// of chips that decay a state x by x >> d instead of multiplying it. Everything is done on the
// integer codes of the fixed-point state format, with the profile's overflow after every add.
// Per step and neuron (docs/profiles.md, "integrator: bitshift"):
//   i  <- S(i + w_in x)                    (CubaLI, CubaLIF: the input is added to the current,
//   i  <- i - dec(i, d_syn)                 then the current decays: input gain "decay")
//   dv <- S(r i - dec(v, d_mem))           (LI, LIF: r x in place of r i; I, IF: no decay;
//                                           leak_negation wraps: -dec(v) = 2^n becomes -2^n)
//   dv <- S(dv + b)                        b = v_leak 2^-d_mem, the leak's constant
//   v  <- S(v + dv)
//   n  <- spikes (comparator, multiplicity, spike_limit), then the reset
// with d = round(log2(tau / dt)) per neuron and dec(x, d) = x >> d (floor), except that a
// non-zero x always loses at least one unit (dec = sign(x) where the shift gives 0), so a
// state never stalls above zero.
// With arithmetic `accumulate: per_event` (CubaLI, CubaLIF fed only by Linear nodes) the first
// line is instead, per source (forward first) and channel c in order with count x_c > 0:
//   i  <- S(i + x_c w_c)                   (one saturation per channel, as a chip simulator
//                                           that saturates each spike's add does; x_c adds of
//                                           the same sign saturate like one add of x_c w_c;
//                                           the vendor source is cited in the target's page)
#include "kernel.hpp"
#include "neuron_coefficients.hpp"
#include "round_saturate.hpp"
#include "simd.hpp"

#include "nirb/error.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <cmath>
#include <optional>
#include <type_traits>

namespace nirb::sim::detail {
namespace {

/// The shift d of a time constant: round(log2(tau / dt)), which must be >= 0.
double shift_of(double tau, double dt, const BuildContext& ctx, const char* field) {
    if (!(tau > 0))
        throw Error(fmt::format("node '{}': {} {} must be > 0", ctx.node_name, field, tau));
    const double d = std::nearbyint(std::log2(tau / dt));
    if (d < 0)
        throw Error(fmt::format("node '{}': {} = {} is shorter than dt = {}: integrator bitshift "
                                "needs tau >= dt",
                                ctx.node_name, field, tau, dt));
    return d;
}

std::vector<double> shifts(const Node& node, std::string_view field, std::int64_t n,
                           const BuildContext& ctx) {
    std::vector<double> out;
    for (double tau : field_values(node, std::string(field), n, ctx))
        out.push_back(shift_of(tau, ctx.profile->dt, ctx, field.data()));
    return out;
}

/// Per-neuron constants of the update, for the vectorised loop (double arithmetic, the common
/// quantiser: RoundSaturate).
struct BitshiftArrays {
    const double* w_in = nullptr;       ///< CubaLI(F) only
    const double* syn_factor = nullptr; ///< 2^-d_syn (CubaLI(F) only)
    const double* mem_factor = nullptr; ///< 2^-d_mem (leaky only)
    const double* r = nullptr;
    const double* bias = nullptr;
    const double* threshold = nullptr; ///< spiking only
    const double* v_reset = nullptr;   ///< spiking only
    double limit = INFINITY;           ///< most spikes per step
    double lsb = 1.0;
    double wrap_leak_above = INFINITY; ///< leak_negation wraps: the largest state value
    double wrapped_leak = 0.0;         ///< ... and what a larger -dec(v) wraps to
    bool greater_equal = false, subtract = false, to_value = false;
};

/// dec(x, d) of BitshiftNeuronKernel without branches; factor = 2^-d, so code * factor is
/// ldexp(code, -d) exactly, and x * scale is x / lsb exactly (lsb = 1 / scale, powers of two;
/// a multiply instead of a vector division). The floor is 0 with a non-zero code only for
/// 0 < code < 2^d (a negative code floors to -1 or below), hence the one-sided max.
[[gnu::always_inline]] inline double decrement(double x, double factor, double scale, double lsb) {
    const double code = x * scale;
    const double k = std::floor(code * factor);
    return (code > 0.0 ? std::max(k, 1.0) : k) * lsb;
}

/// BitshiftNeuronKernel::update for n neurons, one branch-free loop (same operations in the
/// same order; quantising a quantised value returns it, so quantising unconditionally where
/// the scalar path quantises one branch changes nothing).
template <bool Cuba, bool Leaky, bool Spiking, bool Multiple>
[[gnu::always_inline]] inline void bitshift_loop(std::int64_t n, const double* __restrict x,
                                                 double* __restrict v, double* __restrict i,
                                                 double* __restrict pre, double* __restrict out,
                                                 const BitshiftArrays& k, const RoundSaturate q) {
    // Invariant switches as arithmetic (GCC does not if-convert selects between masks here).
    const double ge = k.greater_equal ? 1.0 : 0.0;
    const double subtract = k.subtract ? 1.0 : 0.0;
    const double keep = k.subtract || k.to_value ? 0.0 : 1.0;
    // Invariants read once: a member read under a select would be a conditional load, which
    // GCC will not if-convert (the loop would stay scalar).
    const double wrap_leak_above = k.wrap_leak_above, wrapped_leak = k.wrapped_leak;
    for (std::int64_t j = 0; j < n; ++j) {
        double drive = x[j];
        if constexpr (Cuba) {
            double cur = q(i[j] + k.w_in[j] * drive);
            cur -= decrement(cur, k.syn_factor[j], q.scale, k.lsb);
            i[j] = cur;
            drive = cur;
        }
        double vv = v[j];
        double leak = Leaky ? -decrement(vv, k.mem_factor[j], q.scale, k.lsb) : -0.0;
        leak = leak > wrap_leak_above ? wrapped_leak : leak;
        double dv = k.r[j] * drive + leak;
        dv = q(dv);
        dv = k.bias[j] != 0.0 ? q(dv + k.bias[j]) : dv; // the scalar path keeps a -0 dv
        vv = q(vv + dv);
        if constexpr (!Spiking) {
            v[j] = vv;
            out[j] = vv;
        } else {
            pre[j] = vv;
            const double th = k.threshold[j];
            const bool fire = (vv > th) | ((ge != 0.0) & (vv == th));
            double z = 1.0;
            if constexpr (Multiple)
                z = std::min(std::max(1.0, std::floor(vv / th)), k.limit);
            z = fire ? z : 0.0;
            const double subtracted = q(vv - z * th);
            const double v_reset = k.v_reset[j]; // loaded on every path: a select, not a branch
            double reset = subtract != 0.0 ? subtracted : v_reset;
            reset = keep != 0.0 ? vv : reset;
            v[j] = z > 0.0 ? reset : vv;
            out[j] = z;
        }
    }
}

template <bool Cuba, bool Leaky, bool Spiking>
[[gnu::always_inline]] inline void
bitshift_by_multiple(std::int64_t n, const double* x, double* v, double* i, double* pre,
                     double* out, const BitshiftArrays& k, const RoundSaturate& q, bool multiple) {
    if (multiple)
        bitshift_loop<Cuba, Leaky, Spiking, true>(n, x, v, i, pre, out, k, q);
    else
        bitshift_loop<Cuba, Leaky, Spiking, false>(n, x, v, i, pre, out, k, q);
}

template <bool Cuba>
[[gnu::always_inline]] inline void bitshift_by_kind(std::int64_t n, const double* x, double* v,
                                                    double* i, double* pre, double* out,
                                                    const BitshiftArrays& k, const RoundSaturate& q,
                                                    bool leaky, bool spiking, bool multiple) {
    if (leaky && spiking)
        bitshift_by_multiple<Cuba, true, true>(n, x, v, i, pre, out, k, q, multiple);
    else if (leaky)
        bitshift_by_multiple<Cuba, true, false>(n, x, v, i, pre, out, k, q, multiple);
    else if (spiking)
        bitshift_by_multiple<Cuba, false, true>(n, x, v, i, pre, out, k, q, multiple);
    else
        bitshift_by_multiple<Cuba, false, false>(n, x, v, i, pre, out, k, q, multiple);
}

/// One step of n bitshift neurons (pointers the kernel's state blocks; i, pre may be null
/// where the neuron has no current or no threshold).
NIRB_SIMD_CLONES void bitshift_update(std::int64_t n, const double* x, double* v, double* i,
                                      double* pre, double* out, const BitshiftArrays& k,
                                      const RoundSaturate& q, bool cuba, bool leaky, bool spiking,
                                      bool multiple) {
    if (cuba)
        bitshift_by_kind<true>(n, x, v, i, pre, out, k, q, leaky, spiking, multiple);
    else
        bitshift_by_kind<false>(n, x, v, i, pre, out, k, q, leaky, spiking, multiple);
}

/// accumulate per_event: one channel's weighted events added to n currents, then quantised.
NIRB_SIMD_CLONES void add_events(std::int64_t n, double* __restrict current,
                                 const double* __restrict column, double count,
                                 const RoundSaturate q) {
    for (std::int64_t j = 0; j < n; ++j)
        current[j] = q(current[j] + count * column[j]);
}

template <typename T>
class BitshiftNeuronKernel final : public Kernel<T> {
public:
    BitshiftNeuronKernel(const Node& node, const BuildContext& ctx)
        : m_profile(*ctx.profile), m_q(ctx.quant.state), m_limit(spike_limit_of(ctx)) {
        const Profile& p = m_profile;
        if (p.arithmetic.kind != NumberKind::Fixed)
            throw Error(fmt::format("node '{}': integrator bitshift needs arithmetic type fixed "
                                    "(it works on the integer codes of the state format)",
                                    ctx.node_name));
        const std::int64_t n = shape_element_count(ctx.input_shape);
        this->in_size = this->out_size = n;
        const PrimitiveSchema& record = *ctx.schema;
        m_cuba = !record.neuron.synapse_tau.empty();
        m_leaky = !record.neuron.membrane_tau.empty();
        m_spiking = record.is_spiking;
        if (p.arithmetic.leak_negation_wraps)
            m_wrap_leak_above = m_q.max_value();
        m_lsb = m_q.lsb();
        const auto r = field_values(node, "r", n, ctx);
        m_r.resize(n);
        for (std::int64_t j = 0; j < n; ++j)
            m_r[j] = p.use_r ? r[j] : 1.0;
        m_bias.assign(n, 0.0);
        if (m_leaky) {
            m_d_m = shifts(node, record.neuron.membrane_tau, n, ctx);
            const auto v_leak = field_values(node, "v_leak", n, ctx);
            for (std::int64_t j = 0; j < n; ++j)
                m_bias[j] = m_q(std::ldexp(v_leak[j], -static_cast<int>(m_d_m[j])));
        }
        if (m_cuba) {
            m_d_s = shifts(node, record.neuron.synapse_tau, n, ctx);
            m_w_in = field_values(node, "w_in", n, ctx);
            take_event_weights(ctx);
        }
        if (m_spiking) {
            m_th = field_values(node, "v_threshold", n, ctx);
            m_v_reset = field_values(node, "v_reset", n, ctx);
            for (std::int64_t j = 0; j < n; ++j) {
                m_th[j] = m_q(m_th[j]);
                m_v_reset[j] = m_q(m_v_reset[j]);
                if (p.multiple_spikes && !(m_th[j] > 0))
                    throw Error(fmt::format("node '{}': multiple spikes per step need "
                                            "v_threshold > 0",
                                            ctx.node_name));
            }
        }
        if constexpr (std::is_same_v<T, double>)
            m_round = RoundSaturate::of(m_q);
        const auto factors = [](const std::vector<double>& shift) {
            std::vector<double> out;
            for (double d : shift)
                out.push_back(std::ldexp(1.0, -static_cast<int>(d)));
            return out;
        };
        m_syn_factor = factors(m_d_s);
        m_mem_factor = factors(m_d_m);
    }

    std::vector<StateVar> state_vars() const override {
        return neuron_state_vars(this->in_size, m_cuba, m_spiking);
    }

    void init_state(T* state, int batch) const override {
        const auto blocks = 1 + (m_cuba ? 1 : 0) + (m_spiking ? 1 : 0);
        std::fill(state, state + blocks * batch * this->in_size, T(0));
    }

    bool accumulates_events() const override { return !m_events.empty(); }

    void step_events(const std::vector<const T*>& counts, T* out, T* state,
                     const StepContext& ctx) const override {
        const auto n = this->in_size;
        for (int b = 0; b < ctx.batch; ++b) {
            T* i = state + (ctx.batch + b) * n;
            for (std::size_t k = 0; k < m_events.size(); ++k) {
                const EventWeights& w = m_events[k];
                const T* x = counts[k] + b * w.columns;
                for (std::int64_t c = 0; c < w.columns; ++c) {
                    if (x[c] == T(0))
                        continue;
                    const double* column = w.values.data() + c * n;
                    const double count = x[c];
                    if constexpr (std::is_same_v<T, double>) {
                        if (m_round) {
                            add_events(n, i, column, count, *m_round);
                            continue;
                        }
                    }
                    if (m_integer_saturate && count == std::floor(count)) {
                        // Integer states, weights and counts: the quantiser only clamps.
                        for (std::int64_t j = 0; j < n; ++j)
                            i[j] = static_cast<T>(
                                std::clamp(i[j] + count * column[j], m_state_min, m_state_max));
                    } else {
                        for (std::int64_t j = 0; j < n; ++j)
                            i[j] = static_cast<T>(m_q(i[j] + count * column[j]));
                    }
                }
            }
        }
        // The events are in the synaptic currents; the update then adds a zero input.
        thread_local std::vector<T> zeros; // grows once per thread, stays zero
        if (zeros.size() < static_cast<std::size_t>(n * ctx.batch))
            zeros.resize(static_cast<std::size_t>(n * ctx.batch), T(0));
        step(zeros.data(), out, state, ctx);
    }

    void step(const T* in, T* out, T* state, const StepContext& ctx) const override {
        const auto n = this->in_size;
        if constexpr (std::is_same_v<T, double>) {
            if (m_round) {
                step_vectorised(in, out, state, ctx.batch);
                return;
            }
        }
        for (int b = 0; b < ctx.batch; ++b) {
            T* v = state + b * n;
            T* i = m_cuba ? state + (ctx.batch + b) * n : nullptr;
            T* pre = m_spiking ? state + ((m_cuba ? 2 : 1) * ctx.batch + b) * n : nullptr;
            for (std::int64_t j = 0; j < n; ++j)
                out[b * n + j] =
                    update(in[b * n + j], v[j], i ? &i[j] : nullptr, pre ? &pre[j] : nullptr, j);
        }
    }

private:
    /// step with the branch-free loop of bitshift_update (double, m_round).
    void step_vectorised(const double* in, double* out, double* state, int batch) const {
        const auto n = this->in_size;
        const BitshiftArrays k{m_w_in.data(),
                               m_syn_factor.data(),
                               m_mem_factor.data(),
                               m_r.data(),
                               m_bias.data(),
                               m_th.data(),
                               m_v_reset.data(),
                               m_limit > 0 ? double(m_limit) : INFINITY,
                               m_lsb,
                               m_wrap_leak_above,
                               m_q.min_value(),
                               m_profile.comparator == Comparator::GreaterEqual,
                               m_profile.reset == ResetMode::Subtract,
                               m_profile.reset != ResetMode::None &&
                                   m_profile.reset != ResetMode::Subtract};
        for (int b = 0; b < batch; ++b) {
            double* i = m_cuba ? state + (batch + b) * n : nullptr;
            double* pre = m_spiking ? state + ((m_cuba ? 2 : 1) * batch + b) * n : nullptr;
            bitshift_update(n, in + b * n, state + b * n, i, pre, out + b * n, k, *m_round, m_cuba,
                            m_leaky, m_spiking, m_profile.multiple_spikes);
        }
    }

    /// One Linear source's weights, column-major (column c: the weights of channel c).
    struct EventWeights {
        std::int64_t columns = 0;
        std::vector<double> values;
    };

    /// accumulate per_event: keep the sources' weights (w_in must be 1: the events are added
    /// to the current as they come, unscaled).
    void take_event_weights(const BuildContext& ctx) {
        const auto n = this->in_size;
        for (const Tensor* t : ctx.event_weights) {
            const auto& shape = t->shape();
            if (shape.size() != 2 || shape[0] != n)
                throw Error(fmt::format("node '{}': accumulate per_event needs 2-D Linear "
                                        "sources with {} rows, one has shape {}",
                                        ctx.node_name, n, shape_to_string(shape)));
            const auto w = t->to_doubles();
            EventWeights e{shape[1], std::vector<double>(w.size())};
            for (std::int64_t r = 0; r < n; ++r)
                for (std::int64_t c = 0; c < e.columns; ++c)
                    e.values[c * n + r] = ctx.quant.weight(w[r * e.columns + c]);
            m_events.push_back(std::move(e));
        }
        if (!m_events.empty() &&
            std::any_of(m_w_in.begin(), m_w_in.end(), [](double w) { return w != 1.0; }))
            throw Error(
                fmt::format("node '{}': accumulate per_event needs w_in = 1", ctx.node_name));
        const Arithmetic& a = ctx.profile->arithmetic;
        m_integer_saturate = a.state.fraction_bits == 0 &&
                             a.weight.value_or(a.state).fraction_bits == 0 &&
                             a.overflow == Overflow::Saturate;
        m_state_max = std::ldexp(1.0, a.state.integer_bits) - 1;
        m_state_min = -std::ldexp(1.0, a.state.integer_bits);
    }

    /// dec(x, d) on the integer code of x: floor(x / 2^d), at least one unit toward 0.
    double dec(double x, double d) const {
        const double code = x / m_lsb;
        double k = std::floor(std::ldexp(code, -static_cast<int>(d)));
        if (k == 0 && code != 0)
            k = code > 0 ? 1 : -1;
        return k * m_lsb;
    }

    T update(T x, T& v_state, T* i_state, T* pre, std::int64_t j) const {
        double drive = x;
        if (m_cuba) {
            double i = m_q(static_cast<double>(*i_state) + m_w_in[j] * drive);
            i -= dec(i, m_d_s[j]);
            *i_state = static_cast<T>(i);
            drive = i;
        }
        double v = v_state;
        // r i - dec(v) as r i + (-dec(v)): the same value, with the negation where a chip
        // register may wrap it (leak_negation).
        double leak = m_leaky ? -dec(v, m_d_m[j]) : -0.0;
        if (leak > m_wrap_leak_above)
            leak = m_q.min_value();
        double dv = m_r[j] * drive + leak;
        dv = m_q(dv);
        if (m_bias[j] != 0)
            dv = m_q(dv + m_bias[j]);
        v = m_q(v + dv);
        if (!m_spiking) {
            v_state = static_cast<T>(v);
            return v_state;
        }
        *pre = static_cast<T>(v);
        const double z = spikes(v, j);
        if (z > 0) {
            if (m_profile.reset == ResetMode::Subtract)
                v = m_q(v - z * m_th[j]);
            else if (m_profile.reset != ResetMode::None)
                v = m_v_reset[j];
        }
        v_state = static_cast<T>(v);
        return static_cast<T>(z);
    }

    double spikes(double v, std::int64_t j) const {
        const bool fire = m_profile.comparator == Comparator::Greater ? v > m_th[j] : v >= m_th[j];
        if (!fire)
            return 0;
        if (!m_profile.multiple_spikes)
            return 1;
        const double z = std::max(1.0, std::floor(v / m_th[j]));
        return m_limit > 0 ? std::min(z, static_cast<double>(m_limit)) : z;
    }

    const Profile m_profile;
    Quantizer m_q;
    const int m_limit;
    double m_lsb = 1.0;
    bool m_cuba = false, m_leaky = false, m_spiking = false;
    std::vector<double> m_r, m_bias, m_d_m, m_d_s, m_w_in, m_th, m_v_reset;
    std::vector<EventWeights> m_events;
    bool m_integer_saturate = false;      ///< per_event adds of integers need only a clamp
    std::optional<RoundSaturate> m_round; ///< m_q inlinable (double): the vectorised loops
    /// leak_negation wraps: -dec(v) above the largest state value wraps to the smallest.
    double m_wrap_leak_above = INFINITY;
    std::vector<double> m_syn_factor, m_mem_factor; ///< 2^-d per neuron
    double m_state_min = 0, m_state_max = 0;
};

} // namespace

template <typename T>
std::unique_ptr<Kernel<T>> make_bitshift_neuron_kernel(const Node& node, const BuildContext& ctx) {
    return std::make_unique<BitshiftNeuronKernel<T>>(node, ctx);
}

template std::unique_ptr<Kernel<float>> make_bitshift_neuron_kernel<float>(const Node&,
                                                                           const BuildContext&);
template std::unique_ptr<Kernel<double>> make_bitshift_neuron_kernel<double>(const Node&,
                                                                             const BuildContext&);

} // namespace nirb::sim::detail
