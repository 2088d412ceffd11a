// Authenticated encryption of lock secrets at rest: AES-256-GCM with a fresh random 12-byte
// nonce per message. The associated data binds a blob to the row it was written for, so a blob
// copied onto another lock fails to open instead of handing that lock someone else's key.
//
// Sealed layout: format (1 byte, 0x01) | nonce (12) | ciphertext | tag (16).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "domain/Error.h"

namespace lockhub::adapters::sqlite {

class SecretBox {
public:
    static constexpr std::size_t kKeySize = 32;
    static constexpr std::size_t kNonceSize = 12;
    static constexpr std::size_t kTagSize = 16;
    static constexpr std::uint8_t kFormat = 0x01;

    using Key = std::array<std::uint8_t, kKeySize>;

    explicit SecretBox(const Key& key) : key_(key) {}
    SecretBox(SecretBox&& other) noexcept;
    SecretBox& operator=(SecretBox&&) = delete;
    SecretBox(const SecretBox&) = delete;
    SecretBox& operator=(const SecretBox&) = delete;
    // Wipes the key, so it does not linger in freed memory.
    ~SecretBox();

    // Internal error only if OpenSSL itself fails (no randomness, no memory).
    Result<std::vector<std::uint8_t>> seal(std::span<const std::uint8_t> plaintext,
                                           std::string_view aad) const;
    // nullopt when the blob is malformed, was sealed under another key or for other associated
    // data, or was altered: the caller names the row, this layer cannot tell those apart.
    std::optional<std::vector<std::uint8_t>> open(std::span<const std::uint8_t> sealed,
                                                  std::string_view aad) const;
    // A key for another purpose (HMAC-SHA256 of `purpose` under this key), so the secrets key
    // itself serves one use only and never leaves this object.
    Key derive(std::string_view purpose) const;

private:
    Key key_;
};

}  // namespace lockhub::adapters::sqlite
