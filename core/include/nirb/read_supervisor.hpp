#pragma once
/// \file read_supervisor.hpp
/// Containing libhdf5 on hostile files. HDF5 1.10 can crash (out-of-bounds copies in its
/// global-heap code) or loop forever on a corrupt file, and no public HDF5 call checks a file
/// first. A program that reads untrusted `.nir` files calls supervise_reads() first thing in
/// main(): the work then runs in a child process, and every read_nir() in it tells the
/// supervising parent when it starts and ends. A crash during a read becomes exit status 1
/// with "the HDF5 library failed on this file" and the path; a read that overruns its time
/// budget is killed and reported the same way. Outside reads nothing changes (a crash
/// elsewhere ends the parent with the same signal). The cost is one fork per program run.

#include <cstdint>
#include <optional>

namespace nirb {

/// Time and memory allowed to one read of one file.
struct ReadLimits {
    /// Seconds every read may take, plus `seconds_per_mib` per MiB of the file.
    double base_seconds = 15.0;
    /// Extra seconds per MiB of file size (a 300 MiB file read in 150 s on a loaded machine).
    double seconds_per_mib = 1.0;
    /// Address space a read may add, plus `memory_per_file_byte` times the file size; 0 turns
    /// the cap off. Exceeding it makes allocations fail, which the reader reports as an error.
    std::uint64_t base_memory_bytes = std::uint64_t{1536} << 20;
    /// Extra bytes of address space allowed per byte of file.
    std::uint64_t memory_per_file_byte = 4;

    /// The defaults, overridden by NIRB_READ_TIMEOUT (seconds, replaces base_seconds and drops
    /// the per-MiB part) and NIRB_READ_MEMORY_MIB (replaces the whole memory budget; 0 = none).
    static ReadLimits from_environment();
};

/// Fork the rest of the program into a supervised child. In the child: returns std::nullopt
/// and the caller carries on. In the parent: waits for the child and returns the status the
/// program must exit with. Returns std::nullopt without forking when NIRB_READ_GUARD=0 or
/// fork fails. Call it before starting any thread.
std::optional<int> supervise_reads(const ReadLimits& limits = ReadLimits::from_environment());

} // namespace nirb
