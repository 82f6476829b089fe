#pragma once
/// \file value.hpp
/// Metadata and extra-field values: string, number, bool, array or nested ordered map.

#include "nirb/tensor.hpp"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace nirb {

class Value;

/// Ordered string-keyed map: keeps the order in which keys were read or inserted.
class ValueMap {
public:
    using Entry = std::pair<std::string, Value>;

    // Defined after Value: clang instantiates these at once and Entry needs a complete Value.
    bool empty() const;
    std::size_t size() const;
    /// Pointer to the value under key, or nullptr.
    const Value* find(std::string_view key) const;
    Value* find(std::string_view key);
    /// Insert or overwrite; a new key goes at the end.
    void set(const std::string& key, Value value);
    /// Remove key if present; returns whether it was present.
    bool erase(const std::string& key);
    const std::vector<Entry>& entries() const { return m_entries; }
    std::vector<Entry>& entries() { return m_entries; }

    bool operator==(const ValueMap& other) const;

private:
    std::vector<Entry> m_entries;
};

/// One metadata value. Scalars keep their HDF5 flavour (int64, float64, bool, string);
/// arrays are tensors; groups are nested maps.
class Value {
public:
    using Storage = std::variant<bool, std::int64_t, double, std::string, Tensor, ValueMap>;

    Value() : m_storage(std::string{}) {}
    Value(bool v) : m_storage(v) {}
    Value(std::int64_t v) : m_storage(v) {}
    Value(int v) : m_storage(static_cast<std::int64_t>(v)) {}
    Value(double v) : m_storage(v) {}
    Value(std::string v) : m_storage(std::move(v)) {}
    Value(const char* v) : m_storage(std::string(v)) {}
    Value(Tensor v) : m_storage(std::move(v)) {}
    Value(ValueMap v) : m_storage(std::move(v)) {}

    const Storage& storage() const { return m_storage; }
    Storage& storage() { return m_storage; }

    bool is_bool() const { return std::holds_alternative<bool>(m_storage); }
    bool is_int() const { return std::holds_alternative<std::int64_t>(m_storage); }
    bool is_double() const { return std::holds_alternative<double>(m_storage); }
    bool is_string() const { return std::holds_alternative<std::string>(m_storage); }
    bool is_tensor() const { return std::holds_alternative<Tensor>(m_storage); }
    bool is_map() const { return std::holds_alternative<ValueMap>(m_storage); }

    bool as_bool() const { return std::get<bool>(m_storage); }
    std::int64_t as_int() const { return std::get<std::int64_t>(m_storage); }
    double as_double() const { return std::get<double>(m_storage); }
    const std::string& as_string() const { return std::get<std::string>(m_storage); }
    const Tensor& as_tensor() const { return std::get<Tensor>(m_storage); }
    Tensor& as_tensor() { return std::get<Tensor>(m_storage); }
    const ValueMap& as_map() const { return std::get<ValueMap>(m_storage); }
    ValueMap& as_map() { return std::get<ValueMap>(m_storage); }

    /// A number (int, double or bool) as double; nullopt otherwise.
    std::optional<double> number() const;

    bool operator==(const Value& other) const { return m_storage == other.m_storage; }

private:
    Storage m_storage;
};

/// Metadata of a node or graph.
using Metadata = ValueMap;

inline bool ValueMap::empty() const {
    return m_entries.empty();
}
inline std::size_t ValueMap::size() const {
    return m_entries.size();
}

} // namespace nirb
