#pragma once
// Reading a file in a forked child so that libhdf5 cannot take the Python interpreter down.
// libhdf5 1.10.8 crashes (out-of-bounds copies in its global-heap code) or loops on some
// corrupt files, and no public HDF5 call checks a file first (docs/robustness.md). The `nirb`
// command contains this by running in a supervised child; a library cannot fork its caller,
// so each read runs in a child of its own (nirb::run_in_child), which hands the document and
// the reading diagnostics back in a compact binary form: a crash or a hang becomes
// nirb::Error, and a good file costs one fork and one copy of its arrays.
#include "nirb/diagnostics.hpp"
#include "nirb/document.hpp"
#include "nirb/io.hpp"

#include <string>

namespace nirb::python {

/// What read_document gives: the document and the diagnostics of reading.
struct ReadResult {
    Document document;
    Diagnostics diagnostics;
};

/// read_document(path, ..., options) in a child process, with the time and address-space
/// limits of the `nirb` command's read supervisor (ReadLimits::from_environment:
/// NIRB_READ_TIMEOUT, NIRB_READ_MEMORY_MIB). The reader's own errors come back as
/// nirb::Error with their message; a crash or an overrun as nirb::Error naming the file and
/// NIRB-E114, as the command reports it.
ReadResult read_isolated(const std::string& path, const ReadOptions& options);

} // namespace nirb::python
