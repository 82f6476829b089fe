#pragma once
/// \file profile_options.hpp
/// Varying a profile without writing YAML: `KEY=VALUE` assignments (`dt=1e-3`,
/// `reset=subtract`, `arithmetic.type=fixed`) checked exactly like the same key in a profile
/// file, and the list of keys with a profile's current values and the accepted choices.

#include "nirb/sim/profile.hpp"

#include <string>
#include <vector>

namespace nirb::sim {

/// One key a profile option can set, with its value in one profile.
struct ProfileOption {
    std::string key;                  ///< YAML key; nested keys dotted ("input_gain.membrane")
    std::string value;                ///< current value as YAML scalar text; "" when not set
    std::string accepts;              ///< what a non-choice key accepts ("a number > 0"), or a note
    std::vector<std::string> choices; ///< accepted values of a choice key, else empty
};

/// Every key `apply_profile_options` accepts, with `profile`'s values (shorthand keys such
/// as `input_gain`, whose value is spread over nested keys, have value "").
std::vector<ProfileOption> profile_options(const Profile& profile);

/// `profile` with each `KEY=VALUE` of `assignments` applied in order, as if the key were
/// written in a profile file that has `profile` as its base. An unknown key (with a "did
/// you mean" and the known keys), a malformed assignment or an invalid value (with the
/// choices) throws nirb::UsageError.
Profile apply_profile_options(const Profile& profile, const std::vector<std::string>& assignments);

} // namespace nirb::sim
