#pragma once
/// \file profile_catalog.hpp
/// Which profiles exist and where each comes from: built in (the shipped profile folder) or
/// registered by a plugin or an embedding program.

#include "nirb/sim/profile.hpp"
#include "nirb/sim/profile_options.hpp"

#include <string>
#include <vector>

namespace nirb::sim {

/// Register `profile` as contributed by `origin` (a plugin id, or "" for an embedding
/// program); replaces an earlier registration of the same name.
void register_profile(const Profile& profile, const std::string& origin);

/// One entry of the profile listing.
struct ProfileSummary {
    std::string name;
    std::string origin; ///< plugin id, "built-in" (shipped folder) or "registered"
    std::string description;
    std::vector<ProfileOption> options; ///< keys with this profile's values
    std::string error; ///< a shipped file that does not load: why (options then empty)
};

/// Every profile resolve_profile knows by name, sorted by name. A registered profile hides
/// a shipped file of the same name (as resolve_profile does).
std::vector<ProfileSummary> list_profiles();

} // namespace nirb::sim
