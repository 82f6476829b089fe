#include "name_index.hpp"

#include <functional>

namespace nirb::detail {
namespace {

std::uint64_t hash_name(std::string_view s) {
    // std::hash plus a final mix so that the low bits used for the slot are well spread.
    std::uint64_t h = std::hash<std::string_view>{}(s);
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    return h;
}

constexpr std::size_t kAhead = 16; // how many lookups ahead to prefetch

} // namespace

NameIndex::NameIndex(const Graph& g) : m_graph(g) {
    std::size_t cap = 16;
    while (cap < 2 * g.size())
        cap *= 2;
    m_slots.resize(cap);
    m_mask = cap - 1;
    for (std::uint32_t i = 0; i < g.size(); ++i) {
        const std::uint64_t h = hash_name(g.nodes()[i].name);
        std::uint64_t s = h & m_mask;
        while (m_slots[s].index != kNoNode)
            s = (s + 1) & m_mask;
        m_slots[s] = {h, i};
    }
}

std::uint32_t NameIndex::probe(std::uint64_t hash, std::string_view name) const {
    for (std::uint64_t s = hash & m_mask;; s = (s + 1) & m_mask) {
        const Slot& slot = m_slots[s];
        if (slot.index == kNoNode)
            return kNoNode;
        if (slot.hash == hash && m_graph.nodes()[slot.index].name == name)
            return slot.index;
    }
}

std::uint32_t NameIndex::first_hash_match(std::uint64_t hash) const {
    for (std::uint64_t s = hash & m_mask;; s = (s + 1) & m_mask) {
        const Slot& slot = m_slots[s];
        if (slot.index == kNoNode || slot.hash == hash)
            return slot.index;
    }
}

std::vector<std::uint32_t> NameIndex::resolve(const std::vector<std::string_view>& names) const {
    const std::size_t n = names.size();
    std::vector<std::uint64_t> hashes(n);
    for (std::size_t i = 0; i < n; ++i)
        hashes[i] = hash_name(names[i]);
    // Three-stage pipeline: prefetch the slot 2K ahead, read it and prefetch the candidate
    // node K ahead, verify the name now.
    std::vector<std::uint32_t> cand(n, kNoNode), out(n);
    const auto& nodes = m_graph.nodes();
    auto stage_two = [&](std::size_t j) {
        cand[j] = first_hash_match(hashes[j]);
        if (cand[j] != kNoNode)
            __builtin_prefetch(&nodes[cand[j]]);
    };
    for (std::size_t j = 0; j < std::min(n, kAhead); ++j)
        stage_two(j);
    for (std::size_t i = 0; i < n; ++i) {
        if (i + 2 * kAhead < n)
            __builtin_prefetch(&m_slots[hashes[i + 2 * kAhead] & m_mask]);
        if (i + kAhead < n)
            stage_two(i + kAhead);
        const std::uint32_t c = cand[i];
        out[i] = c != kNoNode && nodes[c].name == names[i] ? c : probe(hashes[i], names[i]);
    }
    return out;
}

void NameIndex::resolve_edges(std::vector<std::uint32_t>& src,
                              std::vector<std::uint32_t>& dst) const {
    const auto& edges = m_graph.edges();
    std::vector<std::string_view> names;
    names.reserve(2 * edges.size());
    for (const Edge& e : edges) {
        names.push_back(e.src);
        names.push_back(e.dst);
    }
    std::vector<std::uint32_t> both = resolve(names);
    src.resize(edges.size());
    dst.resize(edges.size());
    for (std::size_t i = 0; i < edges.size(); ++i) {
        src[i] = both[2 * i];
        dst[i] = both[2 * i + 1];
    }
}

} // namespace nirb::detail
