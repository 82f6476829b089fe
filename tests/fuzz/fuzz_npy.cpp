// libFuzzer target: the .npy reader (simulator inputs).
#include "nirb/error.hpp"
#include "nirb/sim/npy.hpp"

#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string bytes(reinterpret_cast<const char*>(data), size);
    try {
        (void)nirb::sim::parse_npy(bytes, "fuzz.npy");
    } catch (const nirb::Error&) {
    }
    return 0;
}
