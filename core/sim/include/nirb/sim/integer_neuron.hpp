#pragma once
/// \file integer_neuron.hpp
/// Integer neuron arithmetic, the way digital neuromorphic chips step a leaky neuron: states
/// are integers, a decay is a multiplication by (2^decay_bits - d) followed by a shift right
/// that truncates toward zero, the input enters shifted left by input_shift bits, and the
/// current and the voltage have their own widths and overflow behaviour. docs/profiles.md
/// ("integer_neuron") gives the formulas; the chips' values live in their plugins' profiles.

#include "nirb/sdk/canonical.hpp"

namespace nirb::sim {

/// How the neuron kernel steps LIF, CubaLIF, LI and CubaLI.
enum class NeuronDecay {
    Real,          ///< the coefficients in the compute type (float, double or fixed point)
    MultiplyShift, ///< integer states, x <- trunc0(x (2^B - d) / 2^B) + input
};

/// Settings of the integer neuron (used when decay is MultiplyShift).
struct IntegerNeuron {
    NeuronDecay decay = NeuronDecay::Real;
    int decay_bits = 12; ///< B: a decay d = round(2^B dt/tau) in [0, 2^B]
    int input_shift = 6; ///< integer state = graph value * 2^input_shift
    int current_bits = 24;
    canonical::Overflow current_overflow = canonical::Overflow::Wrap;
    int voltage_bits = 24; ///< saturation is symmetric: +/-(2^(voltage_bits-1) - 1)
    canonical::Overflow voltage_overflow = canonical::Overflow::Saturate;
    bool operator==(const IntegerNeuron&) const = default;
};

} // namespace nirb::sim
