// Group iteration in creation order and the link-cycle guard.
#include "h5_links.hpp"

#include "nirb/error.hpp"

#include <cstring>

namespace nirb::h5 {
namespace {

struct IterState {
    std::vector<MemberLink> links;
    std::string bad_link; ///< first soft/external link met
};

#if H5_VERSION_GE(1, 12, 0)
using LinkInfo = H5L_info2_t;
#define NIRB_LINK_ITERATE H5Literate2
#else
using LinkInfo = H5L_info_t;
#define NIRB_LINK_ITERATE H5Literate
#endif

herr_t collect(hid_t, const char* name, const LinkInfo* info, void* data) {
    auto* st = static_cast<IterState*>(data);
    if (info->type != H5L_TYPE_HARD) {
        st->bad_link = name;
        return 1; // stop
    }
#if H5_VERSION_GE(1, 12, 0)
    st->links.push_back({name, info->u.token});
#else
    st->links.push_back({name, info->u.address});
#endif
    return 0;
}

// Object header message type 0x0002, "Link Info" (HDF5 file format specification,
// IV.A.2.c): only groups with this message can track link creation order; the others (the
// symbol-table groups h5py writes by default) list their links by name.
constexpr std::uint64_t kLinkInfoMessage = std::uint64_t{1} << 0x0002;

bool may_track_creation_order(hid_t group) {
    const std::optional<std::uint64_t> messages = header_message_types(group);
    return !messages || (*messages & kLinkInfoMessage) != 0;
}

H5_index_t iteration_index(hid_t group) {
    // Asking the group's header first spares copying its whole creation property list.
    if (!may_track_creation_order(group))
        return H5_INDEX_NAME;
    Handle gcpl(H5Gget_create_plist(group), H5I_GENPROP_LST);
    unsigned flags = 0;
    if (gcpl.valid() && H5Pget_link_creation_order(gcpl.get(), &flags) >= 0 &&
        (flags & H5P_CRT_ORDER_INDEXED))
        return H5_INDEX_CRT_ORDER;
    return H5_INDEX_NAME;
}

std::string object_key(hid_t obj) {
#if H5_VERSION_GE(1, 12, 0)
    H5O_info2_t info;
    if (H5Oget_info3(obj, &info, H5O_INFO_BASIC) < 0)
        return {};
    std::string key(reinterpret_cast<const char*>(&info.token), sizeof info.token);
#else
    H5O_info_t info;
    if (H5Oget_info2(obj, &info, H5O_INFO_BASIC) < 0)
        return {};
    std::string key(reinterpret_cast<const char*>(&info.addr), sizeof info.addr);
#endif
    key.append(reinterpret_cast<const char*>(&info.fileno), sizeof info.fileno);
    return key;
}

} // namespace

std::vector<MemberLink> member_links(hid_t group, const Site& site) {
    IterState st;
    hsize_t idx = 0;
    check_status(NIRB_LINK_ITERATE(group, iteration_index(group), H5_ITER_INC, &idx, collect, &st),
                 site.file, site.path, "cannot list group members (truncated or corrupt file?)");
    if (!st.bad_link.empty())
        throw Error(where(site.file, site.path + "/" + st.bad_link,
                          "soft or external link; expected a dataset or group stored in the "
                          "file"));
    return std::move(st.links);
}

Member open_member(hid_t group, MemberLink link, const Site& site) {
    const std::string path = site.path + "/" + link.name;
#if H5_VERSION_GE(1, 12, 0)
    const hid_t id = H5Oopen_by_token(group, link.object);
#else
    const hid_t id = H5Oopen_by_addr(group, link.object);
#endif
    if (id < 0)
        check_status(-1, site.file, path, "cannot open object (truncated or corrupt file?)");
    const H5I_type_t kind = H5Iget_type(id);
    Handle obj(id, kind);
    if (kind != H5I_GROUP && kind != H5I_DATASET)
        throw Error(
            where(site.file, path, "named datatype or other object; expected a dataset or group"));
    return {std::move(link.name), std::move(obj), kind == H5I_GROUP};
}

std::vector<Member> list_members(hid_t group, const Site& site) {
    std::vector<Member> out;
    for (MemberLink& link : member_links(group, site))
        out.push_back(open_member(group, std::move(link), site));
    return out;
}

void VisitGuard::enter(hid_t group, const Site& site) {
    std::string key = object_key(group);
    if (key.empty())
        check_status(-1, site.file, site.path, "cannot identify group");
    if (!m_seen.insert(std::move(key)).second)
        throw Error(where(site.file, site.path,
                          "group is hard-linked to a group that was already read (a link cycle "
                          "or shared group); expected a tree of groups"));
}

} // namespace nirb::h5
