// `KEY=VALUE` profile options: each assignment becomes a one-key YAML mapping read by the
// profile file reader itself, so an option accepts and refuses exactly what a file does.
#include "nirb/sim/profile_options.hpp"

#include "profile_settings.hpp"

#include "nirb/error.hpp"
#include "nirb/options.hpp"

#include <fmt/core.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <map>

namespace nirb::sim {
namespace {

std::vector<std::string> split_key(const std::string& key) {
    std::vector<std::string> parts;
    std::size_t start = 0;
    for (std::size_t dot; (dot = key.find('.', start)) != std::string::npos; start = dot + 1)
        parts.push_back(key.substr(start, dot - start));
    parts.push_back(key.substr(start));
    return parts;
}

/// {a: {b: value}} for key "a.b": the shape the key has in a profile file.
YAML::Node settings_for(const std::string& key, const std::string& value) {
    const auto parts = split_key(key);
    YAML::Node leaf(value);
    for (auto it = parts.rbegin(); it != parts.rend(); ++it) {
        YAML::Node map(YAML::NodeType::Map);
        map[*it] = leaf;
        leaf = map;
    }
    return leaf;
}

[[noreturn]] void unknown_key(const std::string& key, const std::vector<ProfileOption>& table) {
    std::vector<std::string> keys;
    std::string list;
    for (const auto& o : table) {
        keys.push_back(o.key);
        list += (list.empty() ? "" : ", ") + o.key;
    }
    const std::string near = closest_match(key, keys);
    throw UsageError(fmt::format("unknown profile option '{}'{}; known keys: {}", key,
                                 near.empty() ? "" : " (did you mean '" + near + "'?)", list));
}

/// Scalars of a YAML mapping under dotted keys.
void flatten(const YAML::Node& node, const std::string& prefix,
             std::map<std::string, std::string>& out) {
    for (const auto& kv : node) {
        const std::string key = prefix + kv.first.Scalar();
        if (kv.second.IsMap())
            flatten(kv.second, key + ".", out);
        else if (kv.second.IsScalar())
            out[key] = kv.second.Scalar();
    }
}

} // namespace

std::vector<ProfileOption> profile_options(const Profile& profile) {
    std::map<std::string, std::string> values;
    flatten(YAML::Load(profile_to_yaml(profile)), "", values);
    auto options = detail::profile_option_table();
    for (auto& o : options)
        if (auto it = values.find(o.key); it != values.end())
            o.value = it->second;
    return options;
}

Profile apply_profile_options(const Profile& profile, const std::vector<std::string>& assignments) {
    const auto table = detail::profile_option_table();
    Profile p = profile;
    for (const auto& assignment : assignments) {
        const auto eq = assignment.find('=');
        if (eq == std::string::npos || eq == 0)
            throw UsageError(fmt::format("profile option '{}' is not KEY=VALUE (for example "
                                         "dt=1e-3 or reset=subtract)",
                                         assignment));
        const std::string key = assignment.substr(0, eq);
        const std::string value = assignment.substr(eq + 1);
        const bool known = std::any_of(table.begin(), table.end(),
                                       [&](const ProfileOption& o) { return o.key == key; });
        if (!known)
            unknown_key(key, table);
        try {
            detail::apply_profile_settings(p, settings_for(key, value),
                                           "--profile-option " + assignment);
        } catch (const UsageError&) {
            throw;
        } catch (const Error& e) {
            throw UsageError(e.what());
        }
    }
    return p;
}

} // namespace nirb::sim
