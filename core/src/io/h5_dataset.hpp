#pragma once
// Reading one HDF5 dataset into a Value and writing a Value as a dataset or group (internal).
#include "h5_handle.hpp"
#include "h5_types.hpp"
#include "nirb/value.hpp"

#include <cstdint>
#include <string>

namespace nirb::h5 {

/// Where a dataset is, for messages.
struct Site {
    const std::string& file;
    std::string path; ///< absolute HDF5 path
    /// Bytes a dataset may declare beyond what the file stores for it (ReadOptions).
    std::uint64_t max_unstored_bytes = std::uint64_t{1} << 20;
};

/// How to map scalars: metadata keeps h5py's Python scalar kinds (int64 -> int, float64 ->
/// double, bool enum -> bool); node fields keep every number as a (0-d) Tensor.
enum class ScalarStyle { Metadata, Field };

/// The value of a dataset plus facts the reader reports as diagnostics.
struct DatasetValue {
    Value value;
    bool is_string = false;
    StringFlavour flavour; ///< meaningful when is_string
};

/// Read a whole dataset. Scalar strings become std::string, string arrays String tensors,
/// numbers Tensors of the exact stored dtype (or Value scalars in Metadata style). Throws
/// nirb::Error naming the file and path for unsupported types, NULL dataspaces, shapes whose
/// element count overflows and read failures (truncated files).
DatasetValue read_dataset(hid_t dataset, const Site& site, ScalarStyle style);

/// Variable-length strings HDF5 allocated for read_dataset that are not freed yet: 0 between
/// reads, also after a read that failed part-way (tests check this).
std::int64_t vlen_strings_alive();

/// The shape of a dataset (empty for SCALAR); throws on NULL dataspaces and overflow.
Shape dataset_shape(hid_t dataset, const Site& site);

/// Options that affect how datasets are created.
struct CreateOptions {
    bool compress = false;
    int level = 4;
};

/// Group creation properties: link creation order tracked and indexed, no timestamps.
Handle group_create_plist();

/// Create group `name` under `loc` (creation order tracked).
Handle create_group(hid_t loc, const std::string& name, const Site& site);

/// Write `value` under `loc` as `name`: a dataset for scalars, strings and tensors, a group
/// (recursively) for maps.
void write_value(hid_t loc, const std::string& name, const Value& value, const Site& site,
                 const CreateOptions& opts);

/// Write a scalar vlen UTF-8 string dataset.
void write_string(hid_t loc, const std::string& name, const std::string& s, const Site& site);

/// Write a tensor as a dataset (dtype and shape kept; 0-d -> SCALAR).
void write_tensor(hid_t loc, const std::string& name, const Tensor& t, const Site& site,
                  const CreateOptions& opts);

} // namespace nirb::h5
