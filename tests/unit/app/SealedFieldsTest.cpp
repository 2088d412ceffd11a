// Sealed secrets (issue 11 §8) against the fake seal: SealedFields on its own for every secret
// field of the table, then wired into the bridge and `<lock>/set` as the daemon wires it, with
// the exact payloads a client sees.
#include <gtest/gtest.h>

#include "app/SealedFields.h"
#include "domain/codes/DynamicCode.h"
#include "tests/fakes/FakeSecretSeal.h"
#include "tests/unit/app/CodeHarness.h"

namespace lockhub {
namespace {

using namespace std::chrono_literals;
using fakes::FakeSecretSeal;
using nlohmann::json;

json sealedFor(std::string_view recipient, std::string_view plaintext) {
    return {{"sealed", FakeSecretSeal::box(recipient, plaintext)}};
}

class SealedFieldsTest : public ::testing::Test {
protected:
    FakeSecretSeal seal_;
    SealedFields fields_{seal_, false};
    SealedFields strict_{seal_, true};
};

TEST_F(SealedFieldsTest, EverySecretRequestFieldOpensInPlace) {
    const std::pair<const char*, const char*> secrets[] = {{"lock/pair", "local_key"},
                                                           {"credential/enrol", "pin"},
                                                           {"code/verify", "code"},
                                                           {"set", "code"}};
    for (const auto& [op, field] : secrets) {
        auto opened = fields_.open(op, {{"lock", "front"}, {field, sealedFor("hub-key", "1234")}});
        ASSERT_TRUE(opened.has_value()) << op << ": " << opened.error().message;
        EXPECT_EQ(opened->body, json({{"lock", "front"}, {field, "1234"}})) << op;
        EXPECT_EQ(opened->replyKey, std::nullopt);
    }
}

TEST_F(SealedFieldsTest, PlainSecretsAndOtherOpsPassUnchanged) {
    const json plain = {{"lock", "front"}, {"code", "12345678"}};
    EXPECT_EQ(fields_.open("code/verify", plain).value().body, plain);
    // Not a secret field of user/set: left for the op to judge.
    const json other = {{"name", sealedFor("hub-key", "Alice")}};
    EXPECT_EQ(fields_.open("user/set", other).value().body, other);
    EXPECT_EQ(strict_.open("user/set", other).value().body, other);
    // A wrong type stays the op's to refuse with its own message.
    const json number = {{"code", 1234}};
    EXPECT_EQ(fields_.open("code/verify", number).value().body, number);
}

TEST_F(SealedFieldsTest, ABoxForAnotherKeyOrOfTheWrongShapeIsSealedInvalid) {
    auto other = fields_.open("lock/pair", {{"local_key", sealedFor("other-key", "k")}});
    ASSERT_FALSE(other.has_value());
    EXPECT_EQ(other.error().code, Errc::SealedInvalid);
    EXPECT_EQ(other.error().message, "/local_key: does not open with this hub's key");
    for (const json& shape :
         {json{{"sealed", 5}}, json{{"sealed", "box(hub-key):1"}, {"x", 1}}, json::object()}) {
        auto bad = fields_.open("credential/enrol", {{"pin", shape}});
        ASSERT_FALSE(bad.has_value()) << shape.dump();
        EXPECT_EQ(bad.error().code, Errc::SealedInvalid);
        EXPECT_EQ(bad.error().message,
                  "/pin: a sealed secret is {\"sealed\": \"<base64>\"} and nothing else");
    }
}

TEST_F(SealedFieldsTest, RequireSealedRefusesAPlainSecretButNotAnAbsentOne) {
    auto plain = strict_.open("lock/pair", {{"local_key", "0123456789abcdef"}});
    ASSERT_FALSE(plain.has_value());
    EXPECT_EQ(plain.error().code, Errc::SealedRequired);
    EXPECT_EQ(plain.error().message,
              "/local_key: this hub takes secrets only sealed to its seal_key (bridge/info), as "
              "{\"sealed\": \"<base64>\"} (mqtt.require_sealed_secrets)");
    EXPECT_EQ(strict_.open("credential/enrol", {{"pin", 1234}}).error().code, Errc::SealedRequired);
    EXPECT_TRUE(strict_.open("credential/enrol", {{"method", "card"}}).has_value());
    EXPECT_EQ(strict_.open("set", {{"code", sealedFor("hub-key", "99")}}).value().body,
              json({{"code", "99"}}));
}

TEST_F(SealedFieldsTest, AReplyKeyIsValidatedTakenOutAndSealsTheResponseCode) {
    auto opened = fields_.open("code/issue", {{"lock", "front"}, {"reply_key", "ctl-key"}});
    ASSERT_TRUE(opened.has_value());
    EXPECT_EQ(opened->body, json({{"lock", "front"}}));
    EXPECT_EQ(opened->replyKey, "ctl-key");
    EXPECT_EQ(fields_.sealResponse("code/issue", {{"id", 1}, {"code", "12345678"}}, "ctl-key"),
              json({{"id", 1}, {"code", sealedFor("ctl-key", "12345678")}}));
    for (const json& key : {json("ctl"), json(32)}) {
        auto bad = fields_.open("code/revoke", {{"reply_key", key}});
        ASSERT_FALSE(bad.has_value()) << key.dump();
        EXPECT_EQ(bad.error().code, Errc::InvalidReplyKey);
    }
    EXPECT_EQ(fields_.open("code/revoke", {{"reply_key", "ctl"}}).error().message,
              "/reply_key: not a public key");
    // An op without a secret response keeps reply_key for itself to refuse.
    EXPECT_EQ(fields_.open("code/list", {{"reply_key", "ctl-key"}}).value().body,
              json({{"reply_key", "ctl-key"}}));
}

// Wired as the daemon wires it.
class SealedBridgeTest : public ::testing::Test {
protected:
    void SetUp() override {
        hub_.bridge.sealSecrets(fields_);
        hub_.commands.requireCodes(hub_.codes);
        hub_.startFront();
    }
    std::string dynamicCode() const {
        return domain::codes::generateDynamicCode(test::kLoginKey, test::kStartUtc)
            .value()
            .reveal();
    }

