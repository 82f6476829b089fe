#pragma once
// SpiNNaker2 target (nirb.target/1): the rules and parameter formulas of py-spinnaker2's NIR
// importer s2_nir, read in public copies of it (README.md: which copies, and what could not be
// seen). s2_nir itself is not installable, so nothing here ran against it.
#include "nirb/plugin.hpp"
#include "nirb/sdk/graph_query.hpp"

#include <string>
#include <vector>

namespace nirb::plugins::spinnaker2 {

using sdk::Diagnostics;
using sdk::Graph;
using sdk::Options;
using sdk::Tensor;

/// Neuron types s2_nir turns into populations (LIF, IF: lif_no_delay / lif_conv2d; CubaLIF:
/// lif_curr_exp_no_delay).
bool is_population(const std::string& type);
/// Node types s2_nir turns into projections (WEIGHT_NODES).
bool is_weight(const std::string& type);
/// Weight nodes feeding `node`, looking through SumPool2d and Flatten (s2_nir fuses them).
std::vector<std::string> weight_inputs(const Graph& g, const std::string& node);

/// A pass declaring the core limits as options (the check and the map both do).
class CoreLimitedPass : public sdk::Pass {
protected:
    CoreLimitedPass(std::string name, std::string summary);
};

/// spinnaker2.check (check.cpp).
class Check : public CoreLimitedPass {
public:
    Check();
    void run(Graph& g, const Options& o, Diagnostics& d) override;
};

/// spinnaker2.quantize (quantize.cpp).
class Quantize : public sdk::Pass {
public:
    Quantize();
    void run(Graph& g, const Options& o, Diagnostics& d) override;
};

/// spinnaker2.map (plugin.cpp).
class Map : public CoreLimitedPass {
public:
    Map();
    void run(Graph& g, const Options& o, Diagnostics& d) override;
};

} // namespace nirb::plugins::spinnaker2
