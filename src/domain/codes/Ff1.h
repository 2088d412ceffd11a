// NIST SP 800-38G FF1 format-preserving encryption, AES-128, radix 10, empty tweak: the cipher
// between an offline code's plaintext layout and the 10 digits a user types (reference §3.3).
// Lengths are limited so that each Feistel half fits 64-bit arithmetic, which covers the
// 10-digit codes with a wide margin.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <tl/expected.hpp>

#include "domain/codes/Aes128.h"
#include "domain/codes/CodeError.h"

namespace lockhub::domain::codes {

class Ff1 {
public:
    // SP 800-38G requires radix^minlen >= 1,000,000.
    static constexpr std::size_t kMinLength = 6;
    // Halves of up to 16 digits keep NUM(half) and the modular sums below 2^64.
    static constexpr std::size_t kMaxLength = 32;

    explicit Ff1(const AesKey& key) : key_(key) {}

    // Both take and return ASCII decimal digits; MalformedCode for a non-digit or a length
    // outside [kMinLength, kMaxLength].
    tl::expected<std::string, CodeErrc> encrypt(std::string_view digits) const;
    tl::expected<std::string, CodeErrc> decrypt(std::string_view digits) const;

private:
    enum class Direction { Encrypt, Decrypt };
    tl::expected<std::string, CodeErrc> run(std::string_view digits, Direction direction) const;

    AesKey key_;
};

}  // namespace lockhub::domain::codes
