// Group iteration in creation order and the link-cycle guard.
#include "h5_links.hpp"

#include "nirb/error.hpp"

#include <cstring>

namespace nirb::h5 {
namespace {

struct IterState {
    std::vector<std::string> names;
    std::string bad_link; ///< first soft/external link met
};

herr_t collect(hid_t, const char* name, const H5L_info_t* info, void* data) {
    auto* st = static_cast<IterState*>(data);
    if (info->type != H5L_TYPE_HARD) {
        st->bad_link = name;
        return 1; // stop
    }
    st->names.emplace_back(name);
    return 0;
}

H5_index_t iteration_index(hid_t group) {
    Handle gcpl(H5Gget_create_plist(group));
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

std::vector<std::string> member_names(hid_t group, const Site& site) {
    IterState st;
    hsize_t idx = 0;
    check_status(H5Literate(group, iteration_index(group), H5_ITER_INC, &idx, collect, &st),
                 site.file, site.path, "cannot list group members (truncated or corrupt file?)");
    if (!st.bad_link.empty())
        throw Error(where(site.file, site.path + "/" + st.bad_link,
                          "soft or external link; expected a dataset or group stored in the "
                          "file"));
    return std::move(st.names);
}

Member open_member(hid_t group, std::string name, const Site& site) {
    const std::string path = site.path + "/" + name;
    Handle obj = check(H5Oopen(group, name.c_str(), H5P_DEFAULT), site.file, path,
                       "cannot open object (truncated or corrupt file?)");
    const H5I_type_t kind = H5Iget_type(obj.get());
    if (kind != H5I_GROUP && kind != H5I_DATASET)
        throw Error(
            where(site.file, path, "named datatype or other object; expected a dataset or group"));
    return {std::move(name), std::move(obj), kind == H5I_GROUP};
}

std::vector<Member> list_members(hid_t group, const Site& site) {
    std::vector<Member> out;
    for (std::string& name : member_names(group, site))
        out.push_back(open_member(group, std::move(name), site));
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
