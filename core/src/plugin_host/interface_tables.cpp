// Reading a plugin's interface tables after init. Every table's struct_size is checked
// against its ABI 1 minimum before any field is read, and required entries against NULL: a
// malformed table rejects the plugin with the reason (never skipped silently).
#include "abi_bridge.hpp"
#include "loader.hpp"

#include <fmt/core.h>

#include <algorithm>

namespace nirb::abi {
namespace {

std::string namespace_of_pass(const std::string& pass) {
    const auto dot = pass.find('.');
    return dot == std::string::npos ? std::string{} : pass.substr(0, dot);
}

void require_size(std::uint32_t size, std::size_t minimum, const std::string& what) {
    if (size < minimum)
        throw TableError(fmt::format("bad {}: struct_size {} is smaller than the ABI 1 minimum {}",
                                     what, size, minimum));
}

OptionSchema option_from_decl(const nirb_option_decl& d, const std::string& where) {
    require_size(d.struct_size, NIRB_OPTION_DECL_V1_MIN_SIZE, "option declaration of " + where);
    if (!d.name || !*d.name)
        throw TableError(fmt::format("bad option declaration of {}: empty name", where));
    if (d.type < NIRB_OPTION_BOOL || d.type > NIRB_OPTION_CHOICE)
        throw TableError(
            fmt::format("bad option '{}' of {}: unknown option type {}", d.name, where, d.type));
    OptionSchema s;
    s.name = d.name;
    s.type = static_cast<OptionType>(d.type);
    if (d.default_value)
        s.default_value = d.default_value;
    if (d.has_min)
        s.min = d.min;
    if (d.has_max)
        s.max = d.max;
    for (auto c = d.choices; c && *c; ++c)
        s.choices.emplace_back(*c);
    s.doc = d.doc ? d.doc : "";
    return s;
}

std::vector<PassInfo> read_passes(const nirb_passes_v1& table, const PluginRecord& record) {
    require_size(table.struct_size, NIRB_PASSES_V1_MIN_SIZE, "nirb.passes/1 table");
    if (!table.count || !table.info || !table.run)
        throw TableError("bad nirb.passes/1 table: count, info or run is NULL");
    std::vector<PassInfo> out;
    const std::size_t n = table.count();
    for (std::size_t i = 0; i < n; ++i) {
        const nirb_pass_info* info = table.info(i);
        if (!info)
            throw TableError(fmt::format("bad nirb.passes/1 table: info({}) is NULL", i));
        require_size(info->struct_size, NIRB_PASS_INFO_V1_MIN_SIZE, fmt::format("pass info {}", i));
        if (!info->name || !*info->name)
            throw TableError(fmt::format("bad pass info {}: empty name", i));
        PassInfo p{info->name, info->summary ? info->summary : "", record.id, {}};
        if (std::count(record.namespaces.begin(), record.namespaces.end(),
                       namespace_of_pass(p.name)) == 0)
            throw TableError(fmt::format("pass '{}' is outside the plugin's namespaces", p.name));
        for (auto o = info->options; o && *o; ++o)
            p.options.push_back(option_from_decl(**o, "pass '" + p.name + "'"));
        out.push_back(std::move(p));
    }
    return out;
}

bool offers_pass(const PluginOffer& offer, const char* name) {
    return std::any_of(offer.passes.begin(), offer.passes.end(),
                       [&](const PassInfo& p) { return p.name == name; });
}

ConventionInfo read_convention(const nirb_convention_v1& c, const PluginOffer& offer,
                               const std::string& plugin_id) {
    require_size(c.struct_size, NIRB_CONVENTION_V1_MIN_SIZE, "nirb.convention/1 table");
    if (!c.framework || !*c.framework)
        throw TableError("bad nirb.convention/1 table: empty framework name");
    for (const char* pass : {c.to_canonical, c.from_canonical})
        if (pass && *pass && !offers_pass(offer, pass))
            throw TableError(fmt::format("bad nirb.convention/1 table: names pass '{}', which "
                                         "the plugin does not offer",
                                         pass));
    return {c.framework, c.to_canonical ? c.to_canonical : "",
            c.from_canonical ? c.from_canonical : "", plugin_id};
}

TargetInfo read_target(const nirb_target_v1& t, const PluginOffer& offer,
                       const std::string& plugin_id) {
    require_size(t.struct_size, NIRB_TARGET_V1_MIN_SIZE, "nirb.target/1 table");
    if (!t.target || !*t.target)
        throw TableError("bad nirb.target/1 table: empty target name");
    if (!t.report)
        throw TableError("bad nirb.target/1 table: report is NULL");
    for (const char* pass : {t.check_pass, t.quantize_pass, t.map_pass})
        if (!pass || !offers_pass(offer, pass))
            throw TableError(fmt::format("bad nirb.target/1 table: names pass '{}', which the "
                                         "plugin does not offer",
                                         pass ? pass : "(NULL)"));
    TargetInfo info{t.target, {}, t.check_pass, t.quantize_pass, t.map_pass, {}, plugin_id};
    // Appended fields: read only what the plugin's struct_size covers.
    if (t.struct_size >= offsetof(nirb_target_v1, summary) + sizeof(void*) && t.summary)
        info.summary = t.summary;
    if (t.struct_size >= offsetof(nirb_target_v1, profile) + sizeof(void*) && t.profile)
        info.profile = t.profile;
    return info;
}

} // namespace

PluginOffer initialise(const nirb_plugin_v1& d, const PluginRecord& record, LiveTables& out) {
    char err[1024] = {0};
    if (d.init && d.init(host_table(), err, sizeof err) != NIRB_OK)
        throw Error(fmt::format("init failed: {}", err));
    PluginOffer offer;
    out = {};
    out.passes = static_cast<const nirb_passes_v1*>(d.get_interface(NIRB_PASSES_V1));
    if (out.passes) {
        offer.interfaces.push_back(NIRB_PASSES_V1);
        offer.passes = read_passes(*out.passes, record);
    }
    out.convention = static_cast<const nirb_convention_v1*>(d.get_interface(NIRB_CONVENTION_V1));
    if (out.convention) {
        offer.interfaces.push_back(NIRB_CONVENTION_V1);
        offer.convention = read_convention(*out.convention, offer, record.id);
    }
    out.target = static_cast<const nirb_target_v1*>(d.get_interface(NIRB_TARGET_V1));
    if (out.target) {
        offer.interfaces.push_back(NIRB_TARGET_V1);
        offer.target = read_target(*out.target, offer, record.id);
    }
    return offer;
}

} // namespace nirb::abi
