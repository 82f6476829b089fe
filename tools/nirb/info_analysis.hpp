#pragma once
// What `nirb info` adds from the graph algorithms: inferred types of every node (nested
// nodes under their graph), the cycles with their back edges, the recurrent layers.
#include "nirb/document.hpp"

#include <nlohmann/json.hpp>

#include <string>

namespace nirb::cli {

/// {"types": {input_type, output_type, nodes: {name: {input_type, output_type[, nodes]}}},
///  "cycles": [{"nodes": [...], "back_edges": [[src, dst], ...]}],
///  "recurrences": [{"form", "neuron", "weight", "group"}]}; paths are flattened names.
nlohmann::ordered_json analysis_json(const Document& doc);

/// The same as text sections ("inferred types:", "cycles:", "recurrent layers:").
std::string analysis_text(const Document& doc);

} // namespace nirb::cli
