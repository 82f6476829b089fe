// Same id as testgood.cpp: the host must reject it as a duplicate and name the first file.
#include "nirb/plugin.hpp"

namespace {
class Copy : public nirb::sdk::Plugin {
public:
    Copy() : Plugin({"org.nirb.test.good", "duplicate", "9.9.9", ">=1.0", {"testcopy"}}) {}
};
} // namespace

NIRB_PLUGIN(Copy)
