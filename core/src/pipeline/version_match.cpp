#include "version_match.hpp"

#include <sstream>
#include <vector>

namespace nirb {
namespace {

/// Numeric components of "1.2.3" (a pre-release suffix after '-' or '+' is ignored).
bool parse_version(const std::string& text, std::vector<long>& out) {
    out.clear();
    std::string core = text.substr(0, text.find_first_of("-+"));
    std::stringstream ss(core);
    for (std::string part; std::getline(ss, part, '.');) {
        if (part.empty() || part.find_first_not_of("0123456789") != std::string::npos)
            return false;
        out.push_back(std::stol(part));
    }
    return !out.empty();
}

int compare(std::vector<long> a, std::vector<long> b) {
    const std::size_t n = std::max(a.size(), b.size());
    a.resize(n, 0);
    b.resize(n, 0);
    for (std::size_t i = 0; i < n; ++i)
        if (a[i] != b[i])
            return a[i] < b[i] ? -1 : 1;
    return 0;
}

bool holds(const std::string& op, int c) {
    if (op == ">=")
        return c >= 0;
    if (op == "<=")
        return c <= 0;
    if (op == ">")
        return c > 0;
    if (op == "<")
        return c < 0;
    if (op == "!=")
        return c != 0;
    return c == 0; // "==", "=" or a bare version
}

} // namespace

bool version_satisfies(const std::string& version, const std::string& constraint,
                       std::string& error) {
    std::vector<long> have;
    if (!parse_version(version, have)) {
        error = "'" + version + "' is not a version";
        return false;
    }
    std::string spaced = constraint;
    for (char& ch : spaced)
        if (ch == ',')
            ch = ' ';
    std::stringstream ss(spaced);
    bool ok = true;
    for (std::string item; ss >> item;) {
        if (item == "*")
            continue;
        const std::size_t op_len = item.find_first_of("0123456789");
        const std::string op = item.substr(0, op_len);
        std::vector<long> want;
        if (op_len == std::string::npos ||
            (!op.empty() && op != ">=" && op != "<=" && op != ">" && op != "<" && op != "==" &&
             op != "=" && op != "!=") ||
            !parse_version(item.substr(op_len), want)) {
            error = "malformed version constraint '" + constraint + "'";
            return false;
        }
        ok = ok && holds(op, compare(have, want));
    }
    return ok;
}

} // namespace nirb
