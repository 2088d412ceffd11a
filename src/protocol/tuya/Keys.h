// Key derivation and the receive-side key table (§1.6). Keys are raw 16-byte MD5 digests, as the
// working clients use; they never appear in logs or errors.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "protocol/tuya/ProtocolError.h"

namespace lockhub::protocol::tuya {

using AesKey = std::array<std::uint8_t, 16>;
using Srand = std::array<std::uint8_t, 6>;

enum class SecurityFlag : std::uint8_t { None = 0, LoginKey = 4, SessionKey = 5 };

// Flag 4 key: MD5(login key), the login key being local_key[:6].
AesKey loginKeyDigest(std::string_view loginKey);
// Flag 5 key: MD5(login key || srand), srand from the lock's DEVICE_INFO response.
AesKey deriveSessionKey(std::string_view loginKey, const Srand& srand);

// Which key opens (and seals) which flag for one connection.
class KeyTable {
public:
    explicit KeyTable(std::string_view loginKey, bool allowPlain = false);

    void setSrand(const Srand& srand);  // derives the session key
    void setAllowPlain(bool allow) { allowPlain_ = allow; }

    // The key for a flag byte: UnknownSecurityFlag, MissingKey, or PlainFrameRefused for flag 0
    // when plain frames are not allowed (flag 0 yields nullopt when they are).
    ProtocolResult<std::optional<AesKey>> keyFor(std::uint8_t flag) const;

private:
    std::string loginKey_;
    AesKey loginDigest_{};
    std::optional<AesKey> sessionKey_;
    bool allowPlain_;
};

}  // namespace lockhub::protocol::tuya
