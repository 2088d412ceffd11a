// The seal port, faked with readable boxes so tests can state exact payloads: a box is
// "box(<recipient>):<plaintext>", a valid public key is any text ending in "-key", and this
// key pair's own key is "hub-key". It seals nothing; it only keeps recipients apart.
#pragma once

#include "ports/SecretSeal.h"

namespace lockhub::fakes {

class FakeSecretSeal final : public ports::SecretSeal {
public:
    static std::string box(std::string_view recipient, std::string_view plaintext) {
        return "box(" + std::string(recipient) + "):" + std::string(plaintext);
    }

    std::string publicKey() const override { return "hub-key"; }
    Result<SecretString> open(std::string_view sealed) const override {
        const std::string prefix = box(publicKey(), "");
        if (!sealed.starts_with(prefix)) {
            return fail(Errc::SealedInvalid, "does not open with this hub's key");
        }
        return SecretString(std::string(sealed.substr(prefix.size())));
    }
    Result<void> checkPublicKey(std::string_view key) const override {
        if (!key.ends_with("-key")) {
            return fail(Errc::InvalidReplyKey, "not a public key");
        }
        return {};
    }
    Result<std::string> sealTo(std::string_view key, const SecretString& plaintext) const override {
        if (auto ok = checkPublicKey(key); !ok) {
            return tl::unexpected(ok.error());
        }
        return box(key, plaintext.reveal());
    }
};

}  // namespace lockhub::fakes
