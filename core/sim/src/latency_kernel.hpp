#pragma once
// The weight_latency wrapper of weight-layer kernels (latency_kernel.cpp).
#include "kernel.hpp"

namespace nirb::sim::detail {

/// `kernel` delivering each step's output `latency` steps later (zeros before); `kernel`
/// itself when latency is 0.
template <typename T>
std::unique_ptr<Kernel<T>> with_weight_latency(std::unique_ptr<Kernel<T>> kernel, int latency);

} // namespace nirb::sim::detail
