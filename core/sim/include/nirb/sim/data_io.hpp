#pragma once
/// \file data_io.hpp
/// HDF5 inputs and recordings of the simulator. Inputs: one dataset per Input node, named
/// after the node, time major (T, B, *shape). Recordings: NIR's time-gridded data layout
/// (nir-format.md §7.9): root attribute `__type__ = "NIRGraphData"`, group
/// `nodes/<node>` (`NIRNodeData`), subgroup `observables/<name>` (`TimeGriddedData`) with
/// dataset `data` of shape (batch, steps, n_neurons) and attribute `dt`.

#include "nirb/sim/npy.hpp"

#include <cstdint>
#include <memory>
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

/// Writes the series of a run while it runs, a block of steps at a time, so that a long run
/// needs memory for one block only. The file is `.npy` (exactly one series, time major
/// (steps, batch, *shape)) or HDF5 in the time-gridded layout, chosen by the extension; it is
/// written to a temporary file next to `path` and moved into place by commit(), so a failed
/// or interrupted run leaves no partial output.
class RecordingStream {
public:
    /// `layout`: one Recording per series with node, observable, shape, steps (the run's total)
    /// and batch set; its values are not used. nirb::Error when the file cannot be created.
    RecordingStream(const std::string& path, std::vector<Recording> layout, double dt,
                    const std::string& time_unit);
    ~RecordingStream();
    RecordingStream(const RecordingStream&) = delete;
    RecordingStream& operator=(const RecordingStream&) = delete;

    /// Append the next `steps` steps: one time-major (steps, batch, size) block per series,
    /// in layout order.
    void append(std::int64_t steps, const std::vector<const float*>& blocks);
    /// Check that every step was written and move the file into place.
    void commit();

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

} // namespace nirb::sim
