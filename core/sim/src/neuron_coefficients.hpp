#pragma once
// The per-neuron coefficients of I, IF, LI, LIF, CubaLI and CubaLIF in double, shared by the
// real-valued neuron kernel and the integer one (integer_neuron_kernel.cpp).
#include "kernel.hpp"

#include <vector>

namespace nirb::sim::detail {

/// Membrane decay a_m, constant c_m = (1 - a_m) v_leak and input gain g_m; synaptic decay a_s
/// and gain g_s (CubaLI(F) only); threshold, v_reset and lower clamp (spiking neurons only);
/// initial membrane v0. One value per neuron.
struct Coefficients {
    std::vector<double> a_m, c_m, g_m, a_s, g_s, th, v_reset, clamp, v0;
};

/// The coefficients of `node` under ctx.profile (errors name the node).
Coefficients neuron_coefficients(const Node& node, const BuildContext& ctx);

/// The state variables of a neuron kernel: v (membrane, after any reset), i (synaptic current,
/// CubaLI(F)) and v_pre (the value compared with the threshold this step: what frameworks
/// report as their pre-reset membrane), each of `n` values.
std::vector<StateVar> neuron_state_vars(std::int64_t n, bool cuba, bool spiking);

/// The kernel of profiles whose integer_neuron.decay is multiply_shift.
template <typename T>
std::unique_ptr<Kernel<T>> make_integer_neuron_kernel(const Node& node, const BuildContext& ctx);

} // namespace nirb::sim::detail
