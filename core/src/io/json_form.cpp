// The JSON form of documents, nodes and values. Values are tagged where JSON is ambiguous:
// {"$tensor": {...}} for arrays, {"$float": "nan"} for non-finite doubles, and map keys
// starting with '$' get one more '$' so they never collide with the tags.
#include "nirb/json_form.hpp"

#include "atomic_file.hpp"
#include "json_tensor.hpp"
#include "nirb/error.hpp"
#include "nirb/graph.hpp"

#include <cmath>
#include <fstream>
#include <sstream>

namespace nirb {
namespace {

using io::Json;

constexpr const char* kFormatTag = "nirb-json";
constexpr int kFormatVersion = 1;

std::string escape_key(const std::string& k) {
    return !k.empty() && k[0] == '$' ? "$" + k : k;
}
std::string unescape_key(const std::string& k) {
    return k.size() > 1 && k[0] == '$' && k[1] == '$' ? k.substr(1) : k;
}

Json value_to_json(const Value& v);

Json map_to_json(const ValueMap& m) {
    Json j = Json::object();
    for (const auto& [k, v] : m.entries())
        j[escape_key(k)] = value_to_json(v);
    return j;
}

Json value_to_json(const Value& v) {
    return std::visit(
        [](const auto& x) -> Json {
            using V = std::decay_t<decltype(x)>;
            if constexpr (std::is_same_v<V, Tensor>)
                return Json{{"$tensor", io::tensor_to_json(x)}};
            else if constexpr (std::is_same_v<V, ValueMap>)
                return map_to_json(x);
            else if constexpr (std::is_same_v<V, double>) {
                if (std::isfinite(x))
                    return x;
                return Json{{"$float", std::isnan(x) ? "nan" : (x > 0 ? "inf" : "-inf")}};
            } else
                return x;
        },
        v.storage());
}

Value value_from_json(const Json& j, const std::string& where);

ValueMap map_from_json(const Json& j, const std::string& where) {
    if (!j.is_object())
        throw Error(where + ": expected an object");
    ValueMap m;
    for (const auto& [k, v] : j.items())
        m.entries().emplace_back(unescape_key(k), value_from_json(v, where + "/" + k));
    return m;
}

Value value_from_json(const Json& j, const std::string& where) {
    if (j.is_boolean())
        return Value(j.get<bool>());
    if (j.is_number_integer())
        return Value(j.get<std::int64_t>());
    if (j.is_number_float())
        return Value(j.get<double>());
    if (j.is_string())
        return Value(j.get<std::string>());
    if (j.is_object() && j.size() == 1 && j.contains("$tensor"))
        return Value(io::tensor_from_json(j["$tensor"], where + "/$tensor"));
    if (j.is_object() && j.size() == 1 && j.contains("$float")) {
        const auto s = j["$float"].get<std::string>();
        return Value(s == "nan" ? std::nan("") : (s == "inf" ? INFINITY : -INFINITY));
    }
    if (j.is_object())
        return Value(map_from_json(j, where));
    throw Error(where + ": unsupported JSON value (null or list); expected a tagged value");
}

Json node_to_json(const Node& n) {
    Json j;
    j["type"] = n.type();
    if (!n.fields().empty())
        j["fields"] = map_to_json(n.fields());
    if (n.is_graph()) {
        const Graph& g = n.graph();
        Json nodes = Json::object();
        for (const auto& nn : g.nodes())
            nodes[nn.name] = node_to_json(nn.node);
        j["nodes"] = std::move(nodes);
        Json edges = Json::array();
        for (const auto& e : g.edges())
            edges.push_back({e.src, e.dst});
        j["edges"] = std::move(edges);
        if (!g.metadata().empty())
            j["metadata"] = map_to_json(g.metadata());
        if (!n.metadata().empty())
            j["node_metadata"] = map_to_json(n.metadata());
    } else if (!n.metadata().empty()) {
        j["metadata"] = map_to_json(n.metadata());
    }
    if (!n.extras().empty())
        j["extras"] = map_to_json(n.extras());
    return j;
}

Graph graph_from_json(const Json& j, const std::string& where);

Node node_from_json(const Json& j, const std::string& where) {
    if (!j.is_object() || !j.contains("type") || !j["type"].is_string())
        throw Error(where + ": expected a node object with a string \"type\"");
    Node n(j["type"].get<std::string>());
    if (j.contains("fields"))
        n.fields() = map_from_json(j["fields"], where + "/fields");
    if (j.contains("extras"))
        n.extras() = map_from_json(j["extras"], where + "/extras");
    if (j.contains("nodes") || j.contains("edges")) {
        n.set_graph(graph_from_json(j, where));
        if (j.contains("node_metadata"))
            n.metadata() = map_from_json(j["node_metadata"], where + "/node_metadata");
    } else if (j.contains("metadata")) {
        n.metadata() = map_from_json(j["metadata"], where + "/metadata");
    }
    return n;
}

Graph graph_from_json(const Json& j, const std::string& where) {
    Graph g;
    const Json& nodes = j.contains("nodes") ? j["nodes"] : Json::object();
    if (!nodes.is_object())
        throw Error(where + "/nodes: expected an object of nodes");
    for (const auto& [name, child] : nodes.items())
        g.add_node(name, node_from_json(child, where + "/nodes/" + name));
    const Json& edges = j.contains("edges") ? j["edges"] : Json::array();
    if (!edges.is_array())
        throw Error(where + "/edges: expected a list of [src, dst] pairs");
    for (std::size_t i = 0; i < edges.size(); ++i) {
        const Json& e = edges[i];
        if (!e.is_array() || e.size() != 2 || !e[0].is_string() || !e[1].is_string())
            throw Error(where + "/edges/" + std::to_string(i) + ": expected [src, dst] strings");
        g.add_edge(e[0].get<std::string>(), e[1].get<std::string>());
    }
    if (j.contains("metadata"))
        g.metadata() = map_from_json(j["metadata"], where + "/metadata");
    return g;
}

} // namespace

std::string to_json_text(const Document& doc) {
    Json j;
    j["format"] = kFormatTag;
    j["format_version"] = kFormatVersion;
    j["version"] = doc.version ? Json(*doc.version) : Json(nullptr);
    j["node"] = node_to_json(doc.root);
    if (!doc.extras.empty())
        j["extras"] = map_to_json(doc.extras);
    return j.dump(2) + "\n";
}

Document from_json_text(const std::string& text, const std::string& source) {
    Json j;
    try {
        j = Json::parse(text);
    } catch (const nlohmann::json::parse_error& e) {
        throw Error(source + ": invalid JSON: " + e.what());
    }
    if (!j.is_object() || j.value("format", "") != kFormatTag)
        throw Error(source + ": not a nirbridge JSON document (expected \"format\": \"" +
                    kFormatTag + "\")");
    if (j.value("format_version", 0) != kFormatVersion)
        throw Error(source + ": unsupported format_version; expected " +
                    std::to_string(kFormatVersion));
    try {
        Document doc;
        if (j.contains("version") && j["version"].is_string())
            doc.version = j["version"].get<std::string>();
        if (!j.contains("node"))
            throw Error("/node: missing");
        doc.root = node_from_json(j["node"], "/node");
        if (j.contains("extras"))
            doc.extras = map_from_json(j["extras"], "/extras");
        return doc;
    } catch (const nlohmann::json::exception& e) {
        throw Error(source + ": " + e.what());
    } catch (const Error& e) {
        throw Error(source + ": " + e.what());
    }
}

Document read_json(const std::string& path, Diagnostics&) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw Error(path + ": cannot open");
    std::ostringstream ss;
    ss << in.rdbuf();
    return from_json_text(ss.str(), path);
}

void write_json(const std::string& path, const Document& doc, bool overwrite) {
    const std::string text = to_json_text(doc);
    io::AtomicOutput out(path, overwrite);
    {
        std::ofstream f(out.temp_path(), std::ios::binary | std::ios::trunc);
        f << text;
        f.flush();
        if (!f)
            throw Error(path + ": cannot write");
    }
    out.commit();
}

} // namespace nirb
