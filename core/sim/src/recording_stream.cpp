// The simulator's outputs: .npy or time-gridded HDF5, written a block of steps at a time.
#include "nirb/sim/data_io.hpp"

#include "nirb/atomic_output.hpp"
#include "nirb/error.hpp"

#include "h5_handle.hpp"

#include <fmt/core.h>
#include <hdf5.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

namespace nirb::sim {
namespace {

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

hid_t open_or_create_group(hid_t parent, const std::string& name, const char* type) {
    return H5Lexists(parent, name.c_str(), H5P_DEFAULT) > 0
               ? H5Gopen2(parent, name.c_str(), H5P_DEFAULT)
               : group(parent, name, type);
}

/// Creates `nodes/<node>/observables/<observable>` with its attributes and a (batch, steps,
/// n) float32 dataset `data`; returns the dataset id or -1.
hid_t create_series(hid_t nodes, const Recording& r, double dt, const std::string& unit) {
    Handle node(open_or_create_group(nodes, r.node, "NIRNodeData"), H5Gclose);
    Handle obs(node.ok() ? open_or_create_group(node.get(), "observables", nullptr) : -1, H5Gclose);
    Handle series(obs.ok() ? group(obs.get(), r.observable, "TimeGriddedData") : -1, H5Gclose);
    if (!series.ok())
        return -1;
    double_attribute(series.get(), "dt", dt);
    string_attribute(series.get(), "time_unit", unit);
    // The per-sample shape, so that readers can restore (C, H, W) from n_neurons.
    const hsize_t rank = r.shape.size();
    Handle sspace(rank ? H5Screate_simple(1, &rank, nullptr) : H5Screate(H5S_NULL), H5Sclose);
    Handle sattr(
        H5Acreate2(series.get(), "shape", H5T_STD_I64LE, sspace.get(), H5P_DEFAULT, H5P_DEFAULT),
        H5Aclose);
    if (rank)
        H5Awrite(sattr.get(), H5T_NATIVE_INT64, r.shape.data());
    const hsize_t dims[3] = {static_cast<hsize_t>(r.batch), static_cast<hsize_t>(r.steps),
                             static_cast<hsize_t>(shape_element_count(r.shape))};
    Handle space(H5Screate_simple(3, dims, nullptr), H5Sclose);
    return H5Dcreate2(series.get(), "data", H5T_IEEE_F32LE, space.get(), H5P_DEFAULT, H5P_DEFAULT,
                      H5P_DEFAULT);
}

/// A (steps, batch, n) block -> (batch, steps, n), the TimeGriddedData order.
std::vector<float> batch_major(const float* block, std::int64_t steps, std::int64_t batch,
                               std::int64_t n) {
    std::vector<float> out(static_cast<std::size_t>(steps * batch * n));
    for (std::int64_t t = 0; t < steps; ++t)
        for (std::int64_t b = 0; b < batch; ++b)
            std::copy_n(block + (t * batch + b) * n, n, out.data() + (b * steps + t) * n);
    return out;
}

bool is_npy(const std::string& path) {
    return std::filesystem::path(path).extension() == ".npy";
}

} // namespace

struct RecordingStream::Impl {
    std::string path;
    std::vector<Recording> layout;
    AtomicOutput out;
    std::int64_t written = 0; ///< steps appended so far
    // .npy
    std::ofstream npy;
    // HDF5: the file, then one dataset per series (closed before the file)
    std::unique_ptr<Handle> file;
    std::vector<std::unique_ptr<Handle>> datasets;

    Impl(const std::string& p, std::vector<Recording> l)
        : path(p), layout(std::move(l)), out(p, true) {}

    [[noreturn]] void fail(const char* what) const {
        throw Error(fmt::format("{}: cannot {} the output (folder missing, not writable or "
                                "disk full?)",
                                path, what));
    }

    std::int64_t steps() const { return layout.empty() ? 0 : layout.front().steps; }

