// The deterministic text dump. Numbers use "{:.7g}" so output is stable and readable; exact
// values belong in the JSON form.
#include "nirb/text.hpp"

#include "byte_access.hpp"
#include "nirb/graph.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <span>

namespace nirb {
namespace {

std::string num(double v) {
    return fmt::format("{:.7g}", v);
}

std::string values_list(const Tensor& t) {
    std::string s = "[";
    for (std::int64_t i = 0; i < t.size(); ++i) {
        if (i)
            s += ", ";
        s += t.dtype() == DType::String ? "\"" + t.strings()[i] + "\"" : num(t.at(i));
    }
    return s + "]";
}

std::string tensor_text(const Tensor& t, const TextOptions& opts) {
    std::string s = fmt::format("{}{}", dtype_name(t.dtype()), shape_to_string(t.shape()));
    if (t.dtype() != DType::String && t.size() > 0) {
        const TensorStats st = tensor_stats(t);
        s += fmt::format(" min={} max={} mean={}", num(st.min), num(st.max), num(st.mean));
        if (st.finite != st.count)
            s += fmt::format(" nonfinite={}", st.count - st.finite);
    }
    if (opts.checksums)
        s += " #" + tensor_checksum(t);
    if (opts.inline_limit < 0 || t.size() <= opts.inline_limit)
        s += " = " + values_list(t);
    return s;
}

void dump_map(std::string& out, const std::string& indent, const std::string& label,
              const ValueMap& m, const TextOptions& opts) {
    for (const auto& [k, v] : m.entries())
        out += fmt::format("{}{}{}: {}\n", indent, label, k, value_to_text(v, opts));
}

void dump_node(std::string& out, const std::string& indent, const Node& n, const TextOptions& opts,
               int level);

void dump_graph(std::string& out, const std::string& indent, const Graph& g,
                const TextOptions& opts, int level) {
    for (const auto& nn : g.nodes()) {
        out += fmt::format("{}node {} ({})\n", indent, nn.name, nn.node.type());
        dump_node(out, indent + "  ", nn.node, opts, level);
    }
    for (const auto& e : g.edges())
        out += fmt::format("{}edge {} -> {}\n", indent, e.src, e.dst);
    dump_map(out, indent, "metadata ", g.metadata(), opts);
}

void dump_node(std::string& out, const std::string& indent, const Node& n, const TextOptions& opts,
               int level) {
    dump_map(out, indent, "", n.fields(), opts);
    dump_map(out, indent, "metadata ", n.metadata(), opts);
    dump_map(out, indent, "extra ", n.extras(), opts);
    if (!n.is_graph())
        return;
    if (opts.expand_depth < 0 || level < opts.expand_depth)
        dump_graph(out, indent, n.graph(), opts, level + 1);
    else
        out += fmt::format("{}graph: {} nodes, {} edges\n", indent, n.graph().size(),
                           n.graph().edges().size());
}

} // namespace

namespace {

// One streaming pass over the raw bytes, typed once per tensor rather than per element, with
// no copy of the array: `nirb info` runs this over 1 GiB weights. The sum runs in element
// order (no pairwise or compensated summation), which fixes the mean's last digit.
template <typename T>
TensorStats accumulate(std::span<const std::byte> bytes) {
    TensorStats st;
    double lo = std::numeric_limits<double>::infinity(), hi = -lo, sum = 0;
    for (std::size_t off = 0; off < bytes.size(); off += sizeof(T)) {
        const double v = detail::load_as_double<T>(bytes.data() + off);
        if (!std::isfinite(v))
            continue;
        ++st.finite;
        lo = std::min(lo, v);
        hi = std::max(hi, v);
        sum += v;
    }
    if (st.finite > 0) {
        st.min = lo;
        st.max = hi;
        st.mean = sum / static_cast<double>(st.finite);
    }
    return st;
}

} // namespace

TensorStats tensor_stats(const Tensor& t) {
    if (t.dtype() == DType::String)
        return TensorStats{.count = t.size()};
    TensorStats st = detail::visit_element_type(
        t.dtype(), [&](auto tag) { return accumulate<typename decltype(tag)::type>(t.bytes()); });
    st.count = t.size();
    return st;
}

std::string tensor_checksum(const Tensor& t) {
    std::uint64_t h = 1469598103934665603ULL;
    auto feed = [&](unsigned char c) {
        h ^= c;
        h *= 1099511628211ULL;
    };
    if (t.dtype() == DType::String) {
        for (const auto& s : t.strings()) {
            for (unsigned char c : s)
                feed(c);
            feed(0);
        }
    } else {
        for (std::byte b : t.bytes())
            feed(std::to_integer<unsigned char>(b));
    }
    return fmt::format("{:016x}", h);
}

std::string value_to_text(const Value& v, const TextOptions& opts) {
    return std::visit(
        [&](const auto& x) -> std::string {
            using V = std::decay_t<decltype(x)>;
            if constexpr (std::is_same_v<V, bool>)
                return x ? "true" : "false";
            else if constexpr (std::is_same_v<V, std::int64_t>)
                return std::to_string(x);
            else if constexpr (std::is_same_v<V, double>)
                return num(x) + " (float64)";
            else if constexpr (std::is_same_v<V, std::string>)
                return "\"" + x + "\"";
            else if constexpr (std::is_same_v<V, Tensor>)
                return tensor_text(x, opts);
            else {
                std::string s = "{";
                for (const auto& [k, item] : x.entries())
                    s += (s.size() > 1 ? ", " : "") + k + ": " + value_to_text(item, opts);
                return s + "}";
            }
        },
        v.storage());
}

std::string to_text(const Document& doc, const TextOptions& opts) {
    std::string out = fmt::format("version {}\n", doc.version ? *doc.version : "(none)");
    out += fmt::format("root ({})\n", doc.root.type());
    dump_node(out, "  ", doc.root, opts, 0);
    dump_map(out, "", "extra ", doc.extras, opts);
    return out;
}

} // namespace nirb
