#pragma once
// Loihi 2 target (nirb.target/1): the chip's numbers, the layer structure the three passes
// share, and the pass factories. Every number comes from Lava 0.10.0 / lava-dl 0.6.0
// (README.md cites the file and line of each).
#include "nirb/plugin.hpp"
#include "nirb/sdk/graph_query.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace nirb::plugins::loihi2 {

using sdk::Diagnostics;
using sdk::Graph;
using sdk::Options;
using sdk::Tensor;

constexpr int kDecayBits = 12;                        ///< du, dv: 12-bit (lif/process.py)
constexpr std::int64_t kDecayUnity = 4096;            ///< 2^12
constexpr int kActShift = 6;                          ///< a_in << 6, vth << 6 (lif/models.py)
constexpr std::int64_t kMaxThreshold = (1 << 17) - 1; ///< vth: unsigned 17 bits
constexpr std::int64_t kMaxBiasMant = (1 << 12) - 1;  ///< bias_mant: signed 13 bits
constexpr int kMaxBiasExp = 7;                        ///< bias_exp: 3 bits
constexpr int kMinWeightExp = -8;                     ///< weight_exp range on Loihi 2
constexpr int kMaxWeightExp = 7;
constexpr std::int64_t kStateLimit = (1 << 23); ///< u wraps and v saturates at 24 bits

/// A neuron layer and the weight layers feeding it (the unit Loihi 2 maps: one LIF process
/// fed by one Dense process per incoming weight layer).
struct Population {
    std::string node;                ///< LIF, CubaLIF or IF
    std::vector<std::string> inputs; ///< Linear/Affine nodes feeding it
    std::int64_t neurons = 0;
    std::int64_t fan_in = 0; ///< synapses per neuron (sum of the inputs' columns)
};

/// Neuron layers in execution order with their weight layers.
std::vector<Population> populations(const Graph& g);

/// True for the neuron types this target maps.
bool is_mapped_neuron(const std::string& type);

/// dt the quantiser uses: option `dt` when > 0, else the graph's nirb.dt, else 1e-3.
double quantize_dt(const Graph& g, double option);

/// Core limits shared by the check and the map (options of both passes).
struct CoreLimits {
    std::int64_t cores = 128;
    std::int64_t neurons_per_core = 8192;
    std::int64_t synapses_per_core = 937500;
};
CoreLimits core_limits(const Options& o);

/// A pass declaring the core limits as options (the check and the map both do).
class CoreLimitedPass : public sdk::Pass {
protected:
    CoreLimitedPass(std::string name, std::string summary);
};

/// loihi2.check: every design-rule violation (check.cpp).
class Check : public CoreLimitedPass {
public:
    Check();
    void run(Graph& g, const Options& o, Diagnostics& d) override;
};

/// loihi2.quantize: integer weights, decays, thresholds and biases (quantize.cpp).
class Quantize : public sdk::Pass {
public:
    Quantize();
    void run(Graph& g, const Options& o, Diagnostics& d) override;
};

/// loihi2.map: populations onto cores, report files, netx HDF5 (map.cpp, netx.cpp).
class Map : public CoreLimitedPass {
public:
    Map();
    void run(Graph& g, const Options& o, Diagnostics& d) override;
};

/// Write the lava-dl netx HDF5 of a quantised, feed-forward graph (netx.cpp); throws
/// sdk::Error when the graph has a shape netx cannot describe.
void write_netx(const Graph& g, const std::string& path);

/// The report of a mapped graph (text).
std::string report(const Graph& g);

} // namespace nirb::plugins::loihi2
