// CodeService over the bridge API against fakes (issue 11 parts 2-4): code/issue for every type
// with the scheme's alignment and Tuya's limits, code/list without the digits, code/revoke with the
// clear code, code/verify by the lock's own rules, and every bad input with its exact error code.
#include <gtest/gtest.h>

#include "domain/codes/DynamicCode.h"
#include "domain/codes/OfflineCodeVerifier.h"
#include "tests/unit/app/CodeHarness.h"

namespace lockhub {
namespace {

using namespace std::chrono_literals;
using domain::codes::OfflineCodeTable;
using domain::codes::OfflineCodeType;
using domain::codes::OfflineCodeVerifier;
using domain::codes::OfflineVerifyResult;
using nlohmann::json;
using test::CodeHarness;
using test::kFrontMac;
using test::kLoginKey;
using test::kT0;

class CodeServiceTest : public ::testing::Test {
protected:
    void SetUp() override { hub_.startFront(); }

    json issue(json body) {
        body["lock"] = "front";
        auto response = hub_.request("code/issue", body);
        EXPECT_EQ(response["status"], "ok") << response.dump();
        return response["data"];
    }
    std::string issueError(json body) {
        if (!body.contains("lock")) {
            body["lock"] = "front";
        }
        return hub_.errorOf("code/issue", body);
    }
    json list() { return hub_.request("code/list", {{"lock", "front"}})["data"]["codes"]; }
    OfflineCodeVerifier verifier() { return OfflineCodeVerifier::create(kLoginKey, kT0).value(); }
    void answerUser() { ASSERT_EQ(hub_.request("user/set", {{"name", "Alice"}})["status"], "ok"); }

