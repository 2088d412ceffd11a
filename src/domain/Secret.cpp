#include "domain/Secret.h"

#include <openssl/crypto.h>

namespace lockhub {

bool constantTimeEquals(std::span<const std::uint8_t> a, std::span<const std::uint8_t> b) {
    // The length of a secret is not itself secret here (codes and keys have fixed formats).
    if (a.size() != b.size()) {
        return false;
    }
    return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

bool constantTimeEquals(const std::string& a, const std::string& b) {
    return constantTimeEquals(std::span(reinterpret_cast<const std::uint8_t*>(a.data()), a.size()),
                              std::span(reinterpret_cast<const std::uint8_t*>(b.data()), b.size()));
}

}  // namespace lockhub
