// `nirb diff A B [--rtol R] [--atol A] [--json]`: what differs between two graph files
// (nirb::diff_documents). Exit 0 when they are the same, 1 when they differ.
#include "verbs.hpp"

#include "diag_output.hpp"
#include "nirb/diff.hpp"
#include "nirb/io.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>

namespace nirb::cli {
namespace {

using Json = nlohmann::ordered_json;

struct DiffArgs {
    std::string a;
    std::string b;
    DiffOptions options;
    bool json = false;
};

const char* sign(ChangeKind k) {
    switch (k) {
    case ChangeKind::NodeAdded:
    case ChangeKind::EdgeAdded:
    case ChangeKind::FieldAdded:
    case ChangeKind::MetadataAdded:
        return "+";
    case ChangeKind::NodeRemoved:
    case ChangeKind::EdgeRemoved:
    case ChangeKind::FieldRemoved:
    case ChangeKind::MetadataRemoved:
        return "-";
    default:
        return "~";
    }
}

std::string change_text(const Change& c) {
    const std::string where = c.path.empty() ? "graph" : c.path;
    switch (c.kind) {
    case ChangeKind::NodeAdded:
        return fmt::format("node {} ({})", c.path, c.after);
    case ChangeKind::NodeRemoved:
        return fmt::format("node {} ({})", c.path, c.before);
    case ChangeKind::NodeRetyped:
        return fmt::format("node {} retyped {} -> {}", where, c.before, c.after);
    case ChangeKind::EdgeAdded:
    case ChangeKind::EdgeRemoved:
        return fmt::format("edge {}{}", c.key, c.path.empty() ? "" : " in " + c.path);
    case ChangeKind::VersionChanged:
        return fmt::format("version {} -> {}", c.before, c.after);
    default:
        break;
    }
    const bool meta = c.kind == ChangeKind::MetadataAdded ||
                      c.kind == ChangeKind::MetadataRemoved ||
                      c.kind == ChangeKind::MetadataChanged;
    std::string s = fmt::format("{} {} {}: ", where, meta ? "metadata" : "field", c.key);
    if (!c.delta)
        return s + (c.before.empty()  ? c.after
                    : c.after.empty() ? c.before
                                      : c.before + " -> " + c.after);
    const NumericDelta& d = *c.delta;
    return s + fmt::format("{} of {} values differ; largest |a-b| {:.6g} at [{}] ({:.6g} -> "
                           "{:.6g}), largest relative {:.3g}",
                           d.differing, d.count, d.max_abs, fmt::join(d.at, ", "), d.a_at, d.b_at,
                           d.max_rel);
}

Json change_json(const Change& c) {
    Json j{{"kind", change_kind_name(c.kind)}, {"path", c.path}};
    if (!c.key.empty())
        j["key"] = c.key;
    if (!c.before.empty())
        j["before"] = c.before;
    if (!c.after.empty())
        j["after"] = c.after;
    if (c.delta)
        j["delta"] = {{"count", c.delta->count},     {"differing", c.delta->differing},
                      {"max_abs", c.delta->max_abs}, {"max_rel", c.delta->max_rel},
                      {"at", c.delta->at},           {"a", c.delta->a_at},
                      {"b", c.delta->b_at}};
    return j;
}

int run_diff(const DiffArgs& a) {
    Diagnostics da, db;
    const auto read_a = read_for_json(a.a, da, {}, a.json);
    const auto read_b = read_a ? read_for_json(a.b, db, {}, a.json) : std::nullopt;
    if (!read_b)
        return 1;
    const Document& doc_a = *read_a;
    const Document& doc_b = *read_b;
    if (!a.json) {
        print_diagnostics(da, a.a);
        print_diagnostics(db, a.b);
    }
    const DocumentDiff diff = diff_documents(doc_a, doc_b, a.options);
    if (a.json) {
        Json changes = Json::array();
        for (const auto& c : diff.changes)
            changes.push_back(change_json(c));
        Json j{{"a", a.a},
               {"b", a.b},
               {"rtol", a.options.rtol},
               {"atol", a.options.atol},
               {"same", diff.same()},
               {"changes", std::move(changes)}};
        fmt::print("{}\n", j.dump(2));
    } else {
        for (const auto& c : diff.changes)
            fmt::print("{} {}\n", sign(c.kind), change_text(c));
        fmt::print("{} and {}: {}\n", a.a, a.b,
                   diff.same() ? "same" : fmt::format("{} difference(s)", diff.changes.size()));
    }
    return diff.same() ? 0 : 1;
}

} // namespace

Verb add_diff_verb(CLI::App& app) {
    auto args = std::make_shared<DiffArgs>();
    Verb verb;
    auto* cmd = app.add_subcommand(
        "diff", "Show what differs between two graphs (nodes, edges, parameters, metadata); "
                "exit 1 when they differ");
    cmd->add_option("A", args->a, "first .nir or .json file")->required();
    cmd->add_option("B", args->b, "second .nir or .json file")->required();
    cmd->add_option("--rtol", args->options.rtol, "relative tolerance for numbers")
        ->check(CLI::NonNegativeNumber)
        ->capture_default_str();
    cmd->add_option("--atol", args->options.atol, "absolute tolerance for numbers")
        ->check(CLI::NonNegativeNumber)
        ->capture_default_str();
    cmd->add_flag("--json", args->json, "print the changes as JSON");
    verb.command = cmd;
    verb.run = [args] { return run_diff(*args); };
    return verb;
}

} // namespace nirb::cli
