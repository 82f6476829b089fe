// read_nir: open the file (recognising non-HDF5 input), read `/version` and `/node`, keep
// every other root object.
#include "reader.hpp"

#include "read_phase.hpp"

#include "nirb/error.hpp"

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>

namespace nirb {
namespace {

std::string sniff(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    char head[8] = {};
    in.read(head, sizeof head);
    if (std::memcmp(head, "PK\x03\x04", 4) == 0)
        return " (it is a ZIP archive, e.g. a PyTorch checkpoint saved with torch.save)";
    if (head[0] == '{' || head[0] == '[')
        return " (it looks like JSON; use the .json extension)";
    if (in.gcount() == 0)
        return " (the file is empty)";
    return "";
}

// Files up to this size are read into memory in one go (HDF5's core driver) and parsed from
// there: a graph of 1,000 nodes otherwise costs ~13,000 small pread calls, one or two per
// object header, heap and dataset. Larger files are mostly weights, read in large pieces
// anyway, and would need their size again in memory.
constexpr std::uintmax_t kInMemoryMaxBytes = std::uintmax_t{64} << 20;

/// How a file is opened for reading. Every object is read once and closed, so its metadata
/// leaves HDF5's cache when it is closed (evict on close): otherwise the cache keeps every
/// object header with its decoded messages until the file closes (33 MB for the 1,000-node
/// graph's 3 MB file, 6.7 MB with eviction), and an isolated read's fresh worker process
/// pays a page fault for each new page of it.
h5::Handle read_access_plist(const std::string& path) {
    h5::Handle fapl(H5Pcreate(H5P_FILE_ACCESS), H5I_GENPROP_LST);
    std::error_code ec;
    const std::uintmax_t size = std::filesystem::file_size(path, ec);
    if (!ec && size <= kInMemoryMaxBytes)
        H5Pset_fapl_core(fapl.get(), std::size_t{1} << 20, /*backing_store=*/false);
    H5Pset_evict_on_close(fapl.get(), true);
    return fapl;
}

h5::Handle open_file(const std::string& path) {
    require_readable_file(path, "a .nir file");
    h5::silence_errors();
    if (H5Fis_hdf5(path.c_str()) <= 0) {
        H5Eclear2(H5E_DEFAULT);
        throw Error(path + ": not an HDF5 file" + sniff(path) + "; expected a .nir (HDF5) file [" +
                    io::code::kNotHdf5 + "]");
    }
    // Kept until the error is read: closing it is a library call, which clears the stack.
    const h5::Handle fapl = read_access_plist(path);
    hid_t f = H5Fopen(path.c_str(), H5F_ACC_RDONLY, fapl.get());
    if (f < 0) {
        const std::string detail = h5::last_error_message();
        throw Error(path + ": cannot open the HDF5 file (truncated or corrupt?)" +
                    (detail.empty() ? "" : ": " + detail) + " [" + io::code::kCannotOpen + "]");
    }
    return h5::Handle(f);
}

void read_root_member(io::ReadContext& ctx, Document& doc, h5::Member& m, bool& has_node) {
    const std::string p = "/" + m.name;
    if (m.name == "version" && !m.is_group) {
        auto dv = h5::read_dataset(m.object.get(), ctx.site(p), h5::ScalarStyle::Field);
        if (!dv.value.is_string())
            ctx.fail(io::code::kWrongKind, p, "expected a scalar string (the nir version)");
        doc.version = dv.value.as_string();
    } else if (m.name == "node" && m.is_group) {
        has_node = true;
        doc.root = io::read_node(ctx, m.object.get(), p, "", 0);
    } else {
        ctx.oddity(io::code::kUnknownField,
                   "unknown root " + std::string(m.is_group ? "group" : "dataset") + " '" + m.name +
                       "'; kept and written back",
                   "", p);
        doc.extras.set(m.name, io::read_member_value(ctx, m, p, 1));
    }
}

std::string first_error(const Diagnostics& diags, const std::string& file) {
    std::string msg;
    for (const auto& d : diags.items())
        if (d.severity == Severity::Error) {
            msg = format_diagnostic(d, file);
            break;
        }
    const std::size_t n = diags.count(Severity::Error);
    if (n > 1)
        msg += "\n(" + std::to_string(n - 1) + " more error(s); run `nirb info` to see all)";
    return msg;
}

Document read_nir_unguarded(const std::string& path, Diagnostics& diags, const ReadOptions& opts) {
    h5::Handle file = open_file(path);
    Diagnostics local;
    io::ReadContext ctx(path, opts, local);
    Document doc;
    h5::Handle root =
        h5::check(H5Gopen2(file.get(), "/", H5P_DEFAULT), path, "/", "cannot open the root group");
    auto members = h5::list_members(root.get(), ctx.site(""));
    bool has_node = false;
    for (auto& m : members)
        read_root_member(ctx, doc, m, has_node);
    if (!has_node)
        ctx.fail(io::code::kNoRootNode, "/node",
                 "missing; expected the root node group (is this a NIR file?)");
    if (!doc.version)
        ctx.report(Severity::Warning, io::code::kNoVersion,
                   "no /version dataset (written by nir 0.0.x or 0.1)", "", "/version");
    if (doc.root.type() != "NIRGraph")
        ctx.oddity(io::code::kRootNotGraph,
                   "the root node is a " + doc.root.type() + ", not a NIRGraph", "", "/node");
    if (opts.strict)
        io::check_nested_types_strict(ctx, doc.root);
    diags.append(local);
    if (!opts.allow_errors && local.has_errors())
        throw Error(first_error(local, path));
    return doc;
}

} // namespace

Document read_nir(const std::string& path, Diagnostics& diags, const ReadOptions& opts) {
    io::ReadPhase phase(path); // from here on libhdf5 parses the file: supervised
    ReadOptions limited = opts;
    if (const char* mib = std::getenv("NIRB_MAX_UNSTORED_MIB"); mib && *mib)
        limited.max_unstored_bytes = std::strtoull(mib, nullptr, 10) << 20;
    try {
        return read_nir_unguarded(path, diags, limited);
    } catch (const std::bad_alloc&) {
        throw Error(path + ": out of memory while reading; the file declares more data than " +
                    "this process may allocate (raise the limit with NIRB_READ_MEMORY_MIB) [" +
                    io::code::kResourceLimit + "]");
    }
}

} // namespace nirb
