// loihi2.map: populations onto neuro cores (plugins/target_support), the report files and the
// netx HDF5; plugin.cpp's report() reads back what this wrote.
#include "loihi2.hpp"

#include "placement.hpp"

namespace nirb::plugins::loihi2 {
namespace {

std::vector<targets::PopulationSize> sizes(const Graph& g) {
    std::vector<targets::PopulationSize> out;
    for (const auto& p : populations(g))
        out.push_back({p.node, p.neurons, p.fan_in, 0});
    return out;
}

} // namespace

Map::Map()
    : CoreLimitedPass("loihi2.map", "Loihi 2 neuron layers onto neuro cores; report; netx HDF5") {
    add_string("report_json", "", "Write the placement as JSON to this file");
    add_string("netx", "", "Write the lava-dl netx HDF5 to this file (.net or .h5)");
}

void Map::run(Graph& g, const Options& o, Diagnostics& d) {
    const CoreLimits lim = core_limits(o);
    const auto placement =
        targets::place(sizes(g), {lim.cores, lim.neurons_per_core, lim.synapses_per_core});
    if (!placement.overflow.empty())
        throw sdk::invalid_input("layer '" + placement.overflow + "' does not fit on " +
                                 std::to_string(lim.cores) + " cores");
    targets::store(g, "loihi2", placement, "Loihi 2 neuro cores");
    // Files last: a failure above leaves none behind.
    targets::write_report_files(placement, o, "loihi2");
    if (const auto path = o.string("netx"); !path.empty()) {
        write_netx(g, path);
        d.note("netx file written: " + path, "", "LOIHI2-N006");
    }
}

} // namespace nirb::plugins::loihi2