    CodeHarness hub_;
};

TEST_F(CodeServiceTest, ATimedCodeIsAlignedToWholeHoursAndOpensByTheLocksRules) {
    const auto data = issue({{"type", "timed"},
                             {"name", "Guest"},
                             {"start", "2023-11-15T00:30:00+01:00"},
                             {"end", "2023-11-15T02:10:00Z"},
                             {"transaction", "t1"}});
    EXPECT_EQ(data["id"], 1);
    EXPECT_EQ(data["lock"], "front");
    EXPECT_EQ(data["type"], "timed");
    EXPECT_EQ(data["name"], "Guest");
    EXPECT_EQ(data["state"], "issued");
    EXPECT_EQ(data["user"], json());
    EXPECT_EQ(data["window"],
              json({{"start", "2023-11-14T23:00:00Z"}, {"end", "2023-11-15T03:00:00Z"}}));
    EXPECT_EQ(data["alignment"],
              "offline codes count whole UTC hours: start rounded down from "
              "2023-11-14T23:30:00Z to 2023-11-14T23:00:00Z; end rounded up from "
              "2023-11-15T02:10:00Z to 2023-11-15T03:00:00Z");
    EXPECT_EQ(data["validity"], json({{"not_before", "2023-11-14T23:00:00Z"},
                                      {"activate_by", "2023-11-15T03:00:00Z"},
                                      {"not_after", "2023-11-15T03:00:00Z"},
                                      {"uses", "unlimited"}}));
    EXPECT_EQ(data["rules"][0], "valid from 2023-11-14T23:00:00Z to 2023-11-15T03:00:00Z");
    EXPECT_EQ(data["rules"][1],
              "use within 24 h of the start (by 2023-11-15T03:00:00Z), or it never opens");
    const auto code = data["code"].get<std::string>();
    ASSERT_EQ(code.size(), 10u);
    OfflineCodeTable table;
    const auto verification = verifier().verify(table, SecretString(code), test::kStartUtc);
    EXPECT_EQ(verification.result, OfflineVerifyResult::Accepted);
    ASSERT_TRUE(verification.plaintext);
    EXPECT_EQ(verification.plaintext->digits(), "0000000004");
    OfflineCodeTable late;
    EXPECT_EQ(verifier().verify(late, SecretString(code), kT0 + 4 * 3600 + 1).result,
              OfflineVerifyResult::Expired);
}

TEST_F(CodeServiceTest, OneTimeAndClearAllCodesHaveTheirFixedWindowsAndAutomaticSerials) {
    const auto oneTime = issue({{"type", "one_time"}, {"name", "Plumber"}});
    EXPECT_EQ(oneTime["window"], json({{"start", "2023-11-14T23:00:00Z"}, {"end", nullptr}}));
    EXPECT_EQ(oneTime["serial"], 1);
    EXPECT_EQ(oneTime["validity"], json({{"not_before", "2023-11-14T23:00:00Z"},
                                         {"activate_by", "2023-11-15T05:00:00Z"},
                                         {"not_after", "2023-11-15T05:00:00Z"},
                                         {"uses", "single"}}));
    EXPECT_EQ(oneTime["rules"][0], "single use");
    EXPECT_EQ(oneTime["alignment"], json()) << "no start given: the current hour, nothing rounded";
    const auto second = issue({{"type", "one_time"}, {"name", "Cleaner"}});
    EXPECT_EQ(second["serial"], 2);
    EXPECT_NE(second["code"], oneTime["code"]);
    const auto clearAll = issue({{"type", "clear_all"}, {"name", "Reset"}, {"serial", 7}});
    EXPECT_EQ(clearAll["serial"], 7);
    EXPECT_EQ(clearAll["validity"]["activate_by"], "2023-11-15T23:00:00Z");
    EXPECT_EQ(clearAll["validity"]["uses"], "single");

    OfflineCodeTable table;
    const auto v = verifier();
    const SecretString oneTimeCode(oneTime["code"].get<std::string>());
    EXPECT_EQ(v.verify(table, oneTimeCode, test::kStartUtc).result, OfflineVerifyResult::Accepted);
    EXPECT_EQ(v.verify(table, oneTimeCode, test::kStartUtc + 1).result,
              OfflineVerifyResult::UsedUp);
    const auto cleared =
        v.verify(table, SecretString(clearAll["code"].get<std::string>()), test::kStartUtc);
    EXPECT_EQ(cleared.plaintext->type(), OfflineCodeType::ClearAll);
    EXPECT_EQ(cleared.plaintext->field(), 7u);
}

TEST_F(CodeServiceTest, TenOneTimeOrClearCodesPerHourAndSerialsAreTheLocksLimits) {
    for (int i = 0; i < 5; ++i) {
        issue({{"type", "one_time"}, {"name", "guest " + std::to_string(i)}});
        issue({{"type", "clear_all"}, {"name", "clear " + std::to_string(i)}});
    }
    EXPECT_EQ(issueError({{"type", "one_time"}, {"name", "11th"}}), "limit_reached");
    EXPECT_EQ(issueError({{"type", "clear_all"}, {"name", "11th"}}), "limit_reached");
    // The next hour has room again; a serial already used in it is a conflict.
    issue({{"type", "one_time"},
           {"name", "next hour"},
           {"start", "2023-11-15T00:00:00Z"},
           {"serial", 3}});
    EXPECT_EQ(issueError({{"type", "one_time"},
                          {"name", "same serial"},
                          {"start", "2023-11-15T00:00:00Z"},
                          {"serial", 3}}),
              "conflict");
    EXPECT_EQ(issueError({{"type", "one_time"}, {"name", "x"}, {"serial", 11}}), "bad_request");
}

TEST_F(CodeServiceTest, ADynamicCodeIsTheLocksCodeForTheCurrentStep) {
    const auto data = issue({{"type", "dynamic"}, {"name", "Courier"}});
    EXPECT_EQ(data["code"],
              domain::codes::generateDynamicCode(kLoginKey, test::kStartUtc).value().reveal());
    EXPECT_EQ(data["window"],
              json({{"start", "2023-11-14T23:10:00Z"}, {"end", "2023-11-14T23:15:00Z"}}));
    EXPECT_EQ(data["validity"], json({{"not_before", "2023-11-14T23:05:00Z"},
                                      {"activate_by", nullptr},
                                      {"not_after", "2023-11-14T23:19:59Z"},
                                      {"uses", "unlimited"}}));
}

TEST_F(CodeServiceTest, AnIssuedCodeWarnsOfTheLocksClockDriftOnlyBeyondAMinute) {
    const std::int64_t front = hub_.registry.byTopic("front")->record.id;
    std::optional<std::int64_t> drift;
    std::vector<std::int64_t> asked;
    hub_.codes.watchClocks([&](std::int64_t lockId) {
        asked.push_back(lockId);
        return drift;
    });
    EXPECT_FALSE(issue({{"type", "one_time"}, {"name", "Unmeasured"}}).contains("clock_warning"));
    drift = -60;
    EXPECT_FALSE(issue({{"type", "dynamic"}, {"name", "Close"}}).contains("clock_warning"));
    drift = 400;
    EXPECT_EQ(issue({{"type", "dynamic"}, {"name", "Far"}})["clock_warning"],
              "the lock's clock is 400 s ahead of the hub's, more than the 300 s a dynamic code "
              "tolerates: the lock may refuse it");
    EXPECT_EQ(asked, (std::vector<std::int64_t>{front, front, front}));
}

TEST_F(CodeServiceTest, TheListShowsMetadataAndStateButNeverTheCode) {
    const auto timed = issue({{"type", "timed"},
                              {"name", "Guest"},
                              {"start", "2023-11-14T23:00:00Z"},
                              {"end", "2023-11-15T03:00:00Z"}});
    const auto oneTime = issue({{"type", "one_time"}, {"name", "Plumber"}});
    auto response = hub_.request("code/list", {{"lock", "front"}});
    const auto text = response.dump();
    EXPECT_EQ(text.find(timed["code"].get<std::string>()), std::string::npos);
    EXPECT_EQ(text.find(oneTime["code"].get<std::string>()), std::string::npos);
    EXPECT_EQ(response["data"]["t0"], "2023-11-14T23:00:00Z");
    auto codes = response["data"]["codes"];
    ASSERT_EQ(codes.size(), 2u);
    EXPECT_FALSE(codes[0].contains("code"));
    EXPECT_EQ(
        codes[0],
        json({{"id", 1},
              {"lock", "front"},
              {"type", "timed"},
              {"name", "Guest"},
              {"user", nullptr},
              {"window", {{"start", "2023-11-14T23:00:00Z"}, {"end", "2023-11-15T03:00:00Z"}}},
              {"serial", nullptr},
              {"state", "issued"},
              {"issued_at", "2023-11-14T23:13:20Z"},
              {"changed_at", nullptr},
              {"clears", nullptr}}));
    // Never typed: the timed code's activation window ends with it at 03:00, the one-time's at
    // 05:00.
    hub_.scheduler.advance(5h);
    codes = list();
    EXPECT_EQ(codes[0]["state"], "expired");
    EXPECT_EQ(codes[1]["state"], "issued");
    const auto expired = hub_.request("code/list", {{"lock", "front"}, {"state", "expired"}});
    ASSERT_EQ(expired["data"]["codes"].size(), 1u);
    EXPECT_EQ(expired["data"]["codes"][0]["id"], 1);
    // The digits are not kept anywhere, only their keyed hash.
    const auto stored = hub_.codeStore.codes(1).value();
    EXPECT_EQ(stored[0].hash, hub_.hasher.hash(SecretString(timed["code"].get<std::string>())));
}

TEST_F(CodeServiceTest, RevokingATimedCodeIssuesTheClearCodeForItsWindow) {
    const auto timed = issue({{"type", "timed"},
                              {"name", "Guest"},
                              {"start", "2023-11-14T23:00:00Z"},
                              {"end", "2023-11-15T03:00:00Z"}});
    const auto response = hub_.request("code/revoke", {{"lock", "front"}, {"id", 1}});
    ASSERT_EQ(response["status"], "ok") << response.dump();
    const auto& data = response["data"];
    EXPECT_EQ(data["type"], "clear_one");
    EXPECT_EQ(data["name"], "clear Guest");
    EXPECT_EQ(data["clears"], 1);
    EXPECT_EQ(data["revokes"], 1);
    EXPECT_EQ(data["window"], timed["window"]);
    OfflineCodeTable table;
    const auto v = verifier();
    const SecretString timedCode(timed["code"].get<std::string>());
    ASSERT_EQ(v.verify(table, timedCode, test::kStartUtc).result, OfflineVerifyResult::Accepted);
    EXPECT_EQ(
        v.verify(table, SecretString(data["code"].get<std::string>()), test::kStartUtc + 5).result,
        OfflineVerifyResult::ClearedOne);
    EXPECT_EQ(v.verify(table, timedCode, test::kStartUtc + 10).result, OfflineVerifyResult::UsedUp);
}

TEST_F(CodeServiceTest, OnlyTimedCodesCanBeRevoked) {
    issue({{"type", "one_time"}, {"name", "Plumber"}});
    issue({{"type", "dynamic"}, {"name", "Courier"}});
    EXPECT_EQ(hub_.errorOf("code/revoke", {{"lock", "front"}, {"id", 1}}), "conflict");
    EXPECT_EQ(hub_.errorOf("code/revoke", {{"lock", "front"}, {"id", 2}}), "conflict");
    EXPECT_EQ(hub_.errorOf("code/revoke", {{"lock", "front"}, {"id", 9}}), "not_found");
    EXPECT_EQ(hub_.errorOf("code/revoke", {{"lock", "front"}}), "bad_request");
    EXPECT_EQ(hub_.errorOf("code/revoke", {{"lock", "front"}, {"id", "1"}}), "bad_request");
    EXPECT_EQ(hub_.errorOf("code/revoke", {{"lock", "back"}, {"id", 1}}), "not_found");
}

TEST_F(CodeServiceTest, RevokingATemporaryPasswordHandsItToTheTemporaryPasswordsWithItsLock) {
    EXPECT_EQ(
        hub_.request("code/revoke", {{"lock", "front"}, {"temp_password", 4}})["error"],
        (json{{"code", "unavailable"}, {"message", "this hub keeps no temporary passwords"}}));
    std::vector<json> handed;
    hub_.codes.revokeTempPasswordsWith([&](const json& body) -> Result<json> {
        handed.push_back(body);
        return json{{"id", 4}, {"state", "deleting"}};
    });
    const auto revoked = hub_.request(
        "code/revoke", {{"lock", "front"}, {"temp_password", 4}, {"transaction", "t"}});
    EXPECT_EQ(revoked["data"], (json{{"id", 4}, {"state", "deleting"}}));
    EXPECT_EQ(handed, (std::vector<json>{{{"lock", "front"}, {"id", 4}}}));
    EXPECT_EQ(hub_.errorOf("code/revoke", {{"lock", "front"}, {"temp_password", 0}}),
              "bad_request");
    EXPECT_EQ(hub_.errorOf("code/revoke", {{"lock", "front"}, {"temp_password", 4}, {"id", 1}}),
              "bad_request");
    EXPECT_EQ(hub_.errorOf("code/revoke", {{"temp_password", 4}}), "bad_request");
    EXPECT_EQ(handed.size(), 1u) << "bad requests go nowhere";
}

TEST_F(CodeServiceTest, VerifyJudgesLikeTheLockAndCanUnlock) {
    const auto timed = issue({{"type", "timed"},
                              {"name", "Guest"},
                              {"start", "2023-11-14T23:00:00Z"},
                              {"end", "2023-11-15T03:00:00Z"}});
    const auto oneTime = issue({{"type", "one_time"}, {"name", "Plumber"}});
    auto first = hub_.request("code/verify", {{"lock", "front"}, {"code", oneTime["code"]}});
    ASSERT_EQ(first["status"], "ok") << first.dump();
    EXPECT_EQ(first["data"]["valid"], true);
    EXPECT_EQ(first["data"]["result"], "accepted");
    EXPECT_EQ(first["data"]["code"]["id"], 2);
    EXPECT_EQ(first["data"]["code"]["name"], "Plumber");
    EXPECT_EQ(first["data"]["code"]["state"], "used");
    EXPECT_EQ(first["data"]["unlock"], json());
    auto again = hub_.request("code/verify", {{"lock", "front"}, {"code", oneTime["code"]}});
    EXPECT_EQ(again["error"]["code"], "auth_failed");
    EXPECT_EQ(again["error"]["message"], "wrong code: already used up or cleared");

    const auto writesBefore = hub_.radio.lock(kFrontMac).writes.size();
    auto unlock = hub_.request("code/verify",
                               {{"lock", "front"},
                                {"code", timed["code"]},
                                {"unlock", true},
                                {"transaction", "intercom-7"}},
                               100ms);
    ASSERT_EQ(unlock["status"], "ok") << unlock.dump();
    EXPECT_EQ(unlock["data"]["code"]["state"], "activated");
    EXPECT_EQ(unlock["data"]["unlock"], "requested");
    const auto& writes = hub_.radio.lock(kFrontMac).writes;
    ASSERT_EQ(writes.size(), writesBefore + 1) << "the unlock reaches the lock";
    EXPECT_EQ(writes.back().at(0).id, 6) << "the profile's BLE unlock";
    // The lock confirms; the result carries the request's transaction: how lockhubctl tells the
    // door opened.
    hub_.radio.report(kFrontMac, {protocol::tuya::Dp::raw(6, {1, 0})});  // 1: done
    hub_.scheduler.settle();
    const auto results = hub_.broker.payloadsOn("lockhub/front/set/result");
    ASSERT_EQ(results.size(), 1u);
    EXPECT_EQ(json::parse(results[0]),
              (json{{"state", "UNLOCK"}, {"result", "ok"}, {"transaction", "intercom-7"}}));
    // A timed code opens again and again until its end.
    EXPECT_EQ(hub_.request("code/verify", {{"lock", "front"}, {"code", timed["code"]}})["status"],
              "ok");
    const auto codes = list();
    EXPECT_EQ(codes[0]["state"], "activated");
    EXPECT_EQ(codes[1]["state"], "used");
}

TEST_F(CodeServiceTest, AVerifiedDynamicCodeNamesTheIssuedCode) {
    const auto dynamic = issue({{"type", "dynamic"}, {"name", "Courier"}});
    hub_.scheduler.advance(4min);
    auto response = hub_.request("code/verify", {{"lock", "front"}, {"code", dynamic["code"]}});
    ASSERT_EQ(response["status"], "ok") << response.dump();
    EXPECT_EQ(response["data"]["code"]["name"], "Courier");
    EXPECT_EQ(response["data"]["code"]["state"], "used");
    hub_.scheduler.advance(10min);
    EXPECT_EQ(hub_.errorOf("code/verify", {{"lock", "front"}, {"code", dynamic["code"]}}),
              "auth_failed")
        << "three steps later the lock no longer takes it";
}

TEST_F(CodeServiceTest, TheUnlockCodeCheckAppliesTheSameRules) {
    answerUser();
    const auto timed = issue({{"type", "timed"},
                              {"name", "Guest"},
                              {"user", 1},
                              {"start", "2023-11-14T23:00:00Z"},
                              {"end", "2023-11-15T03:00:00Z"}});
    const auto clearAll = issue({{"type", "clear_all"}, {"name", "Reset"}});
    const auto id = hub_.registry.byTopic("front")->record.id;
    auto match = hub_.codes.check(id, SecretString(timed["code"].get<std::string>()), "mqtt");
    ASSERT_TRUE(match.has_value()) << match.error().message;
    EXPECT_EQ(match->codeId, 1);
    EXPECT_EQ(match->name, "Guest");
    EXPECT_EQ(match->type, "timed");
    EXPECT_EQ(match->userId, 1);
    auto wrong = hub_.codes.check(id, SecretString("1234567890"), "mqtt");
    ASSERT_FALSE(wrong.has_value());
    EXPECT_EQ(wrong.error().code, Errc::AuthFailed);
    EXPECT_EQ(hub_.codeStore.lockout(id).value().failures, 1) << "counted toward the lockout";
    auto clear = hub_.codes.check(id, SecretString(clearAll["code"].get<std::string>()), "mqtt");
    ASSERT_FALSE(clear.has_value());
    EXPECT_EQ(clear.error().message, "a clear code does not unlock");
}

TEST_F(CodeServiceTest, TheUnlockCodeCheckTakesThePinOfAPasswordEnrolledThroughTheHub) {
    answerUser();
    const auto id = hub_.registry.byTopic("front")->record.id;
    ASSERT_TRUE(hub_.userStore
                    .assignCredential(
                        {id, "password", 4, 1, false, hub_.hasher.hash(SecretString("246801"))})
                    .has_value());
    ASSERT_TRUE(hub_.userStore.assignCredential({id, "fingerprint", 2, 1, false, {}}).has_value());
    auto match = hub_.codes.check(id, SecretString("246801"), "mqtt");
    ASSERT_TRUE(match.has_value()) << match.error().message;
    EXPECT_EQ(match->codeId, std::nullopt);
    EXPECT_EQ(match->name, "Alice");
    EXPECT_EQ(match->type, "pin");
    EXPECT_EQ(match->userId, 1);

    // Another PIN is a wrong code, counted; code/verify judges the lock's codes, not PINs.
    auto wrong = hub_.codes.check(id, SecretString("246802"), "mqtt");
    ASSERT_FALSE(wrong.has_value());
    EXPECT_EQ(wrong.error().code, Errc::AuthFailed);
    EXPECT_EQ(hub_.codeStore.lockout(id).value().failures, 1);
    EXPECT_EQ(hub_.errorOf("code/verify", {{"lock", "front"}, {"code", "246801"}}), "auth_failed");

    // Locked out, the right PIN is refused too (Matter: every path, every credential).
    for (int i = 0; i < 4; ++i) {
        hub_.codes.check(id, SecretString("000000"), "mqtt");
    }
    auto locked = hub_.codes.check(id, SecretString("246801"), "mqtt");
    ASSERT_FALSE(locked.has_value());
    EXPECT_EQ(locked.error().code, Errc::LockedOut);
}

TEST_F(CodeServiceTest, EveryBadIssueRequestGetsItsErrorCode) {
    const json timed = {{"type", "timed"},
                        {"name", "Guest"},
                        {"start", "2023-11-14T23:00:00Z"},
                        {"end", "2023-11-15T03:00:00Z"}};
    const auto with = [&](json patch) {
        json body = timed;
        body.merge_patch(patch);
        return issueError(body);
    };
    EXPECT_EQ(with(json::object()), "ok");
    EXPECT_EQ(with({{"type", nullptr}}), "bad_request");
    EXPECT_EQ(with({{"type", "weekly"}}), "bad_request");
    EXPECT_EQ(with({{"name", nullptr}}), "bad_request");
    EXPECT_EQ(with({{"name", std::string(65, 'x')}}), "bad_request");
    EXPECT_EQ(with({{"colour", "red"}}), "bad_request");
    EXPECT_EQ(with({{"start", "tomorrow"}}), "bad_request");
    EXPECT_EQ(with({{"start", "2023-11-14T22:00:00"}}), "bad_request") << "no offset";
    EXPECT_EQ(with({{"start", 1700000000}}), "bad_request");
    EXPECT_EQ(with({{"end", nullptr}}), "bad_request");
    EXPECT_EQ(with({{"end", "2023-11-14T22:00:00Z"}}), "bad_request") << "end before start";
    EXPECT_EQ(with({{"end", "2025-02-01T01:00:00Z"}}), "bad_request") << "over 9999 h";
    EXPECT_EQ(with({{"start", "2023-11-14T22:00:00Z"}}), "bad_request") << "before T0";
    EXPECT_EQ(with({{"start", "2035-11-14T22:00:00Z"}, {"end", "2035-11-15T00:00:00Z"}}),
              "bad_request")
        << "over 99999 h after T0";
    EXPECT_EQ(with({{"serial", 1}}), "bad_request");
    EXPECT_EQ(with({{"user", 7}}), "not_found");
    EXPECT_EQ(with({{"user", 0}}), "bad_request");
    EXPECT_EQ(with({{"lock", "back"}}), "not_found");
    EXPECT_EQ(issueError({{"type", "one_time"}, {"name", "x"}, {"end", "2023-11-15T03:00:00Z"}}),
              "bad_request");
    EXPECT_EQ(issueError({{"type", "dynamic"}, {"name", "x"}, {"start", "2023-11-15T03:00:00Z"}}),
              "bad_request");
    EXPECT_EQ(issueError({{"type", "clear_one"}, {"name", "x"}}), "bad_request");
    EXPECT_EQ(hub_.errorOf("code/issue", json::array()), "bad_request");
}

TEST_F(CodeServiceTest, TheErrorMessagesNameTheRule) {
    const auto message = [&](json body) {
        body["lock"] = "front";
        return hub_.request("code/issue", body)["error"]["message"].get<std::string>();
    };
    EXPECT_EQ(message({{"type", "timed"},
                       {"name", "x"},
                       {"start", "2023-11-14T23:00:00Z"},
                       {"end", "2025-02-01T01:00:00Z"}}),
              "/end: a window lasts at most 9999 h (about 416 days) in the scheme");
    EXPECT_EQ(message({{"type", "timed"},
                       {"name", "x"},
                       {"start", "2023-11-14T22:00:00Z"},
                       {"end", "2023-11-15T02:00:00Z"}}),
              "/start: before the lock's T0 hour (2023-11-14T23:00:00Z); the scheme counts hours "
              "from T0");
    EXPECT_EQ(message({{"type", "timed"},
                       {"name", "x"},
                       {"start", "2023-11-14T23:00:00Z"},
                       {"end", "2023-11-14T23:00:00Z"}}),
              "/end: must be after the start");
}

TEST_F(CodeServiceTest, ACodeWhoseActivationWindowIsOverIsRefused) {
    hub_.scheduler.advance(7h);
    EXPECT_EQ(issueError({{"type", "one_time"}, {"name", "x"}, {"start", "2023-11-14T23:00:00Z"}}),
              "bad_request");
    EXPECT_EQ(issueError({{"type", "timed"},
                          {"name", "x"},
                          {"start", "2023-11-14T23:00:00Z"},
                          {"end", "2023-11-15T04:00:00Z"}}),
              "bad_request")
        << "already over";
}

TEST_F(CodeServiceTest, BadListAndVerifyRequestsGetTheirErrorCodes) {
    EXPECT_EQ(hub_.errorOf("code/list", json::object()), "bad_request");
    EXPECT_EQ(hub_.errorOf("code/list", {{"lock", "front"}, {"state", "lost"}}), "bad_request");
    EXPECT_EQ(hub_.errorOf("code/list", {{"lock", "back"}}), "not_found");
    EXPECT_EQ(hub_.errorOf("code/verify", {{"lock", "front"}}), "bad_request");
    EXPECT_EQ(hub_.errorOf("code/verify", {{"lock", "front"}, {"code", 12345678}}), "bad_request");
    EXPECT_EQ(hub_.errorOf("code/verify", {{"lock", "front"}, {"code", "1"}, {"unlock", "yes"}}),
              "bad_request");
    EXPECT_EQ(hub_.errorOf("code/verify", {{"lock", "back"}, {"code", "12345678"}}), "not_found");
    EXPECT_EQ(hub_.errorOf("code/verify", {{"lock", "front"}, {"code", "12ab"}}), "auth_failed");
}

TEST_F(CodeServiceTest, EveryRefusalIsToldWithItsSourceAndReasonButNoStorageFault) {
    std::vector<std::tuple<std::int64_t, std::string, std::string, std::string>> refused;
    hub_.codes.watchRefusals(
        [&](const PairedLock& lock, std::string_view source, const Error& why) {
            refused.emplace_back(lock.record.id, std::string(source),
                                 std::string(errcName(why.code)), why.message);
        });
    const auto oneTime = issue({{"type", "one_time"}, {"name", "Plumber"}});
    ASSERT_EQ(hub_.request("code/verify", {{"lock", "front"}, {"code", oneTime["code"]}})["status"],
              "ok");
    EXPECT_TRUE(refused.empty()) << "an accepted code is no refusal";
    const auto id = hub_.registry.byTopic("front")->record.id;
    hub_.request("code/verify", {{"lock", "front"}, {"code", oneTime["code"]}});
    ASSERT_FALSE(hub_.codes.check(id, SecretString("12ab"), "alice").has_value());
    ASSERT_EQ(refused.size(), 2u);
    EXPECT_EQ(refused[0],
              std::make_tuple(id, std::string("code/verify"), std::string("auth_failed"),
                              std::string("wrong code: already used up or cleared")));
    EXPECT_EQ(refused[1],
              std::make_tuple(id, std::string("alice"), std::string("auth_failed"),
                              std::string("wrong code: neither an enrolled PIN nor an 8-digit "
                                          "dynamic or 10-digit offline code of the lock")));
    for (int i = 0; i < 3; ++i) {
        hub_.request("code/verify", {{"lock", "front"}, {"code", "1234567890"}});
    }
    hub_.request("code/verify", {{"lock", "front"}, {"code", "1234567890"}});
    ASSERT_EQ(refused.size(), 6u);
    EXPECT_EQ(std::get<2>(refused[4]), "auth_failed") << "the fifth wrong code";
    EXPECT_EQ(std::get<2>(refused[5]), "locked_out") << "the sixth is refused before judging";
}

TEST_F(CodeServiceTest, NoTimeBasedCodeWhileTheClockIsUnsynchronised) {
    hub_.clock.synced = false;
    EXPECT_EQ(issueError({{"type", "dynamic"}, {"name", "x"}}), "clock_unsynchronised");
    EXPECT_EQ(issueError({{"type", "one_time"}, {"name", "x"}}), "clock_unsynchronised");
    hub_.clock.synced = true;
    EXPECT_EQ(issueError({{"type", "one_time"}, {"name", "x"}}), "ok");
}

TEST(CodeServiceClock, RequireClockSyncFalseMintsOnAnUnsynchronisedClock) {
    CodeHarness hub({.hubOwnsT0 = true, .requireClockSync = false});
    hub.startFront();
    hub.clock.synced = false;
    EXPECT_EQ(hub.errorOf("code/issue", {{"lock", "front"}, {"type", "dynamic"}, {"name", "x"}}),
              "ok");
}

TEST(CodeServiceT0, NoTenDigitCodeForALockWithoutT0ButADynamicOne) {
    CodeHarness hub({.hubOwnsT0 = false, .requireClockSync = true, .t0 = std::nullopt});
    hub.startFront();
    for (const char* type : {"timed", "one_time", "clear_one", "clear_all"}) {
        EXPECT_EQ(hub.errorOf("code/issue", {{"lock", "front"},
                                             {"type", type},
                                             {"name", "x"},
                                             {"start", "2023-11-14T23:00:00Z"}}),
                  "t0_unknown")
            << type;
    }
    EXPECT_EQ(hub.errorOf("code/issue", {{"lock", "front"}, {"type", "dynamic"}, {"name", "x"}}),
              "ok");
    EXPECT_EQ(hub.errorOf("code/verify", {{"lock", "front"}, {"code", "1234567890"}}),
              "t0_unknown");
    // With issuer "cloud", lock/update sets it; then codes can be minted.
    auto updated = hub.request("lock/update", {{"lock", "front"}, {"t0", kT0}});
    ASSERT_EQ(updated["status"], "ok") << updated.dump();
    EXPECT_EQ(updated["data"],
              json({{"lock", "front"}, {"t0", kT0}, {"t0_time", "2023-11-14T23:00:00Z"}}));
    EXPECT_EQ(hub.store.locks().value().at(0).t0, kT0);
    EXPECT_EQ(hub.errorOf("code/issue", {{"lock", "front"}, {"type", "one_time"}, {"name", "x"}}),
              "ok");
}

TEST(CodeServiceT0, ACloudLockLearnsItsT0FromTheLocksReport) {
    CodeHarness hub({.hubOwnsT0 = false, .requireClockSync = true, .t0 = std::nullopt});
    hub.startFront();
    hub.radio.report(kFrontMac, {protocol::tuya::Dp::string(64, "1700002800")});
    hub.scheduler.advance(100ms);
    EXPECT_EQ(hub.registry.byTopic("front")->record.t0, kT0);
    EXPECT_EQ(hub.store.locks().value().at(0).t0, kT0);
}

TEST(CodeServiceT0, LockUpdateRefusesT0WhenTheHubOwnsItAndBadInputs) {
    CodeHarness hub;
    hub.startFront();
    EXPECT_EQ(hub.errorOf("lock/update", {{"lock", "front"}, {"t0", kT0}}), "conflict");
    EXPECT_EQ(hub.errorOf("lock/update", {{"lock", "front"}}), "bad_request");
    EXPECT_EQ(hub.errorOf("lock/update", {{"lock", "front"}, {"t0", -5}}), "bad_request");
    EXPECT_EQ(hub.errorOf("lock/update", {{"lock", "front"}, {"t0", "now"}}), "bad_request");
    EXPECT_EQ(hub.errorOf("lock/update", {{"lock", "front"}, {"mode", "x"}}), "bad_request");
    EXPECT_EQ(hub.errorOf("lock/update", {{"lock", "back"}, {"t0", kT0}}), "not_found");
}

TEST(CodeServiceT0, PairingWithIssuerHubWritesT0AndStoresIt) {
    CodeHarness hub;
    hub.radio.addLock(kFrontMac, test::lockSideOf("5a"));
    hub.start();
    hub.radio.advertise(kFrontMac);
    const auto response = hub.request("lock/pair",
                                      {{"mac", kFrontMac},
                                       {"uuid", "tuyab10f2d3c4e5a"},
                                       {"local_key", "a3f6b2c4d5e6f708"},
                                       {"device_id", "bf1234567890abcdef5a"},
                                       {"name", "Front Door"}},
                                      2s);
    ASSERT_EQ(response["status"], "ok") << response.dump();
    const auto& writes = hub.radio.lock(kFrontMac).writes;
    ASSERT_EQ(writes.size(), 1u);
    ASSERT_EQ(writes[0].size(), 1u);
    EXPECT_EQ(writes[0][0].id, 64);
    const auto written = std::get<std::string>(writes[0][0].value);
    EXPECT_EQ(written.size(), 10u);
    const auto stored = hub.store.locks().value().at(0).t0;
    ASSERT_TRUE(stored);
    EXPECT_EQ(std::to_string(*stored), written);
    EXPECT_NEAR(static_cast<double>(*stored), static_cast<double>(test::kStartUtc), 5);
}

TEST(CodeServiceT0, ALockThatRefusesT0IsPairedWithoutIt) {
    CodeHarness hub;
    hub.radio.addLock(kFrontMac, test::lockSideOf("5a")).writeStatus = 1;
    hub.start();
    hub.radio.advertise(kFrontMac);
    const auto response = hub.request("lock/pair",
                                      {{"mac", kFrontMac},
                                       {"uuid", "tuyab10f2d3c4e5a"},
                                       {"local_key", "a3f6b2c4d5e6f708"},
                                       {"device_id", "bf1234567890abcdef5a"},
                                       {"name", "Front Door"}},
                                      12s);
    ASSERT_EQ(response["status"], "ok") << response.dump();
    EXPECT_FALSE(hub.store.locks().value().at(0).t0);
}

}  // namespace
}  // namespace lockhub
