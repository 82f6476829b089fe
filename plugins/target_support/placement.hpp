#pragma once
// What every hardware target plugin of this tree does the same way once it knows its core
// limits: populations onto consecutive cores, the placement in graph metadata under the
// target's namespace and as the core loads the host draws (core_load.hpp, `nirb map
// --picture`), and the report as text and JSON. Used by plugins/loihi2 and
// plugins/spinnaker2; public SDK only.
#include "nirb/plugin.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace nirb::plugins::targets {

/// A neuron population to place: its node, size and synapses per neuron.
struct PopulationSize {
    std::string node;
    std::int64_t neurons = 0;
    std::int64_t fan_in = 0;
    std::int64_t max_per_core = 0; ///< a per-population cap (0: none), e.g. set by hand
};

/// The limits of one core and of the chip.
struct CoreBudget {
    std::int64_t cores = 1;
    std::int64_t neurons_per_core = 1;
    std::int64_t synapses_per_core = 1; ///< 0: synapses are not limited per core
};

/// One used core.
struct CoreUse {
    std::int64_t core = 0;
    std::string node;
    std::int64_t neurons = 0;
    std::int64_t synapses = 0;
};

/// Every used core, populations in the order given, on consecutive cores.
struct Placement {
    CoreBudget budget;
    std::vector<CoreUse> cores;
    std::string overflow; ///< the first population that did not fit, "" when all did
};

/// Neurons of `p` one core takes under `budget` (0 when one neuron's synapses do not fit).
std::int64_t neurons_per_core(const PopulationSize& p, const CoreBudget& budget);

/// Place populations on consecutive cores; stops at the first that does not fit.
Placement place(const std::vector<PopulationSize>& populations, const CoreBudget& budget);

/// Write the placement into metadata under `ns` (`<ns>.cores` per node, totals on the graph)
/// and as the core loads (neurons and synapses against the limits) titled `title`.
void store(sdk::Graph& g, const std::string& ns, const Placement& placement,
           const std::string& title);

/// Read back what store() wrote; empty when the graph was not mapped.
Placement load(const sdk::Graph& g, const std::string& ns);

/// Text table of cores and their load.
std::string placement_text(const Placement& placement);

/// JSON object {"target", "cores_available", ..., "cores": [{core, node, neurons, ...}]}.
std::string placement_json(const Placement& placement, const std::string& target);

/// The report file a map pass was asked for: option `report_json` ("" = none), written after
/// everything else so a failure leaves no partial mapping.
void write_report_files(const Placement& placement, const sdk::Options& o,
                        const std::string& target);

/// Write `text` to `path` (throws sdk::Error naming the path when it cannot).
void write_text_file(const std::string& path, const std::string& text);

} // namespace nirb::plugins::targets
