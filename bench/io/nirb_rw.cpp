// In-process timing of nirb::read_nir and nirb::write_nir, the counterpart of timing
// nir.read / nir.write inside a Python script. Usage: nirb_rw read|write IN [OUT]
// Prints the seconds of the timed call (write: the read before it is not timed).
#include "nirb/io.hpp"

#include <chrono>
#include <cstdio>
#include <string>

int main(int argc, char** argv) {
    if (argc < 3)
        return 2;
    const std::string mode = argv[1];
    nirb::Diagnostics diags;
    const auto t0 = std::chrono::steady_clock::now();
    const nirb::Document doc = nirb::read_nir(argv[2], diags);
    auto t1 = std::chrono::steady_clock::now();
    if (mode == "write" && argc > 3) {
        t1 = std::chrono::steady_clock::now();
        nirb::write_nir(argv[3], doc);
        const auto t2 = std::chrono::steady_clock::now();
        std::printf("%.6f\n", std::chrono::duration<double>(t2 - t1).count());
        return 0;
    }
    std::printf("%.6f\n", std::chrono::duration<double>(t1 - t0).count());
    return 0;
}
