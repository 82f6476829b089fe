// The JSON form of documents, nodes and values. Values are tagged where JSON is ambiguous:
// {"$tensor": {...}} for arrays, {"$float": "nan"} for non-finite doubles, and map keys
// starting with '$' get one more '$' so they never collide with the tags.
#include "nirb/json_form.hpp"

#include "json_tensor.hpp"
#include "nirb/atomic_output.hpp"
#include "nirb/error.hpp"
#include "nirb/graph.hpp"
#include "nirb/io.hpp"

#include <cmath>
#include <cstdint>
#include <fstream>
#include <memory>
#include <new>
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

/// Nesting limit of one parse (the same as ReadOptions::max_depth for .nir files), and where
/// we are: nested graphs and metadata maps count one level each, as in the .nir reader.
struct Depth {
    int level;
    int max;
    Depth deeper(const std::string& where) const {
        if (level + 1 > max)
            throw Error(where + ": nested deeper than " + std::to_string(max) +
                        " levels (the .nir reader's limit); refused as a hostile file [NIRB-E109]");
        return {level + 1, max};
    }
};

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

Value value_from_json(const Json& j, const std::string& where, Depth depth);

ValueMap map_from_json(const Json& j, const std::string& where, Depth depth) {
    if (!j.is_object())
        throw Error(where + ": expected an object");
    const Depth inner = depth.deeper(where);
    ValueMap m;
    for (const auto& [k, v] : j.items())
        m.entries().emplace_back(unescape_key(k), value_from_json(v, where + "/" + k, inner));
    return m;
}

Value value_from_json(const Json& j, const std::string& where, Depth depth) {
    if (j.is_boolean())
        return Value(j.get<bool>());
    if (j.is_number_unsigned() && j.get<std::uint64_t>() > INT64_MAX)
        throw Error(where + ": integer " + j.dump() + " does not fit 64-bit signed");
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
        return Value(map_from_json(j, where, depth));
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

Graph graph_from_json(const Json& j, const std::string& where, Depth depth);

Node node_from_json(const Json& j, const std::string& where, Depth depth) {
    if (!j.is_object() || !j.contains("type") || !j["type"].is_string())
        throw Error(where + ": expected a node object with a string \"type\"");
    Node n(j["type"].get<std::string>());
    if (j.contains("fields"))
        n.fields() = map_from_json(j["fields"], where + "/fields", depth);
    if (j.contains("extras"))
        n.extras() = map_from_json(j["extras"], where + "/extras", depth);
    if (j.contains("nodes") || j.contains("edges")) {
        n.set_graph(graph_from_json(j, where, depth));
        if (j.contains("node_metadata"))
            n.metadata() = map_from_json(j["node_metadata"], where + "/node_metadata", depth);
    } else if (j.contains("metadata")) {
        n.metadata() = map_from_json(j["metadata"], where + "/metadata", depth);
    }
    return n;
}

Graph graph_from_json(const Json& j, const std::string& where, Depth depth) {
    Graph g;
    const Depth inner = depth.deeper(where + "/nodes");
    const Json& nodes = j.contains("nodes") ? j["nodes"] : Json::object();
    if (!nodes.is_object())
        throw Error(where + "/nodes: expected an object of nodes");
    for (const auto& [name, child] : nodes.items())
        g.add_node(name, node_from_json(child, where + "/nodes/" + name, inner));
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
        g.metadata() = map_from_json(j["metadata"], where + "/metadata", depth);
    return g;
}

} // namespace

namespace {

std::uint64_t tensor_elements(const ValueMap& m);

std::uint64_t tensor_elements(const Value& v) {
    if (v.is_tensor())
        return static_cast<std::uint64_t>(v.as_tensor().size());
    return v.is_map() ? tensor_elements(v.as_map()) : 0;
}

std::uint64_t tensor_elements(const ValueMap& m) {
    std::uint64_t n = 0;
    for (const auto& [k, v] : m.entries())
        n += tensor_elements(v);
    return n;
}

std::uint64_t tensor_elements(const Node& node) {
    std::uint64_t n = tensor_elements(node.fields()) + tensor_elements(node.extras()) +
                      tensor_elements(node.metadata());
    if (node.is_graph()) {
        n += tensor_elements(node.graph().metadata());
        for (const auto& child : node.graph().nodes())
            n += tensor_elements(child.node);
    }
    return n;
}

/// The JSON form needs about 64 bytes per tensor element (a 16-byte JSON value plus its
/// text). Running out of memory half-way is not recoverable: nlohmann-json allocates while
/// destroying a large value, and an exception there ends the process (SIGABRT). So ask for
/// the memory up front and refuse cleanly when it is not there.
void require_json_memory(const Document& doc) {
    constexpr std::uint64_t kBytesPerElement = 64;
    const std::uint64_t elements = tensor_elements(doc.root) + tensor_elements(doc.extras);
    const std::uint64_t need = elements > UINT64_MAX / kBytesPerElement
                                   ? UINT64_MAX
                                   : elements * kBytesPerElement + (std::uint64_t{1} << 20);
    std::unique_ptr<char[]> probe(need > SIZE_MAX ? nullptr : new (std::nothrow) char[need]);
    if (!probe)
        throw Error("the JSON form of this document needs about " + std::to_string(need >> 20) +
                    " MiB (" + std::to_string(elements) +
                    " tensor elements) and that much memory is not available; keep it in .nir "
                    "[NIRB-E115]");
}

} // namespace

