// The binary forms of read_form.hpp: lengths and counts as native u64, then the bytes.
#include "read_form.hpp"

#include "nirb/error.hpp"

#include <cerrno>
#include <concepts>
#include <cstring>
#include <fstream>
#include <sys/resource.h>
#include <sys/stat.h>
#include <type_traits>
#include <unistd.h>

namespace nirb::python {
namespace {

enum class Tag : std::uint8_t { Bool, Int, Double, String, Tensor, Map };

class Writer {
public:
    void u64(std::uint64_t v) { raw(&v, sizeof v); }
    void byte(std::uint8_t v) { out.push_back(static_cast<char>(v)); }
    void text(const std::string& s) {
        u64(s.size());
        out.append(s);
    }
    void raw(const void* p, std::size_t n) { out.append(static_cast<const char*>(p), n); }

    void value(const Value& v) {
        if (v.is_bool()) {
            byte(static_cast<std::uint8_t>(Tag::Bool));
            byte(v.as_bool() ? 1 : 0);
        } else if (v.is_int()) {
            byte(static_cast<std::uint8_t>(Tag::Int));
            u64(static_cast<std::uint64_t>(v.as_int()));
        } else if (v.is_double()) {
            byte(static_cast<std::uint8_t>(Tag::Double));
            const double d = v.as_double();
            raw(&d, sizeof d);
        } else if (v.is_string()) {
            byte(static_cast<std::uint8_t>(Tag::String));
            text(v.as_string());
        } else if (v.is_tensor()) {
            byte(static_cast<std::uint8_t>(Tag::Tensor));
            tensor(v.as_tensor());
        } else {
            byte(static_cast<std::uint8_t>(Tag::Map));
            map(v.as_map());
        }
    }
    void tensor(const Tensor& t) {
        byte(static_cast<std::uint8_t>(t.dtype()));
        u64(t.shape().size());
        for (auto d : t.shape())
            u64(static_cast<std::uint64_t>(d));
        if (t.dtype() == DType::String) {
            u64(t.strings().size());
            for (const auto& s : t.strings())
                text(s);
        } else {
            u64(t.bytes().size());
            raw(t.bytes().data(), t.bytes().size());
        }
    }
    void map(const ValueMap& m) {
        u64(m.size());
        for (const auto& [key, v] : m.entries()) {
            text(key);
            value(v);
        }
    }
    void node(const Node& n) {
        text(n.type());
        map(n.fields());
        map(n.metadata());
        map(n.extras());
        byte(n.is_graph() ? 1 : 0);
        if (n.is_graph())
            graph(n.graph());
    }
    void graph(const Graph& g) {
        u64(g.nodes().size());
        for (const auto& child : g.nodes()) {
            text(child.name);
            node(child.node);
        }
        u64(g.edges().size());
        for (const auto& e : g.edges()) {
            text(e.src);
            text(e.dst);
        }
        map(g.metadata());
    }
    void diagnostic(const Diagnostic& d) {
        byte(static_cast<std::uint8_t>(d.severity));
        for (const auto* s : {&d.code, &d.message, &d.node_path, &d.location, &d.fix})
            text(*s);
        u64(d.notes.size());
        for (const auto& note : d.notes)
            text(note);
    }

    std::string out;
};

class Reader {
public:
    explicit Reader(std::string_view bytes) : m_bytes(bytes) {}

    std::uint64_t u64() {
        std::uint64_t v = 0;
        std::memcpy(&v, take(sizeof v), sizeof v);
        return v;
    }
    std::uint8_t byte() { return static_cast<std::uint8_t>(*take(1)); }
    std::string text() {
        const auto n = u64();
        return std::string(take(n), n);
    }

    Value value() {
        switch (static_cast<Tag>(byte())) {
        case Tag::Bool:
            return Value(byte() != 0);
        case Tag::Int:
            return Value(static_cast<std::int64_t>(u64()));
        case Tag::Double: {
            double d = 0;
            std::memcpy(&d, take(sizeof d), sizeof d);
            return Value(d);
        }
        case Tag::String:
            return Value(text());
        case Tag::Tensor:
            return Value(tensor());
        case Tag::Map:
            return Value(map());
        }
        throw Error("nirb: the isolated reader sent an unknown value tag");
    }
    Tensor tensor() {
        const auto dtype = static_cast<DType>(byte());
        Shape shape(u64());
        for (auto& d : shape)
            d = static_cast<std::int64_t>(u64());
        if (dtype == DType::String) {
            std::vector<std::string> strings(u64());
            for (auto& s : strings)
                s = text();
            return Tensor::from_strings(std::move(strings), std::move(shape));
        }
        const auto n = u64();
        return Tensor::from_bytes(dtype, std::move(shape),
                                  std::span(reinterpret_cast<const std::byte*>(take(n)), n));
    }
    ValueMap map() {
        ValueMap m;
        const auto n = u64();
        m.entries().reserve(n);
        for (std::uint64_t i = 0; i < n; ++i) {
            std::string key = text();
            m.entries().emplace_back(std::move(key), value());
        }
        return m;
    }
    Node node() {
        Node n(text());
        n.fields() = map();
        n.metadata() = map();
        n.extras() = map();
        if (byte() != 0)
            n.set_graph(graph());
        return n;
    }
    Graph graph() {
        Graph g;
        const auto nodes = u64();
        for (std::uint64_t i = 0; i < nodes; ++i) {
            std::string name = text();
            g.add_node(std::move(name), node());
        }
        const auto edges = u64();
        g.edges().reserve(edges);
        for (std::uint64_t i = 0; i < edges; ++i) {
            std::string src = text();
            g.add_edge(std::move(src), text());
        }
        g.metadata() = map();
        return g;
    }
    void diagnostic(Diagnostics& diags) {
        const auto severity = static_cast<Severity>(byte());
        std::string code = text(), message = text(), node_path = text(), location = text();
        Diagnostic& d = diags.add(severity, std::move(code), std::move(message),
                                  std::move(node_path), std::move(location));
        d.fix = text();
        d.notes.resize(u64());
        for (auto& note : d.notes)
            note = text();
    }

private:
    const char* take(std::size_t n) {
        if (n > m_bytes.size() - m_at)
            throw Error("nirb: the isolated reader sent a truncated document");
        const char* p = m_bytes.data() + m_at;
        m_at += n;
        return p;
    }

