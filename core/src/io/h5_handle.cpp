// HDF5 identifier ownership and error translation.
#include "h5_handle.hpp"

#include "nirb/error.hpp"

#include <algorithm>
#include <mutex>

namespace nirb::h5 {

void Handle::reset() {
    if (m_id < 0)
        return;
    // Close by kind; identifiers of a kind we never create are left to the library.
    switch (m_kind != H5I_BADID ? m_kind : H5Iget_type(m_id)) {
    case H5I_FILE:
        H5Fclose(m_id);
        break;
    case H5I_GROUP:
        H5Gclose(m_id);
        break;
    case H5I_DATASET:
        H5Dclose(m_id);
        break;
    case H5I_DATASPACE:
        H5Sclose(m_id);
        break;
    case H5I_DATATYPE:
        H5Tclose(m_id);
        break;
    case H5I_GENPROP_LST:
        H5Pclose(m_id);
        break;
    default:
        break;
    }
    m_id = H5I_INVALID_HID;
    m_kind = H5I_BADID;
}

hid_t KeptId::get() {
    std::lock_guard lock(m_mutex);
    if (m_id < 0 || H5Iis_valid(m_id) <= 0)
        m_id = m_make().release();
    return m_id;
}

Handle small_transfer_plist(std::size_t bytes) {
    Handle dxpl(H5Pcreate(H5P_DATASET_XFER), H5I_GENPROP_LST);
    H5Pset_buffer(dxpl.get(), std::max<std::size_t>(bytes, 4096), nullptr, nullptr);
    return dxpl;
}

std::optional<std::uint64_t> header_message_types(hid_t object) {
#if H5_VERSION_GE(1, 12, 0)
    H5O_native_info_t info;
    if (H5Oget_native_info(object, &info, H5O_NATIVE_INFO_HDR) < 0)
        return std::nullopt;
#else
    H5O_info_t info;
    if (H5Oget_info2(object, &info, H5O_INFO_HDR) < 0)
        return std::nullopt;
#endif
    return info.hdr.mesg.present;
}

void silence_errors() {
    static std::once_flag once;
    std::call_once(once, [] { H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr); });
}

namespace {

herr_t innermost(unsigned n, const H5E_error2_t* err, void* data) {
    // The walk goes from the innermost (n == 0) outwards; keep the first description.
    if (n == 0 && err->desc)
        *static_cast<std::string*>(data) = err->desc;
    return 0;
}

} // namespace

std::string last_error_message() {
    std::string msg;
    H5Ewalk2(H5E_DEFAULT, H5E_WALK_UPWARD, innermost, &msg);
    H5Eclear2(H5E_DEFAULT);
    return msg;
}

std::string where(const std::string& file, const std::string& path, const std::string& message) {
    return path.empty() ? file + ": " + message : file + ": " + path + ": " + message;
}

Handle check(hid_t id, const std::string& file, const std::string& path, const std::string& what) {
    if (id < 0)
        check_status(-1, file, path, what);
    return Handle(id);
}

void check_status(herr_t status, const std::string& file, const std::string& path,
                  const std::string& what) {
    if (status >= 0)
        return;
    std::string detail = last_error_message();
    throw Error(where(file, path, detail.empty() ? what : what + " (HDF5: " + detail + ")"));
}

} // namespace nirb::h5
