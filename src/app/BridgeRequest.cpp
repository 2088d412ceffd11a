#include "app/BridgeRequest.h"

#include "app/Json.h"
#include "app/JsonReader.h"
#include "app/Utf8.h"

namespace lockhub {
namespace {

Result<BridgeRequest> parseEnvelope(const std::string& payload, nlohmann::json& transaction) {
    if (payload.size() > kMaxRequestBytes) {
        return fail(Errc::TooLarge, "payload is " + std::to_string(payload.size()) +
                                        " bytes; the limit is " + std::to_string(kMaxRequestBytes));
    }
    if (!isValidUtf8(payload)) {
        return fail(Errc::BadRequest, "payload is not valid UTF-8");
    }
    // An empty payload (mosquitto_pub -n) means "no arguments".
    if (payload.empty()) {
        return BridgeRequest{nlohmann::json::object(), nullptr};
    }
    nlohmann::json body;
    try {
        body = nlohmann::json::parse(payload);
    } catch (const nlohmann::json::parse_error& e) {
        // Only the position: the parser's own text quotes the payload, which may hold a code.
        if (e.byte > payload.size()) {
            return fail(Errc::BadRequest, "payload is not valid JSON (it ends too early)");
        }
        return fail(Errc::BadRequest, "payload is not valid JSON (syntax error at byte " +
                                          std::to_string(e.byte) + ")");
    }
    if (!body.is_object()) {
        return fail(Errc::BadRequest,
                    "payload must be a JSON object, got " + std::string(jsonTypeName(body)));
    }
    if (auto it = body.find("transaction"); it != body.end()) {
        if (!it->is_string() && !it->is_number_integer()) {
            return fail(Errc::BadRequest, "/transaction: expected a string or an integer, got " +
                                              std::string(jsonTypeName(*it)));
        }
        transaction = *it;
    }
    return BridgeRequest{std::move(body), transaction};
}

}  // namespace

ParsedRequest parseBridgeRequest(const std::string& payload) {
    nlohmann::json transaction;
    auto request = parseEnvelope(payload, transaction);
    return ParsedRequest{std::move(request), std::move(transaction)};
}

std::string okResponse(const nlohmann::json& data, const nlohmann::json& transaction) {
    nlohmann::json response = {{"status", "ok"}, {"data", data}};
    if (!transaction.is_null()) {
        response["transaction"] = transaction;
    }
    return toJson(response);
}

std::string errorResponse(const Error& error, const nlohmann::json& transaction) {
    nlohmann::json response = {
        {"status", "error"},
        {"error", {{"code", errcName(error.code)}, {"message", error.message}}}};
    if (!transaction.is_null()) {
        response["transaction"] = transaction;
    }
    return toJson(response);
}

}  // namespace lockhub
