// diff_documents: graph levels are matched by node name (recursing into NIRGraph nodes of the
// same name), edges as multisets per level, fields and metadata key by key. Numbers are
// compared with numpy.isclose's rule so that "same within float32 rounding" is expressible.
#include "nirb/diff.hpp"

#include "nirb/graph.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <cmath>
#include <map>

namespace nirb {
namespace {

std::string join_path(const std::string& prefix, const std::string& name) {
    return prefix.empty() ? name : prefix + "." + name;
}

std::string tensor_text(const Tensor& t) {
    const std::string head = fmt::format("{} {}", dtype_name(t.dtype()), t.shape());
    if (t.size() > 6)
        return head;
    if (t.dtype() == DType::String)
        return fmt::format("{} {}", head, t.strings());
    return fmt::format("{} {}", head, t.to_doubles());
}

std::string value_text(const Value& v) {
    return std::visit(
        [](const auto& x) -> std::string {
            using V = std::decay_t<decltype(x)>;
            if constexpr (std::is_same_v<V, Tensor>)
                return tensor_text(x);
            else if constexpr (std::is_same_v<V, ValueMap>)
                return fmt::format("group of {} entries", x.size());
            else if constexpr (std::is_same_v<V, std::string>)
                return "\"" + x + "\"";
            else
                return fmt::format("{}", x);
        },
        v.storage());
}

bool close(double a, double b, const DiffOptions& o) {
    if (std::isnan(a) || std::isnan(b))
        return std::isnan(a) && std::isnan(b);
    if (a == b) // equal infinities
        return true;
    return std::fabs(a - b) <= o.atol + o.rtol * std::fabs(b);
}

std::vector<std::int64_t> unravel(std::int64_t flat, const Shape& shape) {
    std::vector<std::int64_t> at(shape.size());
    for (std::size_t d = shape.size(); d-- > 0;) {
        at[d] = shape[d] > 0 ? flat % shape[d] : 0;
        flat = shape[d] > 0 ? flat / shape[d] : 0;
    }
    return at;
}

/// Element-wise comparison of two numeric tensors of the same shape.
NumericDelta numeric_delta(const Tensor& a, const Tensor& b, const DiffOptions& o) {
    NumericDelta d;
    const auto x = a.to_doubles();
    const auto y = b.to_doubles();
    d.count = static_cast<std::int64_t>(x.size());
    std::int64_t worst = -1;
    for (std::size_t i = 0; i < x.size(); ++i) {
        if (close(x[i], y[i], o))
            continue;
        ++d.differing;
        const double abs = std::isfinite(x[i] - y[i]) ? std::fabs(x[i] - y[i]) : INFINITY;
        if (worst < 0 || abs > d.max_abs) {
            d.max_abs = abs;
            worst = static_cast<std::int64_t>(i);
        }
        if (y[i] != 0)
            d.max_rel = std::max(d.max_rel, abs / std::fabs(y[i]));
    }
    if (worst >= 0) {
        d.at = unravel(worst, a.shape());
        d.a_at = x[static_cast<std::size_t>(worst)];
        d.b_at = y[static_cast<std::size_t>(worst)];
    }
    return d;
}

class Differ {
public:
    explicit Differ(const DiffOptions& o) : m_options(o) {}

    void values(const ValueMap& a, const ValueMap& b, const std::string& path,
                const std::string& prefix, bool metadata) {
        const ChangeKind added = metadata ? ChangeKind::MetadataAdded : ChangeKind::FieldAdded;
        const ChangeKind removed =
            metadata ? ChangeKind::MetadataRemoved : ChangeKind::FieldRemoved;
        for (const auto& [key, va] : a.entries()) {
            const std::string name = join_path(prefix, key);
            const Value* vb = b.find(key);
            if (!vb)
                add({removed, path, name, value_text(va), "", {}});
            else if (va.is_map() && vb->is_map())
                values(va.as_map(), vb->as_map(), path, name, metadata);
            else
                value(va, *vb, path, name, metadata);
        }
        for (const auto& [key, vb] : b.entries())
            if (!a.find(key))
                add({added, path, join_path(prefix, key), "", value_text(vb), {}});
    }

