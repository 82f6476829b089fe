// `nirb info FILE [--json] [--full] [--strict]`: what a file holds (format version, nodes
// with types, shapes and parameter statistics, edges, metadata) and every reading
// diagnostic. Exit 1 when reading found errors.
#include "verbs.hpp"

#include "diag_output.hpp"
#include "info_analysis.hpp"
#include "nirb/graph.hpp"
#include "nirb/io.hpp"
#include "nirb/text.hpp"

#include <fmt/core.h>
#include <nlohmann/json.hpp>

namespace nirb::cli {
namespace {

using Json = nlohmann::ordered_json;

struct InfoArgs {
    std::string file;
    bool json = false;
    bool full = false;
    bool strict = false;
};

Json value_json(const Value& v, bool full);

Json tensor_json(const Tensor& t, bool full) {
    Json j{{"dtype", std::string(dtype_name(t.dtype()))}, {"shape", t.shape()}};
    if (t.dtype() != DType::String && t.size() > 0) {
        const TensorStats st = tensor_stats(t);
        j["min"] = st.min;
        j["max"] = st.max;
        j["mean"] = st.mean;
        if (st.finite != st.count)
            j["nonfinite"] = st.count - st.finite;
    }
    if (full || t.size() <= 16) {
        if (t.dtype() == DType::String)
            j["values"] = t.strings();
        else
            j["values"] = t.to_doubles();
    }
    return j;
}

Json map_json(const ValueMap& m, bool full) {
    Json j = Json::object();
    for (const auto& [k, v] : m.entries())
        j[k] = value_json(v, full);
    return j;
}

Json value_json(const Value& v, bool full) {
    return std::visit(
        [&](const auto& x) -> Json {
            using V = std::decay_t<decltype(x)>;
            if constexpr (std::is_same_v<V, Tensor>)
                return tensor_json(x, full);
            else if constexpr (std::is_same_v<V, ValueMap>)
                return map_json(x, full);
            else
                return x;
        },
        v.storage());
}

Json node_json(const Node& n, bool full, int depth) {
    Json j{{"type", n.type()}, {"fields", map_json(n.fields(), full)}};
    if (!n.metadata().empty())
        j["metadata"] = map_json(n.metadata(), full);
    if (!n.extras().empty())
        j["extras"] = map_json(n.extras(), full);
    if (!n.is_graph())
        return j;
    const Graph& g = n.graph();
    j["node_count"] = g.size();
    j["edge_count"] = g.edges().size();
    if (full || depth == 0) {
        Json nodes = Json::array();
        for (const auto& nn : g.nodes()) {
            Json c = node_json(nn.node, full, depth + 1);
            c["name"] = nn.name;
            nodes.push_back(std::move(c));
        }
        j["nodes"] = std::move(nodes);
        Json edges = Json::array();
        for (const auto& e : g.edges())
            edges.push_back({e.src, e.dst});
        j["edges"] = std::move(edges);
    }
    if (!g.metadata().empty())
        j["metadata"] = map_json(g.metadata(), full);
    return j;
}

int run_info(const InfoArgs& a) {
    Diagnostics diags;
    ReadOptions ro;
    ro.strict = a.strict;
    ro.allow_errors = true;
    const auto read = read_for_json(a.file, diags, ro, a.json);
    if (!read)
        return 1;
    const Document& doc = *read;
    if (a.json) {
        Json j{{"file", a.file}, {"version", doc.version ? Json(*doc.version) : Json(nullptr)}};
        j["root"] = node_json(doc.root, a.full, 0);
        if (!doc.extras.empty())
            j["extras"] = map_json(doc.extras, a.full);
        const Json analysis = analysis_json(doc);
        for (const auto& [key, value] : analysis.items())
            j[key] = value;
        j["diagnostics"] = diagnostics_json(diags);
        fmt::print("{}\n", j.dump(2));
    } else {
        TextOptions to;
        to.expand_depth = a.full ? -1 : 1;
        to.inline_limit = a.full ? -1 : 8;
        to.checksums = false;
        fmt::print("{}\n{}{}", a.file, to_text(doc, to), analysis_text(doc));
        print_diagnostics(diags, a.file);
    }
    return diags.has_errors() ? 1 : 0;
}

} // namespace

Verb add_info_verb(CLI::App& app) {
    auto args = std::make_shared<InfoArgs>();
    Verb verb;
    verb.command = app.add_subcommand(
        "info", "Show a file's format version, nodes, parameter statistics, edges, metadata "
                "and reading diagnostics");
    verb.command->add_option("FILE", args->file, ".nir or .json file")->required();
    verb.command->add_flag("--json", args->json, "print JSON instead of text");
    verb.command->add_flag("--full", args->full,
                           "print nested graphs and every array value in full");
    verb.command->add_flag("--strict", args->strict, kStrictReadHelp);
    verb.run = [args] { return run_info(*args); };
    return verb;
}

} // namespace nirb::cli
