#include "ctl/Sealing.h"

#include "app/SecretFields.h"

namespace lockhub::ctl {

using nlohmann::json;

Outcome<std::optional<std::string>> readSealKey(BridgeClient& client,
                                                std::chrono::milliseconds timeout) {
    const std::string infoTopic = client.topic("bridge/info");
    if (auto ok = client.subscribe(infoTopic); !ok) {
        return tl::unexpected(ok.error());
    }
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    std::optional<std::string> key;
    while (true) {
        auto message = client.next(deadline);
        if (!message) {
            return tl::unexpected(message.error());
        }
        if (!*message) {
            return failure(Exit::NoAnswer,
                           "no bridge/info from lockhubd, which carries the seal_key that "
                           "secrets are sealed to (has lockhubd ever run on this broker?)");
        }
        if ((*message)->topic != infoTopic) {
            continue;
        }
        const auto info = json::parse((*message)->payload, nullptr, false);
        if (info.is_object() && info.contains("seal_key") && info["seal_key"].is_string()) {
            key = info["seal_key"].get<std::string>();
        }
        break;
    }
    // Its refreshes would otherwise reach later waits.
    if (auto ok = client.unsubscribe(infoTopic); !ok) {
        return tl::unexpected(ok.error());
    }
    return key;
}

bool needsSealing(std::string_view op, const json& body) {
    for (const auto field : secretRequestFields(op)) {
        if (body.contains(std::string(field))) {
            return true;
        }
    }
    return !secretResponseFields(op).empty();
}

Outcome<SealedRequest> sealRequest(std::string_view op, json body,
                                   const std::optional<std::string>& sealKey, bool allowPlain) {
    if (!needsSealing(op, body)) {
        return SealedRequest{std::move(body), nullptr};
    }
    SealedRequest sealed{std::move(body), nullptr};
    if (!sealKey) {
        if (allowPlain) {
            return sealed;
        }
        return failure(Exit::Failed,
                       "this lockhubd offers no seal_key in bridge/info (older than sealed "
                       "secrets), so " +
                           std::string(op) +
                           " would carry its secret readable by every subscriber of the broker; "
                           "upgrade lockhubd, or pass --plain to send it anyway");
    }
    auto reply = adapters::sodium::SodiumSeal::generate();
    if (!reply) {
        return failure(Exit::Failed, reply.error().message);
    }
    for (const auto field : secretRequestFields(op)) {
        auto it = sealed.body.find(std::string(field));
        if (it == sealed.body.end() || !it->is_string()) {
            continue;
        }
        auto box = reply->sealTo(*sealKey, SecretString(it->get<std::string>()));
        if (!box) {
            return failure(Exit::Failed,
                           "cannot seal to the hub's seal_key: " + box.error().message);
        }
        *it = json{{"sealed", *box}};
    }
    if (!secretResponseFields(op).empty()) {
        sealed.body["reply_key"] = reply->publicKey();
        sealed.reply = std::make_unique<adapters::sodium::SodiumSeal>(std::move(*reply));
    }
    return sealed;
}

Outcome<json> openResponse(std::string_view op, json data,
                           const adapters::sodium::SodiumSeal* reply) {
    if (reply == nullptr) {
        return data;
    }
    for (const auto field : secretResponseFields(op)) {
        auto it = data.find(std::string(field));
        if (it == data.end() || !it->is_object() || !it->contains("sealed") ||
            !(*it)["sealed"].is_string()) {
            continue;
        }
        auto opened = reply->open((*it)["sealed"].get<std::string>());
        if (!opened) {
            return failure(Exit::Failed, "the hub's sealed /" + std::string(field) +
                                             " does not open: " + opened.error().message);
        }
        *it = opened->reveal();
    }
    return data;
}

}  // namespace lockhub::ctl
