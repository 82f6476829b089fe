// libFuzzer target: the YAML pipeline loader (parse, resolve every step against the core
// passes). The input path need not exist: resolution reports it like any other problem.
#include "nirb/error.hpp"
#include "nirb/pipeline.hpp"
#include "nirb/plugin_host.hpp"

#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static nirb::PluginHost& host = nirb::PluginHost::instance();
    const std::string yaml(reinterpret_cast<const char*>(data), size);
    try {
        (void)nirb::parse_pipeline(yaml, "fuzz.yaml", "/nonexistent-nirb-fuzz", host);
    } catch (const nirb::Error&) {
    }
    return 0;
}
