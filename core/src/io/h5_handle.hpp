#pragma once
// RAII ownership of HDF5 identifiers and the conversion of HDF5 failures into nirb::Error.
// Internal to libnirb: HDF5 types never appear in public headers.
#include <hdf5.h>

#include <cstddef>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <utility>

namespace nirb::h5 {

/// Owns one HDF5 identifier (file, group, dataset, dataspace, datatype, property list) and
/// closes it with the matching H5?close function.
class Handle {
public:
    Handle() = default;
    explicit Handle(hid_t id) : m_id(id) {}
    /// Own `id`, known to be of `kind`: closing it then skips asking HDF5 for its kind (a
    /// library call of its own, per object, on the read path).
    Handle(hid_t id, H5I_type_t kind) : m_id(id), m_kind(kind) {}
    Handle(const Handle&) = delete;
    Handle& operator=(const Handle&) = delete;
    Handle(Handle&& o) noexcept
        : m_id(std::exchange(o.m_id, H5I_INVALID_HID)), m_kind(std::exchange(o.m_kind, H5I_BADID)) {
    }
    Handle& operator=(Handle&& o) noexcept {
        if (this != &o) {
            reset();
            m_id = std::exchange(o.m_id, H5I_INVALID_HID);
            m_kind = std::exchange(o.m_kind, H5I_BADID);
        }
        return *this;
    }
    ~Handle() { reset(); }

    hid_t get() const { return m_id; }
    bool valid() const { return m_id >= 0; }
    /// Close now (no-op when invalid).
    void reset();
    /// Give up ownership: the identifier stays open and is returned.
    hid_t release() {
        m_kind = H5I_BADID;
        return std::exchange(m_id, H5I_INVALID_HID);
    }

private:
    hid_t m_id = H5I_INVALID_HID;
    H5I_type_t m_kind = H5I_BADID; ///< H5I_BADID: not known, asked when closing
};

/// An identifier made on first use and kept for the rest of the process, for the types and
/// property lists every read needs (making and closing them per dataset was a measurable
/// part of reading many small datasets). Never closed by us: HDF5 closes it when it shuts
/// down, and should HDF5 be restarted, the identifier is no longer valid and made again.
class KeptId {
public:
    explicit KeptId(Handle (*make)()) : m_make(make) {}
    KeptId(const KeptId&) = delete;
    KeptId& operator=(const KeptId&) = delete;

    hid_t get();

private:
    Handle (*m_make)();
    std::mutex m_mutex;
    hid_t m_id = H5I_INVALID_HID;
};

/// A dataset transfer property list whose type-conversion buffer fits `bytes` (at least
/// 4 KiB). HDF5's default 1 MiB buffer is allocated and cleared on every string read or
/// write, which dominated writing graphs with thousands of small string datasets.
Handle small_transfer_plist(std::size_t bytes);

/// The message types in an object's header, one bit per type number (bit 7: an external
/// file list, ...; HDF5 file format specification, IV.A.2); nullopt when HDF5 cannot say.
/// Cheaper than the property list that reports the same facts (a copy of the whole list).
std::optional<std::uint64_t> header_message_types(hid_t object);

/// Turn off HDF5's automatic error-stack printing for this process (idempotent).
void silence_errors();

/// The innermost message of HDF5's current error stack ("" when empty).
std::string last_error_message();

/// Throw nirb::Error("FILE: PATH: what (HDF5: detail)") when `id` < 0, else wrap it.
Handle check(hid_t id, const std::string& file, const std::string& path, const std::string& what);
/// Throw like check() when `status` < 0.
void check_status(herr_t status, const std::string& file, const std::string& path,
                  const std::string& what);

/// "FILE: PATH: message" with the path omitted when empty.
std::string where(const std::string& file, const std::string& path, const std::string& message);

} // namespace nirb::h5
