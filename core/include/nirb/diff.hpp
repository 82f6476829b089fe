#pragma once
/// \file diff.hpp
/// What differs between two documents: nodes added, removed or retyped, edges added or
/// removed, fields whose dtype, shape or values changed (with the largest difference located),
/// metadata and format version changes. Nested graphs are compared level by level, by node
/// name; node order is not compared. See docs/cli/diff.md.
#include "nirb/document.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace nirb {

/// Tolerances for numbers: a and b agree when |a - b| <= atol + rtol * |b| (numpy.isclose),
/// NaN agrees with NaN.
struct DiffOptions {
    double rtol = 1e-5;
    double atol = 1e-8;
};

/// The kinds of change, one per thing a conversion or an export can do to a graph.
enum class ChangeKind {
    VersionChanged,  ///< the `/version` string
    NodeAdded,       ///< a node only in B
    NodeRemoved,     ///< a node only in A
    NodeRetyped,     ///< same name, other primitive type (its fields are not compared)
    EdgeAdded,       ///< an edge only in B
    EdgeRemoved,     ///< an edge only in A
    FieldAdded,      ///< a field (or unknown extra dataset) only in B
    FieldRemoved,    ///< a field only in A
    FieldChanged,    ///< dtype, shape or values beyond the tolerances
    MetadataAdded,   ///< a metadata key only in B (nested keys dotted)
    MetadataRemoved, ///< a metadata key only in A
    MetadataChanged, ///< a metadata value differs
};

/// Stable lowercase name of a kind ("node-added", ...), used in --json output.
const char* change_kind_name(ChangeKind kind);

/// How far two numeric arrays of the same shape are apart.
struct NumericDelta {
    std::int64_t count = 0;       ///< elements compared
    std::int64_t differing = 0;   ///< elements outside the tolerances
    double max_abs = 0;           ///< largest |a - b|
    double max_rel = 0;           ///< largest |a - b| / |b| (over b != 0)
    std::vector<std::int64_t> at; ///< multi-index of the largest |a - b|
    double a_at = 0;              ///< A's value there
    double b_at = 0;              ///< B's value there
};

/// One difference.
struct Change {
    ChangeKind kind;
    std::string path;                  ///< dotted node path; "" for the root graph / the document
    std::string key;                   ///< field or metadata key; edges: "src -> dst"
    std::string before;                ///< short text of A's side ("" when absent)
    std::string after;                 ///< short text of B's side
    std::optional<NumericDelta> delta; ///< element-wise difference, for numeric values
};

/// Every difference, in a stable order (document, then each graph level in A's node order).
struct DocumentDiff {
    std::vector<Change> changes;
    /// True when nothing differs.
    bool same() const { return changes.empty(); }
};

/// Compare `a` with `b`. Never throws on malformed graphs; never modifies either.
DocumentDiff diff_documents(const Document& a, const Document& b, const DiffOptions& options = {});

} // namespace nirb
