#pragma once
// The load of every used core in the one form the host reads for any target (graph metadata
// NIRB_META_TARGET_CORES, sdk/include/nirb/abi/interfaces.h): `nirb map --picture` draws it.
// Header only, so a target that places without placement.hpp (one core, or its own
// assignment) writes it with a few lines. Public SDK only.
#include "nirb/plugin.hpp"

#include <cstdint>
#include <cstdio>
#include <sstream>
#include <string>
#include <vector>

namespace nirb::plugins::targets {

/// One resource of a core: how much is used of how much (limit 0: not limited).
struct Resource {
    std::string name;
    double used = 0;
    double limit = 0;
};

/// One used core: the population (or populations) on it and its resources.
struct CoreLoad {
    std::int64_t core = 0;
    std::string population;
    std::vector<Resource> resources;
};

/// `s` as a JSON string literal.
inline std::string json_string(const std::string& s) {
    std::string out = "\"";
    for (char c : s) {
        if (c == '"' || c == '\\')
            out += '\\';
        if (static_cast<unsigned char>(c) < 0x20) {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\u%04x", c);
            out += buf;
            continue;
        }
        out += c;
    }
    return out + "\"";
}

/// The JSON text of NIRB_META_TARGET_CORES.
inline std::string core_loads_json(const std::string& title, std::int64_t cores_available,
                                   const std::vector<CoreLoad>& cores) {
    std::ostringstream out;
    out.precision(17);
    out << "{\"title\": " << json_string(title) << ", \"cores_available\": " << cores_available
        << ", \"cores\": [";
    for (std::size_t k = 0; k < cores.size(); ++k) {
        const auto& c = cores[k];
        out << (k ? ", " : "") << "{\"core\": " << c.core
            << ", \"population\": " << json_string(c.population) << ", \"resources\": [";
        for (std::size_t r = 0; r < c.resources.size(); ++r)
            out << (r ? ", " : "") << "{\"name\": " << json_string(c.resources[r].name)
                << ", \"used\": " << c.resources[r].used << ", \"limit\": " << c.resources[r].limit
                << "}";
        out << "]}";
    }
    out << "]}";
    return out.str();
}

/// Write the core loads into the graph's metadata, where the host finds them.
inline void store_core_loads(sdk::Graph& g, const std::string& title, std::int64_t cores_available,
                             const std::vector<CoreLoad>& cores) {
    g.set_metadata("", NIRB_META_TARGET_CORES, core_loads_json(title, cores_available, cores));
}

} // namespace nirb::plugins::targets
