// EnrolmentService: credential/enrol and credential/enrol_cancel against a lock in memory. The
// DP 1 writes are checked byte for byte, the lock's progress reports are played as the reference
// firmware sends them, and every enrol_progress event and answer is checked whole.
#include <gtest/gtest.h>

#include "app/EnrolmentService.h"
#include "tests/unit/app/ServiceHarness.h"

namespace lockhub {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;
using Bytes = std::vector<std::uint8_t>;
using protocol::tuya::Dp;

// The permanent validity block the hub writes: 2000-01-01 .. 2030-12-31, daily 00:00-23:59.
const Bytes kValidity = {0x38, 0x6D, 0x43, 0x80, 0x72, 0xBD, 0x0B, 0xFF, 0,
                         0,    0,    0,    0,    0,    0,    23,   59};

Bytes createWrite(std::uint8_t type, std::uint8_t stage, const Bytes& digits) {
    Bytes out = {type, stage, 0, 1, 0xFF};
    out.insert(out.end(), kValidity.begin(), kValidity.end());
    out.push_back(0);
    out.push_back(static_cast<std::uint8_t>(digits.size()));
    out.insert(out.end(), digits.begin(), digits.end());
    return out;
}

class EnrolmentServiceTest : public ::testing::Test {
protected:
    explicit EnrolmentServiceTest(LinkPolicy::Mode mode = LinkPolicy::Mode::Always) : hub_(mode) {
        hub_.startWithLock("front");
        ok("user/set", {{"name", "Alice"}});
    }

    void send(const std::string& op, const json& body) {
        hub_.broker.deliver("lockhub/bridge/request/" + op, body.dump());
        hub_.scheduler.advance(10ms);
    }
    std::vector<json> responses(const std::string& op) const {
        std::vector<json> out;
        for (const auto& message : hub_.broker.on("lockhub/bridge/response/" + op)) {
            out.push_back(json::parse(message.payload));
        }
        return out;
    }
    json ok(const std::string& op, const json& body) {
        send(op, body);
        auto response = hub_.lastJson("lockhub/bridge/response/" + op);
        EXPECT_EQ(response["status"], "ok") << op << " " << body.dump() << " → " << response;
        return response["data"];
    }
    json error(const std::string& op) const {
        auto response = hub_.lastJson("lockhub/bridge/response/" + op);
        EXPECT_EQ(response["status"], "error") << response;
        return response["error"];
    }
    // The lock reports on DP 1: type, stage, admin, member, hardware id, count, result.
    void lockReports(const Bytes& report) {
        hub_.radio.report(test::kFrontMac, {Dp::raw(1, report)});
        hub_.scheduler.advance(10ms);
    }
    // The enrol_progress events so far, without their hub_time (checked to be ISO UTC).
    std::vector<json> progress() const {
        std::vector<json> out;
        for (const auto& message : hub_.broker.on("lockhub/front/event")) {
            EXPECT_EQ(message.qos, 1);
            EXPECT_FALSE(message.retained);
            auto event = json::parse(message.payload);
            EXPECT_TRUE(event["hub_time"].get<std::string>().ends_with("Z"));
            event.erase("hub_time");
            out.push_back(event);
        }
        return out;
    }
    static json event(const std::string& method, const std::string& stage, json count,
                      json credential, json reason, int enrolment = 1) {
        return {{"event", "enrol_progress"},
                {"enrolment", enrolment},
                {"method", method},
                {"user", {{"id", 1}, {"name", "Alice"}}},
                {"stage", stage},
                {"count", count},
                {"credential", credential},
                {"reason", reason}};
    }
    std::vector<std::vector<Dp>> writes() { return hub_.radio.lock(test::kFrontMac).writes; }
    std::vector<ports::Credential> credentials() { return hub_.userStore.credentials().value(); }

