// libFuzzer target: the .nir (HDF5) reader on arbitrary bytes. HDF5 reads from a path, so the
// input goes to a file in /dev/shm (memory) first. Lenient and strict reading both run.
#include "nirb/error.hpp"
#include "nirb/io.hpp"

#include <cstdint>
#include <cstdio>
#include <string>
#include <unistd.h>

namespace {

const std::string& scratch_path() {
    static const std::string path =
        (access("/dev/shm", W_OK) == 0 ? std::string("/dev/shm") : std::string("/tmp")) +
        "/nirb-fuzz-" + std::to_string(getpid()) + ".nir";
    return path;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string& path = scratch_path();
    std::FILE* f = std::fopen(path.c_str(), "wb");
    if (!f)
        return 0;
    std::fwrite(data, 1, size, f);
    std::fclose(f);
    for (bool strict : {false, true}) {
        nirb::Diagnostics diags;
        nirb::ReadOptions opts;
        opts.strict = strict;
        opts.allow_errors = !strict;
        try {
            nirb::read_nir(path, diags, opts);
        } catch (const nirb::Error&) {
        }
    }
    return 0;
}
