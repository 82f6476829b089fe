// nirb-primitives-doc: prints docs/primitives.md from the schema records (not installed).
//   build/tools/nirb-primitives-doc > docs/primitives.md
#include "nirb/schema_doc.hpp"

#include <cstdio>

int main() {
    const std::string text = nirb::primitives_markdown();
    return std::fwrite(text.data(), 1, text.size(), stdout) == text.size() ? 0 : 1;
}
