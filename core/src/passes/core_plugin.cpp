// The built-in core plugin: the "nir." passes, registered through the same descriptor and
// "nirb.passes/1" interface as any plugin (NIRB_PLUGIN_BUILTIN instead of NIRB_PLUGIN).
#include "core_pass.hpp"

namespace nirb::passes {
namespace {

class CorePlugin : public sdk::Plugin {
public:
    CorePlugin()
        : Plugin({"org.nirb.core", "nirbridge core passes", NIRB_VERSION, ">=0.0 <2", {"nir"}}) {
        add_check_passes(*this);
        add_algorithm_passes(*this);
        add_tensor_passes(*this);
        add_metadata_passes(*this);
    }
};

} // namespace
} // namespace nirb::passes

namespace nirb {
NIRB_PLUGIN_BUILTIN(passes::CorePlugin, core_plugin_descriptor)
} // namespace nirb
