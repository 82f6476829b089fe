// HDF5 inputs of the simulator, with the HDF5 C API (recordings: recording_stream.cpp).
#include "nirb/sim/data_io.hpp"

#include "nirb/error.hpp"

#include "h5_handle.hpp"

#include <fmt/core.h>
#include <hdf5.h>

#include <algorithm>
#include <filesystem>
#include <random>

namespace nirb::sim {
namespace {

/// Integer and float datasets convert to float in H5Dread; h5py's bool is an enum of int8,
/// which HDF5 does not convert, so its raw bytes are read and widened here.
bool read_as_float(hid_t ds, hid_t type, H5T_class_t cls, std::vector<float>& out) {
    if (cls != H5T_ENUM)
        return H5Dread(ds, H5T_NATIVE_FLOAT, H5S_ALL, H5S_ALL, H5P_DEFAULT, out.data()) >= 0;
    if (H5Tget_size(type) != 1)
        return false;
    std::vector<std::int8_t> raw(out.size());
    if (H5Dread(ds, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, raw.data()) < 0)
        return false;
    std::copy(raw.begin(), raw.end(), out.begin());
    return true;
}

} // namespace

std::vector<NpyArray> read_h5_inputs(const std::string& path,
                                     const std::vector<std::string>& names) {
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
    Handle file(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose);
    if (!file.ok())
        throw Error(fmt::format("{}: cannot open as HDF5", path));
    std::vector<NpyArray> out;
    for (const auto& name : names) {
        if (H5Lexists(file.get(), name.c_str(), H5P_DEFAULT) <= 0)
            throw Error(fmt::format("{}: no dataset '/{}' for Input node '{}'", path, name, name));
        Handle ds(H5Dopen2(file.get(), name.c_str(), H5P_DEFAULT), H5Dclose);
        Handle space(H5Dget_space(ds.get()), H5Sclose);
        Handle type(H5Dget_type(ds.get()), H5Tclose);
        const H5T_class_t cls = ds.ok() ? H5Tget_class(type.get()) : H5T_NO_CLASS;
        if (!ds.ok() || (cls != H5T_FLOAT && cls != H5T_INTEGER && cls != H5T_ENUM))
            throw Error(fmt::format("{}: '/{}' is not a numeric dataset", path, name));
        const int rank = H5Sget_simple_extent_ndims(space.get());
        std::vector<hsize_t> dims(static_cast<std::size_t>(std::max(rank, 0)));
        H5Sget_simple_extent_dims(space.get(), dims.data(), nullptr);
        NpyArray a;
        a.descr = "hdf5";
        for (auto d : dims)
            a.shape.push_back(static_cast<std::int64_t>(d));
        a.values.resize(static_cast<std::size_t>(shape_element_count(a.shape)));
        if (!read_as_float(ds.get(), type.get(), cls, a.values))
            throw Error(fmt::format("{}: cannot read '/{}' as float32", path, name));
        out.push_back(std::move(a));
    }
    return out;
}

} // namespace nirb::sim
