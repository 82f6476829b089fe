#pragma once
/// \file sdk/pass.hpp
/// A pass as a C++ class: options declared once in the constructor (name, type, default,
/// range or choices, doc) become the nirb_option_decl schema the host checks `with:` blocks
/// against. Header-only; part of plugin.hpp.

#include "nirb/sdk/canonical.hpp"
#include "nirb/sdk/graph.hpp"

#include <cstdio>
#include <cstdlib>
#include <deque>
#include <initializer_list>
#include <memory>
#include <optional>

namespace nirb::sdk {

/// Resolved option values of the running step (every declared option present, defaults
/// filled, types and ranges already checked by the host).
class Options {
public:
    Options(const nirb_host* host, const nirb_options* opts) : m_host(host), m_opts(opts) {}
    double number(const std::string& name) const {
        double v = 0;
        check(m_host->option_number(m_opts, name.c_str(), &v), name);
        return v;
    }
    std::int64_t integer(const std::string& name) const {
        std::int64_t v = 0;
        check(m_host->option_int(m_opts, name.c_str(), &v), name);
        return v;
    }
    bool flag(const std::string& name) const {
        int v = 0;
        check(m_host->option_bool(m_opts, name.c_str(), &v), name);
        return v != 0;
    }
    /// STRING and CHOICE options.
    std::string string(const std::string& name) const {
        const char* v = nullptr;
        check(m_host->option_string(m_opts, name.c_str(), &v), name);
        return v;
    }

private:
    static void check(nirb_status s, const std::string& name) {
        if (s == NIRB_NOT_FOUND)
            throw Error(s, "option '" + name + "' was not provided");
        if (s != NIRB_OK)
            throw Error(s, "option '" + name + "' has a different type than requested");
    }
    const nirb_host* m_host;
    const nirb_options* m_opts;
};

/// Shortest decimal text that reads back as exactly `v` (the YAML form of a default).
inline std::string format_number(double v) {
    return canonical::number_text(v);
}

/// One declared option; the builder methods refine it (`.range(0, 1)`).
class OptionDecl {
public:
    OptionDecl(std::string name, nirb_option_type type, std::optional<std::string> default_value,
               std::string doc)
        : m_name(std::move(name)), m_default(std::move(default_value)), m_doc(std::move(doc)) {
        m_decl.struct_size = sizeof(nirb_option_decl);
        m_decl.type = type;
        refresh();
    }
    OptionDecl(const OptionDecl&) = delete;
    OptionDecl& operator=(const OptionDecl&) = delete;

    /// Inclusive lower bound (INT and NUMBER options).
    OptionDecl& min(double v) {
        m_decl.has_min = 1;
        m_decl.min = v;
        return *this;
    }
    /// Inclusive upper bound (INT and NUMBER options).
    OptionDecl& max(double v) {
        m_decl.has_max = 1;
        m_decl.max = v;
        return *this;
    }
    OptionDecl& range(double lo, double hi) { return min(lo).max(hi); }
    /// Allowed values of a CHOICE option.
    OptionDecl& choices(std::initializer_list<std::string> values) {
        m_choices.assign(values.begin(), values.end());
        refresh();
        return *this;
    }
    const nirb_option_decl* decl() const { return &m_decl; }

private:
    void refresh() {
        m_decl.name = m_name.c_str();
        m_decl.default_value = m_default ? m_default->c_str() : nullptr;
        m_decl.doc = m_doc.c_str();
        m_choice_ptrs.clear();
        for (const auto& c : m_choices)
            m_choice_ptrs.push_back(c.c_str());
        m_choice_ptrs.push_back(nullptr);
        m_decl.choices = m_choices.empty() ? nullptr : m_choice_ptrs.data();
    }
    std::string m_name;
    std::optional<std::string> m_default;
    std::string m_doc;
    std::vector<std::string> m_choices;
    std::vector<const char*> m_choice_ptrs;
    nirb_option_decl m_decl{};
};

/// Base class of a pass. Declare options in the constructor, implement run().
class Pass {
public:
    Pass(std::string name, std::string summary)
        : m_name(std::move(name)), m_summary(std::move(summary)) {}
    virtual ~Pass() = default;
    Pass(const Pass&) = delete;
    Pass& operator=(const Pass&) = delete;

    /// Transform `graph` in place. Throw sdk::Error (or any exception) to fail the step;
    /// report findings that do not stop the step through `diag`.
    virtual void run(Graph& graph, const Options& options, Diagnostics& diag) = 0;

    const std::string& name() const { return m_name; }
    const std::string& summary() const { return m_summary; }

    /// The ABI record of this pass (pointers stay valid while the pass lives).
    const nirb_pass_info* info() {
        m_option_ptrs.clear();
        for (const auto& o : m_options)
            m_option_ptrs.push_back(o->decl());
        m_option_ptrs.push_back(nullptr);
        m_info.struct_size = sizeof(nirb_pass_info);
        m_info.name = m_name.c_str();
        m_info.summary = m_summary.c_str();
        m_info.options = m_option_ptrs.data();
        return &m_info;
    }

protected:
    OptionDecl& add_bool(const std::string& name, bool def, const std::string& doc) {
        return add(name, NIRB_OPTION_BOOL, std::string(def ? "true" : "false"), doc);
    }
    OptionDecl& add_int(const std::string& name, std::int64_t def, const std::string& doc) {
        return add(name, NIRB_OPTION_INT, std::to_string(def), doc);
    }
    OptionDecl& add_number(const std::string& name, double def, const std::string& doc) {
        return add(name, NIRB_OPTION_NUMBER, format_number(def), doc);
    }
    OptionDecl& add_string(const std::string& name, const std::string& def,
                           const std::string& doc) {
        return add(name, NIRB_OPTION_STRING, def, doc);
    }
    OptionDecl& add_choice(const std::string& name, std::initializer_list<std::string> choices,
                           const std::string& def, const std::string& doc) {
        return add(name, NIRB_OPTION_CHOICE, def, doc).choices(choices);
    }
    /// An option without default: the pipeline must set it.
    OptionDecl& add_required(const std::string& name, nirb_option_type type,
                             const std::string& doc) {
        return add(name, type, std::nullopt, doc);
    }

private:
    OptionDecl& add(const std::string& name, nirb_option_type type, std::optional<std::string> def,
                    const std::string& doc) {
        m_options.push_back(std::make_unique<OptionDecl>(name, type, std::move(def), doc));
        return *m_options.back();
    }
    std::string m_name;
    std::string m_summary;
    std::vector<std::unique_ptr<OptionDecl>> m_options;
    std::vector<const nirb_option_decl*> m_option_ptrs;
    nirb_pass_info m_info{};
};

} // namespace nirb::sdk
