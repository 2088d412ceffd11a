#include "app/SealedFields.h"

#include "app/SecretFields.h"

namespace lockhub {

Result<SealedFields::Opened> SealedFields::open(std::string_view op,
                                                const nlohmann::json& body) const {
    Opened opened{body, std::nullopt};
    for (const auto field : secretRequestFields(op)) {
        const std::string key(field);
        auto it = opened.body.find(key);
        if (it == opened.body.end()) {
            continue;
        }
        if (!it->is_object()) {
            if (requireSealed_) {
                return fail(Errc::SealedRequired,
                            "/" + key +
                                ": this hub takes secrets only sealed to its seal_key "
                                "(bridge/info), as {\"sealed\": \"<base64>\"} "
                                "(mqtt.require_sealed_secrets)");
            }
            continue;
        }
        const auto sealed = it->find("sealed");
        if (it->size() != 1 || sealed == it->end() || !sealed->is_string()) {
            return fail(Errc::SealedInvalid,
                        "/" + key +
                            ": a sealed secret is {\"sealed\": \"<base64>\"} and nothing "
                            "else");
        }
        auto plain = seal_.open(sealed->get<std::string>());
        if (!plain) {
            return fail(Errc::SealedInvalid, "/" + key + ": " + plain.error().message);
        }
        opened.body[key] = plain->reveal();
    }
    if (secretResponseFields(op).empty()) {
        return opened;
    }
    if (auto it = opened.body.find("reply_key"); it != opened.body.end()) {
        if (!it->is_string()) {
            return fail(Errc::InvalidReplyKey,
                        "/reply_key: expected the base64 of a 32-byte X25519 public key");
        }
        std::string key = it->get<std::string>();
        if (auto ok = seal_.checkPublicKey(key); !ok) {
            return fail(Errc::InvalidReplyKey, "/reply_key: " + ok.error().message);
        }
        opened.replyKey = std::move(key);
        opened.body.erase(it);
    }
    return opened;
}

Result<nlohmann::json> SealedFields::sealResponse(std::string_view op, nlohmann::json data,
                                                  const std::string& replyKey) const {
    for (const auto field : secretResponseFields(op)) {
        auto it = data.find(std::string(field));
        if (it == data.end() || !it->is_string()) {
            continue;
        }
        auto sealed = seal_.sealTo(replyKey, SecretString(it->get<std::string>()));
        if (!sealed) {
            return tl::unexpected(sealed.error());
        }
        *it = nlohmann::json{{"sealed", *sealed}};
    }
    return data;
}

}  // namespace lockhub
