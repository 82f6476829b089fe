#pragma once
/// \file text.hpp
/// A compact, deterministic text dump of a document for goldens and `nirb info`: one line
/// per node and field, arrays summarised by dtype, shape, statistics and a checksum, with
/// the values in full when the array is small.

#include "nirb/document.hpp"

#include <cstdint>
#include <string>

namespace nirb {

/// Statistics of a numeric tensor (over elements converted to double).
struct TensorStats {
    std::int64_t count = 0;            ///< number of elements
    std::int64_t finite = 0;           ///< elements that are neither NaN nor infinite
    double min = 0, max = 0, mean = 0; ///< over finite elements; 0 when there are none
};

/// Statistics of a numeric tensor; all zero for string tensors.
TensorStats tensor_stats(const Tensor& t);

/// FNV-1a 64-bit hash of a tensor's raw bytes (strings: UTF-8 bytes, each NUL-terminated),
/// as 16 hex digits. Stable across platforms; for goldens, not security.
std::string tensor_checksum(const Tensor& t);

/// Options of the text dump.
struct TextOptions {
    /// How many NIRGraph levels to expand (the root graph is level 1); deeper graphs are
    /// one summary line. -1 expands everything.
    int expand_depth = -1;
    /// Arrays with at most this many elements are printed in full (-1: always).
    int inline_limit = 16;
    /// Print the checksum of every array.
    bool checksums = true;
};

/// One-line rendering of a value: scalars as text, arrays as
/// `float32[2, 3] min=.. max=.. mean=.. #checksum` (plus `= [..]` when small), maps as
/// `{k: v, ...}`.
std::string value_to_text(const Value& v, const TextOptions& opts = {});

/// The whole document: version, root type, nodes in order with their fields, metadata
/// and extras, edges in order, nested graphs indented.
std::string to_text(const Document& doc, const TextOptions& opts = {});

} // namespace nirb
