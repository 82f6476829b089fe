// Reading one dataset into a Value: numbers straight into the tensor's buffer, strings of any
// flavour (variable or fixed length, ASCII or UTF-8).
#include "h5_dataset.hpp"

#include "nirb/error.hpp"

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <span>
#include <sys/mman.h>
#include <vector>

namespace nirb::h5 {
namespace {

// Upper bound on one dataset's payload: anything larger is a corrupt or hostile header,
// not a weight array (and would exhaust memory before HDF5 noticed).
constexpr std::int64_t kMaxDatasetBytes = std::int64_t{1} << 40;

// Strings of a variable-length string dataset are converted in batches of this many bytes of
// HDF5's conversion buffer (16 bytes per element: 65,536 strings), not all at once: the
// buffer would otherwise grow with the element count.
constexpr std::size_t kStringBatchBytes = std::size_t{1} << 20;

/// Variable-length strings HDF5 allocated for us and that are not freed yet (for the test
/// that a failed read leaks none of them).
std::atomic<std::int64_t> g_vlen_strings_alive{0};

void* allocate_vlen_string(std::size_t bytes, void*) {
    void* p = std::malloc(bytes);
    if (p)
        ++g_vlen_strings_alive;
    return p;
}

void free_vlen_string(void* p, void*) {
    if (!p)
        return;
    --g_vlen_strings_alive;
    std::free(p);
}

/// Frees what HDF5 allocated for variable-length strings, also when a read fails part-way
/// (HDF5 has handed over the batches it converted before failing) or copying them out throws.
/// Every string came from allocate_vlen_string (the transfer list's allocator), so freeing
/// each one is all H5Dvlen_reclaim would do, without its dataspace walk.
class VlenReclaim {
public:
    explicit VlenReclaim(std::vector<char*>& ptrs) : m_ptrs(ptrs) {}
    ~VlenReclaim() {
        for (char* p : m_ptrs)
            free_vlen_string(p, nullptr);
    }
    VlenReclaim(const VlenReclaim&) = delete;
    VlenReclaim& operator=(const VlenReclaim&) = delete;

private:
    std::vector<char*>& m_ptrs;
};

/// A memory type of variable-length strings in `cset`.
Handle vlen_string_type(H5T_cset_t cset) {
    Handle mem(H5Tcopy(H5T_C_S1), H5I_DATATYPE);
    H5Tset_size(mem.get(), H5T_VARIABLE);
    H5Tset_cset(mem.get(), cset);
    return mem;
}

/// A transfer list converting up to `count` strings per batch into allocate_vlen_string's
/// memory.
Handle vlen_transfer_plist(std::size_t count) {
    Handle dxpl = small_transfer_plist(std::min(count * 16, kStringBatchBytes));
    H5Pset_vlen_mem_manager(dxpl.get(), allocate_vlen_string, nullptr, free_vlen_string, nullptr);
    return dxpl;
}

// Up to this many strings fit the smallest conversion buffer (4 KiB, 16 bytes each).
constexpr std::size_t kFewStrings = 256;

/// The memory types and transfer list of reads of a few ASCII or UTF-8 strings (every node's
/// `type`), kept for the process.
hid_t few_strings_type(H5T_cset_t cset) {
    static KeptId ascii([] { return vlen_string_type(H5T_CSET_ASCII); });
    static KeptId utf8([] { return vlen_string_type(H5T_CSET_UTF8); });
    return cset == H5T_CSET_UTF8 ? utf8.get() : ascii.get();
}

hid_t few_strings_transfer_plist() {
    static KeptId dxpl([] { return vlen_transfer_plist(kFewStrings); });
    return dxpl.get();
}

std::vector<std::string> read_vlen_strings(hid_t ds, hid_t file_type, std::size_t count,
                                           const Site& site) {
    const H5T_cset_t cset = H5Tget_cset(file_type);
    const bool few = count <= kFewStrings && (cset == H5T_CSET_ASCII || cset == H5T_CSET_UTF8);
    Handle own_mem, own_dxpl;
    hid_t mem = -1, dxpl = -1;
    if (few) {
        mem = few_strings_type(cset);
        dxpl = few_strings_transfer_plist();
    } else {
        own_mem = vlen_string_type(cset);
        own_dxpl = vlen_transfer_plist(count);
        mem = own_mem.get();
        dxpl = own_dxpl.get();
    }
    std::vector<char*> ptrs(count, nullptr);
    VlenReclaim reclaim(ptrs);
    check_status(H5Dread(ds, mem, H5S_ALL, H5S_ALL, dxpl, ptrs.data()), site.file, site.path,
                 "cannot read string data (truncated or corrupt file?)");
    std::vector<std::string> out;
    out.reserve(count);
    for (char* p : ptrs)
        out.emplace_back(p ? p : "");
    return out;
}

} // namespace

std::int64_t vlen_strings_alive() {
    return g_vlen_strings_alive;
}

namespace {

std::vector<std::string> read_fixed_strings(hid_t ds, hid_t file_type, std::size_t count,
                                            const Site& site) {
    const std::size_t width = H5Tget_size(file_type);
    std::vector<char> buf(width * count + 1, '\0');
    check_status(H5Dread(ds, file_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf.data()), site.file,
                 site.path, "cannot read string data (truncated or corrupt file?)");
    const bool space_pad = H5Tget_strpad(file_type) == H5T_STR_SPACEPAD;
    std::vector<std::string> out;
    out.reserve(count);
    for (std::size_t i = 0; i < count; ++i) {
        const char* p = buf.data() + i * width;
        std::size_t n = strnlen(p, width);
        while (space_pad && n > 0 && p[n - 1] == ' ')
            --n;
        out.emplace_back(p, n);
    }
    return out;
}

// Large arrays: ask for transparent huge pages before the buffer is first touched (as numpy
// does for np.empty), so filling 1 GiB costs ~500 page faults instead of ~260,000. The
// buffer comes from Tensor::uninitialized, so nothing has touched it yet.
constexpr std::size_t kHugePageMin = std::size_t{4} << 20;

void advise_huge_pages(std::span<std::byte> buf) {
    if (buf.size() < kHugePageMin)
        return;
    const std::uintptr_t page = std::uintptr_t{2} << 20;
    const auto begin = reinterpret_cast<std::uintptr_t>(buf.data());
    const std::uintptr_t aligned = (begin + page - 1) & ~(page - 1);
    if (aligned < begin + buf.size())
        ::madvise(reinterpret_cast<void*>(aligned), begin + buf.size() - aligned, MADV_HUGEPAGE);
}

Value scalar_value(const Tensor& t) {
    // h5py hands these back as Python int / float / bool; keep that distinction.
    switch (t.dtype()) {
    case DType::Int64:
        return Value(static_cast<std::int64_t>(t.to_ints()[0]));
    case DType::Float64:
        return Value(t.at(0));
    case DType::Bool:
        return Value(t.at(0) != 0.0);
    default:
        return Value(t);
    }
}

/// Refuse a dataset that declares far more data than the file stores for it, before anything
/// is allocated: declared-but-unwritten datasets read as fill values, so a 14 KB file could
/// declare gigabytes (numbers) or hundreds of millions of strings (HDF5's conversion buffers).
void check_declared_size(hid_t ds, hid_t file_type, std::int64_t count, const Site& site) {
    const std::size_t width = std::max<std::size_t>(H5Tget_size(file_type), 1);
    const auto n = static_cast<std::uint64_t>(count);
    const std::uint64_t declared = n > UINT64_MAX / width ? UINT64_MAX : n * width;
    if (declared <= site.max_unstored_bytes)
        return;
    Handle dcpl = check(H5Dget_create_plist(ds), site.file, site.path,
                        "cannot read the dataset's storage properties");
    const bool filtered = H5Pget_nfilters(dcpl.get()) > 0;
    // deflate expands at most ~1032:1; any filter beyond 1100:1 is not holding real data.
    const std::uint64_t stored = H5Dget_storage_size(ds);
    const std::uint64_t backed =
        filtered ? (stored > UINT64_MAX / 1100 ? UINT64_MAX : stored * 1100) : stored;
    if (declared <= backed || declared - backed <= site.max_unstored_bytes)
        return;
    throw Error(where(site.file, site.path,
                      "the dataset declares " + std::to_string(declared) +
                          " bytes but the file stores " + std::to_string(stored) +
                          " for it (never written, or corrupt); refused before allocating "
                          "(raise the limit with ReadOptions::max_unstored_bytes or "
                          "NIRB_MAX_UNSTORED_MIB) [NIRB-E115]"));
}

} // namespace

Shape dataset_shape(hid_t ds, const Site& site) {
    Handle space(H5Dget_space(ds), H5I_DATASPACE);
    if (!space.valid())
        check_status(-1, site.file, site.path, "cannot read dataspace");
    // One call for rank and dimensions (HDF5 allows at most H5S_MAX_RANK); the class only
    // tells SCALAR from NULL, both of rank 0.
    hsize_t dims[H5S_MAX_RANK];
    const int rank = H5Sget_simple_extent_dims(space.get(), dims, nullptr);
    if (rank < 0)
        check_status(-1, site.file, site.path, "cannot read dataspace rank");
    if (rank == 0) {
        if (H5Sget_simple_extent_type(space.get()) == H5S_SCALAR)
            return {};
        throw Error(where(site.file, site.path,
                          "dataset has an empty (NULL) dataspace; expected an array or scalar"));
    }
    Shape shape;
    for (hsize_t d : std::span(dims, static_cast<std::size_t>(rank))) {
        if (d > static_cast<hsize_t>(std::numeric_limits<std::int64_t>::max()))
            throw Error(where(site.file, site.path, "dataset dimension too large"));
        shape.push_back(static_cast<std::int64_t>(d));
    }
    try {
        (void)shape_element_count(shape);
    } catch (const Error& e) {
        throw Error(where(site.file, site.path,
                          "dataset shape " + shape_to_string(shape) +
                              " has an element count that overflows 64 bits; expected a real "
                              "array shape"));
    }
    return shape;
}

// Object header message type 0x0007, "Data Storage - External Data Files" (HDF5 file format
// specification, IV.A.2.h): HDF5 reads a dataset's values from other files exactly when its
// header holds this message.
constexpr std::uint64_t kExternalFilesMessage = std::uint64_t{1} << 0x0007;

/// The common case, proved cheaply: HDF5 gives a dataset an address only for contiguous
/// storage (never for virtual, chunked or compact layouts), and no external file list
/// message says the values are elsewhere. The alternative, H5Dget_create_plist, copies the
/// dataset's whole property list (a third of the time of reading a many-node graph).
bool contiguous_in_this_file(hid_t ds) {
    if (H5Dget_offset(ds) == HADDR_UNDEF)
        return false;
    const std::optional<std::uint64_t> messages = header_message_types(ds);
    return messages && (*messages & kExternalFilesMessage) == 0;
}

/// HDF5 lets a dataset keep its values in other files (external raw storage, virtual
/// datasets). Reading those would copy whatever host file they name (a crafted `.nir` could
/// point at /etc/passwd) into our output, so a `.nir` must be self-contained.
void refuse_outside_storage(hid_t ds, const Site& site) {
    if (contiguous_in_this_file(ds))
        return;
    Handle dcpl = check(H5Dget_create_plist(ds), site.file, site.path,
                        "cannot read the dataset's storage properties");
    const int external = H5Pget_external_count(dcpl.get());
    if (external != 0 || H5Pget_layout(dcpl.get()) == H5D_VIRTUAL)
        throw Error(where(site.file, site.path,
                          "the dataset keeps its values outside this file (HDF5 external or "
                          "virtual storage); refused: a .nir file must hold its own data"));
}

DatasetValue read_dataset(hid_t ds, const Site& site, ScalarStyle style) {
    refuse_outside_storage(ds, site);
    Handle type(H5Dget_type(ds), H5I_DATATYPE);
    if (!type.valid())
        check_status(-1, site.file, site.path, "cannot read datatype");
    const std::optional<DType> dtype = dtype_of(type.get());
    if (!dtype)
        throw Error(where(site.file, site.path,
                          "unsupported datatype (" + type_class_name(type.get()) +
                              "); expected a number, bool or string dataset"));
    Shape shape = dataset_shape(ds, site);
    const std::int64_t count = shape_element_count(shape);
    DatasetValue out;
    if (*dtype == DType::String) {
        check_declared_size(ds, type.get(), count, site);
        out.is_string = true;
        out.flavour = string_flavour(type.get());
        auto strings = out.flavour.variable ? read_vlen_strings(ds, type.get(), count, site)
                                            : read_fixed_strings(ds, type.get(), count, site);
        if (shape.empty())
            out.value = Value(std::move(strings[0]));
        else
            out.value = Value(Tensor::from_strings(std::move(strings), std::move(shape)));
        return out;
    }
    const std::size_t elem = dtype_size(*dtype);
    if (count > kMaxDatasetBytes / static_cast<std::int64_t>(elem))
        throw Error(where(site.file, site.path,
                          "dataset shape " + shape_to_string(shape) +
                              " is larger than 1 TiB; expected a real array"));
    check_declared_size(ds, type.get(), count, site);
    // Uninitialised storage: H5Dread with H5S_ALL either fills every element (fill values
    // included) or fails, and on failure check_status throws and `t` is destroyed unseen.
    Tensor t = Tensor::uninitialized(*dtype, std::move(shape));
    advise_huge_pages(t.mutable_bytes());
    if (count > 0) {
        check_status(H5Dread(ds, numeric_memory_type(*dtype), H5S_ALL, H5S_ALL, H5P_DEFAULT,
                             t.mutable_bytes().data()),
                     site.file, site.path, "cannot read data (truncated or corrupt file?)");
    }
    if (style == ScalarStyle::Metadata && t.rank() == 0)
        out.value = scalar_value(t);
    else
        out.value = Value(std::move(t));
    return out;
}

} // namespace nirb::h5
