// Writing Values as HDF5 objects the way h5py does (nir-format.md §7.2): vlen UTF-8 strings,
// little-endian numbers of the stored dtype, the h5py bool enum, groups for maps.
#include "h5_dataset.hpp"

#include "nirb/error.hpp"

#include <algorithm>
#include <cstring>
#include <vector>

namespace nirb::h5 {
namespace {

// Target chunk size for compressed datasets: large enough for deflate to work well, small
// enough that readers of a slice do not inflate the whole array.
constexpr std::size_t kChunkBytes = std::size_t{1} << 20;

Handle make_space(const Shape& shape) {
    if (shape.empty())
        return Handle(H5Screate(H5S_SCALAR));
    std::vector<hsize_t> dims(shape.begin(), shape.end());
    return Handle(H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr));
}

Handle dataset_plist(const Shape& shape, std::size_t elem, const CreateOptions& opts) {
    Handle dcpl(H5Pcreate(H5P_DATASET_CREATE));
    H5Pset_obj_track_times(dcpl.get(), 0); // identical input -> identical bytes
    const bool empty = std::any_of(shape.begin(), shape.end(), [](auto d) { return d == 0; });
    if (!opts.compress || shape.empty() || empty)
        return dcpl;
    // Halve the largest chunk dimension until a chunk fits the target size.
    std::vector<hsize_t> chunk(shape.begin(), shape.end());
    auto bytes = [&] {
        std::size_t n = elem;
        for (hsize_t c : chunk)
            n *= c;
        return n;
    };
    while (bytes() > kChunkBytes) {
        auto it = std::max_element(chunk.begin(), chunk.end());
        if (*it <= 1)
            break;
        *it = (*it + 1) / 2;
    }
    H5Pset_chunk(dcpl.get(), static_cast<int>(chunk.size()), chunk.data());
    H5Pset_deflate(dcpl.get(), static_cast<unsigned>(opts.level));
    return dcpl;
}

Handle create_dataset(hid_t loc, const std::string& name, hid_t type, hid_t space, hid_t dcpl,
                      const Site& site) {
    return check(H5Dcreate2(loc, name.c_str(), type, space, H5P_DEFAULT, dcpl, H5P_DEFAULT),
                 site.file, site.path, "cannot create dataset");
}

void write_strings(hid_t loc, const std::string& name, const std::vector<std::string>& strings,
                   const Shape& shape, const Site& site, const CreateOptions& opts) {
    Handle type = vlen_utf8_type();
    Handle space = make_space(shape);
    Handle dcpl = dataset_plist(shape, sizeof(char*), opts);
    Handle ds = create_dataset(loc, name, type.get(), space.get(), dcpl.get(), site);
    std::vector<const char*> ptrs;
    ptrs.reserve(strings.size());
    for (const auto& s : strings)
        ptrs.push_back(s.c_str());
    Handle dxpl = small_transfer_plist(ptrs.size() * sizeof(char*) * 2);
    if (!ptrs.empty())
        check_status(H5Dwrite(ds.get(), type.get(), H5S_ALL, H5S_ALL, dxpl.get(), ptrs.data()),
                     site.file, site.path, "cannot write strings");
}

template <typename T>
void write_scalar(hid_t loc, const std::string& name, DType dtype, T v, const Site& site) {
    write_tensor(loc, name,
                 Tensor::from_bytes(dtype, {},
                                    [&] {
                                        std::vector<std::byte> b(sizeof v);
                                        std::memcpy(b.data(), &v, sizeof v);
                                        return b;
                                    }()),
                 site, {});
}

} // namespace

Handle group_create_plist() {
    Handle gcpl(H5Pcreate(H5P_GROUP_CREATE));
    H5Pset_link_creation_order(gcpl.get(), H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED);
    H5Pset_obj_track_times(gcpl.get(), 0);
    return gcpl;
}

Handle create_group(hid_t loc, const std::string& name, const Site& site) {
    Handle gcpl = group_create_plist();
    return check(H5Gcreate2(loc, name.c_str(), H5P_DEFAULT, gcpl.get(), H5P_DEFAULT), site.file,
                 site.path, "cannot create group");
}

void write_string(hid_t loc, const std::string& name, const std::string& s, const Site& site) {
    write_strings(loc, name, {s}, {}, site, {});
}

void write_tensor(hid_t loc, const std::string& name, const Tensor& t, const Site& site,
                  const CreateOptions& opts) {
    if (t.dtype() == DType::String) {
        write_strings(loc, name, t.strings(), t.shape(), site, opts);
        return;
    }
    Handle type = numeric_type(t.dtype());
    Handle space = make_space(t.shape());
    Handle dcpl = dataset_plist(t.shape(), dtype_size(t.dtype()), opts);
    Handle ds = create_dataset(loc, name, type.get(), space.get(), dcpl.get(), site);
    if (t.size() > 0)
        check_status(
            H5Dwrite(ds.get(), type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, t.bytes().data()),
            site.file, site.path, "cannot write data");
}

void write_value(hid_t loc, const std::string& name, const Value& value, const Site& site,
                 const CreateOptions& opts) {
    const Site child{site.file, site.path + "/" + name};
    std::visit(
        [&](const auto& v) {
            using V = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<V, bool>)
                write_scalar<std::uint8_t>(loc, name, DType::Bool, v ? 1 : 0, child);
            else if constexpr (std::is_same_v<V, std::int64_t>)
                write_scalar(loc, name, DType::Int64, v, child);
            else if constexpr (std::is_same_v<V, double>)
                write_scalar(loc, name, DType::Float64, v, child);
            else if constexpr (std::is_same_v<V, std::string>)
                write_string(loc, name, v, child);
            else if constexpr (std::is_same_v<V, Tensor>)
                write_tensor(loc, name, v, child, opts);
            else {
                Handle g = create_group(loc, name, child);
                for (const auto& [k, item] : v.entries())
                    write_value(g.get(), k, item, child, opts);
            }
        },
        value.storage());
}

} // namespace nirb::h5
