#pragma once
// ScanResult as JSON (the discovery child's answer and the cache's entries). Internal.
#include "loader.hpp"

#include <string>

namespace nirb::abi {

/// One line of JSON (without the `cacheable` flag, which the cache never stores).
std::string scan_result_to_json(const ScanResult& result);
/// Parse what scan_result_to_json wrote; throws on malformed input.
ScanResult scan_result_from_json(const std::string& text);

} // namespace nirb::abi
