// HDF5 inputs and time-gridded recordings, with the HDF5 C API.
#include "nirb/sim/data_io.hpp"

#include "nirb/atomic_output.hpp"
#include "nirb/error.hpp"

#include <fmt/core.h>
#include <hdf5.h>

#include <algorithm>
#include <filesystem>
#include <random>

namespace nirb::sim {
namespace {

/// Closes an HDF5 handle with the matching function when it goes out of scope.
class Handle {
public:
    Handle(hid_t id, herr_t (*close)(hid_t)) : m_id(id), m_close(close) {}
    ~Handle() {
        if (m_id >= 0)
            m_close(m_id);
    }
    Handle(const Handle&) = delete;
    Handle& operator=(const Handle&) = delete;
    hid_t get() const { return m_id; }
    bool ok() const { return m_id >= 0; }

private:
    hid_t m_id;
    herr_t (*m_close)(hid_t);
};

void string_attribute(hid_t obj, const char* name, const std::string& value) {
    Handle type(H5Tcopy(H5T_C_S1), H5Tclose);
    H5Tset_size(type.get(), value.size());
    H5Tset_cset(type.get(), H5T_CSET_UTF8);
    Handle space(H5Screate(H5S_SCALAR), H5Sclose);
    Handle attr(H5Acreate2(obj, name, type.get(), space.get(), H5P_DEFAULT, H5P_DEFAULT), H5Aclose);
    H5Awrite(attr.get(), type.get(), value.data());
}

void double_attribute(hid_t obj, const char* name, double value) {
    Handle space(H5Screate(H5S_SCALAR), H5Sclose);
    Handle attr(H5Acreate2(obj, name, H5T_IEEE_F64LE, space.get(), H5P_DEFAULT, H5P_DEFAULT),
                H5Aclose);
    H5Awrite(attr.get(), H5T_NATIVE_DOUBLE, &value);
}

hid_t group(hid_t parent, const std::string& name, const char* type) {
    const hid_t g = H5Gcreate2(parent, name.c_str(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    if (g >= 0 && type)
        string_attribute(g, "__type__", type);
    return g;
}

/// (steps, batch, n) -> (batch, steps, n), the TimeGriddedData order.
std::vector<float> batch_major(const Recording& r) {
    const auto n = shape_element_count(r.shape);
    std::vector<float> out(r.values.size());
    for (std::int64_t t = 0; t < r.steps; ++t)
        for (std::int64_t b = 0; b < r.batch; ++b)
            std::copy_n(r.values.data() + (t * r.batch + b) * n, n,
                        out.data() + (b * r.steps + t) * n);
    return out;
}

bool write_one(hid_t nodes, const Recording& r, double dt, const std::string& unit) {
    htri_t exists = H5Lexists(nodes, r.node.c_str(), H5P_DEFAULT);
    Handle node(exists > 0 ? H5Gopen2(nodes, r.node.c_str(), H5P_DEFAULT)
                           : group(nodes, r.node, "NIRNodeData"),
                H5Gclose);
    exists = H5Lexists(node.get(), "observables", H5P_DEFAULT);
    Handle obs(exists > 0 ? H5Gopen2(node.get(), "observables", H5P_DEFAULT)
                          : group(node.get(), "observables", nullptr),
               H5Gclose);
    Handle series(group(obs.get(), r.observable, "TimeGriddedData"), H5Gclose);
    if (!node.ok() || !obs.ok() || !series.ok())
        return false;
    double_attribute(series.get(), "dt", dt);
    string_attribute(series.get(), "time_unit", unit);
    const hsize_t dims[3] = {static_cast<hsize_t>(r.batch), static_cast<hsize_t>(r.steps),
                             static_cast<hsize_t>(shape_element_count(r.shape))};
    Handle space(H5Screate_simple(3, dims, nullptr), H5Sclose);
    Handle ds(H5Dcreate2(series.get(), "data", H5T_IEEE_F32LE, space.get(), H5P_DEFAULT,
                         H5P_DEFAULT, H5P_DEFAULT),
              H5Dclose);
    const auto data = batch_major(r);
    if (!ds.ok() ||
        H5Dwrite(ds.get(), H5T_NATIVE_FLOAT, H5S_ALL, H5S_ALL, H5P_DEFAULT, data.data()) < 0)
        return false;
    // The per-sample shape, so that readers can restore (C, H, W) from n_neurons.
    const hsize_t rank = r.shape.size();
    Handle sspace(rank ? H5Screate_simple(1, &rank, nullptr) : H5Screate(H5S_NULL), H5Sclose);
    Handle sattr(
        H5Acreate2(series.get(), "shape", H5T_STD_I64LE, sspace.get(), H5P_DEFAULT, H5P_DEFAULT),
        H5Aclose);
    if (rank)
        H5Awrite(sattr.get(), H5T_NATIVE_INT64, r.shape.data());
    return true;
}

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

void write_h5_recordings(const std::string& path, const std::vector<Recording>& recordings,
                         double dt, const std::string& time_unit) {
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
    AtomicOutput out(path, true);
    bool ok = false;
    {
        Handle file(H5Fcreate(out.temp_path().c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT),
                    H5Fclose);
        if (file.ok()) {
            string_attribute(file.get(), "__type__", "NIRGraphData");
            Handle nodes(group(file.get(), "nodes", nullptr), H5Gclose);
            ok = nodes.ok();
            for (const auto& r : recordings)
                ok = ok && write_one(nodes.get(), r, dt, time_unit);
        }
    }
    if (!ok)
        throw Error(fmt::format("{}: cannot write the HDF5 output (folder missing or not "
                                "writable?)",
                                path));
    out.commit();
}

} // namespace nirb::sim
