// PluginHost: running a pass and calling convention functions through the C ABI.
#include "host_impl.hpp"

namespace nirb {

void PluginHost::run_pass(const PassInfo& pass, Graph& graph, const OptionValues& options,
                          Diagnostics& diags) {
    abi::LoadedPlugin& p = m_impl->plugin_of(pass.plugin_id);
    if (!m_impl->ensure_ready(p) || !p.passes)
        throw Error(fmt::format("plugin '{}' cannot run '{}': {}", p.record.id, pass.name,
                                p.init_error.empty() ? "no nirb.passes/1" : p.init_error));
    std::size_t index = 0;
    while (index < p.pass_infos.size() && p.pass_infos[index].name != pass.name)
        ++index;
    if (index == p.pass_infos.size())
        throw Error(fmt::format("plugin '{}' has no pass '{}'", p.record.id, pass.name));
    abi::CallContext ctx;
    nirb_graph handle = ctx.root(graph);
    nirb_options opts{&options};
    nirb_diag diag{&diags, pass.name};
    char err[4096] = {0};
    const nirb_status status =
        p.passes->run(abi::host_table(), index, &handle, &opts, &diag, err, sizeof err);
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
        if (m_impl->ensure_ready(p) && p.convention) {
            const auto* c = p.convention;
            out.push_back({c->framework, c->to_canonical ? c->to_canonical : "",
                           c->from_canonical ? c->from_canonical : "", p.record.id});
        }
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
    if (!m_impl->ensure_ready(p) || !p.convention || !p.convention->profiles_yaml)
        return {};
    const char* text = p.convention->profiles_yaml();
    return text ? text : "";
}

Fingerprint PluginHost::fingerprint(const ConventionInfo& convention, const Graph& graph) {
    abi::LoadedPlugin& p = m_impl->plugin_of(convention.plugin_id);
    if (!m_impl->ensure_ready(p) || !p.convention || !p.convention->fingerprint)
        throw Error(fmt::format("plugin '{}' offers no fingerprint", convention.plugin_id));
    abi::CallContext ctx;
    // The plugin receives a read-only handle; the const_cast never leads to a write because
    // the fingerprint signature takes `const nirb_graph*`.
    nirb_graph handle = ctx.root(const_cast<Graph&>(graph));
    nirb_text evidence;
    Fingerprint result;
    char err[1024] = {0};
    if (p.convention->fingerprint(abi::host_table(), &handle, &result.score, &evidence, err,
                                  sizeof err) != NIRB_OK)
        throw Error(fmt::format("fingerprint of '{}' failed: {}", convention.framework, err));
    result.evidence = std::move(evidence.text);
    return result;
}

} // namespace nirb
