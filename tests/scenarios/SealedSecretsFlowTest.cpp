// Sealed secrets end to end (issue 11 §8, Tests "Sealed secrets"): a real lockhubd offers its
// seal_key in bridge/info; a local_key sealed to it pairs a lockhub-sim lock; a code/issue with a
// reply_key answers a code sealed to that key only, which opens the sim at its keypad and
// verifies sealed through code/verify; with mqtt.require_sealed_secrets a plain local_key is
// refused. The client's side is libsodium through the same adapter lockhubctl uses.
#include <gtest/gtest.h>

#include "adapters/sodium/SodiumSeal.h"
#include "scenarios/SimulatedHub.h"

namespace lockhub::testing {
namespace {

using namespace std::chrono_literals;
using adapters::sodium::SodiumSeal;
using nlohmann::json;

class SealedFlow : public ::testing::Test {
protected:
    void TearDown() override {
        if (HasFailure()) {
            std::cerr << hub_->diagnostics();
        }
    }
    void start(SimulatedHubOptions options = codeHubOptions()) {
        hub_ = std::make_unique<SimulatedHub>(std::move(options));
        const auto info = hub_->probe().waitFor("lockhub/bridge/info", 20s);
        ASSERT_TRUE(info.has_value());
        const auto doc = json::parse(info->payload);
        ASSERT_TRUE(doc.contains("seal_key")) << info->payload;
        sealKey_ = doc["seal_key"];
        ASSERT_TRUE(client_.checkPublicKey(sealKey_).has_value()) << sealKey_;
    }
    json sealed(const std::string& secret) const {
        return {{"sealed", client_.sealTo(sealKey_, SecretString(secret)).value()}};
    }
    json pairRequest(const json& localKey) const {
        const auto lock = hub_->credentials(0);
        return {{"mac", lock["mac"]},           {"uuid", lock["uuid"]},
                {"local_key", localKey},        {"device_id", lock["device_id"]},
                {"protocol", lock["protocol"]}, {"product_id", lock["product_id"]},
                {"name", "Front Door"}};
    }
    bool online() const {
        return hub_->probe()
            .waitFor("lockhub/front-door/availability", 20s,
                     [](const auto& m) { return m.payload == "online"; })
            .has_value();
    }

    std::unique_ptr<SimulatedHub> hub_;
    SodiumSeal client_ = SodiumSeal::generate().value();
    std::string sealKey_;
};

TEST_F(SealedFlow, ASealedLocalKeyPairsAndNoPlainKeyCrossesTheBroker) {
    start();
    const std::string key = hub_->credentials(0)["local_key"];
    auto paired = hub_->request("lock/pair", pairRequest(sealed(key)));
    ASSERT_EQ(paired["status"], "ok") << paired.dump();
    EXPECT_TRUE(online());
    const auto requests = hub_->probe().messagesOn("lockhub/bridge/request/lock/pair");
    ASSERT_EQ(requests.size(), 1U);
    EXPECT_EQ(requests[0].payload.find(key), std::string::npos);
    EXPECT_NE(requests[0].payload.find("\"sealed\""), std::string::npos);
}

TEST_F(SealedFlow, AReplyKeyGetsACodeOnlyItsPrivateKeyOpensAndTheCodeWorks) {
    start();
    ASSERT_EQ(hub_->pair(0, "Front Door")["status"], "ok");
    ASSERT_TRUE(online());
    auto issued = hub_->request("code/issue", {{"lock", "front-door"},
                                               {"type", "dynamic"},
                                               {"name", "Courier"},
                                               {"reply_key", client_.publicKey()}});
    ASSERT_EQ(issued["status"], "ok") << issued.dump();
    const auto& code = issued["data"]["code"];
    ASSERT_TRUE(code.is_object() && code.size() == 1 && code["sealed"].is_string()) << code;
    const auto stranger = SodiumSeal::generate().value();
    EXPECT_EQ(stranger.open(code["sealed"].get<std::string>()).error().code, Errc::SealedInvalid);
    auto digits = client_.open(code["sealed"].get<std::string>());
    ASSERT_TRUE(digits.has_value()) << digits.error().message;
    EXPECT_EQ(digits->reveal().size(), 8U);
    hub_->watchSealedCode(digits->reveal());

    auto verified =
        hub_->request("code/verify", {{"lock", "front-door"}, {"code", sealed(digits->reveal())}});
    ASSERT_EQ(verified["status"], "ok") << verified.dump();
    EXPECT_EQ(verified["data"]["code"]["name"], "Courier");
    hub_->ctl({"time", "lock1", std::to_string(unixNow())});
    const auto typed = json::parse(hub_->ctl({"keypad", "lock1", digits->reveal()}));
    EXPECT_EQ(typed.at("result_code"), 0) << typed;

    auto badKey = hub_->request(
        "code/issue",
        {{"lock", "front-door"}, {"type", "dynamic"}, {"name", "Courier"}, {"reply_key", "AAAA"}});
    EXPECT_EQ(badKey["error"]["code"], "invalid_reply_key") << badKey.dump();
    auto tampered =
        hub_->request("code/verify", {{"lock", "front-door"}, {"code", {{"sealed", "AAAA"}}}});
    EXPECT_EQ(tampered["error"], json({{"code", "sealed_invalid"},
                                       {"message",
                                        "/code: the sealed value is too short to be "
                                        "a sealed box"}}));
}

TEST_F(SealedFlow, RequireSealedSecretsRefusesAPlainLocalKey) {
    auto options = codeHubOptions();
    options.daemonConfig["mqtt"] = {{"require_sealed_secrets", true}};
    start(options);
    const std::string key = hub_->credentials(0)["local_key"];
    auto plain = hub_->request("lock/pair", pairRequest(key));
    EXPECT_EQ(plain["error"]["code"], "sealed_required") << plain.dump();
    auto paired = hub_->request("lock/pair", pairRequest(sealed(key)));
    ASSERT_EQ(paired["status"], "ok") << paired.dump();
    EXPECT_TRUE(online());
}

}  // namespace
}  // namespace lockhub::testing
