// Issue 10 part 4 in the app layer: the source of a request, the audit of commands and admin
// ops (and what is not audited), audit/query, access.denied_ops and require_code_for_unlock.
#include <gtest/gtest.h>

#include "app/Log.h"
#include "app/RequestSource.h"
#include "tests/unit/app/AccessHarness.h"

namespace lockhub {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;
using ports::AuditEntry;
using protocol::tuya::Dp;
using test::AccessHarness;
using test::kFrontMac;

constexpr const char* kResult = "lockhub/front/set/result";
// ManualScheduler's wall clock once ServiceHarness::start() has run.
constexpr std::int64_t kStartMs = 1'700'003'600'500;

json error(const std::string& code, const std::string& message) {
    return {{"status", "error"}, {"error", {{"code", code}, {"message", message}}}};
}

// --- the source -----------------------------------------------------------------------------

TEST(RequestSource, IsTheActorPropertyElseTheClientIdElseMqtt) {
    using Origin = ports::Broker::Origin;
    EXPECT_EQ(requestSource(Origin{{{"trace", "x"}, {"actor", "lockhubctl:alice"}}, "ha"}),
              "lockhubctl:alice");
    EXPECT_EQ(requestSource(Origin{{{"trace", "x"}}, "homeassistant"}), "homeassistant");
    EXPECT_EQ(requestSource(Origin{{}, std::nullopt}), "mqtt");
    // An actor nobody could read back is passed over for the next candidate.
    EXPECT_EQ(requestSource(Origin{{{"actor", ""}}, std::nullopt}), "mqtt");
    EXPECT_EQ(requestSource(Origin{{{"actor", std::string(129, 'a')}}, "ha"}), "ha");
    EXPECT_EQ(requestSource(Origin{{{"actor", "a\nb"}}, std::nullopt}), "mqtt");
    EXPECT_EQ(requestSource(Origin{{{"actor", "\xC3\x28"}}, std::nullopt}), "mqtt");
    EXPECT_EQ(requestSource(Origin{{{"actor", std::string(128, 'a')}}, std::nullopt}),
              std::string(128, 'a'));
}

// --- the audit of bridge ops ------------------------------------------------------------------

class AuditTest : public ::testing::Test {
protected:
    void SetUp() override { hub_.startWithLock(); }
    AccessHarness hub_;
};

TEST_F(AuditTest, AChangingOpIsAuditedWithItsSourceLockAndResultOkOrTheErrorCode) {
    hub_.request("user/set", R"({"name": "Alice"})", "lockhubctl:alice");
    hub_.request("credential/assign",
                 R"({"lock": "front", "method": "card", "credential": 2, "user": "Zed"})");
    hub_.request("lock/rename", R"({"lock": "front", "name": 7})", "ha");
    EXPECT_EQ(hub_.auditRows(),
              (std::vector<AuditEntry>{
                  {1, kStartMs, "lockhubctl:alice", "user/set", std::nullopt, "ok"},
                  {2, kStartMs, "mqtt", "credential/assign", "front", "not_found"},
                  {3, kStartMs, "ha", "lock/rename", "front", "bad_request"},
              }));
}

TEST_F(AuditTest, ReadOnlyOpsAndUnknownOpsAreNotAudited) {
    hub_.request("health", "");
    hub_.request("user/list", "{}");
    hub_.request("credential/list", R"({"lock": "front"})");
    hub_.request("audit/query", "{}");
    hub_.request("lock/explode", "{}");
    EXPECT_TRUE(hub_.auditRows().empty());
    EXPECT_TRUE(isReadOnlyOp("records/query"));
    EXPECT_TRUE(isReadOnlyOp("lock/diagnose"));
    EXPECT_FALSE(isReadOnlyOp("lock/scan"));
    EXPECT_FALSE(isReadOnlyOp("credential/enrol_cancel"));
}

TEST_F(AuditTest, AnUnparseablePayloadOfAChangingOpIsAuditedAsBadRequest) {
    hub_.request("user/remove", "{\"user\": ");
    ASSERT_EQ(hub_.auditRows().size(), 1u);
    EXPECT_EQ(hub_.auditRows()[0].op, "user/remove");
    EXPECT_EQ(hub_.auditRows()[0].result, "bad_request");
    EXPECT_EQ(hub_.auditRows()[0].lock, std::nullopt);
}

TEST_F(AuditTest, ALockNameThatIsNoTopicIsNotStored) {
    hub_.request("lock/remove", R"({"lock": "Front Door!"})");
    ASSERT_EQ(hub_.auditRows().size(), 1u);
    EXPECT_EQ(hub_.auditRows()[0].result, "not_found");
    EXPECT_EQ(hub_.auditRows()[0].lock, std::nullopt);
}

TEST_F(AuditTest, OneTurnsEntriesAreStoredInOneAppendOnTheNextTurn) {
    hub_.broker.deliver("lockhub/bridge/request/user/set", R"({"name": "A"})");
    hub_.broker.deliver("lockhub/bridge/request/user/set", R"({"name": "B"})");
    EXPECT_TRUE(hub_.auditStore.rows().empty());  // queued, not written during the request
    hub_.scheduler.settle();
    EXPECT_EQ(hub_.auditStore.rows().size(), 2u);
    EXPECT_EQ(hub_.auditStore.appends(), 1);
}

TEST_F(AuditTest, AStoreThatRefusesTheAuditStopsNoRequestAndTheEntriesAreRetried) {
    hub_.auditStore.failWrites(true);
    hub_.request("user/set", R"({"name": "Alice"})", "ctl");
    EXPECT_EQ(hub_.response("user/set")["status"], "ok");
    EXPECT_TRUE(hub_.auditRows().empty());
    hub_.auditStore.failWrites(false);
    hub_.scheduler.advance(5s);  // the retry
    ASSERT_EQ(hub_.auditStore.rows().size(), 1u);
    EXPECT_EQ(hub_.auditStore.rows()[0].source, "ctl");
    EXPECT_EQ(hub_.audit.dropped(), 0u);
}

TEST_F(AuditTest, BeyondTheBoundTheOldestQueuedEntriesAreDroppedAndCounted) {
    hub_.auditStore.failWrites(true);
    for (std::size_t i = 0; i < AuditLog::kMaxPending + 2; ++i) {
        hub_.audit.record("ctl", "user/set", std::nullopt, std::to_string(i));
    }
    EXPECT_EQ(hub_.audit.dropped(), 2u);
    hub_.auditStore.failWrites(false);
    hub_.scheduler.advance(5s);
    ASSERT_EQ(hub_.auditStore.rows().size(), AuditLog::kMaxPending);
    EXPECT_EQ(hub_.auditStore.rows().front().result, "2");
}

// --- audit/query ----------------------------------------------------------------------------

class AuditQueryTest : public AuditTest {
protected:
    void SetUp() override {
        AuditTest::SetUp();
        // Rows one second apart: a, b, c (one each); then two failed ones for "back".
        hub_.audit.record("a", "lock/rename", "front", "ok");
        hub_.scheduler.advance(1s);
        hub_.audit.record("b", "credential/assign", "front", "not_found");
        hub_.scheduler.advance(1s);
        hub_.audit.record("c", "user/set", std::nullopt, "ok");
        hub_.scheduler.advance(1s);
        hub_.audit.record("a", "credential/remove", "back", "not_found");
        hub_.audit.record("a", "set/UNLOCK", "back", "auth_failed");
        hub_.scheduler.settle();
    }
    json query(const std::string& payload) {
        hub_.request("audit/query", payload);
        return hub_.response("audit/query");
    }
    std::vector<std::int64_t> ids(const json& response) {
        std::vector<std::int64_t> out;
        for (const auto& entry : response["data"]["entries"]) {
            out.push_back(entry["id"]);
        }
        return out;
    }
};

TEST_F(AuditQueryTest, AnswersEveryEntryInTimeOrderWithItsFields) {
    const auto response = query(R"({"transaction": 4})");
    EXPECT_EQ(response["status"], "ok");
    EXPECT_EQ(response["transaction"], 4);
    EXPECT_EQ(ids(response), (std::vector<std::int64_t>{1, 2, 3, 4, 5}));
    EXPECT_EQ(response["data"]["entries"][0], (json{{"id", 1},
                                                    {"time", "2023-11-14T23:13:20.500Z"},
                                                    {"source", "a"},
                                                    {"op", "lock/rename"},
                                                    {"lock", "front"},
                                                    {"result", "ok"}}));
    EXPECT_EQ(response["data"]["entries"][2]["lock"], nullptr);
    EXPECT_EQ(response["data"]["next"], nullptr);
}

TEST_F(AuditQueryTest, FiltersByLockOpFamilySourceAndTime) {
    EXPECT_EQ(ids(query(R"({"lock": "front"})")), (std::vector<std::int64_t>{1, 2}));
    EXPECT_EQ(ids(query(R"({"op": "set/UNLOCK"})")), (std::vector<std::int64_t>{5}));
    EXPECT_EQ(ids(query(R"({"op": "credential/*"})")), (std::vector<std::int64_t>{2, 4}));
    EXPECT_EQ(ids(query(R"({"source": "a", "lock": "back"})")), (std::vector<std::int64_t>{4, 5}));
    // since inclusive, until exclusive; an offset is honoured.
    EXPECT_EQ(ids(query(R"({"since": "2023-11-14T23:13:21.500Z"})")),
              (std::vector<std::int64_t>{2, 3, 4, 5}));
    EXPECT_EQ(ids(query(R"({"until": "2023-11-14T23:13:21.500Z"})")),
              (std::vector<std::int64_t>{1}));
    EXPECT_EQ(ids(query(R"({"since": "2023-11-15T00:13:21.5+01:00",
                             "until": "2023-11-14T23:13:23Z"})")),
              (std::vector<std::int64_t>{2, 3}));
    EXPECT_TRUE(ids(query(R"({"source": "nobody"})")).empty());
}

TEST_F(AuditQueryTest, PagesWithTheCursorUntilNextIsNull) {
    auto page = query(R"({"limit": 2})");
    EXPECT_EQ(ids(page), (std::vector<std::int64_t>{1, 2}));
    ASSERT_TRUE(page["data"]["next"].is_string());
    page = query(json{{"limit", 2}, {"cursor", page["data"]["next"]}}.dump());
    EXPECT_EQ(ids(page), (std::vector<std::int64_t>{3, 4}));
    page = query(json{{"limit", 2}, {"cursor", page["data"]["next"]}}.dump());
    EXPECT_EQ(ids(page), (std::vector<std::int64_t>{5}));
    EXPECT_EQ(page["data"]["next"], nullptr);
    // A page that ends exactly at the last row has no next either.
    EXPECT_EQ(query(R"({"limit": 5})")["data"]["next"], nullptr);
}

TEST_F(AuditQueryTest, SeesTheEntriesOfTheTurnItRunsIn) {
    hub_.broker.deliver("lockhub/bridge/request/user/set", R"({"name": "Zoe"})");
    hub_.broker.deliver("lockhub/bridge/request/audit/query", R"({"op": "user/set"})");
    hub_.scheduler.settle();
    EXPECT_EQ(ids(hub_.response("audit/query")), (std::vector<std::int64_t>{3, 6}));
}

struct BadQuery {
    std::string name;
    std::string payload;
    std::string message;
};

class AuditQueryBadInput : public AuditQueryTest, public ::testing::WithParamInterface<BadQuery> {};

TEST_P(AuditQueryBadInput, IsABadRequestNamingTheField) {
    EXPECT_EQ(query(GetParam().payload), error("bad_request", GetParam().message));
}

INSTANTIATE_TEST_SUITE_P(
    Table, AuditQueryBadInput,
    ::testing::Values(
        BadQuery{"limit_zero", R"({"limit": 0})",
                 "/limit: expected an integer from 1 to 500, got 0"},
        BadQuery{"limit_over", R"({"limit": 501})",
                 "/limit: expected an integer from 1 to 500, got 501"},
        BadQuery{"limit_string", R"({"limit": "10"})",
                 "/limit: expected an integer from 1 to 500, got a string"},
        BadQuery{"lock_number", R"({"lock": 3})",
                 "/lock: expected a non-empty string, got an integer"},
        BadQuery{"op_empty", R"({"op": ""})",
                 "/op: expected a non-empty string, got an empty string"},
        BadQuery{"source_null", R"({"source": null})",
                 "/source: expected a non-empty string, got null"},
        BadQuery{"since_date_only", R"({"since": "2023-11-14"})",
                 "/since: expected an ISO-8601 time such as 2026-12-01T11:00:00Z"},
        BadQuery{"since_no_zone", R"({"since": "2023-11-14T23:13:20"})",
                 "/since: expected an ISO-8601 time such as 2026-12-01T11:00:00Z"},
        BadQuery{"until_bad_month", R"({"until": "2023-13-01T00:00:00Z"})",
                 "/until: expected an ISO-8601 time such as 2026-12-01T11:00:00Z"},
        BadQuery{"until_feb_30", R"({"until": "2023-02-30T00:00:00Z"})",
                 "/until: expected an ISO-8601 time such as 2026-12-01T11:00:00Z"},
        BadQuery{"until_before_since",
                 R"({"since": "2023-11-14T23:13:22Z", "until": "2023-11-14T23:13:22Z"})",
                 "/until: must be later than /since"},
        BadQuery{"cursor_garbage", R"({"cursor": "abc"})",
                 "/cursor: not a cursor this hub gave out (use the previous page's next)"},
        BadQuery{"cursor_no_id", R"({"cursor": "1700000000000."})",
                 "/cursor: not a cursor this hub gave out (use the previous page's next)"},
        BadQuery{"cursor_number", R"({"cursor": 12})",
                 "/cursor: expected a non-empty string, got an integer"},
        BadQuery{"unknown_key", R"({"actor": "a"})", "/actor: unknown key"}),
    [](const auto& param) { return param.param.name; });

// --- access.denied_ops ------------------------------------------------------------------------

TEST(AccessPolicy, MatchesNamesFamiliesAndEverything) {
    EXPECT_TRUE(opMatches("lock/remove", "lock/remove"));
    EXPECT_FALSE(opMatches("lock/remove", "lock/rename"));
    EXPECT_TRUE(opMatches("credential/*", "credential/enrol"));
    EXPECT_FALSE(opMatches("credential/*", "credentials/x"));
    EXPECT_FALSE(opMatches("credential/*", "user/set"));
    EXPECT_TRUE(opMatches("*", "health"));
}

TEST(AccessPolicy, ANameThatMatchesNoOperationIsAConfigError) {
    const std::vector<std::string> ops = {"health", "lock/remove", "user/set"};
    EXPECT_TRUE(AccessPolicy::make({"lock/remove", "user/*"}, ops).has_value());
    auto bad = AccessPolicy::make({"lock/remove", "lock/explode"}, ops);
    ASSERT_FALSE(bad.has_value());
    EXPECT_EQ(bad.error().code, Errc::Config);
    EXPECT_EQ(bad.error().message,
              "/access/denied_ops/1: \"lock/explode\" names no operation; there are: health, "
              "lock/remove, user/set");
    EXPECT_FALSE(AccessPolicy::make({"credential/*"}, ops).has_value());
}

class DeniedOpsTest : public ::testing::Test {
protected:
    DeniedOpsTest() : hub_({"lock/remove", "credential/*"}) {}
    void SetUp() override { hub_.startWithLock(); }
    AccessHarness hub_;
};

TEST_F(DeniedOpsTest, ADeniedOpIsForbiddenNeverRunsAndTheRefusalIsAudited) {
    hub_.request("lock/remove", R"({"lock": "front", "transaction": "r1"})", "lockhubctl:bob");
    EXPECT_EQ(
        hub_.response("lock/remove"),
        (json{{"status", "error"},
              {"error",
               {{"code", "forbidden"},
                {"message", "the operation \"lock/remove\" is disabled here (access.denied_ops)"}}},
              {"transaction", "r1"}}));
    EXPECT_NE(hub_.registry.byTopic("front"), nullptr);  // still paired
    // A family, a read-only op in it and a payload that is not even JSON: all refused alike.
    hub_.request("credential/list", "{}");
    hub_.request("credential/assign", "not json");
    EXPECT_EQ(hub_.response("credential/list")["error"]["code"], "forbidden");
    EXPECT_EQ(hub_.response("credential/assign")["error"]["code"], "forbidden");
    EXPECT_EQ(hub_.auditRows(),
              (std::vector<AuditEntry>{
                  {1, kStartMs, "lockhubctl:bob", "lock/remove", "front", "forbidden"},
                  {2, kStartMs, "mqtt", "credential/list", std::nullopt, "forbidden"},
                  {3, kStartMs, "mqtt", "credential/assign", std::nullopt, "forbidden"},
              }));
}

TEST_F(DeniedOpsTest, OpsNotListedAreServed) {
    hub_.request("lock/rename", R"({"lock": "front", "name": "Front"})");
    EXPECT_EQ(hub_.response("lock/rename")["status"], "ok");
    hub_.request("user/set", R"({"name": "Alice"})");
    EXPECT_EQ(hub_.response("user/set")["status"], "ok");
}

// --- commands: the audit and require_code_for_unlock ------------------------------------------

class CommandAccessTest : public ::testing::Test {
protected:
    explicit CommandAccessTest(bool requireCode = true) : hub_({}, requireCode) {
        log::setLevel(log::Level::Debug);
        log::setSink([this](log::Level, std::string_view tag, std::string_view message,
                            std::span<const log::Field> fields) {
            std::string line = std::string(tag) + ": " + std::string(message);
            for (const auto& field : fields) {
                line += " " + std::string(field.key) + "=" + field.value;
            }
            logged_.push_back(std::move(line));
        });
    }
    ~CommandAccessTest() override {
        log::setSink([](auto&&...) {});
        log::setLevel(log::Level::Info);
    }
    void SetUp() override { hub_.startWithLock(); }

    void set(const std::string& payload, const std::string& actor = "") {
        ports::Broker::Origin origin;
        if (!actor.empty()) {
            origin.userProperties = {{"actor", actor}};
        }
        hub_.broker.deliver("lockhub/front/set", payload, origin);
        hub_.scheduler.settle();
    }
    void lockAnswers(std::uint8_t result) {
        hub_.radio.report(kFrontMac, {Dp::raw(6, {result, 0})});
        hub_.scheduler.settle();
    }
    json lastResult() { return hub_.lastJson(kResult); }
    std::size_t writes() { return hub_.radio.lock(kFrontMac).writes.size(); }
    // Nothing the hub published or stored holds the code.
    void expectNoCodeAnywhere(const std::string& code) {
        for (const auto& message : hub_.broker.published) {
            EXPECT_EQ(message.payload.find(code), std::string::npos) << message.topic;
        }
        for (const auto& row : hub_.auditRows()) {
            EXPECT_EQ(row.source.find(code), std::string::npos);
            EXPECT_EQ(row.result.find(code), std::string::npos);
        }
        EXPECT_FALSE(logged_.empty());
        for (const auto& line : logged_) {
            EXPECT_EQ(line.find(code), std::string::npos) << line;
        }
    }

    std::vector<std::string> logged_;
    AccessHarness hub_;
};

TEST_F(CommandAccessTest, AnUnlockWithAnAcceptedCodeRunsAndItsResultNamesTheCodeNotItsDigits) {
    set(R"({"state": "UNLOCK", "code": "55667788", "transaction": "t1"})", "homeassistant");
    ASSERT_EQ(hub_.codes.calls.size(), 1u);
    EXPECT_EQ(hub_.codes.calls[0].lockId, hub_.registry.byTopic("front")->record.id);
    EXPECT_EQ(hub_.codes.calls[0].code, "55667788");
    EXPECT_EQ(hub_.codes.calls[0].source, "homeassistant");
    ASSERT_EQ(writes(), 1u);
    lockAnswers(1);
    EXPECT_EQ(lastResult(), (json{{"state", "UNLOCK"},
                                  {"result", "ok"},
                                  {"code", {{"id", 9}, {"name", "cleaner"}, {"type", "one_time"}}},
                                  {"transaction", "t1"}}));
    EXPECT_EQ(
        hub_.auditRows(),
        (std::vector<AuditEntry>{{1, kStartMs, "homeassistant", "set/UNLOCK", "front", "ok"}}));
    expectNoCodeAnywhere("55667788");
}

TEST_F(CommandAccessTest, AnUnlockWithoutACodeIsRejectedCodeRequiredAndNeverReachesTheLock) {
    set("UNLOCK");
    set(R"({"state": "UNLOCK", "transaction": 2})");
    EXPECT_EQ(writes(), 0u);
    EXPECT_TRUE(hub_.codes.calls.empty());
    EXPECT_EQ(lastResult(), (json{{"state", "UNLOCK"},
                                  {"result", "rejected"},
                                  {"reason", "code_required"},
                                  {"message", "this hub requires a code to unlock"},
                                  {"transaction", 2}}));
    ASSERT_EQ(hub_.auditRows().size(), 2u);
    EXPECT_EQ(hub_.auditRows()[0].result, "code_required");
    EXPECT_EQ(hub_.auditRows()[1].op, "set/UNLOCK");
}

TEST_F(CommandAccessTest, AWrongCodeIsAuthFailedThenTheLockoutIsLockedOut) {
    set(R"({"state": "UNLOCK", "code": "0000"})", "ctl");
    EXPECT_EQ(lastResult(), (json{{"state", "UNLOCK"},
                                  {"result", "rejected"},
                                  {"reason", "auth_failed"},
                                  {"message", "the code is not valid for this lock"}}));
    set(R"({"state": "UNLOCK", "code": "0001"})", "ctl");
    set(R"({"state": "UNLOCK", "code": "0002"})", "ctl");
    set(R"({"state": "UNLOCK", "code": "1234"})", "ctl");  // right, but locked out by now
    EXPECT_EQ(lastResult()["reason"], "locked_out");
    EXPECT_EQ(lastResult()["message"], "too many wrong codes; try again after 12:01:00Z");
    EXPECT_EQ(writes(), 0u);
    std::vector<std::string> results;
    for (const auto& row : hub_.auditRows()) {
        results.push_back(row.result);
    }
    EXPECT_EQ(results, (std::vector<std::string>{"auth_failed", "auth_failed", "auth_failed",
                                                 "locked_out"}));
    expectNoCodeAnywhere("0000");
    expectNoCodeAnywhere("1234");
}

TEST_F(CommandAccessTest, ARepeatedTransactionGetsTheFirstRefusalWithoutASecondCheck) {
    set(R"({"state": "UNLOCK", "code": "0000", "transaction": "same"})");
    set(R"({"state": "UNLOCK", "code": "0000", "transaction": "same"})");
    EXPECT_EQ(hub_.codes.calls.size(), 1u);  // one wrong code counts once toward the lockout
    EXPECT_EQ(hub_.broker.payloadsOn(kResult).size(), 2u);
    EXPECT_EQ(hub_.auditRows().size(), 1u);
}

TEST_F(CommandAccessTest, LockingNeedsNoCodeAndAnyCodeSentAlongIsNotChecked) {
    set("LOCK");
    set(R"({"state": "LOCK", "code": "9999"})");
    EXPECT_TRUE(hub_.codes.calls.empty());
    EXPECT_EQ(writes(), 2u);
    EXPECT_EQ(lastResult()["result"], "ok");
    expectNoCodeAnywhere("9999");
}

struct BadSet {
    std::string name;
    std::string payload;
    std::string reason;
};

class CommandAccessBadInput : public CommandAccessTest,
                              public ::testing::WithParamInterface<BadSet> {};

TEST_P(CommandAccessBadInput, IsRejectedWithTheReasonAndChecksNothing) {
    set(GetParam().payload);
    EXPECT_EQ(lastResult(), (json{{"result", "rejected"}, {"reason", GetParam().reason}}));
    EXPECT_TRUE(hub_.codes.calls.empty());
    EXPECT_EQ(writes(), 0u);
    ASSERT_EQ(hub_.auditRows().size(), 1u);
    EXPECT_EQ(hub_.auditRows()[0].result, "rejected");
}

INSTANTIATE_TEST_SUITE_P(
    Table, CommandAccessBadInput,
    ::testing::Values(BadSet{"number", R"({"state": "UNLOCK", "code": 1234})",
                             "/code: expected a string of 1 to 32 digits, got a number"},
                      BadSet{"null", R"({"state": "UNLOCK", "code": null})",
                             "/code: expected a string of 1 to 32 digits, got another type"},
                      BadSet{"empty", R"({"state": "UNLOCK", "code": ""})",
                             "/code: expected a string of 1 to 32 digits"},
                      BadSet{"letters", R"({"state": "UNLOCK", "code": "12a4"})",
                             "/code: expected a string of 1 to 32 digits"},
                      BadSet{"too_long",
                             R"({"state": "UNLOCK", "code": "123456789012345678901234567890123"})",
                             "/code: expected a string of 1 to 32 digits"},
                      BadSet{"no_state", R"({"code": "1234"})", "/state: required key is missing"}),
    [](const auto& param) { return param.param.name; });

class CommandAuditWithoutCodesTest : public CommandAccessTest {
protected:
    CommandAuditWithoutCodesTest() : CommandAccessTest(false) {}
};

TEST_F(CommandAuditWithoutCodesTest, EveryResultIsAuditedWithTheCommandsSource) {
    set("UNLOCK", "ha");
    lockAnswers(1);
    set(R"({"state": "LOCK"})", "lockhubctl:root");
    hub_.broker.deliver("lockhub/garage/set", "UNLOCK");
    set(R"({"state": "OPEN"})");
    hub_.scheduler.settle();
    EXPECT_EQ(hub_.auditRows(), (std::vector<AuditEntry>{
                                    {1, kStartMs, "ha", "set/UNLOCK", "front", "ok"},
                                    {2, kStartMs, "lockhubctl:root", "set/LOCK", "front", "ok"},
                                    {3, kStartMs, "mqtt", "set/UNLOCK", "garage", "rejected"},
                                    {4, kStartMs, "mqtt", "set", "front", "rejected"},
                                }));
}

TEST_F(CommandAuditWithoutCodesTest, ACodeIsRefusedWhenNothingChecksCodes) {
    set(R"({"state": "UNLOCK", "code": "1234"})");
    EXPECT_EQ(lastResult()["result"], "rejected");
    EXPECT_EQ(lastResult()["reason"],
              "/code: this hub does not check codes (access.require_code_for_unlock is off)");
    EXPECT_EQ(writes(), 0u);
    expectNoCodeAnywhere("1234");
}

TEST_F(CommandAuditWithoutCodesTest, AFailingAuditStoreDoesNotStopACommand) {
    hub_.auditStore.failWrites(true);
    set("UNLOCK", "ha");
    lockAnswers(1);
    EXPECT_EQ(lastResult()["result"], "ok");
    EXPECT_TRUE(hub_.auditRows().empty());
}

}  // namespace
}  // namespace lockhub
