// HDF5 datatype <-> DType. Classification uses the type class, size and sign instead of
// chains of H5Tequal, which is both faster and accepts big-endian or unusual-but-valid types.
#include "h5_types.hpp"

#include "nirb/error.hpp"

#include <cstring>

namespace nirb::h5 {
namespace {

std::optional<DType> integer_dtype(hid_t type) {
    const bool is_signed = H5Tget_sign(type) == H5T_SGN_2;
    switch (H5Tget_size(type)) {
    case 1:
        return is_signed ? DType::Int8 : DType::UInt8;
    case 2:
        return is_signed ? DType::Int16 : DType::UInt16;
    case 4:
        return is_signed ? DType::Int32 : DType::UInt32;
    case 8:
        return is_signed ? DType::Int64 : DType::UInt64;
    default:
        return std::nullopt;
    }
}

std::optional<DType> float_dtype(hid_t type) {
    switch (H5Tget_size(type)) {
    case 2:
        return DType::Float16;
    case 4:
        return DType::Float32;
    case 8:
        return DType::Float64;
    default:
        return std::nullopt;
    }
}

} // namespace

bool is_bool_enum(hid_t type) {
    if (H5Tget_class(type) != H5T_ENUM || H5Tget_nmembers(type) != 2 || H5Tget_size(type) != 1)
        return false;
    for (unsigned i = 0; i < 2; ++i) {
        char* name = H5Tget_member_name(type, i);
        if (!name)
            return false;
        std::int8_t value = 0;
        H5Tget_member_value(type, i, &value);
        const bool ok = (std::strcmp(name, "FALSE") == 0 && value == 0) ||
                        (std::strcmp(name, "TRUE") == 0 && value == 1);
        H5free_memory(name);
        if (!ok)
            return false;
    }
    return true;
}

std::optional<DType> dtype_of(hid_t type) {
    switch (H5Tget_class(type)) {
    case H5T_INTEGER:
        return integer_dtype(type);
    case H5T_FLOAT:
        return float_dtype(type);
    case H5T_STRING:
        return DType::String;
    case H5T_ENUM:
        if (is_bool_enum(type))
            return DType::Bool;
        return std::nullopt;
    default:
        return std::nullopt;
    }
}

StringFlavour string_flavour(hid_t type) {
    return {H5Tis_variable_str(type) > 0, H5Tget_cset(type) == H5T_CSET_UTF8};
}

namespace {

/// HDF5's predefined little-endian type of a numeric DType; -1 for Bool and Float16, which
/// have none, and for String.
hid_t predefined_type(DType dtype) {
    switch (dtype) {
    case DType::Int8:
        return H5T_STD_I8LE;
    case DType::Int16:
        return H5T_STD_I16LE;
    case DType::Int32:
        return H5T_STD_I32LE;
    case DType::Int64:
        return H5T_STD_I64LE;
    case DType::UInt8:
        return H5T_STD_U8LE;
    case DType::UInt16:
        return H5T_STD_U16LE;
    case DType::UInt32:
        return H5T_STD_U32LE;
    case DType::UInt64:
        return H5T_STD_U64LE;
    case DType::Float32:
        return H5T_IEEE_F32LE;
    case DType::Float64:
        return H5T_IEEE_F64LE;
    case DType::Bool:
    case DType::Float16:
    case DType::String:
        break;
    }
    return H5I_INVALID_HID;
}

} // namespace

Handle numeric_type(DType dtype) {
    if (const hid_t predefined = predefined_type(dtype); predefined >= 0)
        return Handle(H5Tcopy(predefined), H5I_DATATYPE);
    if (dtype == DType::Bool) {
        Handle t(H5Tenum_create(H5T_NATIVE_INT8), H5I_DATATYPE);
        std::int8_t f = 0, tr = 1;
        H5Tenum_insert(t.get(), "FALSE", &f);
        H5Tenum_insert(t.get(), "TRUE", &tr);
        return t;
    }
    if (dtype == DType::Float16) {
        // IEEE binary16, laid out as numpy/h5py define it.
        Handle t(H5Tcopy(H5T_IEEE_F32LE), H5I_DATATYPE);
        H5Tset_fields(t.get(), 15, 10, 5, 0, 10);
        H5Tset_size(t.get(), 2);
        H5Tset_ebias(t.get(), 15);
        return t;
    }
    throw Error("internal: string dtype has no numeric HDF5 type");
}

hid_t numeric_memory_type(DType dtype) {
    if (const hid_t predefined = predefined_type(dtype); predefined >= 0)
        return predefined;
    if (dtype == DType::Bool) {
        static KeptId bool_type([] { return numeric_type(DType::Bool); });
        return bool_type.get();
    }
    if (dtype == DType::Float16) {
        static KeptId half_type([] { return numeric_type(DType::Float16); });
        return half_type.get();
    }
    throw Error("internal: string dtype has no numeric HDF5 type");
}

Handle vlen_utf8_type() {
    Handle t(H5Tcopy(H5T_C_S1));
    H5Tset_size(t.get(), H5T_VARIABLE);
    H5Tset_cset(t.get(), H5T_CSET_UTF8);
    H5Tset_strpad(t.get(), H5T_STR_NULLTERM);
    return t;
}

std::string type_class_name(hid_t type) {
    switch (H5Tget_class(type)) {
    case H5T_INTEGER:
        return "integer";
    case H5T_FLOAT:
        return "float";
    case H5T_STRING:
        return "string";
    case H5T_BITFIELD:
        return "bitfield";
    case H5T_OPAQUE:
        return "opaque";
    case H5T_COMPOUND:
        return "compound";
    case H5T_REFERENCE:
        return "reference";
    case H5T_ENUM:
        return "enum (not the h5py bool encoding)";
    case H5T_VLEN:
        return "variable-length sequence";
    case H5T_ARRAY:
        return "array";
    default:
        return "unknown";
    }
}

} // namespace nirb::h5
