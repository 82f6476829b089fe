#pragma once
// Node writer (internal).
#include "h5_dataset.hpp"
#include "nirb/graph.hpp"

namespace nirb::io {

/// Write `node` into the (already created) group `group`; nested graphs recursively.
void write_node(hid_t group, const Node& node, const h5::Site& site, const h5::CreateOptions& opts);

} // namespace nirb::io
