#pragma once
/// \file graph_edit.hpp
/// Graph rewrites shared by the framework plugins, written against the public SDK only:
/// neighbour queries, per-neuron parameter access, folding per-neuron input gains into the
/// weights that feed a neuron layer, self-feedback insertion, and the structural rewrites the
/// PyTorch importers need (Flatten elimination, AvgPool2d as a channel-diagonal Conv2d).

#include "nirb/plugin.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace nirb::plugins {

using sdk::Graph;
using sdk::Tensor;

/// Sources of the edges into `node`, in edge order (duplicates kept once).
std::vector<std::string> predecessors(const Graph& g, const std::string& node);
/// Targets of the edges out of `node`, in edge order (duplicates kept once).
std::vector<std::string> successors(const Graph& g, const std::string& node);

/// True for the spiking or leaky neuron primitives (LIF, CubaLIF, IF, LI, CubaLI, I).
bool is_neuron(const std::string& type);
/// True for Affine, Linear and Conv2d.
bool is_weight(const std::string& type);

/// Number of neurons of a neuron node (element count of its threshold or tau).
std::int64_t neuron_count(const Graph& g, const std::string& node);
/// Shape of a neuron node's population (shape of its threshold or tau).
std::vector<std::int64_t> neuron_shape(const Graph& g, const std::string& node);

/// Parameter `name` of `node` as `n` doubles (a scalar or size-1 tensor is broadcast);
/// `fallback` when absent. Throws when the size is neither 1 nor n.
std::vector<double> values(const Graph& g, const std::string& node, const std::string& name,
                           std::int64_t n, double fallback);
/// Set parameter `name` to `v` with `shape`, stored as float32 (what the importers expect).
void set_values(Graph& g, const std::string& node, const std::string& name,
                const std::vector<double>& v, const std::vector<std::int64_t>& shape);

/// Multiply the input of neuron node `neuron` by per-neuron `gains` by scaling every weight
/// node feeding it (rows of Affine/Linear, output channels of Conv2d, and their biases).
/// Possible only when every predecessor is a weight node feeding nothing else, and, for a
/// Conv2d, when the gain is uniform over each channel. Returns false (graph unchanged) with
/// the reason in `why` otherwise.
bool fold_input_gains(Graph& g, const std::string& neuron, const std::vector<double>& gains,
                      std::string& why);

/// Add node `name` multiplying each element of a `shape`-d population by `diag` (one factor
/// per element): a diagonal Linear for 1-d, a channel-diagonal 1x1 Conv2d (groups 1) for
/// (C, H, W) when the factor is uniform per channel. Returns false with `why` otherwise.
bool add_diagonal_map(Graph& g, const std::string& name, const std::vector<double>& diag,
                      const std::vector<std::int64_t>& shape, std::string& why);

/// Add a node `<neuron>.<suffix>` that feeds `neuron`'s own spikes back into it scaled by
/// `weights` (one per neuron): a diagonal Linear for 1-d populations, a channel-diagonal 1x1 Conv2d
/// for (C, H, W) populations (weights must then be uniform per channel). The cycle edge is a
/// back edge, so the feedback arrives one step later. Returns false with `why` otherwise.
bool add_self_feedback(Graph& g, const std::string& neuron, const std::string& suffix,
                       const std::vector<double>& weights, std::string& why);

/// Replace `Flatten -> Affine|Linear` (flattening a whole (C, H, W) input) by one Conv2d with
/// a full-size kernel, and give everything downstream a (N, 1, 1) shape (Affine/Linear become
/// 1x1 convolutions). The PyTorch importers apply Flatten(start_dim) to batched tensors without
/// a batch offset, and nir's type inference rejects a batch-offset Flatten, so this is the only
/// batch-safe encoding. Returns false with `why` when the pattern does not hold.
bool eliminate_flatten(Graph& g, const std::string& flatten, std::string& why);

/// Replace an AvgPool2d by the equivalent channel-diagonal Conv2d (groups 1) with weights
/// 1/(kh*kw) and zero bias, for importers without AvgPool2d. `chw` is its input's shape.
void avgpool_to_conv(Graph& g, const std::string& pool, const std::vector<std::int64_t>& chw);

/// Expand AvgPool2d/SumPool2d kernel_size, stride and padding scalars to pairs.
void expand_pool_pairs(Graph& g, const std::string& pool);

/// (C, H, W) shape of the tensor entering `node`: the host's inferred type, else the shape of
/// a single neuron predecessor; nullopt when unknown or not 3-d.
std::optional<std::vector<std::int64_t>> input_chw(const Graph& g, const std::string& node);

} // namespace nirb::plugins
