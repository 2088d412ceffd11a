// Port: the keyed hash under which an issued code is remembered (design §5: "codes are stored as
// keyed hashes once delivered"). Keyed with a key derived from the secrets key, so a stolen
// database alone cannot be searched for the few billion possible codes.
#pragma once

#include <cstdint>
#include <vector>

#include "domain/Secret.h"

namespace lockhub::ports {

class CodeHasher {
public:
    virtual ~CodeHasher() = default;
    virtual std::vector<std::uint8_t> hash(const SecretString& code) const = 0;
};

}  // namespace lockhub::ports
