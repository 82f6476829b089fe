// Claims the namespace "testgood" already owned by testgood.cpp: must be rejected.
#include "nirb/plugin.hpp"

namespace {
class Clash : public nirb::sdk::Plugin {
public:
    Clash() : Plugin({"org.nirb.test.clash", "clash", "0.1.0", ">=1.0", {"testgood"}}) {}
};
} // namespace

NIRB_PLUGIN(Clash)
