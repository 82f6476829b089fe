// Reading one plugin file: in this process (inside the discovery child), or in a child
// process whose answer comes back as JSON. A crash, a hang or an escaped exception while
// reading becomes the reason the file is rejected.
#include "scan.hpp"

#include "nirb/child_process.hpp"

#include <fmt/core.h>
#include <nlohmann/json.hpp>

namespace nirb::abi {
namespace {

using nlohmann::json;

json option_json(const OptionSchema& o) {
    json j{{"name", o.name},
           {"type", static_cast<int>(o.type)},
           {"choices", o.choices},
           {"doc", o.doc}};
    if (o.default_value)
        j["default"] = *o.default_value;
    if (o.min)
        j["min"] = *o.min;
    if (o.max)
        j["max"] = *o.max;
    return j;
}

OptionSchema option_from_json(const json& j) {
    OptionSchema o;
    o.name = j.at("name").get<std::string>();
    o.type = static_cast<OptionType>(j.at("type").get<int>());
    o.choices = j.at("choices").get<std::vector<std::string>>();
    o.doc = j.at("doc").get<std::string>();
    if (j.contains("default"))
        o.default_value = j["default"].get<std::string>();
    if (j.contains("min"))
        o.min = j["min"].get<double>();
    if (j.contains("max"))
        o.max = j["max"].get<double>();
    return o;
}

json offer_json(const PluginOffer& offer) {
    json passes = json::array();
    for (const auto& p : offer.passes) {
        json options = json::array();
        for (const auto& o : p.options)
            options.push_back(option_json(o));
        passes.push_back({{"name", p.name}, {"summary", p.summary}, {"options", options}});
    }
    json j{{"interfaces", offer.interfaces}, {"passes", passes}};
    if (const auto& c = offer.convention)
        j["convention"] = {{"framework", c->framework},
                           {"to_canonical", c->to_canonical},
                           {"from_canonical", c->from_canonical}};
    if (const auto& t = offer.target)
        j["target"] = {{"target", t->target},    {"summary", t->summary},
                       {"check", t->check_pass}, {"quantize", t->quantize_pass},
                       {"map", t->map_pass},     {"profile", t->profile}};
    return j;
}

PluginOffer offer_from_json(const json& j, const std::string& plugin_id) {
    PluginOffer offer;
    offer.interfaces = j.at("interfaces").get<std::vector<std::string>>();
    for (const auto& p : j.at("passes")) {
        PassInfo info{
            p.at("name").get<std::string>(), p.at("summary").get<std::string>(), plugin_id, {}};
        for (const auto& o : p.at("options"))
            info.options.push_back(option_from_json(o));
        offer.passes.push_back(std::move(info));
    }
    if (j.contains("convention")) {
        const auto& c = j["convention"];
        offer.convention = ConventionInfo{c.at("framework").get<std::string>(),
                                          c.at("to_canonical").get<std::string>(),
                                          c.at("from_canonical").get<std::string>(), plugin_id};
    }
    if (j.contains("target")) {
        const auto& t = j["target"];
        offer.target = TargetInfo{t.at("target").get<std::string>(),
                                  t.at("summary").get<std::string>(),
                                  t.at("check").get<std::string>(),
                                  t.at("quantize").get<std::string>(),
                                  t.at("map").get<std::string>(),
                                  t.at("profile").get<std::string>(),
                                  plugin_id};
    }
    return offer;
}

} // namespace

std::string scan_result_to_json(const ScanResult& r) {
    json j{{"rejected", r.rejected}};
    if (r.rejected.empty()) {
        j["record"] = {{"id", r.record.id},
                       {"name", r.record.name},
                       {"version", r.record.version},
                       {"nir_versions", r.record.nir_versions},
                       {"namespaces", r.record.namespaces}};
        j["init_error"] = r.init_error;
        if (r.offer)
            j["offer"] = offer_json(*r.offer);
    }
    return j.dump();
}

ScanResult scan_result_from_json(const std::string& text) {
    const json j = json::parse(text);
    ScanResult r;
    r.rejected = j.at("rejected").get<std::string>();
    if (!r.rejected.empty())
        return r;
    const auto& rec = j.at("record");
    r.record.id = rec.at("id").get<std::string>();
    r.record.name = rec.at("name").get<std::string>();
    r.record.version = rec.at("version").get<std::string>();
    r.record.nir_versions = rec.at("nir_versions").get<std::string>();
    r.record.namespaces = rec.at("namespaces").get<std::vector<std::string>>();
    r.init_error = j.at("init_error").get<std::string>();
    if (j.contains("offer"))
        r.offer = offer_from_json(j["offer"], r.record.id);
    return r;
}

ScanResult read_plugin_file(const std::string& path) {
    ScanResult result;
    const nirb_plugin_v1* d = load_library(path, result.rejected);
    if (!d)
        return result;
    result.record = record_of(*d, path, false);
    LiveTables tables;
    try {
        result.offer = initialise(*d, result.record, tables);
    } catch (const TableError& e) {
        result.rejected = e.what();
    } catch (const std::exception& e) {
        // Init may depend on the environment (a licence file, a device): not cached.
        result.init_error = e.what();
        result.cacheable = false;
    }
    return result;
}

ScanResult read_plugin_file_isolated(const std::string& path, unsigned timeout_seconds) {
    const ChildOutcome child = run_in_child(
        [&path] {
            const ScanResult r = read_plugin_file(path);
            return (r.cacheable ? "1" : "0") + scan_result_to_json(r);
        },
        timeout_seconds);
    ScanResult result;
    switch (child.status) {
    case ChildOutcome::Status::Finished:
        try {
            result = scan_result_from_json(child.output.substr(1));
            result.cacheable = child.output.rfind('1', 0) == 0;
        } catch (const std::exception& e) {
            result = {};
            result.rejected =
                std::string("unreadable answer from the discovery child: ") + e.what();
        }
        return result;
    case ChildOutcome::Status::Threw:
        result.rejected = "an exception escaped while reading the plugin: " + child.message;
        return result;
    case ChildOutcome::Status::Crashed:
        result.rejected = "the plugin " + child.message +
                          " while being read (entry point, init or interface tables); not loaded";
        return result;
    case ChildOutcome::Status::TimedOut:
        result.rejected = "reading the plugin " + child.message +
                          " (entry point, init or interface tables hang); not loaded";
        result.cacheable = false; // a loaded machine may be the cause: try again next time
        return result;
    case ChildOutcome::Status::StartFailed:
        break;
    }
    result.rejected = "could not read the plugin in a child process: " + child.message;
    result.cacheable = false;
    return result;
}

} // namespace nirb::abi
