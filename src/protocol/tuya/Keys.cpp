#include "protocol/tuya/Keys.h"

#include <openssl/evp.h>

#include "protocol/tuya/Bytes.h"

namespace lockhub::protocol::tuya {

namespace {

AesKey md5(ByteView first, ByteView second) {
    AesKey digest{};
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    // MD5 of a few bytes cannot fail short of memory exhaustion; a zero key then fails every CRC.
    if (ctx != nullptr && EVP_DigestInit_ex(ctx, EVP_md5(), nullptr) == 1 &&
        EVP_DigestUpdate(ctx, first.data(), first.size()) == 1 &&
        EVP_DigestUpdate(ctx, second.data(), second.size()) == 1) {
        unsigned int size = 0;
        EVP_DigestFinal_ex(ctx, digest.data(), &size);
    }
    EVP_MD_CTX_free(ctx);
    return digest;
}

ByteView asBytes(std::string_view text) {
    return {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()};
}

}  // namespace

AesKey loginKeyDigest(std::string_view loginKey) {
    return md5(asBytes(loginKey), {});
}

AesKey deriveSessionKey(std::string_view loginKey, const Srand& srand) {
    return md5(asBytes(loginKey), srand);
}

KeyTable::KeyTable(std::string_view loginKey, bool allowPlain)
    : loginKey_(loginKey), loginDigest_(loginKeyDigest(loginKey)), allowPlain_(allowPlain) {}

void KeyTable::setSrand(const Srand& srand) {
    sessionKey_ = deriveSessionKey(loginKey_, srand);
}

ProtocolResult<std::optional<AesKey>> KeyTable::keyFor(std::uint8_t flag) const {
    switch (static_cast<SecurityFlag>(flag)) {
        case SecurityFlag::None:
            if (!allowPlain_) {
                return tl::unexpected(ProtocolError::PlainFrameRefused);
            }
            return std::optional<AesKey>{};
        case SecurityFlag::LoginKey:
            return std::optional<AesKey>{loginDigest_};
        case SecurityFlag::SessionKey:
            if (!sessionKey_) {
                return tl::unexpected(ProtocolError::MissingKey);
            }
            return std::optional<AesKey>{*sessionKey_};
    }
    return tl::unexpected(ProtocolError::UnknownSecurityFlag);
}

}  // namespace lockhub::protocol::tuya
