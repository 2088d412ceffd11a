// lockhubctl's side of sealed secrets (design §4, docs/mqtt-api.md "Sealed secrets"): every
// secret field of a request (app/SecretFields.h) leaves sealed to the hub's `seal_key` from the
// retained bridge/info, and an op whose response carries a secret gets a `reply_key` from a key
// pair made for that one request, which opens the response before anything prints it. A hub
// without a seal_key is refused unless --plain allows sending such secrets readable by every
// subscriber; a hub that offers one is always sealed to.
#pragma once

#include <chrono>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "adapters/sodium/SodiumSeal.h"
#include "ctl/BridgeClient.h"
#include "ctl/Outcome.h"

namespace lockhub::ctl {

// The hub's seal_key from <base>/bridge/info; nullopt when the hub offers none. No bridge/info
// within `timeout`: exit status 3.
Outcome<std::optional<std::string>> readSealKey(BridgeClient& client,
                                                std::chrono::milliseconds timeout);

struct SealedRequest {
    nlohmann::json body;
    // The request's reply key pair, when its response carries a secret and the hub seals.
    std::unique_ptr<adapters::sodium::SodiumSeal> reply;
};

// Whether `body` for `op` carries a secret or asks for one, so the seal key must be known first.
bool needsSealing(std::string_view op, const nlohmann::json& body);

// `body` with `op`'s secret fields sealed to `sealKey` and a reply_key added. Without a seal key
// the body goes plain when `allowPlain`, else this fails with the reason.
Outcome<SealedRequest> sealRequest(std::string_view op, nlohmann::json body,
                                   const std::optional<std::string>& sealKey, bool allowPlain);

// `data` with `op`'s sealed response fields opened with `reply` (if any).
Outcome<nlohmann::json> openResponse(std::string_view op, nlohmann::json data,
                                     const adapters::sodium::SodiumSeal* reply);

}  // namespace lockhub::ctl
