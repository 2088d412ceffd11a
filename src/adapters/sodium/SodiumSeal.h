// ports::SecretSeal on libsodium: crypto_box_seal / crypto_box_seal_open (X25519, XSalsa20-
// Poly1305) with base64 in libsodium's original, padded variant. The hub holds one built from its
// stored private key; lockhubctl generates a fresh one per request for `reply_key`.
#pragma once

#include <array>
#include <cstdint>

#include "ports/SecretSeal.h"

namespace lockhub::adapters::sodium {

class SodiumSeal final : public ports::SecretSeal {
public:
    static constexpr std::size_t kKeySize = 32;
    using PrivateKey = std::array<std::uint8_t, kKeySize>;

    // Internal when libsodium cannot initialise (no randomness).
    static Result<SodiumSeal> generate();
    // The public key is derived from `privateKey`, any 32 random bytes.
    static Result<SodiumSeal> fromPrivateKey(const PrivateKey& privateKey);

    SodiumSeal(SodiumSeal&& other) noexcept;
    SodiumSeal& operator=(SodiumSeal&&) = delete;
    SodiumSeal(const SodiumSeal&) = delete;
    SodiumSeal& operator=(const SodiumSeal&) = delete;
    // Wipes the private key.
    ~SodiumSeal() override;

    std::string publicKey() const override;
    Result<SecretString> open(std::string_view sealed) const override;
    Result<void> checkPublicKey(std::string_view key) const override;
    Result<std::string> sealTo(std::string_view key, const SecretString& plaintext) const override;

private:
    SodiumSeal(const PrivateKey& privateKey, const PrivateKey& publicKey)
        : private_(privateKey), public_(publicKey) {}

    PrivateKey private_;
    PrivateKey public_;
};

}  // namespace lockhub::adapters::sodium
