// nirb map --picture: the target's core loads (graph metadata, JSON) handed to the matplotlib
// renderer, which draws into a temporary file renamed over the picture when it succeeded.
#include "nirb/bridge/map_picture.hpp"

#include "nirb/atomic_output.hpp"
#include "nirb/error.hpp"
#include "nirb/sim/renderer.hpp"
#include "nirb/target_map.hpp"

#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>

namespace nirb::bridge {
namespace {

std::string extension(const std::string& path) {
    std::string ext = std::filesystem::path(path).extension().string();
    return ext.empty() ? "" : ext.substr(1);
}

/// The core loads as the renderer reads them, with their shape checked so a target's mistake
/// is an error naming the key rather than a Python traceback.
std::string core_loads(const Graph& mapped) {
    const Value* v = mapped.metadata().find(kTargetCoresMetadataKey);
    const Value* target = mapped.metadata().find(kTargetMetadataKey);
    const std::string name = target && target->is_string() ? target->as_string() : "?";
    if (!v || !v->is_string())
        throw Error(fmt::format("--picture: target '{}' wrote no core loads (graph metadata "
                                "'{}'), so there is nothing to draw",
                                name, kTargetCoresMetadataKey));
    const auto j = nlohmann::json::parse(v->as_string(), nullptr, false);
    bool ok = j.is_object() && j.contains("cores") && j["cores"].is_array() &&
              j.value("cores_available", nlohmann::json()).is_number();
    if (ok)
        for (const auto& c : j["cores"])
            ok = ok && c.is_object() && c.value("core", nlohmann::json()).is_number() &&
                 c.value("population", nlohmann::json()).is_string() &&
                 c.value("resources", nlohmann::json()).is_array();
    if (!ok)
        throw Error(fmt::format("--picture: target '{}' wrote malformed core loads (graph "
                                "metadata '{}'; nirb/abi/interfaces.h describes the form)",
                                name, kTargetCoresMetadataKey));
    return v->as_string();
}

} // namespace

void check_picture_path(const std::string& path) {
    const std::string ext = extension(path);
    if (ext != "png" && ext != "svg")
        throw UsageError(fmt::format("--picture '{}': use a .png or .svg file", path));
}

void draw_mapping_picture(const Graph& mapped, const std::string& path, bool overwrite) {
    check_picture_path(path);
    const std::string loads = core_loads(mapped);
    AtomicOutput picture(path, overwrite);
    AtomicOutput data(path + ".json", true); // the renderer's input, never committed
    if (std::ofstream f(data.temp_path(), std::ios::binary); !(f << loads) || !f.flush())
        throw Error(fmt::format("--picture: cannot write '{}'", data.temp_path()));
    const sim::RenderResult r =
        sim::run_renderer("core_load.py", {data.temp_path(), picture.temp_path(), extension(path)});
    if (!r.ok)
        throw Error(fmt::format("--picture '{}' not drawn: {}", path, r.message));
    picture.commit();
}

} // namespace nirb::bridge
