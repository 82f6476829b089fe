// PluginHost: running a pass and calling convention and target functions through the C ABI.
// Each call loads and initialises the plugin in this process first (ensure_ready).
#include "host_impl.hpp"

#include <cstddef>

namespace nirb {

void PluginHost::run_pass(const PassInfo& pass, Graph& graph, const OptionValues& options,
                          Diagnostics& diags) {
    abi::LoadedPlugin& p = m_impl->ready_plugin(pass.plugin_id, "run '" + pass.name + "'");
    if (!p.tables.passes)
        throw Error(
            fmt::format("plugin '{}' cannot run '{}': no nirb.passes/1", p.record.id, pass.name));
    std::size_t index = 0;
    while (index < p.offer->passes.size() && p.offer->passes[index].name != pass.name)
        ++index;
    if (index == p.offer->passes.size())
        throw Error(fmt::format("plugin '{}' has no pass '{}'", p.record.id, pass.name));
    abi::CallContext ctx;
    nirb_graph handle = ctx.root(graph);
    nirb_options opts{&options};
    nirb_diag diag{&diags, pass.name};
    char err[4096] = {0};
    const nirb_status status =
        p.tables.passes->run(abi::host_table(), index, &handle, &opts, &diag, err, sizeof err);
    if (status != NIRB_OK)
        throw Error(fmt::format("step '{}' failed ({}): {}", pass.name,
                                status == NIRB_INTERNAL_ERROR
                                    ? "internal error in plugin '" + p.record.id + "'"
                                    : "status " + std::to_string(status),
                                *err ? err : "(no message)"));
}

std::vector<ConventionInfo> PluginHost::conventions() {
    std::vector<ConventionInfo> out;
    for (auto& p : m_impl->registry.plugins)
        if (const auto* offer = m_impl->offer_of(p); offer && offer->convention)
            out.push_back(*offer->convention);
    return out;
}

std::optional<ConventionInfo> PluginHost::find_convention(const std::string& framework) {
    for (auto& c : conventions())
        if (c.framework == framework)
            return c;
    return std::nullopt;
}

std::string PluginHost::profiles_yaml(const ConventionInfo& convention) {
    abi::LoadedPlugin& p = m_impl->plugin_of(convention.plugin_id);
    if (!m_impl->ensure_ready(p) || !p.tables.convention || !p.tables.convention->profiles_yaml)
        return {};
    const char* text = p.tables.convention->profiles_yaml();
    return text ? text : "";
}

std::string PluginHost::profiles_yaml(const TargetInfo& target) {
    abi::LoadedPlugin& p = m_impl->plugin_of(target.plugin_id);
    if (!m_impl->ensure_ready(p) || !p.tables.target ||
        p.tables.target->struct_size < offsetof(nirb_target_v1, profiles_yaml) + sizeof(void*) ||
        !p.tables.target->profiles_yaml)
        return {};
    const char* text = p.tables.target->profiles_yaml();
    return text ? text : "";
}

Fingerprint PluginHost::fingerprint(const ConventionInfo& convention, const Graph& graph) {
    abi::LoadedPlugin& p = m_impl->ready_plugin(convention.plugin_id, "fingerprint");
    if (!p.tables.convention || !p.tables.convention->fingerprint)
        throw Error(fmt::format("plugin '{}' offers no fingerprint", convention.plugin_id));
    abi::CallContext ctx;
    // The plugin receives a read-only handle; the const_cast never leads to a write because
    // the fingerprint signature takes `const nirb_graph*`.
    nirb_graph handle = ctx.root(const_cast<Graph&>(graph));
    nirb_text evidence;
    Fingerprint result;
    char err[1024] = {0};
    if (p.tables.convention->fingerprint(abi::host_table(), &handle, &result.score, &evidence, err,
                                         sizeof err) != NIRB_OK)
        throw Error(fmt::format("fingerprint of '{}' failed: {}", convention.framework, err));
    result.evidence = std::move(evidence.text);
    return result;
}

std::vector<TargetInfo> PluginHost::targets() {
    std::vector<TargetInfo> out;
    for (auto& p : m_impl->registry.plugins)
        if (const auto* offer = m_impl->offer_of(p); offer && offer->target)
            out.push_back(*offer->target);
    return out;
}

std::optional<TargetInfo> PluginHost::find_target(const std::string& name) {
    for (auto& t : targets())
        if (t.target == name)
            return t;
    return std::nullopt;
}

std::string PluginHost::target_report(const TargetInfo& target, const Graph& graph) {
    abi::LoadedPlugin& p = m_impl->ready_plugin(target.plugin_id, "report");
    if (!p.tables.target)
        throw Error(fmt::format("plugin '{}' offers no target", target.plugin_id));
    abi::CallContext ctx;
    // report takes `const nirb_graph*`: the plugin only reads.
    nirb_graph handle = ctx.root(const_cast<Graph&>(graph));
    nirb_text out;
    char err[1024] = {0};
    if (p.tables.target->report(abi::host_table(), &handle, &out, err, sizeof err) != NIRB_OK)
        throw Error(fmt::format("report of target '{}' failed: {}", target.target, err));
    return std::move(out.text);
}

} // namespace nirb
