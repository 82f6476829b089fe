// Format choice by extension for read_document / write_document.
#include "nirb/io.hpp"

#include "nirb/error.hpp"
#include "nirb/json_form.hpp"

#include <algorithm>
#include <filesystem>

namespace nirb {

FileFormat format_from_path(const std::string& path) {
    std::string ext = std::filesystem::path(path).extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (ext == ".nir" || ext == ".h5" || ext == ".hdf5")
        return FileFormat::Nir;
    if (ext == ".json")
        return FileFormat::Json;
    throw UsageError(path + ": unknown file extension '" + ext +
                     "'; expected .nir (or .h5/.hdf5) or .json");
}

Document read_document(const std::string& path, Diagnostics& diags, const ReadOptions& opts) {
    if (format_from_path(path) == FileFormat::Json)
        return read_json(path, diags, opts.max_depth);
    return read_nir(path, diags, opts);
}

void write_document(const std::string& path, const Document& doc, const WriteOptions& opts) {
    if (format_from_path(path) == FileFormat::Json)
        write_json(path, doc, opts.overwrite);
    else
        write_nir(path, doc, opts);
}

} // namespace nirb
