#pragma once
/// \file data_io.hpp
/// HDF5 inputs and recordings of the simulator. Inputs: one dataset per Input node, named
/// after the node, time major (T, B, *shape). Recordings: NIR's time-gridded data layout
/// (nir-format.md §7.9): root attribute `__type__ = "NIRGraphData"`, group
/// `nodes/<node>` (`NIRNodeData`), subgroup `observables/<name>` (`TimeGriddedData`) with
/// dataset `data` of shape (batch, steps, n_neurons) and attribute `dt`.

#include "nirb/sim/npy.hpp"

#include <string>
#include <vector>

namespace nirb::sim {

/// One recorded series, stored time major as the simulator produces it.
struct Recording {
    std::string node;       ///< node name (dotted names are kept as one group name)
    std::string observable; ///< "output" for a node's output, else the state name ("v", "i")
    Shape shape;            ///< per-sample shape
    std::int64_t steps = 0;
    std::int64_t batch = 0;
    std::vector<float> values; ///< (steps, batch, size)
};

/// Read the dataset `/<name>` of an HDF5 file for each name; nirb::Error naming the file and
/// the dataset when one is missing or not numeric.
std::vector<NpyArray> read_h5_inputs(const std::string& path,
                                     const std::vector<std::string>& names);

/// Write recordings in the time-gridded layout, atomically (temporary file, then rename).
/// `dt` and `time_unit` come from the profile.
void write_h5_recordings(const std::string& path, const std::vector<Recording>& recordings,
                         double dt, const std::string& time_unit);

} // namespace nirb::sim