    std::string_view m_bytes;
    std::size_t m_at = 0;
};

} // namespace

std::string encode_read(const Document& doc, const Diagnostics& diags, std::size_t expected) {
    Writer w;
    w.out.reserve(expected);
    w.byte(doc.version ? 1 : 0);
    if (doc.version)
        w.text(*doc.version);
    w.node(doc.root);
    w.map(doc.extras);
    w.u64(diags.items().size());
    for (const auto& d : diags.items())
        w.diagnostic(d);
    return std::move(w.out);
}

ReadResult decode_read(std::string_view bytes) {
    Reader r(bytes);
    ReadResult out;
    if (r.byte() != 0)
        out.document.version = r.text();
    out.document.root = r.node();
    out.document.extras = r.map();
    const auto count = r.u64();
    for (std::uint64_t i = 0; i < count; ++i)
        r.diagnostic(out.diagnostics);
    return out;
}

ReadOptions ReadRequest::options() const {
    ReadOptions ro;
    ro.strict = strict;
    ro.allow_errors = allow_errors;
    return ro;
}

namespace {

/// One pass over a message's fields, writing (Encode) or reading (Decode) each in turn.
struct Encode {
    Writer w;
    void operator()(bool v) { w.byte(v ? 1 : 0); }
    void operator()(std::uint8_t v) { w.byte(v); }
    void operator()(std::uint64_t v) { w.u64(v); }
    void operator()(const std::string& v) { w.text(v); }
};

struct Decode {
    Reader r;
    void operator()(bool& v) { v = r.byte() != 0; }
    void operator()(std::uint8_t& v) { v = r.byte(); }
    void operator()(std::uint64_t& v) { v = r.u64(); }
    void operator()(std::string& v) { v = r.text(); }
};

// `Request` and `Reply` are ReadRequest / ReadReply, const when encoding.
template <class Request, class Pass>
requires std::same_as<std::remove_const_t<Request>, ReadRequest>
void fields(Request& q, Pass& pass) {
    pass(q.strict);
    pass(q.allow_errors);
    pass(q.timeout_seconds);
    pass(q.memory_budget);
    pass(q.path);
}

template <class Reply, class Pass>
requires std::same_as<std::remove_const_t<Reply>, ReadReply>
void fields(Reply& a, Pass& pass) {
    pass(a.status);
    pass(a.message);
}

template <class Message>
std::string encode_fields(const Message& m) {
    Encode pass;
    fields(m, pass);
    return std::move(pass.w.out);
}

template <class Message>
Message decode_fields(std::string_view bytes) {
    Message m;
    Decode pass{Reader(bytes)};
    fields(m, pass);
    return m;
}

} // namespace

std::string ReadRequest::encode() const {
    return encode_fields(*this);
}

ReadRequest ReadRequest::decode(std::string_view bytes) {
    return decode_fields<ReadRequest>(bytes);
}

std::string ReadReply::encode() const {
    return encode_fields(*this);
}

ReadReply ReadReply::decode(std::string_view bytes) {
    return decode_fields<ReadReply>(bytes);
}

void limit_address_space(std::uint64_t budget) {
    if (budget == 0)
        return;
    std::ifstream statm("/proc/self/statm");
    std::uint64_t pages = 0;
    statm >> pages;
    const auto in_use = pages * static_cast<std::uint64_t>(::sysconf(_SC_PAGESIZE));
    const rlimit cap{in_use + budget, RLIM_INFINITY};
    ::setrlimit(RLIMIT_AS, &cap);
}

void read_into(const ReadRequest& request, int out_fd) {
    Diagnostics diags;
    const Document doc = read_document(request.path, diags, request.options());
    // The arrays of a file are about its size: one allocation, rarely more.
    struct stat st {};
    const std::size_t hint = ::stat(request.path.c_str(), &st) == 0
                                 ? static_cast<std::size_t>(st.st_size) + (64 << 10)
                                 : 0;
    const std::string text = encode_read(doc, diags, hint);
    for (std::size_t done = 0; done < text.size();) {
        const ssize_t n = ::write(out_fd, text.data() + done, text.size() - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            throw Error(std::string("nirb: cannot pass the document on: ") + std::strerror(errno));
        done += static_cast<std::size_t>(n);
    }
}

} // namespace nirb::python
