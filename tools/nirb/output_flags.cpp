#include "output_flags.hpp"

#include "nirb/error.hpp"

namespace nirb::cli {

void OutputFlags::add_to(CLI::App& command) {
    command.add_flag("--compress", compress,
                     "gzip-compress arrays in the .nir output (deflate level 4)");
    command.add_flag("--force", force, "replace OUT if it exists");
}

WriteOptions OutputFlags::write_options(const std::string& out) const {
    if (compress && format_from_path(out) != FileFormat::Nir)
        throw UsageError("--compress applies to .nir output only");
    WriteOptions wo;
    wo.compress = compress;
    wo.overwrite = force;
    return wo;
}

} // namespace nirb::cli
