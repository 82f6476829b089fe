// nirb_host entries for diagnostics, text buffers and step options, and the table itself.
#include "abi_bridge.hpp"

namespace nirb::abi {

void fill_algorithm_functions(nirb_host& h); // host_algorithms.cpp

namespace {

void report(nirb_diag* d, nirb_severity severity, const char* code, const char* node_path,
            const char* message) {
    if (!d || !d->diags)
        return;
    Severity s = Severity::Error;
    if (severity == NIRB_SEVERITY_NOTE)
        s = Severity::Note;
    else if (severity == NIRB_SEVERITY_WARNING)
        s = Severity::Warning;
    // Without a code, the pass name identifies where the finding came from.
    d->diags->add(s, code && *code ? code : d->source, message ? message : "",
                  node_path ? node_path : "");
}

void text_append(nirb_text* t, const char* text) {
    if (t && text)
        t->text += text;
}

const OptionValue* option(const nirb_options* o, const char* name) {
    return o && o->values && name ? o->values->find(name) : nullptr;
}

nirb_status option_bool(const nirb_options* o, const char* name, int* out) {
    const OptionValue* v = option(o, name);
    if (!v)
        return NIRB_NOT_FOUND;
    if (!std::holds_alternative<bool>(*v))
        return NIRB_INVALID_INPUT;
    if (out)
        *out = std::get<bool>(*v) ? 1 : 0;
    return NIRB_OK;
}

nirb_status option_int(const nirb_options* o, const char* name, int64_t* out) {
    const OptionValue* v = option(o, name);
    if (!v)
        return NIRB_NOT_FOUND;
    if (!std::holds_alternative<std::int64_t>(*v))
        return NIRB_INVALID_INPUT;
    if (out)
        *out = std::get<std::int64_t>(*v);
    return NIRB_OK;
}

nirb_status option_number(const nirb_options* o, const char* name, double* out) {
    const OptionValue* v = option(o, name);
    if (!v)
        return NIRB_NOT_FOUND;
    // An integer option may be read as a number; the reverse would lose information.
    if (std::holds_alternative<double>(*v)) {
        if (out)
            *out = std::get<double>(*v);
        return NIRB_OK;
    }
    if (std::holds_alternative<std::int64_t>(*v)) {
        if (out)
            *out = static_cast<double>(std::get<std::int64_t>(*v));
        return NIRB_OK;
    }
    return NIRB_INVALID_INPUT;
}

nirb_status option_string(const nirb_options* o, const char* name, const char** out) {
    const OptionValue* v = option(o, name);
    if (!v)
        return NIRB_NOT_FOUND;
    if (!std::holds_alternative<std::string>(*v))
        return NIRB_INVALID_INPUT;
    if (out)
        *out = std::get<std::string>(*v).c_str();
    return NIRB_OK;
}

nirb_host build_table() {
    nirb_host h{};
    h.struct_size = sizeof(nirb_host);
    h.abi_version = NIRB_ABI_VERSION;
    h.host_version = NIRB_VERSION;
    fill_graph_functions(h);
    fill_metadata_functions(h);
    h.report = report;
    h.text_append = text_append;
    h.option_bool = option_bool;
    h.option_int = option_int;
    h.option_number = option_number;
    h.option_string = option_string;
    fill_algorithm_functions(h);
    return h;
}

} // namespace

const nirb_host* host_table() {
    static const nirb_host table = build_table();
    return &table;
}

} // namespace nirb::abi
