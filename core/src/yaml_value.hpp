#pragma once
// Reading one YAML scalar as a typed value: the single implementation behind the pipeline
// loader (core/src/pipeline) and the profile loader (core/sim). Both add their own location
// and error policy (collect or throw); the text rules are parse_option_value's, so a value is
// accepted or refused the same way in a pipeline `with:` block, a profile and on the CLI.
// Internal to libnirb and libnirb-sim (yaml-cpp types stay out of public headers).
#include "nirb/options.hpp"

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <string>
#include <vector>

namespace nirb::detail {

/// The text of scalar `n` ("" for null); throws nirb::Error when `n` is a list or mapping.
std::string yaml_scalar(const YAML::Node& n, const std::string& what);

/// `n` read as an option of `schema`: type, range and choices checked (with a "did you
/// mean" for a near-miss choice). Throws nirb::Error naming `schema.name`.
OptionValue yaml_value(const YAML::Node& n, const OptionSchema& schema);

/// true/false.
bool yaml_bool(const YAML::Node& n, const std::string& what);

/// An integer in [lo, hi].
std::int64_t yaml_int(const YAML::Node& n, const std::string& what, std::int64_t lo,
                      std::int64_t hi);

/// A number in [lo, hi] (.inf and -.inf accepted, NaN refused).
double yaml_number(const YAML::Node& n, const std::string& what, double lo, double hi);

/// One of `choices`.
std::string yaml_choice(const YAML::Node& n, const std::string& what,
                        const std::vector<std::string>& choices);

} // namespace nirb::detail