    void close_hdf5() {
        datasets.clear();
        file.reset();
    }
};

RecordingStream::RecordingStream(const std::string& path, std::vector<Recording> layout, double dt,
                                 const std::string& time_unit)
    : m_impl(std::make_unique<Impl>(path, std::move(layout))) {
    Impl& m = *m_impl;
    if (is_npy(path)) {
        if (m.layout.size() != 1)
            throw UsageError(
                fmt::format("{}: .npy holds exactly one series, not {}", path, m.layout.size()));
        const Recording& r = m.layout.front();
        Shape shape{r.steps, r.batch};
        shape.insert(shape.end(), r.shape.begin(), r.shape.end());
        m.npy.open(m.out.temp_path(), std::ios::binary | std::ios::trunc);
        const std::string header = npy_header(shape);
        if (!m.npy.write(header.data(), static_cast<std::streamsize>(header.size())))
            m.fail("create");
        return;
    }
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
    m.file = std::make_unique<Handle>(
        H5Fcreate(m.out.temp_path().c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT), H5Fclose);
    if (!m.file->ok())
        m.fail("create");
    string_attribute(m.file->get(), "__type__", "NIRGraphData");
    Handle nodes(group(m.file->get(), "nodes", nullptr), H5Gclose);
    if (!nodes.ok())
        m.fail("create");
    for (const auto& r : m.layout) {
        m.datasets.push_back(
            std::make_unique<Handle>(create_series(nodes.get(), r, dt, time_unit), H5Dclose));
        if (!m.datasets.back()->ok())
            m.fail("create");
    }
}

RecordingStream::~RecordingStream() {
    if (m_impl)
        m_impl->close_hdf5(); // the AtomicOutput member then removes the uncommitted file
}

void RecordingStream::append(std::int64_t steps, const std::vector<const float*>& blocks) {
    Impl& m = *m_impl;
    if (blocks.size() != m.layout.size() || steps < 0 || steps > m.steps() - m.written)
        throw Error(fmt::format("{}: {} steps of {} series do not fit the output's {} steps "
                                "of {} series ({} written)",
                                m.path, steps, blocks.size(), m.steps(), m.layout.size(),
                                m.written));
    for (std::size_t i = 0; i < blocks.size(); ++i) {
        const Recording& r = m.layout[i];
        const auto n = shape_element_count(r.shape);
        if (m.npy.is_open()) {
            const auto bytes = static_cast<std::streamsize>(steps * r.batch * n * sizeof(float));
            if (!m.npy.write(reinterpret_cast<const char*>(blocks[i]), bytes))
                m.fail("write");
            continue;
        }
        const auto data = batch_major(blocks[i], steps, r.batch, n);
        const hsize_t start[3] = {0, static_cast<hsize_t>(m.written), 0};
        const hsize_t count[3] = {static_cast<hsize_t>(r.batch), static_cast<hsize_t>(steps),
                                  static_cast<hsize_t>(n)};
        const hid_t ds = m.datasets[i]->get();
        Handle file_space(H5Dget_space(ds), H5Sclose);
        Handle mem_space(H5Screate_simple(3, count, nullptr), H5Sclose);
        if (!file_space.ok() || !mem_space.ok() ||
            H5Sselect_hyperslab(file_space.get(), H5S_SELECT_SET, start, nullptr, count, nullptr) <
                0 ||
            H5Dwrite(ds, H5T_NATIVE_FLOAT, mem_space.get(), file_space.get(), H5P_DEFAULT,
                     data.data()) < 0)
            m.fail("write");
    }
    m.written += steps;
}

void RecordingStream::commit() {
    Impl& m = *m_impl;
    if (m.written != m.steps())
        throw Error(
            fmt::format("{}: only {} of {} steps were written", m.path, m.written, m.steps()));
    if (m.npy.is_open()) {
        m.npy.close();
        if (m.npy.fail())
            m.fail("write");
    } else {
        m.close_hdf5();
    }
    m.out.commit();
}

} // namespace nirb::sim
