// libFuzzer target: the JSON form reader, then (when the text is a document) the JSON and
// text writers on what it produced.
#include "nirb/error.hpp"
#include "nirb/json_form.hpp"

#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    try {
        const nirb::Document doc = nirb::from_json_text(text, "fuzz.json");
        (void)nirb::to_json_text(doc);
    } catch (const nirb::Error&) {
    }
    return 0;
}