    FakeSecretSeal seal_;
    SealedFields fields_{seal_, false};
    test::CodeHarness hub_;
};

TEST_F(SealedBridgeTest, BridgeInfoOffersTheSealKey) {
    EXPECT_EQ(hub_.lastJson("lockhub/bridge/info")["seal_key"], "hub-key");
}

TEST_F(SealedBridgeTest, AnIssuedCodeComesSealedToTheReplyKeyOnly) {
    auto response = hub_.request("code/issue", {{"lock", "front"},
                                                {"type", "dynamic"},
                                                {"name", "Courier"},
                                                {"reply_key", "ctl-key"},
                                                {"transaction", "t1"}});
    ASSERT_EQ(response["status"], "ok") << response.dump();
    EXPECT_EQ(response["data"]["code"], sealedFor("ctl-key", dynamicCode()));
    EXPECT_EQ(response["data"]["name"], "Courier");
    EXPECT_EQ(response["transaction"], "t1");

    auto bad = hub_.request(
        "code/issue",
        {{"lock", "front"}, {"type", "dynamic"}, {"name", "Courier"}, {"reply_key", "nope"}});
    EXPECT_EQ(bad["error"],
              json({{"code", "invalid_reply_key"}, {"message", "/reply_key: not a public key"}}));
    EXPECT_EQ(hub_.request("code/list", {{"lock", "front"}})["data"]["codes"].size(), 1U)
        << "a refused reply_key mints nothing";
}

TEST_F(SealedBridgeTest, ASealedCodeVerifiesAndABadOneNeverReachesTheChecker) {
    hub_.request("code/issue", {{"lock", "front"}, {"type", "dynamic"}, {"name", "Courier"}});
    auto ok = hub_.request("code/verify",
                           {{"lock", "front"}, {"code", sealedFor("hub-key", dynamicCode())}});
    ASSERT_EQ(ok["status"], "ok") << ok.dump();
    EXPECT_EQ(ok["data"]["code"]["name"], "Courier");
    auto bad = hub_.request("code/verify",
                            {{"lock", "front"}, {"code", sealedFor("other-key", dynamicCode())}});
    EXPECT_EQ(bad["error"], json({{"code", "sealed_invalid"},
                                  {"message", "/code: does not open with this hub's key"}}));
}

TEST_F(SealedBridgeTest, ASealedCodeUnlocksThroughTheSetTopic) {
    hub_.request("code/issue", {{"lock", "front"}, {"type", "dynamic"}, {"name", "Courier"}});
    const auto writesBefore = hub_.radio.lock(test::kFrontMac).writes.size();
    hub_.broker.deliver(
        "lockhub/front/set",
        json({{"state", "UNLOCK"}, {"code", sealedFor("hub-key", dynamicCode())}}).dump());
    hub_.scheduler.advance(100ms);
    ASSERT_EQ(hub_.radio.lock(test::kFrontMac).writes.size(), writesBefore + 1)
        << "the opened code let the unlock through";

    hub_.broker.deliver("lockhub/front/set", json({{"state", "UNLOCK"},
                                                   {"code", sealedFor("other-key", dynamicCode())},
                                                   {"transaction", "t2"}})
                                                 .dump());
    hub_.scheduler.advance(10ms);
    EXPECT_EQ(hub_.lastJson("lockhub/front/set/result"),
              json({{"result", "rejected"},
                    {"reason", "sealed_invalid"},
                    {"message", "/code: does not open with this hub's key"},
                    {"transaction", "t2"}}));
}

TEST(SealedBridgeStrict, APlainSecretIsRefusedWithSealedRequired) {
    FakeSecretSeal seal;
    SealedFields strict{seal, true};
    test::CodeHarness hub;
    hub.bridge.sealSecrets(strict);
    hub.startFront();
    auto refused = hub.request("code/verify", {{"lock", "front"}, {"code", "12345678"}});
    EXPECT_EQ(refused["error"]["code"], "sealed_required");
    hub.broker.deliver("lockhub/front/set", R"({"state": "UNLOCK", "code": "12345678"})");
    hub.scheduler.advance(10ms);
    EXPECT_EQ(hub.lastJson("lockhub/front/set/result")["reason"], "sealed_required");
}

}  // namespace
}  // namespace lockhub
