// Branch-free neuron loops (neuron_vector.hpp). Each spike timing x reset x multiplicity is
// its own loop, chosen once per call; inside, every select is computed on both sides so that
// GCC if-converts and vectorises it. Results equal NeuronKernel's scalar path bit for bit:
// same operations in the same order, no contraction (-ffp-contract=off). Quantised loops apply
// the quantiser unconditionally where the scalar path applies it to the selected value only;
// that is the same, because quantising a quantised value returns it.
#include "neuron_vector.hpp"

#include "simd.hpp"

#include <algorithm>
#include <cmath>
#include <type_traits>

namespace nirb::sim::detail {
namespace {

/// value quantised (fixed point, double only) or unchanged (float arithmetic).
template <bool Quantised, typename T>
[[gnu::always_inline]] inline T quantised(const RoundSaturate& quantiser, T value) {
    if constexpr (Quantised)
        return quantiser(value);
    else
        return value;
}

/// NeuronKernel::spikes without branches.
template <typename T, bool Multiple>
[[gnu::always_inline]] inline T spike_count(T v, T th, bool greater_equal, T limit) {
    // (not `greater_equal ? v >= th : v > th`: GCC does not vectorise a select between masks
    // next to the quantiser's selects; both forms agree, NaN included)
    const bool fire = (v > th) | (greater_equal & (v == th));
    T z = T(1);
    if constexpr (Multiple)
        z = std::min(std::max(T(1), std::floor(v / th)), limit);
    return fire ? z : T(0);
}

/// One update of n neurons. same_step: z from v', v' reset now (NeuronKernel::same_step; Reset
/// is Subtract, None or ToReset there). The other timings: R from the stored v(t-1) resets
/// this step's update (NeuronKernel::delayed_reset and undo_pending).
template <typename T, bool Multiple, ResetMode Reset, SpikeTiming Timing, bool Quantised>
[[gnu::always_inline]] inline void
update_loop(std::int64_t n, const T* __restrict x, T* __restrict v, T* __restrict pre,
            T* __restrict out, const NeuronArrays<T>& k, bool ge) {
    const RoundSaturate quantiser = Quantised ? *k.quantise : RoundSaturate{};
    const auto q = [&quantiser](T value)
                       [[gnu::always_inline]] { return quantised<Quantised>(quantiser, value); };
    const T* __restrict a = k.a;
    const T* __restrict c = k.c;
    const T* __restrict g = k.g;
    const T* __restrict th = k.threshold;
    const T* __restrict v_reset = k.v_reset;
    const T* __restrict clamp = k.clamp;
    for (std::int64_t j = 0; j < n; ++j) {
        const T old = v[j];
        const T decayed = a[j] * old + c[j];
        T next, spikes;
        if constexpr (Timing == SpikeTiming::SameStep) {
            const T vp = q(decayed + g[j] * x[j]);
            pre[j] = vp;
            spikes = spike_count<T, Multiple>(vp, th[j], ge, k.limit);
            T reset = vp; // ResetMode::None
            if constexpr (Reset == ResetMode::Subtract)
                reset = q(vp - spikes * th[j]);
            else if constexpr (Reset == ResetMode::ToReset)
                reset = v_reset[j];
            next = spikes == T(0) ? vp : reset;
        } else {
            const T gx = g[j] * x[j];
            const T r = spike_count<T, Multiple>(old, th[j], ge, k.limit);
            const T plain = decayed + gx;
            T reset = plain; // ResetMode::None
            if constexpr (Reset == ResetMode::Subtract)
                reset = decayed + gx - r * th[j];
            else if constexpr (Reset == ResetMode::SubtractBeforeDecay)
                reset = decayed + gx - a[j] * r * th[j];
            else if constexpr (Reset == ResetMode::ToReset)
                reset = v_reset[j] + gx;
            else if constexpr (Reset == ResetMode::ZeroWithInput)
                reset = v_reset[j];
            next = q(r != T(0) ? reset : plain);
            spikes = r;
            if constexpr (Timing == SpikeTiming::PreviousState) {
                pre[j] = old;
            } else {
                pre[j] = next;
                spikes = spike_count<T, Multiple>(next, th[j], ge, k.limit);
                if constexpr (Timing == SpikeTiming::SameStepResetCorrection) {
                    const T pending = spikes - r;
                    if constexpr (Reset == ResetMode::Subtract ||
                                  Reset == ResetMode::SubtractBeforeDecay)
                        next = q(next - pending * th[j]);
                    else if constexpr (Reset != ResetMode::None)
                        next = q(next - pending * next);
                }
            }
        }
        v[j] = next < clamp[j] ? clamp[j] : next;
        out[j] = spikes;
    }
}

template <typename T, bool Multiple, ResetMode Reset, bool Q>
[[gnu::always_inline]] inline void by_timing(std::int64_t n, const T* x, T* v, T* pre, T* out,
                                             const NeuronArrays<T>& k, ThresholdMode mode) {
    const bool ge = mode.greater_equal;
    switch (mode.timing) {
    case SpikeTiming::SameStep:
        // Same step: subtract_before_decay is subtract, zero_with_input is to_v_reset.
        if constexpr (Reset == ResetMode::Subtract || Reset == ResetMode::None ||
                      Reset == ResetMode::ToReset)
            update_loop<T, Multiple, Reset, SpikeTiming::SameStep, Q>(n, x, v, pre, out, k, ge);
        else if constexpr (Reset == ResetMode::SubtractBeforeDecay)
            update_loop<T, Multiple, ResetMode::Subtract, SpikeTiming::SameStep, Q>(n, x, v, pre,
                                                                                    out, k, ge);
        else
            update_loop<T, Multiple, ResetMode::ToReset, SpikeTiming::SameStep, Q>(n, x, v, pre,
                                                                                   out, k, ge);
        return;
    case SpikeTiming::ResetNextStep:
        return update_loop<T, Multiple, Reset, SpikeTiming::ResetNextStep, Q>(n, x, v, pre, out, k,
                                                                              ge);
    case SpikeTiming::PreviousState:
        return update_loop<T, Multiple, Reset, SpikeTiming::PreviousState, Q>(n, x, v, pre, out, k,
                                                                              ge);
    case SpikeTiming::SameStepResetCorrection:
        return update_loop<T, Multiple, Reset, SpikeTiming::SameStepResetCorrection, Q>(
            n, x, v, pre, out, k, ge);
    }
}

template <typename T, bool Multiple, bool Q>
[[gnu::always_inline]] inline void by_reset(std::int64_t n, const T* x, T* v, T* pre, T* out,
                                            const NeuronArrays<T>& k, ThresholdMode mode) {
    switch (mode.reset) {
    case ResetMode::ToReset:
        return by_timing<T, Multiple, ResetMode::ToReset, Q>(n, x, v, pre, out, k, mode);
    case ResetMode::Subtract:
        return by_timing<T, Multiple, ResetMode::Subtract, Q>(n, x, v, pre, out, k, mode);
    case ResetMode::None:
        return by_timing<T, Multiple, ResetMode::None, Q>(n, x, v, pre, out, k, mode);
    case ResetMode::ZeroWithInput:
        return by_timing<T, Multiple, ResetMode::ZeroWithInput, Q>(n, x, v, pre, out, k, mode);
    case ResetMode::SubtractBeforeDecay:
        return by_timing<T, Multiple, ResetMode::SubtractBeforeDecay, Q>(n, x, v, pre, out, k,
                                                                         mode);
    }
}

template <typename T>
[[gnu::always_inline]] inline void threshold_any(std::int64_t n, const T* x, T* v, T* pre, T* out,
                                                 const NeuronArrays<T>& k, ThresholdMode mode) {
    if constexpr (std::is_same_v<T, double>) {
        if (k.quantise) {
            if (mode.multiple)
                by_reset<T, true, true>(n, x, v, pre, out, k, mode);
            else
                by_reset<T, false, true>(n, x, v, pre, out, k, mode);
            return;
        }
    }
    if (mode.multiple)
        by_reset<T, true, false>(n, x, v, pre, out, k, mode);
    else
        by_reset<T, false, false>(n, x, v, pre, out, k, mode);
}

template <typename T, bool Quantised = false>
[[gnu::always_inline]] inline void
synapse_any(std::int64_t n, const T* __restrict x, T* __restrict i, const T* __restrict a_s,
            const T* __restrict g_s, bool decay_form, bool new_current, T* __restrict drive,
            const RoundSaturate& quantiser = {}) {
    const auto q = [&quantiser](T value)
                       [[gnu::always_inline]] { return quantised<Quantised>(quantiser, value); };
    if (decay_form) {
        for (std::int64_t j = 0; j < n; ++j) {
            const T old = i[j];
            const T now = q(a_s[j] * (old + g_s[j] * x[j]));
            i[j] = now;
            drive[j] = new_current ? now : old;
        }
        return;
    }
    for (std::int64_t j = 0; j < n; ++j) {
        const T old = i[j];
        const T now = q(a_s[j] * old + g_s[j] * x[j]);
        i[j] = now;
        drive[j] = new_current ? now : old;
    }
}

} // namespace

NIRB_SIMD_CLONES void threshold_update(std::int64_t n, const float* x, float* v, float* pre,
                                       float* out, const NeuronArrays<float>& k,
                                       ThresholdMode mode) {
    threshold_any(n, x, v, pre, out, k, mode);
}

NIRB_SIMD_CLONES void threshold_update(std::int64_t n, const double* x, double* v, double* pre,
                                       double* out, const NeuronArrays<double>& k,
                                       ThresholdMode mode) {
    threshold_any(n, x, v, pre, out, k, mode);
}

NIRB_SIMD_CLONES void synapse_update(std::int64_t n, const float* x, float* i, const float* a_s,
                                     const float* g_s, bool decay_form, bool new_current,
                                     float* drive) {
    synapse_any(n, x, i, a_s, g_s, decay_form, new_current, drive);
}

NIRB_SIMD_CLONES void synapse_update(std::int64_t n, const double* x, double* i, const double* a_s,
                                     const double* g_s, bool decay_form, bool new_current,
                                     double* drive, const RoundSaturate* quantise) {
    if (quantise)
        synapse_any<double, true>(n, x, i, a_s, g_s, decay_form, new_current, drive, *quantise);
    else
        synapse_any(n, x, i, a_s, g_s, decay_form, new_current, drive);
}

} // namespace nirb::sim::detail
