#pragma once
// The binary form in which an isolated read hands a document and its reading diagnostics
// back (read_isolated.hpp), and the request the read helper receives. Private to the
// package: both ends are the same build on the same machine (native byte order).
#include "nirb/diagnostics.hpp"
#include "nirb/document.hpp"
#include "nirb/io.hpp"

#include <cstdint>
#include <string>
#include <string_view>

namespace nirb::python {

/// What read_document gives: the document and the diagnostics of reading.
struct ReadResult {
    Document document;
    Diagnostics diagnostics;
};

/// The document and diagnostics as bytes; `expected` is a size hint for the buffer.
std::string encode_read(const Document& doc, const Diagnostics& diags, std::size_t expected);
/// The inverse of encode_read; nirb::Error when the bytes end early.
ReadResult decode_read(std::string_view bytes);

/// One read the helper process carries out: the file, the reader's options, and the time
/// and address-space budget of the worker that reads it.
struct ReadRequest {
    std::string path;
    bool strict = false;
    bool allow_errors = false;
    std::uint64_t timeout_seconds = 15;
    std::uint64_t memory_budget = 0; ///< address space the worker may add; 0 = no cap

    ReadOptions options() const;
    std::string encode() const;
    static ReadRequest decode(std::string_view bytes);
};

/// How the worker's read ended, as the helper reports it (nirb::ChildOutcome::Status).
struct ReadReply {
    std::uint8_t status = 0;
    std::string message;

    std::string encode() const;
    static ReadReply decode(std::string_view bytes);
};

/// In a worker: cap the address space the read may add (`budget` bytes beyond what the
/// process maps now), as the `nirb` command's read supervisor does.
void limit_address_space(std::uint64_t budget);

/// In a worker: read the file and write the encoded result into the file descriptor
/// `out_fd` (a memfd the parent maps afterwards). nirb::Error on failure.
void read_into(const ReadRequest& request, int out_fd);

} // namespace nirb::python
