#pragma once
// RAII ownership of HDF5 identifiers and the conversion of HDF5 failures into nirb::Error.
// Internal to libnirb: HDF5 types never appear in public headers.
#include <hdf5.h>

#include <cstddef>
#include <string>
#include <utility>

namespace nirb::h5 {

/// Owns one HDF5 identifier (file, group, dataset, dataspace, datatype, property list) and
/// closes it with the matching H5?close function.
class Handle {
public:
    Handle() = default;
    explicit Handle(hid_t id) : m_id(id) {}
    Handle(const Handle&) = delete;
    Handle& operator=(const Handle&) = delete;
    Handle(Handle&& o) noexcept : m_id(std::exchange(o.m_id, H5I_INVALID_HID)) {}
    Handle& operator=(Handle&& o) noexcept {
        if (this != &o) {
            reset();
            m_id = std::exchange(o.m_id, H5I_INVALID_HID);
        }
        return *this;
    }
    ~Handle() { reset(); }

    hid_t get() const { return m_id; }
    bool valid() const { return m_id >= 0; }
    /// Close now (no-op when invalid).
    void reset();

private:
    hid_t m_id = H5I_INVALID_HID;
};

/// A dataset transfer property list whose type-conversion buffer fits `bytes` (at least
/// 4 KiB). HDF5's default 1 MiB buffer is allocated and cleared on every string read or
/// write, which dominated writing graphs with thousands of small string datasets.
Handle small_transfer_plist(std::size_t bytes);

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
