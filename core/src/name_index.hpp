#pragma once
// Bulk name -> node index resolution for one graph level. Resolving millions of edge
// endpoints one by one through std::unordered_map is bound by memory latency (three or four
// cache misses per lookup). This index uses open addressing over 16-byte slots that hold
// short names (up to 8 bytes, most node names) inline, so a lookup touches one slot and not
// the node, and it resolves names in cache-sized batches with the slots prefetched ahead,
// so the misses overlap.
#include "nirb/graph.hpp"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <span>
#include <string_view>
#include <vector>

namespace nirb::detail {

inline constexpr std::uint32_t kNoNode = std::numeric_limits<std::uint32_t>::max();

/// Index of the node names of one graph.
class NameIndex {
public:
    explicit NameIndex(const Graph& g);
    /// Resolve the sources and destinations of all edges at once (src, dst per edge).
    void resolve_edges(std::vector<std::uint32_t>& src, std::vector<std::uint32_t>& dst) const;

    /// How a name is looked up: its hash, and its key (tag + packed bytes) for the slots.
    struct Key {
        std::uint64_t hash;
        std::uint32_t tag;  ///< 24 hash bits and the length (capped at 255)
        std::uint64_t word; ///< the bytes of a name of up to 8 bytes, packed; else 0
    };

private:
    struct Slot {
        std::uint32_t tag = 0;
        std::uint32_t index = kNoNode;
        std::uint64_t word = 0;
    };
    /// How many names one batch resolves (its temporaries stay in the L1/L2 cache).
    static constexpr std::size_t kChunk = 2048;
    /// How many lookups ahead a slot is prefetched.
    static constexpr std::size_t kAhead = 16;

    /// Resolve up to kChunk names into `out`.
    void resolve_chunk(std::span<const std::string_view> names, std::span<std::uint32_t> out) const;
    std::uint32_t probe(const Key& key, std::string_view name) const;

    const Graph& m_graph;
    std::vector<Slot> m_slots;
    std::uint64_t m_mask = 0;
};

} // namespace nirb::detail
