#pragma once
/// \file run_files.hpp
/// File-to-file simulation, what `nirb simulate` does: inputs from .npy / HDF5 / random
/// Bernoulli spikes, outputs and recorded nodes to .npy or time-gridded HDF5.

#include "nirb/graph.hpp"
#include "nirb/sim/data_io.hpp"
#include "nirb/sim/profile.hpp"
#include "nirb/sim/simulator.hpp"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace nirb::sim {

/// What to simulate and where the data comes from and goes.
struct FileRunRequest {
    /// ".npy" file (one Input node), ".h5"/".hdf5" file (one dataset per Input node), or
    /// "random:RATE" (Bernoulli spikes with probability RATE per element and step).
    std::string input;
    /// ".npy" (exactly one series: one Output node and nothing recorded) or ".h5"/".hdf5".
    std::string output;
    std::optional<std::int64_t> steps; ///< default: all steps of the input (required for random)
    std::optional<int> batch;          ///< random input only (default 1)
    /// Extra nodes to record: "NODE" for its output, "NODE:STATE" for a state ("lif:v").
    std::vector<std::string> record;
    std::uint64_t seed = 0; ///< random input only
    int threads = 1;
    /// Memory the run may take for its inputs and recordings, estimated before anything is
    /// allocated: a run that cannot fit fails at once with the estimate instead of exhausting
    /// memory.
    std::uint64_t max_memory_bytes = std::uint64_t{2} << 30;
    /// Keep every recorded step in memory and return it in FileRunSummary::recordings (what a
    /// report needs): the whole run must then fit max_memory_bytes. When false, the output is
    /// written a block of steps at a time as the run goes, so a run of any length needs the
    /// memory of one block (at most 64 MiB of inputs and recordings) next to an input file.
    bool keep_recordings = true;
    /// Progress callback (steps done, steps total), called from the calling thread.
    std::function<void(std::int64_t, std::int64_t)> progress;
};

/// What a run did.
struct FileRunSummary {
    std::int64_t steps = 0;
    int batch = 0;
    std::vector<std::string> written; ///< series written ("out", "lif:v")
    /// The series themselves, in `written` order (empty unless FileRunRequest::keep_recordings).
    std::vector<Recording> recordings;
    RunStats stats;
    double seconds = 0; ///< wall time of the simulation proper (no file I/O)
};

/// The values fed to a graph's Input nodes, one time-major (steps, batch, size) series each.
struct InputData {
    std::int64_t steps = 0;
    int batch = 0;
    std::vector<std::string> nodes; ///< the Input nodes, in node order
    std::vector<Shape> shapes;      ///< their shapes (without steps and batch)
    std::vector<std::vector<float>> values;
};

/// The inputs `req` describes for `graph` (req.input, steps, batch, seed; the rest is
/// ignored): random Bernoulli spikes drawn node after node from one generator, or a file.
/// nirb::Error naming the file for a bad file, UsageError for contradictory options.
InputData read_inputs(const Graph& graph, const FileRunRequest& req);

/// Run `graph` under `profile` as requested. nirb::Error for bad inputs (wrong shapes, missing
/// datasets, unknown nodes) naming the file; nirb::UsageError for contradictory options.
/// The output file is written as the run goes into a temporary file that is moved into place
/// only after the run succeeded, so no partial output is ever left.
FileRunSummary run_files(const Graph& graph, const Profile& profile, const FileRunRequest& req);

} // namespace nirb::sim
