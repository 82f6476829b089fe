// Where profiles come from: files named on the command line, profiles registered by plugins
// or embedding programs, and the shipped configs/profiles/*.yaml. A bare name is never read
// from the current folder: a stray file there must not replace a built-in profile.
#include "nirb/sim/profile.hpp"
#include "nirb/sim/profile_catalog.hpp"

#include "nirb/error.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <mutex>

namespace nirb::sim {
namespace {

namespace fs = std::filesystem;

std::mutex& registry_mutex() {
    static std::mutex m;
    return m;
}

struct Registered {
    Profile profile;
    std::string origin; ///< plugin id, or "" for an embedding program
};

std::map<std::string, Registered>& registry() {
    static std::map<std::string, Registered> r;
    return r;
}

bool looks_like_path(const std::string& s) {
    const auto ext = fs::path(s).extension().string();
    return ext == ".yaml" || ext == ".yml" || s.find('/') != std::string::npos;
}

std::string& relocated_profile_dir() {
    static std::string dir;
    return dir;
}

} // namespace

void set_shipped_profile_dir(const std::string& dir) {
    std::lock_guard lock(registry_mutex());
    relocated_profile_dir() = dir;
}

std::string shipped_profile_dir() {
    if (const char* env = std::getenv("NIRB_PROFILE_DIR"); env && *env)
        return env;
    {
        std::lock_guard lock(registry_mutex());
        if (!relocated_profile_dir().empty())
            return relocated_profile_dir();
    }
    // An installed tree first, then the source tree this binary was built from.
    for (const char* dir : {NIRB_PROFILE_INSTALL_DIR, NIRB_PROFILE_SOURCE_DIR}) {
        std::error_code ec;
        if (fs::is_directory(dir, ec))
            return dir;
    }
    return NIRB_PROFILE_SOURCE_DIR;
}

void register_profile(const Profile& profile) {
    register_profile(profile, "");
}

void register_profile(const Profile& profile, const std::string& origin) {
    std::lock_guard lock(registry_mutex());
    registry()[profile.name] = {profile, origin};
}

std::vector<std::string> known_profile_names() {
    std::vector<std::string> names;
    {
        std::lock_guard lock(registry_mutex());
        for (const auto& [name, p] : registry())
            names.push_back(name);
    }
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(shipped_profile_dir(), ec))
        if (entry.path().extension() == ".yaml")
            names.push_back(entry.path().stem().string());
    std::sort(names.begin(), names.end());
    names.erase(std::unique(names.begin(), names.end()), names.end());
    return names;
}

Profile resolve_profile(const std::string& name_or_path) {
    std::error_code ec;
    if (looks_like_path(name_or_path))
        return load_profile_file(name_or_path);
    {
        std::lock_guard lock(registry_mutex());
        if (auto it = registry().find(name_or_path); it != registry().end())
            return it->second.profile;
    }
    const auto file = fs::path(shipped_profile_dir()) / (name_or_path + ".yaml");
    if (fs::is_regular_file(file, ec)) {
        Profile p = load_profile_file(file.string());
        if (p.name != name_or_path)
            throw Error(fmt::format("{}: the profile is named '{}', expected '{}'", file.string(),
                                    p.name, name_or_path));
        return p;
    }
    std::string names;
    for (const auto& n : known_profile_names())
        names += (names.empty() ? "" : ", ") + n;
    throw Error(fmt::format("unknown profile '{}' (known: {}); a profile file is named by a "
                            "path containing '/' or ending in .yaml/.yml, e.g. ./{}.yaml",
                            name_or_path, names, name_or_path));
}

std::vector<ProfileSummary> list_profiles() {
    std::map<std::string, ProfileSummary> out;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(shipped_profile_dir(), ec)) {
        if (entry.path().extension() != ".yaml")
            continue;
        ProfileSummary s{entry.path().stem().string(), "built-in", {}, {}, {}};
        try {
            const Profile p = resolve_profile(s.name);
            s.description = p.description;
            s.options = profile_options(p);
        } catch (const Error& e) {
            s.error = e.what();
        }
        out[s.name] = std::move(s);
    }
    std::lock_guard lock(registry_mutex());
    for (const auto& [name, r] : registry())
        out[name] = {name,
                     r.origin.empty() ? "registered" : r.origin,
                     r.profile.description,
                     profile_options(r.profile),
                     {}};
    std::vector<ProfileSummary> list;
    for (auto& [name, s] : out)
        list.push_back(std::move(s));
    return list;
}

} // namespace nirb::sim
