#pragma once
/// \file schema_doc.hpp
/// docs/primitives.md, generated from the schema records, so the page cannot drift from
/// what the reader, inference, validation and simulator use.

#include <string>

namespace nirb {

/// The Markdown text of docs/primitives.md: one section per schema record (fields, kinds,
/// defaults, since-versions, kernel family, spiking flag, simulator defaults).
std::string primitives_markdown();

} // namespace nirb
