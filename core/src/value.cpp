#include "nirb/value.hpp"

#include <algorithm>

namespace nirb {

const Value* ValueMap::find(std::string_view key) const {
    for (const auto& [k, v] : m_entries)
        if (k == key)
            return &v;
    return nullptr;
}

Value* ValueMap::find(std::string_view key) {
    for (auto& [k, v] : m_entries)
        if (k == key)
            return &v;
    return nullptr;
}

void ValueMap::set(const std::string& key, Value value) {
    if (Value* existing = find(key)) {
        *existing = std::move(value);
        return;
    }
    m_entries.emplace_back(key, std::move(value));
}

bool ValueMap::erase(const std::string& key) {
    auto it = std::find_if(m_entries.begin(), m_entries.end(),
                           [&](const Entry& e) { return e.first == key; });
    if (it == m_entries.end())
        return false;
    m_entries.erase(it);
    return true;
}

bool ValueMap::operator==(const ValueMap& other) const {
    return m_entries == other.m_entries;
}

std::optional<double> Value::number() const {
    if (is_int())
        return static_cast<double>(as_int());
    if (is_double())
        return as_double();
    if (is_bool())
        return as_bool() ? 1.0 : 0.0;
    return std::nullopt;
}

} // namespace nirb
