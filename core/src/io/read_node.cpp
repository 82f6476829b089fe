// Reading one node group, driven by the primitive's schema record: known fields, defaults
// for optional fields, unknown members kept as extras, and one diagnostic per oddity.
#include "reader.hpp"

#include "nirb/error.hpp"
#include "nirb/schema.hpp"

namespace nirb::io {
namespace {

std::string read_type(ReadContext& ctx, std::vector<h5::Member>& members, const std::string& path) {
    for (auto& m : members) {
        if (m.name != "type")
            continue;
        const std::string p = path + "/type";
        if (m.is_group)
            ctx.fail(code::kWrongKind, p, "is a group; expected a string dataset (node type)");
        auto dv = h5::read_dataset(m.object.get(), ctx.site(p), h5::ScalarStyle::Field);
        if (!dv.value.is_string())
            ctx.fail(code::kWrongKind, p, "expected a scalar string dataset (the node type)");
        return dv.value.as_string();
    }
    fail_untyped_group(ctx, members, path);
}

bool kind_accepts(FieldKind kind, const h5::DatasetValue& dv) {
    if (!dv.is_string)
        return true;
    return kind == FieldKind::Padding && dv.value.is_string();
}

const char* kind_expectation(FieldKind kind) {
    switch (kind) {
    case FieldKind::Array:
        return "a numeric array";
    case FieldKind::Shape:
        return "an integer shape array";
    case FieldKind::Int:
        return "an integer";
    case FieldKind::IntPair:
        return "an integer or integer pair";
    case FieldKind::Padding:
        return "an integer, an integer pair or \"same\"/\"valid\"";
    }
    return "a dataset";
}

void read_field(ReadContext& ctx, Node& node, const FieldSchema& f, const h5::Member& m,
                const std::string& path, const std::string& node_path) {
    if (m.is_group)
        ctx.fail(code::kWrongKind, path,
                 std::string("is a group; expected ") + kind_expectation(f.kind));
    auto dv = h5::read_dataset(m.object.get(), ctx.site(path), h5::ScalarStyle::Field);
    if (!kind_accepts(f.kind, dv))
        ctx.fail(code::kWrongKind, path,
                 std::string("holds strings; expected ") + kind_expectation(f.kind));
    if (dv.is_string && !(dv.flavour.variable && dv.flavour.utf8))
        ctx.report(Severity::Note, code::kStringFlavour,
                   "string stored as fixed-length or ASCII (read as UTF-8 text)", node_path, path);
    const DType dtype = dv.is_string ? DType::String : dv.value.as_tensor().dtype();
    if (f.kind == FieldKind::Array && (dtype_is_integer(dtype) || dtype == DType::Bool))
        ctx.report(Severity::Warning, code::kIntParam,
                   "parameter '" + std::string(f.name) + "' has " +
                       (dtype == DType::Bool ? "the bool" : "integer") + " dtype " +
                       std::string(dtype_name(dtype)) +
                       "; kept as stored, converted to float when used",
                   node_path, path);
    node.set_field(std::string(f.name), std::move(dv.value));
}

// Reference defaults (nir 1.0.7 from_dict): v_reset = zeros_like(v_threshold), w_in = 1.0
// broadcast like its population field, Flatten dims 1 / -1.
void fill_default(ReadContext& ctx, Node& node, const FieldSchema& f, const std::string& path,
                  const std::string& node_path) {
    const std::string name(f.name);
    if (f.default_rule == FieldDefault::IntValue) {
        node.set_field(name, Tensor::scalar(static_cast<double>(f.int_default), DType::Int64));
        ctx.report(Severity::Warning, code::kDefaultFilled,
                   "missing '" + name + "', filled with the default " +
                       std::to_string(f.int_default),
                   node_path, path);
        return;
    }
    const Tensor* like = node.tensor(std::string(f.like_field));
    if (!like)
        return; // the like-field itself is missing and reported separately
    const DType dt = dtype_is_float(like->dtype()) ? like->dtype() : DType::Float64;
    Tensor t(dt, like->shape());
    if (f.default_rule == FieldDefault::OnesLike)
        for (std::int64_t i = 0; i < t.size(); ++i)
            t.set(i, 1.0);
    node.set_field(name, std::move(t));
    ctx.report(Severity::Warning, code::kDefaultFilled,
               "missing '" + name + "' (written by nir >= " + std::string(f.since) +
                   "), filled with " +
                   (f.default_rule == FieldDefault::OnesLike ? "ones" : "zeros") +
                   " shaped like '" + std::string(f.like_field) + "'",
               node_path, path);
}

void handle_missing(ReadContext& ctx, Node& node, const FieldSchema& f, const std::string& path,
                    const std::string& node_path) {
    const std::string name(f.name);
    const std::string p = path + "/" + name;
    const bool is_io_shape = name == "shape";
    const bool is_conv_input = name == "input_shape";
    if (f.default_rule == FieldDefault::ZerosLike || f.default_rule == FieldDefault::OnesLike ||
        f.default_rule == FieldDefault::IntValue) {
        fill_default(ctx, node, f, p, node_path);
    } else if (is_io_shape) {
        ctx.oddity(code::kMissingShape,
                   node.type() + " node has no 'shape'; its type will be inferred", node_path, p);
    } else if (is_conv_input) {
        ctx.oddity(code::kMissingConvInput,
                   node.type() + " node has no 'input_shape' (older exporters omit it); it "
                                 "will be inferred from the predecessor",
                   node_path, p);
    } else if (f.default_rule == FieldDefault::None) {
        if (ctx.strict())
            ctx.fail(code::kMissingField, p,
                     "missing required field '" + name + "' of " + node.type());
        ctx.diags().add(Severity::Error, code::kMissingField,
                        "missing required field '" + name + "' of " + node.type(), node_path, p);
    }
}

void check_neuron_shapes(ReadContext& ctx, const Node& node, const PrimitiveSchema& schema,
                         const std::string& path, const std::string& node_path) {
    const Tensor* first = nullptr;
    bool any_0d = false, mismatch = false;
    for (const auto& f : schema.fields) {
        const Tensor* t = node.tensor(std::string(f.name));
        if (!t || f.kind != FieldKind::Array)
            continue;
        any_0d = any_0d || t->rank() == 0;
        if (f.name == "w_in") // broadcast by the reference
            continue;
        if (!first)
            first = t;
        else if (t->shape() != first->shape())
            mismatch = true;
    }
    if (mismatch && any_0d)
        ctx.oddity(code::kZeroDimParam,
                   "parameters mix 0-d scalars and arrays; kept as stored (broadcast when used)",
                   node_path, path);
    else if (mismatch)
        ctx.oddity(code::kShapeMismatch, "neuron parameters have different shapes", node_path,
                   path);
    else if (any_0d)
        ctx.report(Severity::Warning, code::kZeroDimParam,
                   "0-d (scalar) parameters: nir 1.0.7 gives this node the empty type []; "
                   "nirbridge broadcasts them and takes the shape from the neighbours",
                   node_path, path);
}

void read_schema_members(ReadContext& ctx, Node& node, const PrimitiveSchema* schema,
                         std::vector<h5::Member>& members, const std::string& path,
                         const std::string& node_path, int depth) {
    for (auto& m : members) {
        const std::string p = path + "/" + m.name;
        if (m.name == "type")
            continue;
        if (m.name == "metadata" && m.is_group) {
            node.metadata() = read_member_value(ctx, m, p, depth + 1).as_map();
            continue;
        }
        const FieldSchema* f = schema ? schema->field(m.name) : nullptr;
        if (f) {
            read_field(ctx, node, *f, m, p, node_path);
        } else if (!schema) {
            node.set_field(m.name, read_member_value(ctx, m, p, depth + 1));
        } else {
            ctx.oddity(code::kUnknownField,
                       "unknown " + std::string(m.is_group ? "group" : "dataset") + " '" + m.name +
                           "' in " + node.type() + " node; kept and written back",
                       node_path, p);
            node.extras().set(m.name, read_member_value(ctx, m, p, depth + 1));
        }
    }
}

} // namespace

Node read_node(ReadContext& ctx, hid_t group, const std::string& path, const std::string& node_path,
               int depth) {
    ctx.check_depth(depth, path);
    ctx.guard().enter(group, ctx.site(path));
    auto members = h5::list_members(group, ctx.site(path));
    Node node(read_type(ctx, members, path));
    if (node.type() == "NIRGraph") {
        read_graph_members(ctx, node, members, path, node_path, depth);
        return node;
    }
    const PrimitiveSchema* schema = find_primitive(node.type());
    if (!schema) {
        if (ctx.strict())
            ctx.fail(code::kUnknownType, path + "/type", "unknown node type '" + node.type() + "'");
        ctx.diags().add(Severity::Error, code::kUnknownType,
                        "unknown node type '" + node.type() + "'; its datasets are kept", node_path,
                        path + "/type");
    }
    read_schema_members(ctx, node, schema, members, path, node_path, depth);
    if (!schema)
        return node;
    for (const auto& f : schema->fields)
        if (!node.fields().find(std::string(f.name)))
            handle_missing(ctx, node, f, path, node_path);
    if (schema->is_neuron)
        check_neuron_shapes(ctx, node, *schema, path, node_path);
    return node;
}

} // namespace nirb::io
