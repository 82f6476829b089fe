// Where the unit tests find the committed fixtures (tests/fixtures/{reference,real,paper}).
#pragma once

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

namespace nirb_test {

/// tests/fixtures in the source tree (set by tests/meson.build).
inline std::string fixtures_dir() {
    return NIRB_FIXTURES_DIR;
}

/// Every `.nir` file of tests/fixtures/reference and tests/fixtures/real, sorted.
inline std::vector<std::string> reference_and_real_nir_files() {
    std::vector<std::string> out;
    for (const char* sub : {"reference", "real"})
        for (const auto& e :
             std::filesystem::directory_iterator(std::filesystem::path(fixtures_dir()) / sub))
            if (e.path().extension() == ".nir")
                out.push_back(e.path().string());
    std::sort(out.begin(), out.end());
    return out;
}

} // namespace nirb_test
