// The plaintext inside a lock's `secrets` blob: every identifier that lets someone talk to the
// lock (reference §4: device UUID, virtual device id, local key), so none of them sits in a
// column in clear. Encoded as three fields, each a 2-byte big-endian length and the bytes.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "domain/Secret.h"

namespace lockhub::adapters::sqlite {

struct LockSecrets {
    std::string uuid;
    std::string deviceId;
    SecretString localKey;
};

// nullopt when a field is longer than 65535 bytes.
std::optional<std::vector<std::uint8_t>> encodeLockSecrets(const LockSecrets& secrets);
// nullopt unless `bytes` is exactly three well-formed fields.
std::optional<LockSecrets> decodeLockSecrets(std::span<const std::uint8_t> bytes);

}  // namespace lockhub::adapters::sqlite
