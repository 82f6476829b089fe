#pragma once
// Vectorised threshold-neuron updates for float or double (every spike timing, reset and
// comparator of the profile), and for fixed point in double where the state quantiser rounds
// half to even and saturates (round_saturate.hpp). The profile's switches are resolved once per
// call instead of once per neuron, so each loop is branch-free and GCC vectorises it (simd.hpp).
// The arithmetic is exactly NeuronKernel's scalar path, operation by operation.
#include "round_saturate.hpp"

#include "nirb/sim/profile.hpp"

#include <cstdint>

namespace nirb::sim::detail {

/// The profile's switches that change the threshold stage.
struct ThresholdMode {
    SpikeTiming timing = SpikeTiming::SameStep;
    ResetMode reset = ResetMode::Subtract;
    bool greater_equal = false; ///< comparator >= (else >)
    bool multiple = false;      ///< floor(v / threshold) spikes per step, at most `limit`
};

/// Per-neuron coefficients (arrays of n) of v' = (a v + c) + g x and the threshold stage.
template <typename T>
struct NeuronArrays {
    const T* a = nullptr;
    const T* c = nullptr;
    const T* g = nullptr;
    const T* threshold = nullptr;
    const T* v_reset = nullptr;
    const T* clamp = nullptr; ///< lower bound of v after the reset (-inf: none)
    T limit = T(0);           ///< most spikes per step (+inf: no cap)
    /// Fixed point (double only): the state quantiser, applied where NeuronKernel's scalar
    /// path applies it; null: no quantisation.
    const RoundSaturate* quantise = nullptr;
};

/// One step of n spiking neurons with drive x: v, pre (v_pre) and out (spikes) updated.
void threshold_update(std::int64_t n, const float* x, float* v, float* pre, float* out,
                      const NeuronArrays<float>& k, ThresholdMode mode);
void threshold_update(std::int64_t n, const double* x, double* v, double* pre, double* out,
                      const NeuronArrays<double>& k, ThresholdMode mode);

/// Synaptic current of n neurons: i' = a_s i + g_s x, or a_s (i + g_s x) with `decay_form`,
/// then quantised by `quantise` if given (double only); drive = i' (`new_current`) or the old i.
void synapse_update(std::int64_t n, const float* x, float* i, const float* a_s, const float* g_s,
                    bool decay_form, bool new_current, float* drive);
void synapse_update(std::int64_t n, const double* x, double* i, const double* a_s,
                    const double* g_s, bool decay_form, bool new_current, double* drive,
                    const RoundSaturate* quantise = nullptr);

} // namespace nirb::sim::detail
