#pragma once
// Mapping between HDF5 datatypes and nirb::DType (internal).
#include "h5_handle.hpp"
#include "nirb/dtype.hpp"

#include <optional>

namespace nirb::h5 {

/// How a string dataset is stored (reported as a diagnostic when not vlen UTF-8).
struct StringFlavour {
    bool variable = true;
    bool utf8 = true;
};

/// The DType of an HDF5 datatype: integers, IEEE floats (16/32/64 bit), the h5py bool
/// enum {FALSE=0, TRUE=1} on int8, and strings. nullopt for anything else (compound,
/// reference, other enums, opaque, ...).
std::optional<DType> dtype_of(hid_t type);

/// Whether an enum datatype is h5py's bool encoding.
bool is_bool_enum(hid_t type);

/// The string storage of a string datatype.
StringFlavour string_flavour(hid_t type);

/// A little-endian memory/file type for a numeric DType (Bool gives the h5py enum). The
/// caller owns the returned handle.
Handle numeric_type(DType dtype);

/// The same type as numeric_type, for reading only and not to be closed: HDF5's predefined
/// types, and for Bool and Float16 one type kept for the process (KeptId).
hid_t numeric_memory_type(DType dtype);

/// A variable-length UTF-8 string type, as h5py writes `str`.
Handle vlen_utf8_type();

/// Human name of an HDF5 datatype class for messages ("compound", "reference", ...).
std::string type_class_name(hid_t type);

} // namespace nirb::h5
