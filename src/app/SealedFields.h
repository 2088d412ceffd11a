// Sealed secret fields (design §4, issue 11 §8), applied by BridgeService and the `<lock>/set`
// path before an operation sees its request, so no service knows about sealing: a secret field
// (SecretFields.h) may arrive as {"sealed": "<base64 crypto_box_seal>"} and the operation gets
// the opened value exactly as if it had arrived plain. An op whose response carries a secret
// takes an optional `reply_key`, and those response fields leave sealed to it.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "domain/Error.h"
#include "ports/SecretSeal.h"

namespace lockhub {

class SealedFields {
public:
    // `requireSealed`: mqtt.require_sealed_secrets, a plain secret field is refused.
    SealedFields(const ports::SecretSeal& seal, bool requireSealed)
        : seal_(seal), requireSealed_(requireSealed) {}

    struct Opened {
        nlohmann::json body;                  // secret fields opened, `reply_key` taken out
        std::optional<std::string> replyKey;  // validated
    };
    // SealedInvalid, SealedRequired or InvalidReplyKey, each naming the field, never its value.
    Result<Opened> open(std::string_view op, const nlohmann::json& body) const;
    // `data`'s secret fields sealed to `replyKey`.
    Result<nlohmann::json> sealResponse(std::string_view op, nlohmann::json data,
                                        const std::string& replyKey) const;

    // The hub's public key, for bridge/info's `seal_key`.
    std::string publicKey() const { return seal_.publicKey(); }

private:
    const ports::SecretSeal& seal_;
    bool requireSealed_;
};

}  // namespace lockhub
