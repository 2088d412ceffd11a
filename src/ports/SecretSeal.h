// Port: one X25519 key pair and anonymous sealed boxes (design §4, "Secrets on a shared broker").
// The hub holds one whose public key is in bridge/info, so a client can seal a secret that only
// the hub opens; a response that carries a code is sealed to the reply key its request supplied.
// Keys and boxes travel as base64 (standard alphabet, padded).
#pragma once

#include <string>
#include <string_view>

#include "domain/Error.h"
#include "domain/Secret.h"

namespace lockhub::ports {

class SecretSeal {
public:
    virtual ~SecretSeal() = default;

    // This key pair's public key.
    virtual std::string publicKey() const = 0;
    // A box sealed to this key pair; SealedInvalid when it is not base64, was sealed to another
    // key or was altered. The message never quotes the box or what it holds.
    virtual Result<SecretString> open(std::string_view sealed) const = 0;
    // InvalidReplyKey unless `key` is base64 of exactly 32 bytes.
    virtual Result<void> checkPublicKey(std::string_view key) const = 0;
    // `plaintext` sealed to `key` (checked as checkPublicKey does).
    virtual Result<std::string> sealTo(std::string_view key,
                                       const SecretString& plaintext) const = 0;
};

}  // namespace lockhub::ports
