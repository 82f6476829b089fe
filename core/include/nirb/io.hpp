#pragma once
/// \file io.hpp
/// Reading and writing whole documents: `.nir` (HDF5) files and the lossless JSON form.
/// Every function throws nirb::Error with a message naming the file, the HDF5 path and what
/// was expected; nothing here prints.

#include "nirb/diagnostics.hpp"
#include "nirb/document.hpp"

#include <cstdint>
#include <string>

namespace nirb {

/// How to read a file.
struct ReadOptions {
    /// Behave like the reference reader (nir 1.0.7): fail where it fails (unknown fields,
    /// missing required fields such as Conv `input_shape`, mixed 0-d/1-element neuron
    /// parameters, integer edges, a root that is not a NIRGraph). Type inference and type
    /// checking are not part of reading; see `nirb validate`.
    bool strict = false;
    /// When false (the default) read_nir throws nirb::Error if reading produced any
    /// error-severity diagnostic (e.g. a missing required field in lenient mode). When true
    /// the document is returned anyway and the caller inspects `diags` (used by `nirb info`).
    bool allow_errors = false;
    /// Nested NIRGraph / metadata groups deeper than this are rejected (guards against
    /// hostile files).
    int max_depth = 64;
    /// A dataset may declare at most this many bytes more than the file stores for it
    /// (compressed data may expand up to 1100 times its stored size). Larger declarations
    /// (datasets declared but never written, whose values would be fill values) are refused
    /// before anything is allocated: a 14 KB file could otherwise cost gigabytes. The
    /// environment variable NIRB_MAX_UNSTORED_MIB, when set, overrides it.
    std::uint64_t max_unstored_bytes = std::uint64_t{1} << 20;
};

/// How to write a file.
struct WriteOptions {
    /// gzip (deflate) every dataset with ndim >= 1, chunked, as nir's unreleased main does.
    bool compress = false;
    /// Deflate level used when `compress` is set (nir main uses 4).
    int compression_level = 4;
    /// When false, refuse (nirb::Error) to replace an existing file.
    bool overwrite = true;
};

/// File formats chosen by extension.
enum class FileFormat {
    Nir,  ///< `.nir`, `.h5`, `.hdf5`: HDF5 in the layout of nir-format.md §7
    Json, ///< `.json`: the lossless JSON form (json_form.hpp)
};

/// The format implied by a path's extension; throws nirb::UsageError for an unknown one.
FileFormat format_from_path(const std::string& path);

/// Throw nirb::Error unless `path` names a regular file this process can read. A missing
/// file, a directory, a FIFO, socket or device (reading one would block or never end) and a
/// permission error each get their own message; `expected` names what was wanted ("a .nir
/// file"). Every reader calls it before opening its input.
void require_readable_file(const std::string& path, const std::string& expected);

/// Throw nirb::UsageError when `output` names the same file as `input` (also through links):
/// nirbridge never rewrites its input, even with --force.
void require_distinct_output(const std::string& input, const std::string& output);

/// Read a `.nir` file. Oddities (legacy layouts, defaults filled in, unknown fields kept,
/// ...) are appended to `diags` with stable NIRB-W1xx/E1xx codes (docs/diagnostics.md).
Document read_nir(const std::string& path, Diagnostics& diags, const ReadOptions& opts = {});

/// Write a `.nir` file in the layout nir 1.0.7 reads (nir-format.md §7.1-7.7). Node groups
/// track link creation order so that nirbridge reads the node order back. The file is
/// written to a temporary file in the target folder and renamed: a failure never leaves a
/// partial file and never clobbers the old one.
void write_nir(const std::string& path, const Document& doc, const WriteOptions& opts = {});

/// Read a document, choosing `.nir` or `.json` by extension.
Document read_document(const std::string& path, Diagnostics& diags, const ReadOptions& opts = {});

/// Write a document, choosing `.nir` or `.json` by extension (atomically, as write_nir).
void write_document(const std::string& path, const Document& doc, const WriteOptions& opts = {});

} // namespace nirb
