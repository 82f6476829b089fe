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

/// The same members' names only, nothing opened (same order, same link checks): for groups
/// with very many members, which are then opened one at a time with open_member. Keeping
/// 100,000 objects open at once makes HDF5's open-object bookkeeping the bottleneck.
std::vector<std::string> member_names(hid_t group, const Site& site);
/// Open one member named by member_names.
Member open_member(hid_t group, std::string name, const Site& site);

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
