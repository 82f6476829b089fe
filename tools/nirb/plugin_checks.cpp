// The conformance checks of `nirb plugin validate` (each body runs in a child process).
#include "plugin_checks.hpp"

#include "nirb/error.hpp"
#include "nirb/plugin_host.hpp"

#include <boost/dll/library_info.hpp>
#include <fmt/core.h>
#include <fmt/format.h>

namespace nirb::cli {
namespace {

/// Discovery without the cache: the file under test changes with every rebuild.
PluginHostOptions uncached() {
    PluginHostOptions o = PluginHost::default_options();
    o.cache_dir = "off";
    return o;
}

/// The plugin loaded from `path` alone, or the reason it was rejected.
const PluginRecord* load(PluginHost& host, std::string& why) {
    if (!host.rejected().empty()) {
        why = "rejected: " + host.rejected().front().reason;
        return nullptr;
    }
    if (host.plugins().size() != 2) { // the built-in core plugin plus this one
        why = "not recognised as a plugin file (name must be nirb_<name>.so)";
        return nullptr;
    }
    return &host.plugins().back();
}

CheckResult check_exports(const std::string& path) {
    boost::dll::library_info info(path);
    std::string extra;
    for (const auto& s : info.symbols())
        if (s != "nirb_plugin_entry")
            extra += (extra.empty() ? "" : ", ") + s;
    if (extra.empty())
        return {true, "only nirb_plugin_entry is exported"};
    return {false, fmt::format("exports more than nirb_plugin_entry: {} (link with the SDK's "
                               "nirb-plugin.map version script)",
                               extra.size() > 300 ? extra.substr(0, 300) + "..." : extra)};
}

CheckResult check_descriptor(const std::string& path) {
    PluginHost host({path}, uncached());
    std::string why;
    const PluginRecord* p = load(host, why);
    if (!p)
        return {false, why};
    if (p->namespaces.empty())
        return {false, "the descriptor claims no namespace, so it can offer no pass"};
    if (p->version.empty() || p->version.find_first_not_of("0123456789.") == 0)
        return {false, fmt::format("version '{}' is not a semantic version", p->version)};
    return {true, fmt::format("{} {} ({}), namespaces: {}", p->id, p->version, p->name,
                              fmt::format("{}", fmt::join(p->namespaces, ", ")))};
}

CheckResult check_init(const std::string& path) {
    PluginHost host({path}, uncached());
    std::string why;
    if (!load(host, why))
        return {false, why};
    const auto passes = host.all_passes();
    for (const auto& [id, message] : host.init_failures())
        return {false, fmt::format("init of '{}' failed: {}", id, message)};
    return {true, "init succeeded"};
}

/// A value of the option's declared type (the default, or the smallest legal value).
OptionValue legal_value(const OptionSchema& o) {
    if (o.default_value)
        return parse_option_value(o, *o.default_value);
    switch (o.type) {
    case OptionType::Bool:
        return false;
    case OptionType::Int:
        return static_cast<std::int64_t>(o.min.value_or(0));
    case OptionType::Number:
        return o.min.value_or(0.0);
    case OptionType::Choice:
        return o.choices.empty() ? std::string{} : o.choices.front();
    case OptionType::String:
        break;
    }
    return std::string("x");
}

/// A value of the wrong type for the option.
OptionValue wrong_value(const OptionSchema& o) {
    if (o.type == OptionType::String || o.type == OptionType::Choice)
        return std::int64_t{7};
    return std::string("not-a-") + option_type_name(o.type);
}

Graph one_input_graph() {
    Graph g;
    Node in("Input");
    in.set_field("shape", Tensor::from_ints({3}));
    g.add_node("input", std::move(in));
    return g;
}

/// Run `pass` on `graph`; a refusal (nirb::Error carrying the plugin's message) passes.
CheckResult survive(const std::string& path, const std::string& pass, Graph graph,
                    const std::function<OptionValues(const PassInfo&)>& make_options) {
    PluginHost host({path}, uncached());
    const PassInfo* info = host.find_pass(pass);
    if (!info)
        return {false, "pass disappeared between processes"};
    Diagnostics diags;
    try {
        host.run_pass(*info, graph, make_options(*info), diags);
    } catch (const Error& e) {
        return {true, fmt::format("refused cleanly: {}", e.what())};
    }
    return {true, fmt::format("ran ({} diagnostic(s))", diags.items().size())};
}

/// A hardware target's table names passes it offers (discovery checked that), its check
/// leaves the graph unchanged, and its report survives an empty graph.
CheckResult check_target(const std::string& path) {
    PluginHost host({path}, uncached());
    std::string why;
    if (!load(host, why))
        return {false, why};
    const auto targets = host.targets();
    if (targets.empty())
        return {true, "no nirb.target/1 (not a hardware target)"};
    const TargetInfo& t = targets.front();
    const PassInfo* check = host.find_pass(t.check_pass);
    if (!check)
        return {false, fmt::format("check pass '{}' is not available", t.check_pass)};
    OptionValues defaults;
    for (const auto& o : check->options)
        defaults.set(o.name, legal_value(o));
    const Graph before = one_input_graph();
    Graph graph = before;
    Diagnostics diags;
    try {
        host.run_pass(*check, graph, defaults, diags);
    } catch (const Error& e) {
        return {false, fmt::format("check pass '{}' failed on a one-node graph: {}", t.check_pass,
                                   e.what())};
    }
    if (!(graph == before))
        return {false, fmt::format("check pass '{}' modified the graph (a design-rule check "
                                   "must only report)",
                                   t.check_pass)};
    try {
        host.target_report(t, Graph{});
    } catch (const Error& e) {
        return {true, fmt::format("target '{}'; its report refused an empty graph: {}", t.target,
                                  e.what())};
    }
    return {true, fmt::format("target '{}': {} -> {} -> {}", t.target, t.check_pass,
                              t.quantize_pass, t.map_pass)};
}

} // namespace

std::vector<PluginCheck> plugin_checks(const std::string& path) {
    return {{"exported symbols", [path] { return check_exports(path); }},
            {"descriptor", [path] { return check_descriptor(path); }},
            {"init", [path] { return check_init(path); }},
            {"hardware target", [path] { return check_target(path); }}};
}

PluginCheck list_passes_check(const std::string& path) {
    return {"pass table", [path]() -> CheckResult {
                PluginHost host({path}, uncached());
                std::string why;
                const PluginRecord* p = load(host, why);
                if (!p)
                    return {false, why};
                std::string names;
                for (const auto& pass : host.all_passes())
                    if (pass.plugin_id == p->id)
                        names += pass.name + "\n";
                return {true, names};
            }};
}

std::vector<PluginCheck> pass_checks(const std::string& path, const std::string& pass) {
    const auto defaults = [](const PassInfo& info) {
        OptionValues v;
        for (const auto& o : info.options)
            v.set(o.name, legal_value(o));
        return v;
    };
    const auto wrong = [](const PassInfo& info) {
        OptionValues v;
        for (const auto& o : info.options)
            v.set(o.name, wrong_value(o));
        return v;
    };
    const auto none = [](const PassInfo&) { return OptionValues{}; };
    return {{pass + ": empty graph", [=] { return survive(path, pass, Graph{}, defaults); }},
            {pass + ": one Input node",
             [=] { return survive(path, pass, one_input_graph(), defaults); }},
            {pass + ": options missing", [=] { return survive(path, pass, Graph{}, none); }},
            {pass + ": options of the wrong type",
             [=] { return survive(path, pass, one_input_graph(), wrong); }}};
}

} // namespace nirb::cli
