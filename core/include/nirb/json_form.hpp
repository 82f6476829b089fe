#pragma once
/// \file json_form.hpp
/// The lossless JSON form of a document: every array with its dtype, shape and exact data,
/// node order, edge order, metadata and unknown extras, so `.nir -> .json -> .nir` gives
/// the same document. The layout is described in docs/format-compatibility.md.

#include "nirb/diagnostics.hpp"
#include "nirb/document.hpp"

#include <string>

namespace nirb {

/// Serialise a document to the JSON form (2-space indented, deterministic).
std::string to_json_text(const Document& doc);

/// Nesting limit of the JSON form, equal to ReadOptions::max_depth of the `.nir` reader so
/// that nothing read from one form is refused by the other.
inline constexpr int kDefaultMaxDepth = 64;

/// Parse the JSON form; `source` names the input in error messages. Throws nirb::Error with
/// the JSON path of the offending value; graphs or metadata nested deeper than `max_depth`
/// are refused.
Document from_json_text(const std::string& text, const std::string& source,
                        int max_depth = kDefaultMaxDepth);

/// Read a `.json` file in the JSON form.
Document read_json(const std::string& path, Diagnostics& diags, int max_depth = kDefaultMaxDepth);

/// Write a `.json` file atomically (temporary file + rename). `overwrite` false refuses to
/// replace an existing file.
void write_json(const std::string& path, const Document& doc, bool overwrite = true);

} // namespace nirb