std::string to_json_text(const Document& doc) {
    require_json_memory(doc);
    try {
        Json j;
        j["format"] = kFormatTag;
        j["format_version"] = kFormatVersion;
        j["version"] = doc.version ? Json(*doc.version) : Json(nullptr);
        j["node"] = node_to_json(doc.root);
        if (!doc.extras.empty())
            j["extras"] = map_to_json(doc.extras);
        std::string text = j.dump(2);
        text += '\n';
        return text;
    } catch (const nlohmann::json::type_error& e) {
        // 316: a name or string that is not UTF-8 (HDF5 allows any bytes; JSON does not).
        throw Error(std::string("cannot write the JSON form: a name or string is not valid "
                                "UTF-8 (") +
                    e.what() + "); keep this document in .nir");
    } catch (const std::bad_alloc&) {
        throw Error("out of memory while building the JSON form (it needs about 10 times the "
                    "size of the tensors); keep this document in .nir");
    }
}

namespace {

/// Bracket depth of the raw text, without building anything: the parser and the value
/// destructors recurse, so hostile nesting must be refused before parsing.
void check_raw_nesting(const std::string& text, int max_depth, const std::string& source) {
    // Each graph level costs two JSON levels (node, "nodes"); tensors and tags a few more.
    const int limit = 2 * max_depth + 8;
    int depth = 0;
    bool in_string = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (in_string) {
            if (c == '\\')
                ++i;
            else if (c == '"')
                in_string = false;
        } else if (c == '"') {
            in_string = true;
        } else if (c == '{' || c == '[') {
            if (++depth > limit)
                throw Error(source + ": JSON nested deeper than " + std::to_string(limit) +
                            " levels (graphs deeper than " + std::to_string(max_depth) +
                            ", the .nir reader's limit); refused as a hostile file [NIRB-E109]");
        } else if (c == '}' || c == ']') {
            --depth;
        }
    }
}

} // namespace

Document from_json_text(const std::string& text, const std::string& source, int max_depth) {
    check_raw_nesting(text, max_depth, source);
    Json j;
    try {
        j = Json::parse(text);
    } catch (const nlohmann::json::exception& e) {
        // parse_error, and out_of_range for numbers such as 1e999 that overflow a double.
        throw Error(source + ": invalid JSON: " + e.what());
    }
    // Checked by kind first: j.value() throws when a key holds another JSON type.
    if (!j.is_object() || !j.contains("format") || !j["format"].is_string() ||
        j["format"].get<std::string>() != kFormatTag)
        throw Error(source + ": not a nirbridge JSON document (expected \"format\": \"" +
                    kFormatTag + "\")");
    if (!j.contains("format_version") || !j["format_version"].is_number_integer() ||
        j["format_version"].get<std::int64_t>() != kFormatVersion)
        throw Error(source + ": unsupported format_version; expected " +
                    std::to_string(kFormatVersion));
    try {
        Document doc;
        if (j.contains("version") && j["version"].is_string())
            doc.version = j["version"].get<std::string>();
        if (!j.contains("node"))
            throw Error("/node: missing");
        const Depth top{0, max_depth};
        doc.root = node_from_json(j["node"], "/node", top);
        if (j.contains("extras"))
            doc.extras = map_from_json(j["extras"], "/extras", top);
        return doc;
    } catch (const nlohmann::json::exception& e) {
        throw Error(source + ": " + e.what());
    } catch (const Error& e) {
        throw Error(source + ": " + e.what());
    }
}

Document read_json(const std::string& path, Diagnostics&, int max_depth) {
    require_readable_file(path, "a .json file");
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw Error(path + ": cannot open");
    std::ostringstream ss;
    ss << in.rdbuf();
    return from_json_text(ss.str(), path, max_depth);
}

void write_json(const std::string& path, const Document& doc, bool overwrite) {
    const std::string text = to_json_text(doc);
    AtomicOutput out(path, overwrite);
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
