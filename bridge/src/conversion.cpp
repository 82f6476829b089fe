// Planning a framework conversion into a pipeline: A.to-canonical, nir.normalize-recurrence,
// nir.flatten-subgraphs (drop_io: both PyTorch importers only run top-level cycles
// correctly), B.from-canonical. Generic --option values go to every step declaring the key.
#include "nirb/bridge/conversion.hpp"

#include "nirb/error.hpp"
#include "nirb/options.hpp"

#include <fmt/core.h>

#include <filesystem>
#include <fstream>

namespace nirb::bridge {
namespace {

ConventionInfo convention(PluginHost& host, const std::string& framework) {
    if (auto c = host.find_convention(framework))
        return *c;
    std::string known;
    for (const auto& c : host.conventions())
        known += (known.empty() ? "" : ", ") + c.framework;
    throw UsageError(fmt::format("no plugin offers framework '{}' (available: {})", framework,
                                 known.empty() ? "none" : known));
}

/// The step's own options plus every generic option whose key the pass declares.
KeyValues with_generic(PluginHost& host, const std::string& pass, const KeyValues& generic,
                       KeyValues own) {
    const PassInfo* info = host.find_pass(pass);
    for (const auto& [key, value] : generic)
        if (info && info->option(key))
            own.emplace_back(key, value);
    return own;
}

/// Every generic option must be declared by at least one step.
void check_generic_options(const KeyValues& generic, const std::vector<PipelineStep>& steps) {
    for (const auto& [key, value] : generic) {
        std::vector<std::string> names;
        bool used = false;
        for (const auto& step : steps)
            for (const auto& o : step.pass.options) {
                names.push_back(o.name);
                used = used || o.name == key;
            }
        if (!used) {
            const std::string hint = closest_match(key, names);
            throw UsageError(fmt::format("--option {}: no step of this conversion has option "
                                         "'{}'{}",
                                         key, key,
                                         hint.empty() ? "" : "; did you mean '" + hint + "'?"));
        }
    }
}

/// A planned step is named in messages by its place in the conversion.
PipelineStep planned_step(const std::string& pass, const KeyValues& options, PluginHost& host,
                          std::size_t index, const ConversionRequest& r) {
    const SourceLocation where{fmt::format("{}-to-{} step {} ({})", r.from, r.to, index, pass)};
    return resolve_step(pass, options, host, where);
}

} // namespace

KeyValues parse_key_values(const std::vector<std::string>& texts) {
    KeyValues out;
    for (const auto& kv : texts) {
        const auto eq = kv.find('=');
        if (eq == std::string::npos || eq == 0)
            throw UsageError("option '" + kv + "' is not KEY=VALUE");
        out.emplace_back(kv.substr(0, eq), kv.substr(eq + 1));
    }
    return out;
}

Pipeline plan_conversion(const ConversionRequest& r, PluginHost& host) {
    const auto from = convention(host, r.from);
    const auto to = convention(host, r.to);
    const std::vector<std::pair<std::string, KeyValues>> passes = {
        {from.to_canonical, r.from_options},
        {"nir.normalize-recurrence", {}},
        {"nir.flatten-subgraphs", {{"drop_io", "true"}}},
        {to.from_canonical, r.to_options}};
    Pipeline p;
    p.description = fmt::format("{} to {} (from nirb convert)", r.from, r.to);
    p.input = r.input;
    p.output = r.output;
    p.overwrite = r.overwrite;
    p.verify = r.verify;
    for (const auto& [pass, own] : passes)
        p.steps.push_back(planned_step(pass, with_generic(host, pass, r.options, own), host,
                                       p.steps.size() + 1, r));
    check_generic_options(r.options, p.steps);
    return p;
}

void write_pipeline_file(const Pipeline& plan, const std::string& path, PluginHost& host) {
    const auto dir = std::filesystem::path(path).parent_path().string();
    const std::string text = print_pipeline(plan, host, dir.empty() ? "." : dir);
    std::ofstream file(path);
    file << text;
    if (!file)
        throw Error(fmt::format("{}: cannot write the pipeline", path));
}

std::optional<FingerprintMismatch> fingerprint_mismatch(PluginHost& host, const Graph& graph,
                                                        const std::string& from) {
    FingerprintMismatch m;
    m.claimed = from;
    for (const auto& c : host.conventions()) {
        const auto f = host.fingerprint(c, graph);
        if (c.framework == from)
            m.claimed_score = f.score;
        else if (f.score > m.likely_score) {
            m.likely_score = f.score;
            m.likely = c.framework;
            m.evidence = f.evidence.substr(0, f.evidence.find('\n'));
        }
    }
    if (m.likely_score > 0.5 && m.likely_score > m.claimed_score)
        return m;
    return std::nullopt;
}

} // namespace nirb::bridge
