#pragma once
// One read of one file, as seen by the read supervisor (nirb/read_supervisor.hpp): tells the
// supervising parent that libhdf5 is about to parse `path` (so a crash or hang is blamed on
// the file) and caps the address space while it does. Does nothing when not supervised.
#include <string>
#include <sys/resource.h>

namespace nirb::io {

class ReadPhase {
public:
    explicit ReadPhase(const std::string& path);
    ~ReadPhase();
    ReadPhase(const ReadPhase&) = delete;
    ReadPhase& operator=(const ReadPhase&) = delete;

private:
    bool m_active = false;
    bool m_capped = false;
    rlimit m_saved{};
};

} // namespace nirb::io
