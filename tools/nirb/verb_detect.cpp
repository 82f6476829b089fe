// `nirb detect FILE [--json]`: which framework's exporter most likely wrote a .nir file.
// Every framework plugin's exporter fingerprint ("nirb.convention/1") scores the graph in
// [0, 1] with one evidence line per clue; the best score above 0.5 names the likely exporter.
#include "verbs.hpp"

#include "diag_output.hpp"

#include "nirb/diagnostics.hpp"
#include "nirb/io.hpp"
#include "nirb/plugin_host.hpp"

#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <memory>

namespace nirb::cli {
namespace {

struct Score {
    std::string framework;
    Fingerprint fingerprint;
};

std::vector<Score> score_all(const Graph& graph) {
    PluginHost& host = PluginHost::instance();
    std::vector<Score> scores;
    for (const auto& c : host.conventions())
        scores.push_back({c.framework, host.fingerprint(c, graph)});
    std::stable_sort(scores.begin(), scores.end(), [](const Score& a, const Score& b) {
        return a.fingerprint.score > b.fingerprint.score;
    });
    return scores;
}

void print_text(const std::string& path, const std::vector<Score>& scores) {
    if (scores.empty() || scores.front().fingerprint.score <= 0.5)
        fmt::print("{}: exporter unknown (no framework fingerprint scores above 0.5)\n", path);
    else
        fmt::print("{}: most likely exported by {} (score {:.2f})\n", path,
                   scores.front().framework, scores.front().fingerprint.score);
    for (const auto& s : scores) {
        fmt::print("\n{}: score {:.2f}\n", s.framework, s.fingerprint.score);
        std::string line;
        for (char ch : s.fingerprint.evidence) {
            if (ch != '\n') {
                line += ch;
                continue;
            }
            fmt::print("  {}\n", line);
            line.clear();
        }
        if (!line.empty())
            fmt::print("  {}\n", line);
    }
}

} // namespace

Verb add_detect_verb(CLI::App& app) {
    Verb verb;
    verb.command = app.add_subcommand(
        "detect", "Name the framework whose exporter most likely wrote FILE, with evidence");
    auto path = std::make_shared<std::string>();
    auto json = std::make_shared<bool>(false);
    verb.command->add_option("FILE", *path, "a .nir file")->required();
    verb.command->add_flag("--json", *json, "Print JSON instead of text");
    verb.run = [path, json] {
        Diagnostics diags;
        const auto read = read_for_json(*path, diags, {}, *json);
        if (!read)
            return 1;
        const Document& doc = *read;
        const auto scores = score_all(doc.graph());
        if (!*json) {
            print_text(*path, scores);
            return 0;
        }
        nlohmann::json out = {{"file", *path}, {"scores", nlohmann::json::array()}};
        for (const auto& s : scores)
            out["scores"].push_back({{"framework", s.framework},
                                     {"score", s.fingerprint.score},
                                     {"evidence", s.fingerprint.evidence}});
        out["likely"] = !scores.empty() && scores.front().fingerprint.score > 0.5
                            ? nlohmann::json(scores.front().framework)
                            : nlohmann::json(nullptr);
        fmt::print("{}\n", out.dump(2));
        return 0;
    };
    return verb;
}

} // namespace nirb::cli
