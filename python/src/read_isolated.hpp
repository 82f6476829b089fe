#pragma once
// Reading a file outside the interpreter so that libhdf5 cannot take it down. libhdf5 1.10.8
// crashes (out-of-bounds copies in its global-heap code) or loops on some corrupt files, and
// no public HDF5 call checks a file first (docs/robustness.md). The `nirb` command contains
// this by running in a supervised child; a library cannot fork its caller into one, so each
// read runs in a worker process of its own: forked by the small helper program
// nirb-read-helper (read_helper.cpp) that the module starts once, or, without the helper,
// forked from the interpreter itself. The worker writes the document and the reading
// diagnostics into a memfd in a compact binary form (read_form.hpp); a crash or a hang
// becomes nirb::Error.
#include "read_form.hpp"

#include <string>

namespace nirb::python {

/// Where the helper program is (the package's own copy); set once at import.
void set_read_helper(std::string path);

/// read_document(path, ..., options) in a worker process, with the time and address-space
/// limits of the `nirb` command's read supervisor (ReadLimits::from_environment:
/// NIRB_READ_TIMEOUT, NIRB_READ_MEMORY_MIB). The reader's own errors come back as
/// nirb::Error with their message; a crash or an overrun as nirb::Error naming the file and
/// NIRB-E114, as the command reports it.
ReadResult read_isolated(const std::string& path, const ReadOptions& options);

} // namespace nirb::python
