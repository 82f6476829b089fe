// write_nir: a new HDF5 file (creation order tracked from the root down) written to a
// temporary file and renamed over the target.
#include "writer.hpp"

#include "nirb/atomic_output.hpp"
#include "nirb/error.hpp"
#include "nirb/io.hpp"

namespace nirb {

void write_nir(const std::string& path, const Document& doc, const WriteOptions& opts) {
    h5::silence_errors();
    AtomicOutput out(path, opts.overwrite);
    const h5::CreateOptions copts{opts.compress, opts.compression_level};
    {
        h5::Handle fcpl(H5Pcreate(H5P_FILE_CREATE));
        H5Pset_link_creation_order(fcpl.get(), H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED);
        h5::Handle file =
            h5::check(H5Fcreate(out.temp_path().c_str(), H5F_ACC_TRUNC, fcpl.get(), H5P_DEFAULT),
                      path, "", "cannot create the HDF5 file");
        h5::write_string(file.get(), "version", doc.version.value_or(kNirWriteVersion),
                         {path, "/version"});
        const h5::Site ns{path, "/node"};
        h5::Handle node = h5::create_group(file.get(), "node", ns);
        io::write_node(node.get(), doc.root, ns, copts);
        node.reset();
        for (const auto& [name, value] : doc.extras.entries())
            h5::write_value(file.get(), name, value, {path, ""}, copts);
        h5::check_status(H5Fflush(file.get(), H5F_SCOPE_GLOBAL), path, "", "cannot flush file");
    } // file closed here, before the rename
    out.commit();
}

} // namespace nirb
