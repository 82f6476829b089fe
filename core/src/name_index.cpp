#include "name_index.hpp"

#include <array>
#include <cstring>

namespace nirb::detail {
namespace {

template <typename T>
std::uint64_t load_bytes(const char* p) {
    T v;
    std::memcpy(&v, p, sizeof v);
    return v;
}

/// Up to eight bytes packed into one word, the same way for equal byte strings of equal
/// length and with every byte taking part (so equal words mean equal strings of that
/// length). Overlapping fixed-size loads, as wyhash does: a variable-length memcpy would be a
/// library call per name.
std::uint64_t load_word(const char* p, std::size_t n) {
    if (n >= 4)
        return load_bytes<std::uint32_t>(p) | load_bytes<std::uint32_t>(p + n - 4) << 32;
    if (n == 0)
        return 0;
    const auto byte = [&](std::size_t k) {
        return std::uint64_t{static_cast<unsigned char>(p[k])};
    };
    return byte(0) | byte(n / 2) << 8 | byte(n - 1) << 16;
}

std::uint64_t mix(std::uint64_t h) {
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    return h;
}

/// Node names are short ("lif1", "n123456"): hashing them eight bytes at a time is several
/// times cheaper than std::hash's byte-oriented Murmur, and the final mix spreads the low
/// bits used for the slot.
std::uint64_t hash_name(std::string_view s) {
    std::uint64_t h = s.size() * 0x9e3779b97f4a7c15ULL;
    std::size_t i = 0;
    for (; i + 8 <= s.size(); i += 8)
        h = (h ^ load_word(s.data() + i, 8)) * 0xc2b2ae3d27d4eb4fULL;
    if (i < s.size())
        h = (h ^ load_word(s.data() + i, s.size() - i)) * 0xc2b2ae3d27d4eb4fULL;
    return mix(h);
}

constexpr std::size_t kInline = 8; // names up to this length live in the slot

/// Equal names, without a memcmp call for the common short name.
bool equal_names(std::string_view a, std::string_view b) {
    if (a.size() != b.size())
        return false;
    return a.size() <= kInline ? load_word(a.data(), a.size()) == load_word(b.data(), b.size())
                               : a == b;
}

NameIndex::Key make_key(std::string_view name) {
    const std::uint64_t h = hash_name(name);
    const auto len = static_cast<std::uint32_t>(std::min<std::size_t>(name.size(), 255));
    return {h, static_cast<std::uint32_t>(h >> 40) << 8 | len,
            name.size() <= kInline ? load_word(name.data(), name.size()) : 0};
}

} // namespace

NameIndex::NameIndex(const Graph& g) : m_graph(g) {
    std::size_t cap = 16;
    while (cap < 2 * g.size())
        cap *= 2;
    m_slots.resize(cap);
    m_mask = cap - 1;
    // Keys for a batch first, then insert with the slot prefetched a few names ahead: each
    // insertion is a cache miss into a table far larger than the cache.
    std::array<Key, kChunk> keys;
    for (std::size_t at = 0; at < g.size(); at += kChunk) {
        const std::size_t len = std::min(kChunk, g.size() - at);
        for (std::size_t i = 0; i < len; ++i)
            keys[i] = make_key(g.nodes()[at + i].name);
        for (std::size_t i = 0; i < len; ++i) {
            if (i + kAhead < len)
                __builtin_prefetch(&m_slots[keys[i + kAhead].hash & m_mask], 1);
            std::uint64_t s = keys[i].hash & m_mask;
            while (m_slots[s].index != kNoNode)
                s = (s + 1) & m_mask;
            m_slots[s] = {keys[i].tag, static_cast<std::uint32_t>(at + i), keys[i].word};
        }
    }
}

std::uint32_t NameIndex::probe(const Key& key, std::string_view name) const {
    for (std::uint64_t s = key.hash & m_mask;; s = (s + 1) & m_mask) {
        const Slot& slot = m_slots[s];
        if (slot.index == kNoNode)
            return kNoNode;
        if (slot.tag != key.tag)
            continue;
        // Equal length and packed bytes: equal names (load_word is injective per length).
        if (name.size() <= kInline ? slot.word == key.word
                                   : m_graph.nodes()[slot.index].name == name)
            return slot.index;
    }
}

void NameIndex::resolve_chunk(std::span<const std::string_view> names,
                              std::span<std::uint32_t> out) const {
    const std::size_t n = names.size();
    std::array<Key, kChunk> keys;
    for (std::size_t i = 0; i < n; ++i)
        keys[i] = make_key(names[i]);
    for (std::size_t j = 0; j < std::min(n, kAhead); ++j)
        __builtin_prefetch(&m_slots[keys[j].hash & m_mask]);
    for (std::size_t i = 0; i < n; ++i) {
        if (i + kAhead < n)
            __builtin_prefetch(&m_slots[keys[i + kAhead].hash & m_mask]);
        out[i] = probe(keys[i], names[i]);
    }
}
void NameIndex::resolve_edges(std::vector<std::uint32_t>& src,
                              std::vector<std::uint32_t>& dst) const {
    // Chunk by chunk, so the temporaries stay in cache however many edges there are. Edges
    // are usually grouped by source (a node's fan-out listed together), so a source equal to
    // the previous edge's is not looked up again.
    const auto& edges = m_graph.edges();
    src.resize(edges.size());
    dst.resize(edges.size());
    std::array<std::string_view, kChunk> names;
    std::array<std::uint32_t, kChunk> found;
    std::array<bool, kChunk / 2> repeat;
    constexpr std::size_t per_chunk = kChunk / 2;
    for (std::size_t at = 0; at < edges.size(); at += per_chunk) {
        const std::size_t len = std::min(per_chunk, edges.size() - at);
        std::size_t count = 0;
        for (std::size_t i = 0; i < len; ++i) {
            const Edge& e = edges[at + i];
            repeat[i] = at + i > 0 && equal_names(e.src, edges[at + i - 1].src);
            if (!repeat[i])
                names[count++] = e.src;
            names[count++] = e.dst;
        }
        resolve_chunk({names.data(), count}, {found.data(), count});
        for (std::size_t i = 0, k = 0; i < len; ++i) {
            src[at + i] = repeat[i] ? src[at + i - 1] : found[k++];
            dst[at + i] = found[k++];
        }
    }
}

} // namespace nirb::detail
