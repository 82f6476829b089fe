// The read context (diagnostics, strictness, depth limit) and metadata/extra values.
#include "reader.hpp"

#include "nirb/error.hpp"

namespace nirb::io {

void ReadContext::fail(const char* code, const std::string& path,
                       const std::string& message) const {
    throw Error(h5::where(m_file, path, message + " [" + code + "]"));
}

void ReadContext::oddity(const char* code, const std::string& message, const std::string& node_path,
                         const std::string& path) {
    if (m_opts.strict)
        fail(code, path, message + " (strict mode: the nir 1.0.7 reader rejects this)");
    report(Severity::Warning, code, message, node_path, path);
}

void ReadContext::report(Severity severity, const char* code, const std::string& message,
                         const std::string& node_path, const std::string& path) {
    m_diags.add(severity, code, message, node_path, path);
}

void ReadContext::check_depth(int depth, const std::string& path) const {
    if (depth > m_opts.max_depth)
        fail(code::kTooDeep, path,
             "groups nested deeper than " + std::to_string(m_opts.max_depth) +
                 " levels; expected a reasonably shallow graph");
}

Value read_member_value(ReadContext& ctx, const h5::Member& m, const std::string& path, int depth) {
    if (!m.is_group) {
        auto dv = h5::read_dataset(m.object.get(), ctx.site(path), h5::ScalarStyle::Metadata);
        return std::move(dv.value);
    }
    ctx.check_depth(depth, path);
    ctx.guard().enter(m.object.get(), ctx.site(path));
    ValueMap map;
    auto members = h5::list_members(m.object.get(), ctx.site(path));
    for (const auto& child : members)
        map.set(child.name, read_member_value(ctx, child, path + "/" + child.name, depth + 1));
    return Value(std::move(map));
}

} // namespace nirb::io
