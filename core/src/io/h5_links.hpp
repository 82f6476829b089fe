#pragma once
// Listing a group's members in file order, and guarding against link cycles (internal).
#include "h5_dataset.hpp"

#include <set>
#include <string>
#include <vector>

namespace nirb::h5 {

/// One member of a group, already opened.
struct Member {
    std::string name;
    Handle object; ///< an open group or dataset
    bool is_group = false;
};

/// The members of `group` in link creation order when the file tracks it (files written by
/// nirbridge), else in the order HDF5 iterates (alphabetical: all the reference keeps).
/// Soft and external links, and objects that are neither groups nor datasets (named
/// datatypes), are rejected with nirb::Error naming the path.
std::vector<Member> list_members(hid_t group, const Site& site);

/// A hard link of a group: the member's name and where its object is in the file.
struct MemberLink {
    std::string name;
#if H5_VERSION_GE(1, 12, 0)
    H5O_token_t object{};
#else
    haddr_t object = HADDR_UNDEF;
#endif
};

/// The same members' links only, nothing opened (same order, same link checks): for groups
/// with very many members, which are then opened one at a time with open_member. Keeping
/// 100,000 objects open at once makes HDF5's open-object bookkeeping the bottleneck.
std::vector<MemberLink> member_links(hid_t group, const Site& site);
/// Open one member listed by member_links, at the object its link points to (what opening
/// it by name finds, without looking the name up again).
Member open_member(hid_t group, MemberLink link, const Site& site);

/// Remembers which groups are being read so a group hard-linked under itself (a cycle) or
/// reached twice is reported instead of recursing forever.
class VisitGuard {
public:
    /// Enter a group; throws nirb::Error when it was already visited.
    void enter(hid_t group, const Site& site);

private:
    std::set<std::string> m_seen;
};

} // namespace nirb::h5
