#pragma once
// Shared state of one read_nir call and the node/graph readers (internal).
#include "h5_links.hpp"
#include "nirb/graph.hpp"
#include "nirb/io.hpp"

#include <string>

namespace nirb::io {

/// Diagnostic codes of the reader (documented in docs/diagnostics.md, "Reading (1xx)").
namespace code {
inline constexpr const char* kNoVersion = "NIRB-W101";
inline constexpr const char* kIntEdges = "NIRB-W102";
inline constexpr const char* kDefaultFilled = "NIRB-W103";
inline constexpr const char* kZeroDimParam = "NIRB-W104";
inline constexpr const char* kIntParam = "NIRB-W105";
inline constexpr const char* kUnknownField = "NIRB-W106";
inline constexpr const char* kMissingShape = "NIRB-W107";
inline constexpr const char* kMissingConvInput = "NIRB-W108";
inline constexpr const char* kBatchDim = "NIRB-W109";
inline constexpr const char* kShapeMismatch = "NIRB-W110";
inline constexpr const char* kRootNotGraph = "NIRB-W111";
inline constexpr const char* kStringFlavour = "NIRB-N101";
inline constexpr const char* kNotHdf5 = "NIRB-E101";
inline constexpr const char* kCannotOpen = "NIRB-E102";
inline constexpr const char* kNoRootNode = "NIRB-E103";
inline constexpr const char* kNoType = "NIRB-E104";
inline constexpr const char* kWrongKind = "NIRB-E105";
inline constexpr const char* kMissingField = "NIRB-E106";
inline constexpr const char* kSlashName = "NIRB-E107";
inline constexpr const char* kTooDeep = "NIRB-E109";
inline constexpr const char* kUnknownType = "NIRB-E112";
inline constexpr const char* kBadEdges = "NIRB-E113";
inline constexpr const char* kHdf5Failed = "NIRB-E114"; // reported by the read supervisor
inline constexpr const char* kResourceLimit = "NIRB-E115";
} // namespace code

/// Everything one read needs: where we are, the options, the diagnostics sink.
class ReadContext {
public:
    ReadContext(const std::string& file, const ReadOptions& opts, Diagnostics& diags)
        : m_file(file), m_opts(opts), m_diags(diags) {}

    const std::string& file() const { return m_file; }
    bool strict() const { return m_opts.strict; }
    const ReadOptions& options() const { return m_opts; }
    Diagnostics& diags() { return m_diags; }
    h5::VisitGuard& guard() { return m_guard; }
    h5::Site site(std::string path) const {
        return {m_file, std::move(path), m_opts.max_unstored_bytes};
    }

    /// Throw nirb::Error "FILE: PATH: message [code]".
    [[noreturn]] void fail(const char* code, const std::string& path,
                           const std::string& message) const;
    /// An oddity: a warning in lenient mode, a failure in strict mode (the reference
    /// rejects it).
    void oddity(const char* code, const std::string& message, const std::string& node_path,
                const std::string& path);
    /// A warning or note that strict mode tolerates too.
    void report(Severity severity, const char* code, const std::string& message,
                const std::string& node_path, const std::string& path);
    /// Throw when `depth` exceeds the configured limit.
    void check_depth(int depth, const std::string& path) const;

private:
    const std::string& m_file;
    const ReadOptions& m_opts;
    Diagnostics& m_diags;
    h5::VisitGuard m_guard;
};

/// Read a dataset or group member as a metadata/extra value (groups become ValueMaps).
Value read_member_value(ReadContext& ctx, const h5::Member& m, const std::string& path, int depth);

/// Read the node stored in `group` (at HDF5 `path`, dotted `node_path`, nesting `depth`).
Node read_node(ReadContext& ctx, hid_t group, const std::string& path, const std::string& node_path,
               int depth);

/// Read a NIRGraph's `nodes` group and `edges` dataset into `node`'s graph.
void read_graph_members(ReadContext& ctx, Node& node, std::vector<h5::Member>& members,
                        const std::string& path, const std::string& node_path, int depth);

/// Read an `edges` dataset: (N,2) strings, an empty numeric array (no edges), or the 0.0.x
/// integer pairs (converted to the decimal child names).
std::vector<Edge> read_edges(ReadContext& ctx, hid_t dataset, const std::string& path,
                             const std::string& node_path);

/// Explain a child group that has no `type`: a name containing `/` that h5py wrote as nested
/// groups, or a plain missing field. Always throws.
[[noreturn]] void fail_untyped_group(ReadContext& ctx, std::vector<h5::Member>& members,
                                     const std::string& path);

/// Strict mode only: fail like nir 1.0.7 when a nested graph does not type-check.
void check_nested_types_strict(ReadContext& ctx, const Node& root);

} // namespace nirb::io
