#pragma once
// Bulk name -> node index resolution for one graph level. Resolving millions of edge
// endpoints one by one through std::unordered_map is bound by memory latency (three or four
// cache misses per lookup); this index uses open addressing over (hash, index) slots and
// resolves names in batches with software prefetching, so the misses overlap.
#include "nirb/graph.hpp"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <string_view>
#include <vector>

namespace nirb::detail {

inline constexpr std::uint32_t kNoNode = std::numeric_limits<std::uint32_t>::max();

/// Index of the node names of one graph.
class NameIndex {
public:
    explicit NameIndex(const Graph& g);
    /// Resolve every name; kNoNode where no node has that exact name.
    std::vector<std::uint32_t> resolve(const std::vector<std::string_view>& names) const;
    /// Resolve the sources and destinations of all edges at once (src, dst per edge).
    void resolve_edges(std::vector<std::uint32_t>& src, std::vector<std::uint32_t>& dst) const;

private:
    struct Slot {
        std::uint64_t hash = 0;
        std::uint32_t index = kNoNode;
    };
    std::uint32_t probe(std::uint64_t hash, std::string_view name) const;
    /// The first slot index whose hash matches (or kNoNode): the likely node, unverified.
    std::uint32_t first_hash_match(std::uint64_t hash) const;

    const Graph& m_graph;
    std::vector<Slot> m_slots;
    std::uint64_t m_mask = 0;
};

} // namespace nirb::detail