    void graph(const Graph& a, const Graph& b, const std::string& prefix) {
        for (const auto& na : a.nodes()) {
            const std::string path = join_path(prefix, na.name);
            const Node* nb = b.find(na.name);
            if (!nb) {
                add({ChangeKind::NodeRemoved, path, "", na.node.type(), "", {}});
                continue;
            }
            if (na.node.type() != nb->type()) {
                add({ChangeKind::NodeRetyped, path, "", na.node.type(), nb->type(), {}});
                continue;
            }
            values(na.node.fields(), nb->fields(), path, "", false);
            values(na.node.extras(), nb->extras(), path, "", false);
            values(na.node.metadata(), nb->metadata(), path, "", true);
            if (na.node.is_graph() && nb->is_graph())
                graph(na.node.graph(), nb->graph(), path);
        }
        for (const auto& nb : b.nodes())
            if (!a.contains(nb.name))
                add({ChangeKind::NodeAdded,
                     join_path(prefix, nb.name),
                     "",
                     "",
                     nb.node.type(),
                     {}});
        edges(a, b, prefix);
        values(a.metadata(), b.metadata(), prefix, "", true);
    }

    std::vector<Change> take() { return std::move(m_changes); }
    void add(Change c) { m_changes.push_back(std::move(c)); }

private:
    void value(const Value& va, const Value& vb, const std::string& path, const std::string& key,
               bool metadata) {
        const ChangeKind kind = metadata ? ChangeKind::MetadataChanged : ChangeKind::FieldChanged;
        Change c{kind, path, key, value_text(va), value_text(vb), {}};
        const auto na = va.number();
        const auto nb = vb.number();
        if (va.is_tensor() && vb.is_tensor()) {
            const Tensor& ta = va.as_tensor();
            const Tensor& tb = vb.as_tensor();
            const bool numeric = ta.dtype() != DType::String && tb.dtype() != DType::String;
            if (ta.shape() == tb.shape() && numeric) {
                NumericDelta d = numeric_delta(ta, tb, m_options);
                if (d.differing == 0 && ta.dtype() == tb.dtype())
                    return;
                if (d.differing > 0)
                    c.delta = std::move(d);
            } else if (ta == tb) {
                return;
            }
        } else if (na && nb && va.is_string() == vb.is_string() && va.is_bool() == vb.is_bool()) {
            if (close(*na, *nb, m_options))
                return;
        } else if (va == vb) {
            return;
        }
        add(std::move(c));
    }

    /// Edges as multisets: a duplicated edge that appears once in B is one removal.
    void edges(const Graph& a, const Graph& b, const std::string& prefix) {
        std::map<std::pair<std::string, std::string>, int> count;
        for (const auto& e : b.edges())
            ++count[{e.src, e.dst}];
        for (const auto& e : a.edges())
            if (--count[{e.src, e.dst}] < 0)
                add({ChangeKind::EdgeRemoved, prefix, e.src + " -> " + e.dst, "", "", {}});
        for (const auto& e : b.edges()) {
            auto& left = count[{e.src, e.dst}];
            if (left > 0) {
                --left;
                add({ChangeKind::EdgeAdded, prefix, e.src + " -> " + e.dst, "", "", {}});
            }
        }
    }

    DiffOptions m_options;
    std::vector<Change> m_changes;
};

} // namespace

const char* change_kind_name(ChangeKind kind) {
    switch (kind) {
    case ChangeKind::VersionChanged:
        return "version-changed";
    case ChangeKind::NodeAdded:
        return "node-added";
    case ChangeKind::NodeRemoved:
        return "node-removed";
    case ChangeKind::NodeRetyped:
        return "node-retyped";
    case ChangeKind::EdgeAdded:
        return "edge-added";
    case ChangeKind::EdgeRemoved:
        return "edge-removed";
    case ChangeKind::FieldAdded:
        return "field-added";
    case ChangeKind::FieldRemoved:
        return "field-removed";
    case ChangeKind::FieldChanged:
        return "field-changed";
    case ChangeKind::MetadataAdded:
        return "metadata-added";
    case ChangeKind::MetadataRemoved:
        return "metadata-removed";
    case ChangeKind::MetadataChanged:
        return "metadata-changed";
    }
    return "unknown";
}

DocumentDiff diff_documents(const Document& a, const Document& b, const DiffOptions& options) {
    Differ d(options);
    if (a.version != b.version)
        d.add({ChangeKind::VersionChanged,
               "",
               "version",
               a.version.value_or(""),
               b.version.value_or(""),
               {}});
    d.values(a.extras, b.extras, "", "", false);
    if (a.root.type() != b.root.type())
        d.add({ChangeKind::NodeRetyped, "", "", a.root.type(), b.root.type(), {}});
    else if (a.root.is_graph() && b.root.is_graph())
        d.graph(a.root.graph(), b.root.graph(), "");
    else {
        d.values(a.root.fields(), b.root.fields(), "", "", false);
        d.values(a.root.metadata(), b.root.metadata(), "", "", true);
    }
    return {d.take()};
}

} // namespace nirb