    test::ServiceHarness hub_;
};

TEST_F(EnrolmentServiceTest, APasswordIsWrittenAsDigitValuesAndTheReportedIdGoesToTheUser) {
    send("credential/enrol",
         {{"lock", "front"}, {"user", 1}, {"method", "password"}, {"pin", "246801"}});
    EXPECT_EQ(writes().back(),
              (std::vector<Dp>{Dp::raw(1, createWrite(1, 0x00, {2, 4, 6, 8, 0, 1}))}));
    EXPECT_TRUE(responses("credential/enrol").empty());
    lockReports({1, 0xFF, 0, 1, 5, 0, 0});
    EXPECT_EQ(ok("credential/list", json::object())["credentials"].size(), 1u);
    EXPECT_EQ(responses("credential/enrol").back(),
              (json{{"status", "ok"},
                    {"data",
                     {{"lock", "front"},
                      {"method", "password"},
                      {"credential", 5},
                      {"user", {{"id", 1}, {"name", "Alice"}}},
                      {"duress", false}}}}));
    // Stored with the keyed hash of its PIN, for require_code_for_unlock; never the PIN.
    EXPECT_EQ(credentials(),
              (std::vector<ports::Credential>{
                  {1, "password", 5, 1, false, hub_.hasher.hash(SecretString("246801"))}}));
    EXPECT_EQ(progress(),
              (std::vector<json>{event("password", "started", nullptr, nullptr, nullptr),
                                 event("password", "complete", nullptr, 5, nullptr)}));
    // Nothing of it is a stored record, and the PIN is in no message.
    EXPECT_EQ(hub_.storedRecords(), 0u);
    for (const auto& message : hub_.broker.published) {
        EXPECT_EQ(message.payload.find("246801"), std::string::npos) << message.topic;
    }
}

TEST_F(EnrolmentServiceTest, AFingerprintReportsEveryTouchThenCompletes) {
    send("credential/enrol", {{"lock", "front"}, {"user", 1}, {"method", "fingerprint"}});
    EXPECT_EQ(writes().back(), (std::vector<Dp>{Dp::raw(1, createWrite(3, 0x00, {}))}));
    for (std::uint8_t touch = 1; touch <= 4; ++touch) {
        lockReports({3, 0xFC, 0, 1, 0, touch, 0});
    }
    lockReports({3, 0xFF, 0, 1, 0, 4, 0});
    EXPECT_EQ(progress(),
              (std::vector<json>{event("fingerprint", "started", nullptr, nullptr, nullptr),
                                 event("fingerprint", "running", 1, nullptr, nullptr),
                                 event("fingerprint", "running", 2, nullptr, nullptr),
                                 event("fingerprint", "running", 3, nullptr, nullptr),
                                 event("fingerprint", "running", 4, nullptr, nullptr),
                                 event("fingerprint", "complete", 4, 0, nullptr)}));
    EXPECT_EQ(responses("credential/enrol").back()["data"]["credential"], 0);
    EXPECT_EQ(credentials(), (std::vector<ports::Credential>{{1, "fingerprint", 0, 1, false, {}}}));
}

TEST_F(EnrolmentServiceTest, ReportsOfAnotherTypeOrBeforeTheWriteAreNotTheEnrolments) {
    send("credential/enrol", {{"lock", "front"}, {"user", 1}, {"method", "card"}});
    lockReports({3, 0xFF, 0, 1, 7, 0, 0});  // a fingerprint: not this enrolment's
    lockReports({2, 0xFF, 0, 9, 7, 0, 0});  // another member's card
    EXPECT_TRUE(responses("credential/enrol").empty());
    EXPECT_TRUE(credentials().empty());
    lockReports({2, 0xFF, 0, 1, 7, 1, 0});
    EXPECT_EQ(credentials(), (std::vector<ports::Credential>{{1, "card", 7, 1, false, {}}}));
}

struct LockFailure {
    std::uint8_t reason;
    std::string name;
};

class EnrolmentFailureTest : public EnrolmentServiceTest,
                             public ::testing::WithParamInterface<LockFailure> {};

TEST_P(EnrolmentFailureTest, TheLocksReasonIsTheRejection) {
    send("credential/enrol",
         {{"lock", "front"}, {"user", 1}, {"method", "password"}, {"pin", "1234"}});
    lockReports({1, 0xFD, 0, 1, 0xFF, 0, GetParam().reason});
    EXPECT_EQ(error("credential/enrol"),
              (json{{"code", "rejected"},
                    {"message", "lock \"front\" refused the enrolment: " + GetParam().name}}));
    EXPECT_EQ(progress().back(), event("password", "failed", nullptr, nullptr, GetParam().name));
    EXPECT_TRUE(credentials().empty());
    // The lock is free again.
    send("credential/enrol", {{"lock", "front"}, {"user", 1}, {"method", "card"}});
    EXPECT_EQ(progress().back(), event("card", "started", nullptr, nullptr, nullptr, 2));
}

INSTANTIATE_TEST_SUITE_P(
    SdkReasons, EnrolmentFailureTest,
    ::testing::Values(LockFailure{0, "timeout"}, LockFailure{1, "failed"},
                      LockFailure{2, "duplicate"}, LockFailure{3, "no_free_id"},
                      LockFailure{4, "invalid_password"}, LockFailure{5, "invalid_password_length"},
                      LockFailure{6, "invalid_method"}, LockFailure{7, "fingerprint_busy"},
                      LockFailure{8, "card_busy"}, LockFailure{0xFE, "wrong_number"},
                      LockFailure{42, "reason_42"}));

TEST_F(EnrolmentServiceTest, CancelStopsItAtTheLockAndAnswersCancelled) {
    send("credential/enrol", {{"lock", "front"}, {"user", 1}, {"method", "fingerprint"}});
    lockReports({3, 0xFC, 0, 1, 0, 1, 0});
    EXPECT_EQ(ok("credential/enrol_cancel", {{"lock", "front"}}), (json{{"cancelled", true}}));
    EXPECT_EQ(writes().back(), (std::vector<Dp>{Dp::raw(1, createWrite(3, 0xFE, {}))}));
    EXPECT_EQ(error("credential/enrol"),
              (json{{"code", "cancelled"}, {"message", "the enrolment was cancelled"}}));
    EXPECT_EQ(progress().back(), event("fingerprint", "cancelled", 1, nullptr, nullptr));
    // The lock's confirmation, and a late completion, are nobody's now.
    lockReports({3, 0xFE, 0, 1, 0xFF, 0, 0});
    lockReports({3, 0xFF, 0, 1, 0, 4, 0});
    EXPECT_TRUE(credentials().empty());
    EXPECT_EQ(responses("credential/enrol").size(), 1u);
    send("credential/enrol_cancel", {{"lock", "front"}});
    EXPECT_EQ(error("credential/enrol_cancel"),
              (json{{"code", "not_found"}, {"message", "no enrolment runs on lock \"front\""}}));
}

TEST_F(EnrolmentServiceTest, TimeoutStopsItAtTheLockAndAnswersTimeout) {
    send("credential/enrol",
         {{"lock", "front"}, {"user", 1}, {"method", "fingerprint"}, {"timeout_s", 5}});
    hub_.scheduler.advance(4900ms);
    EXPECT_TRUE(responses("credential/enrol").empty());
    hub_.scheduler.advance(200ms);
    EXPECT_EQ(error("credential/enrol"),
              (json{{"code", "timeout"}, {"message", "no credential was enrolled within 5 s"}}));
    EXPECT_EQ(writes().back(), (std::vector<Dp>{Dp::raw(1, createWrite(3, 0xFE, {}))}));
    EXPECT_EQ(progress().back(), event("fingerprint", "timeout", nullptr, nullptr, nullptr));
}

TEST_F(EnrolmentServiceTest, ACancelAtTheLockItselfEndsItAsCancelled) {
    send("credential/enrol", {{"lock", "front"}, {"user", 1}, {"method", "card"}});
    lockReports({2, 0xFE, 0, 1, 0xFF, 0, 0});
    EXPECT_EQ(
        error("credential/enrol"),
        (json{{"code", "cancelled"}, {"message", "the enrolment was cancelled at the lock"}}));
}

TEST_F(EnrolmentServiceTest, OneEnrolmentPerLockAtATime) {
    send("credential/enrol", {{"lock", "front"}, {"user", 1}, {"method", "fingerprint"}});
    send("credential/enrol", {{"lock", "front"}, {"user", 1}, {"method", "card"}});
    EXPECT_EQ(error("credential/enrol"),
              (json{{"code", "busy"},
                    {"message", "an enrolment already runs on lock \"front\" (enrolment 1)"}}));
    EXPECT_EQ(writes().size(), 1u);
}

TEST_F(EnrolmentServiceTest, ALockThatRefusesTheWriteRejectsTheEnrolment) {
    hub_.radio.lock(test::kFrontMac).writeStatus = 1;
    send("credential/enrol", {{"lock", "front"}, {"user", 1}, {"method", "card"}});
    EXPECT_EQ(error("credential/enrol"),
              (json{{"code", "rejected"}, {"message", "the lock refused the command (status 1)"}}));
    EXPECT_EQ(progress().back(), event("card", "failed", nullptr, nullptr, "write_refused"));
}

TEST_F(EnrolmentServiceTest, AnUnreachableLockAnswersUnavailable) {
    hub_.radio.lock(test::kFrontMac).inRange = false;
    hub_.radio.dropLink(test::kFrontMac);
    send("credential/enrol", {{"lock", "front"}, {"user", 1}, {"method", "card"}});
    hub_.scheduler.advance(61s);
    const auto answer = error("credential/enrol");
    EXPECT_TRUE(answer["code"] == "timeout" || answer["code"] == "unavailable") << answer;
    EXPECT_EQ(responses("credential/enrol").size(), 1u);
}

TEST_F(EnrolmentServiceTest, TheUserRemovedMeanwhileFailsTheAssignmentNamingTheHardwareId) {
    send("credential/enrol", {{"lock", "front"}, {"user", 1}, {"method", "card"}});
    ok("user/remove", {{"user", 1}});  // holds nothing yet
    lockReports({2, 0xFF, 0, 1, 3, 1, 0});
    EXPECT_EQ(
        error("credential/enrol"),
        (json{{"code", "not_found"},
              {"message",
               "the lock enrolled card 3 but the hub could not assign it: no user has id 1"}}));
    EXPECT_EQ(progress().back(), event("card", "failed", nullptr, 3, "not_found"));
}

class SleepyEnrolmentTest : public EnrolmentServiceTest {
protected:
    SleepyEnrolmentTest() : EnrolmentServiceTest(LinkPolicy::Mode::OnDemand) {}
};

TEST_F(SleepyEnrolmentTest, TheLinkStaysUpWhileItRunsThenTheLockMaySleep) {
    hub_.scheduler.advance(10s);
    ASSERT_FALSE(hub_.radio.lock(test::kFrontMac).connected);  // asleep
    send("credential/enrol", {{"lock", "front"}, {"user", 1}, {"method", "fingerprint"}});
    hub_.scheduler.advance(500ms);
    EXPECT_TRUE(hub_.radio.lock(test::kFrontMac).connected);
    hub_.scheduler.advance(30s);  // far beyond the linger: the finger is slow
    EXPECT_TRUE(hub_.radio.lock(test::kFrontMac).connected);
    lockReports({3, 0xFF, 0, 1, 2, 4, 0});
    EXPECT_EQ(credentials(), (std::vector<ports::Credential>{{1, "fingerprint", 2, 1, false, {}}}));
    hub_.scheduler.advance(6s);
    EXPECT_FALSE(hub_.radio.lock(test::kFrontMac).connected);
}

struct BadInput {
    std::string op;
    json body;
    std::string code;
    std::string message;
};

std::vector<BadInput> badInputs() {
    const json fingerprint = {{"lock", "front"}, {"user", 1}, {"method", "fingerprint"}};
    auto with = [&](const char* key, json value) {
        auto body = fingerprint;
        body[key] = std::move(value);
        return body;
    };
    auto without = [&](const char* key) {
        auto body = fingerprint;
        body.erase(key);
        return body;
    };
    const json password = {{"lock", "front"}, {"user", 1}, {"method", "password"}};
    auto pin = [&](json value) {
        auto body = password;
        body["pin"] = std::move(value);
        return body;
    };
    const std::string pinRule = "/pin: expected 4 to 16 digits 0-9";
    return {
        {"credential/enrol", without("lock"), "bad_request", "/lock: required key is missing"},
        {"credential/enrol", without("user"), "bad_request", "/user: required key is missing"},
        {"credential/enrol", without("method"), "bad_request", "/method: required key is missing"},
        {"credential/enrol", with("lock", 7), "bad_request",
         "/lock: expected a non-empty string, got an integer"},
        {"credential/enrol", with("lock", ""), "bad_request",
         "/lock: expected a non-empty string, got an empty string"},
        {"credential/enrol", with("user", "Alice"), "bad_request",
         "/user: expected an integer from 1 to 9223372036854775807, got a string"},
        {"credential/enrol", with("user", 0), "bad_request",
         "/user: expected an integer from 1 to 9223372036854775807, got 0"},
        {"credential/enrol", with("method", "face"), "bad_request",
         "/method: expected one of \"password\" \"card\" \"fingerprint\", got \"face\""},
        {"credential/enrol", with("timeout_s", 0), "bad_request",
         "/timeout_s: expected an integer from 1 to 300, got 0"},
        {"credential/enrol", with("timeout_s", 301), "bad_request",
         "/timeout_s: expected an integer from 1 to 300, got 301"},
        {"credential/enrol", with("timeout_s", "60"), "bad_request",
         "/timeout_s: expected an integer from 1 to 300, got a string"},
        {"credential/enrol", with("duress", true), "bad_request", "/duress: unknown key"},
        {"credential/enrol", with("pin", "1234"), "bad_request", "/pin: only a password has a pin"},
        {"credential/enrol", password, "bad_request", "/pin: a password needs a pin"},
        {"credential/enrol", pin(1234), "bad_request", "/pin: expected a string, got an integer"},
        {"credential/enrol", pin(""), "bad_request", pinRule},
        {"credential/enrol", pin("123"), "bad_request", pinRule},
        {"credential/enrol", pin("12345678901234567"), "bad_request", pinRule},
        {"credential/enrol", pin("12a456"), "bad_request", pinRule},
        {"credential/enrol", pin("１２３４"), "bad_request", pinRule},  // full-width digits
        {"credential/enrol", pin(" 123456"), "bad_request", pinRule},
        {"credential/enrol", with("lock", "garage"), "not_found",
         "no paired lock is called \"garage\""},
        {"credential/enrol", with("user", 9), "not_found", "no user has id 9"},
        {"credential/enrol_cancel", json::object(), "bad_request",
         "/lock: required key is missing"},
        {"credential/enrol_cancel",
         {{"lock", 1}},
         "bad_request",
         "/lock: expected a non-empty string, got an integer"},
        {"credential/enrol_cancel",
         {{"lock", "front"}, {"user", 1}},
         "bad_request",
         "/user: unknown key"},
        {"credential/enrol_cancel",
         {{"lock", "garage"}},
         "not_found",
         "no paired lock is called \"garage\""},
        {"credential/enrol_cancel",
         {{"lock", "front"}},
         "not_found",
         "no enrolment runs on lock \"front\""},
    };
}

TEST_F(EnrolmentServiceTest, EveryBadInputGetsItsExactErrorWritesNothingAndStoresNothing) {
    int transaction = 0;
    for (const auto& bad : badInputs()) {
        auto body = bad.body;
        body["transaction"] = ++transaction;
        send(bad.op, body);
        EXPECT_EQ(hub_.lastJson("lockhub/bridge/response/" + bad.op),
                  (json{{"status", "error"},
                        {"error", {{"code", bad.code}, {"message", bad.message}}},
                        {"transaction", transaction}}))
            << bad.op << " " << bad.body;
    }
    EXPECT_TRUE(writes().empty());
    EXPECT_TRUE(progress().empty());
    EXPECT_TRUE(credentials().empty());
    // Still serving.
    send("credential/enrol", {{"lock", "front"}, {"user", 1}, {"method", "card"}});
    EXPECT_EQ(writes().size(), 1u);
}

}  // namespace
}  // namespace lockhub
