// Randomness for the protocol sessions (IVs, srand) from the kernel's CSPRNG, for the daemon and
// the simulator alike: the sim's seed fixes identities, not the per-frame randomness a lock draws.
#pragma once

#include <sys/random.h>

#include <cerrno>
#include <cstdlib>

#include "protocol/tuya/RandomSource.h"

namespace lockhub::adapters::systemd {

class OsRandom final : public protocol::tuya::RandomSource {
public:
    void fill(std::span<std::uint8_t> out) override {
        std::size_t done = 0;
        while (done < out.size()) {
            const auto n = ::getrandom(out.data() + done, out.size() - done, 0);
            if (n < 0 && errno == EINTR) {
                continue;
            }
            if (n < 0) {
                // Without randomness every IV would repeat: stop rather than weaken the link.
                std::abort();
            }
            done += static_cast<std::size_t>(n);
        }
    }
};

}  // namespace lockhub::adapters::systemd
