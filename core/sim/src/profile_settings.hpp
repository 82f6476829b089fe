#pragma once
// Between the profile YAML reader and the option/listing code: the reader's key checks and
// value tables, so `--profile-option` and `nirb profiles` never keep a second copy of them.
#include "nirb/sim/profile_options.hpp"

#include <yaml-cpp/yaml.h>

#include <string>
#include <vector>

namespace nirb::sim::detail {

/// Apply the settings in mapping `settings` (any profile key but the identity keys) to
/// `profile`, checked like a profile file; errors are nirb::Error prefixed with `source`.
void apply_profile_settings(Profile& profile, const YAML::Node& settings,
                            const std::string& source);

/// Every option key with its choices (values empty), in profile_to_yaml's order.
std::vector<ProfileOption> profile_option_table();

} // namespace nirb::sim::detail
