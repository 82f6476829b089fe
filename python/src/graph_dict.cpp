// Documents to and from nir's dict form (graph_dict.hpp). The dict a document becomes is what
// h5py hands nir.read for the same document written as a file, so nir.dict2NIRNode builds
// exactly the objects nir.read would; the dict read back is what nir.write would store.
#include "graph_dict.hpp"

#include "nirb/error.hpp"
#include "nirb/graph.hpp"
#include "nirb/schema.hpp"

#include <nanobind/ndarray.h>
#include <nanobind/stl/string.h>
#include <nanobind/stl/vector.h>

#include <cstring>

namespace nirb::python {
namespace {

namespace nb = nanobind;
using namespace nanobind::literals;

nb::module_& numpy() {
    // Leaked: module objects must not be released after the interpreter shut down.
    static auto* np = new nb::module_(nb::module_::import_("numpy"));
    return *np;
}

nb::dlpack::dtype dlpack_dtype(DType t) {
    using Code = nb::dlpack::dtype_code;
    const auto bits = static_cast<std::uint8_t>(8 * dtype_size(t));
    const Code code =
        t == DType::Bool    ? Code::Bool
        : dtype_is_float(t) ? Code::Float
        : t == DType::UInt8 || t == DType::UInt16 || t == DType::UInt32 || t == DType::UInt64
            ? Code::UInt
            : Code::Int;
    return {static_cast<std::uint8_t>(code), bits, 1};
}

/// A string tensor as h5py reads it: an object array of bytes (a 0-d one as str, which
/// nir's reader decodes from bytes).
nb::object string_tensor(const Tensor& t) {
    if (t.rank() == 0)
        return nb::str(t.strings().front().c_str(), t.strings().front().size());
    nb::list items;
    for (const auto& s : t.strings())
        items.append(nb::bytes(s.data(), s.size()));
    nb::object array = numpy().attr("array")(items, "dtype"_a = "object");
    nb::list shape;
    for (auto d : t.shape())
        shape.append(d);
    return array.attr("reshape")(shape);
}

/// A numeric tensor as a NumPy array viewing its bytes (kept alive by `owner`); a 0-d one
/// as the NumPy scalar h5py returns for a scalar dataset.
nb::object numeric_tensor(const Tensor& t, nb::handle owner) {
    std::vector<std::size_t> shape(t.shape().begin(), t.shape().end());
    if (t.size() == 0) {
        nb::list dims;
        for (auto d : shape)
            dims.append(d);
        return numpy().attr("empty")(dims, "dtype"_a = std::string(dtype_name(t.dtype())));
    }
    auto* data = const_cast<std::byte*>(t.bytes().data());
    nb::ndarray<nb::numpy> view(data, shape.size(), shape.data(), owner, nullptr,
                                dlpack_dtype(t.dtype()));
    nb::object array = nb::cast(view, nb::rv_policy::reference);
    // DLPack's 64-bit integers arrive as NumPy's longlong, a type distinct from the int64 that
    // h5py (and so nir.read) gives; a view with the named dtype is the same memory.
    if (t.dtype() == DType::Int64 || t.dtype() == DType::UInt64)
        array = array.attr("view")(std::string(dtype_name(t.dtype())));
    if (t.rank() == 0)
        return array.attr("__getitem__")(nb::tuple());
    return array;
}

nb::object tensor_to_py(const Tensor& t, nb::handle owner) {
    return t.dtype() == DType::String ? string_tensor(t) : numeric_tensor(t, owner);
}

nb::object value_to_py(const Value& v, nb::handle owner);

nb::dict map_to_py(const ValueMap& map, nb::handle owner) {
    nb::dict d;
    for (const auto& [key, value] : map.entries())
        d[nb::str(key.c_str(), key.size())] = value_to_py(value, owner);
    return d;
}

/// Metadata keeps h5py's scalar kinds: int64, float64 and bool as NumPy scalars.
nb::object value_to_py(const Value& v, nb::handle owner) {
    if (v.is_bool())
        return numpy().attr("bool_")(v.as_bool());
    if (v.is_int())
        return numpy().attr("int64")(v.as_int());
    if (v.is_double())
        return numpy().attr("float64")(v.as_double());
    if (v.is_string())
        return nb::str(v.as_string().c_str(), v.as_string().size());
    if (v.is_tensor())
        return tensor_to_py(v.as_tensor(), owner);
    return map_to_py(v.as_map(), owner);
}

nb::object edges_to_py(const std::vector<Edge>& edges) {
    if (edges.empty()) // nir.write stores an empty edge list as a float64 (0,) dataset
        return numpy().attr("empty")(0);
    nb::list rows;
    for (const auto& e : edges)
        rows.append(nb::make_tuple(nb::bytes(e.src.data(), e.src.size()),
                                   nb::bytes(e.dst.data(), e.dst.size())));
    return numpy().attr("array")(rows, "dtype"_a = "object");
}

std::string text_of(nb::handle h) {
    if (nb::isinstance<nb::bytes>(h)) {
        nb::bytes b = nb::borrow<nb::bytes>(h);
        return std::string(b.c_str(), b.size());
    }
    nb::str s(h);
    return std::string(s.c_str());
}

/// A number or array in the dtype NumPy gives it (h5py stores np.asarray(value)).
Value array_from_py(nb::handle value, const std::string& path) {
    // np.asarray keeps 0-d values 0-d; tobytes() below is row-major whatever the layout.
    nb::object array = numpy().attr("asarray")(value);
    const std::string kind = text_of(array.attr("dtype").attr("kind"));
    Shape shape;
    for (nb::handle d : array.attr("shape"))
        shape.push_back(nb::cast<std::int64_t>(d));
    if (kind == "O" || kind == "S" || kind == "U") {
        std::vector<std::string> strings;
        for (nb::handle item : array.attr("ravel")())
            strings.push_back(text_of(item));
        if (shape.empty())
            return Value(strings.front());
        return Value(Tensor::from_strings(std::move(strings), std::move(shape)));
    }
    const auto dtype = dtype_from_name(text_of(array.attr("dtype")));
    if (!dtype)
        throw Error(path + ": dtype " + text_of(array.attr("dtype")) +
                    " cannot be stored in a .nir file");
    // Little-endian bytes, as the tensor stores them.
    array = array.attr("astype")(array.attr("dtype").attr("newbyteorder")("<"), "copy"_a = false);
    nb::bytes raw = nb::borrow<nb::bytes>(array.attr("tobytes")());
    return Value(
        Tensor::from_bytes(*dtype, std::move(shape),
                           std::span(reinterpret_cast<const std::byte*>(raw.c_str()), raw.size())));
}

ValueMap map_from_py(nb::handle d, const std::string& path, bool metadata);

/// A metadata value: h5py's scalar kinds become Value scalars (as the reader keeps them).
Value metadata_value(nb::handle v, const std::string& path) {
    if (nb::isinstance<nb::dict>(v))
        return Value(map_from_py(v, path, true));
    if (nb::isinstance<nb::str>(v))
        return Value(text_of(v));
    Value out = array_from_py(v, path);
    if (out.is_tensor() && out.as_tensor().rank() == 0) {
        const Tensor& t = out.as_tensor();
        if (t.dtype() == DType::Bool)
            return Value(t.at(0) != 0);
        if (t.dtype() == DType::Int64)
            return Value(static_cast<std::int64_t>(t.to_ints()[0]));
        if (t.dtype() == DType::Float64)
            return Value(t.at(0));
    }
    return out;
}

Value field_value(nb::handle v, const std::string& path) {
    if (nb::isinstance<nb::dict>(v))
        return Value(map_from_py(v, path, false));
    if (nb::isinstance<nb::str>(v))
        return Value(text_of(v));
    return array_from_py(v, path);
}

ValueMap map_from_py(nb::handle d, const std::string& path, bool metadata) {
    ValueMap map;
    for (auto [key, value] : nb::borrow<nb::dict>(d)) {
        if (value.is_none())
            continue;
        const std::string name = text_of(key);
        const std::string where = path + "/" + name;
        map.set(name, metadata ? metadata_value(value, where) : field_value(value, where));
    }
    return map;
}

nb::dict require_dict(nb::handle h, const std::string& path) {
    if (!nb::isinstance<nb::dict>(h))
        throw Error(path + ": expected a dict (NIRNode.to_dict()), got " +
                    text_of(h.type().attr("__name__")));
    return nb::borrow<nb::dict>(h);
}

Graph graph_from_py(nb::dict d, const std::string& path) {
    Graph g;
    if (!d.contains("nodes") || !d.contains("edges"))
        throw Error(path + ": a NIRGraph needs 'nodes' and 'edges'");
    for (auto [name, child] : require_dict(d["nodes"], path + "/nodes")) {
        const std::string n = text_of(name);
        g.add_node(n, node_from_dict(child, path.empty() ? n : path + "." + n));
    }
    for (nb::handle edge : d["edges"]) {
        nb::object pair = nb::borrow(edge);
        if (nb::len(pair) != 2)
            throw Error(path + ": an edge is not a (source, target) pair");
        g.add_edge(text_of(pair[0]), text_of(pair[1]));
    }
    if (d.contains("metadata") && !d["metadata"].is_none())
        g.metadata() = map_from_py(d["metadata"], path + "/metadata", true);
    return g;
}

} // namespace

nb::dict node_to_dict(const Node& node, nb::handle owner) {
    nb::dict d;
    d["type"] = nb::str(node.type().c_str());
    if (node.is_graph()) {
        nb::dict nodes;
        for (const auto& child : node.graph().nodes())
            nodes[nb::str(child.name.c_str())] = node_to_dict(child.node, owner);
        d["nodes"] = nodes;
        d["edges"] = edges_to_py(node.graph().edges());
    } else {
        for (const auto& [name, value] : node.fields().entries())
            d[nb::str(name.c_str())] = value.is_tensor() ? tensor_to_py(value.as_tensor(), owner)
                                                         : value_to_py(value, owner);
    }
    if (!node.extras().empty())
        throw Error("a " + node.type() + " node has the dataset '" +
                    node.extras().entries().front().first +
                    "' that nir does not know: nir.NIRGraph cannot hold it (nirb.Graph keeps "
                    "it; write the graph with nirb.write instead)");
    const Metadata& md = node.is_graph() && !node.graph().metadata().empty()
                             ? node.graph().metadata()
                             : node.metadata();
    if (!md.empty())
        d["metadata"] = map_to_py(md, owner);
    return d;
}

Node node_from_dict(nb::handle h, const std::string& path) {
    nb::dict d = require_dict(h, path.empty() ? "graph" : path);
    if (!d.contains("type"))
        throw Error((path.empty() ? "graph" : path) + ": the node has no 'type'");
    const std::string type = text_of(d["type"]);
    if (type == "NIRGraph")
        return Node::make_graph(graph_from_py(d, path));
    Node node(type);
    const PrimitiveSchema* schema = find_primitive(type);
    for (auto [key, value] : d) {
        const std::string name = text_of(key);
        if (name == "type" || value.is_none())
            continue;
        const std::string where = (path.empty() ? type : path) + "/" + name;
        if (name == "metadata")
            node.metadata() = map_from_py(value, where, true);
        else if (!schema || schema->field(name))
            node.set_field(name, field_value(value, where));
        else
            node.extras().set(name, field_value(value, where));
    }
    return node;
}

} // namespace nirb::python
