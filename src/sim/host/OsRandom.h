// IVs and srand for the lock sessions, from OpenSSL's CSPRNG: the sim's seed fixes identities, not
// the per-frame randomness a real lock draws.
#pragma once

#include <openssl/rand.h>

#include <stdexcept>

#include "protocol/tuya/RandomSource.h"

namespace lockhub::sim {

class OsRandom : public protocol::tuya::RandomSource {
public:
    void fill(std::span<std::uint8_t> out) override {
        if (RAND_bytes(out.data(), static_cast<int>(out.size())) != 1) {
            throw std::runtime_error("RAND_bytes failed");
        }
    }
};

}  // namespace lockhub::sim
