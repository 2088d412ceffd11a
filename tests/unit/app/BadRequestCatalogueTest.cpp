// The MQTT half of the bad-input catalogue (docs/reliability.md): one malformed request per row,
// each sent to the hub's services as a client would send it, each answered on its response topic
// with the documented error code and a message that names what is wrong; then the hub still
// serves, and nothing was stored.
#include <gtest/gtest.h>

#include "tests/unit/app/ServiceHarness.h"

namespace lockhub {
namespace {

struct BadRequest {
    const char* op;
    const char* payload;
    const char* code;
    const char* says;  // a fragment the message must contain
};

std::ostream& operator<<(std::ostream& os, const BadRequest& r) {
    return os << r.op << " " << r.payload;
}

class BadRequestCatalogue : public ::testing::TestWithParam<BadRequest> {
protected:
    void SetUp() override { hub_.startWithLock(); }
    test::ServiceHarness hub_;
};

TEST_P(BadRequestCatalogue, IsAnsweredWithItsErrorAndChangesNothing) {
    const auto& bad = GetParam();
    const auto locksBefore = hub_.store.locks().value();
    const auto usersBefore = hub_.userStore.users().value().size();
    hub_.broker.deliver(std::string("lockhub/bridge/request/") + bad.op, bad.payload);
    hub_.scheduler.advance(std::chrono::seconds(1));
    const auto response = hub_.lastJson(std::string("lockhub/bridge/response/") + bad.op);
    ASSERT_EQ(response["status"], "error") << response.dump();
    EXPECT_EQ(response["error"]["code"], bad.code) << response.dump();
    EXPECT_NE(response["error"]["message"].get<std::string>().find(bad.says), std::string::npos)
        << response.dump();
    EXPECT_EQ(hub_.store.locks().value().size(), locksBefore.size());
    EXPECT_EQ(hub_.store.locks().value()[0].name, locksBefore[0].name);
    EXPECT_EQ(hub_.userStore.users().value().size(), usersBefore);
    // Still serving.
    hub_.broker.deliver("lockhub/bridge/request/lock/list", "{}");
    hub_.scheduler.settle();
    EXPECT_EQ(hub_.lastJson("lockhub/bridge/response/lock/list")["status"], "ok");
}

constexpr const char* kPair = "lock/pair";

INSTANTIATE_TEST_SUITE_P(
    Mqtt, BadRequestCatalogue,
    ::testing::Values(
        BadRequest{"lock/list", "{\"lock\": \"front\"}", "bad_request", "/lock: unknown key"},
        BadRequest{"lock/list", "null", "bad_request", "JSON object"},
        BadRequest{"lock/nonsense", "{}", "unknown_op", "lock/nonsense"},
        BadRequest{"lock/scan", "{\"duration_s\": 0}", "bad_request", "/duration_s"},
        BadRequest{"lock/scan", "{\"duration_s\": 61}", "bad_request", "/duration_s"},
        BadRequest{"lock/scan", "{\"duration_s\": \"5\"}", "bad_request", "/duration_s"},
        BadRequest{kPair, "{}", "bad_request", "/mac"},
        BadRequest{
            kPair,
            R"({"mac": "nonsense", "uuid": "tuyab10f2d3c4e5b", "local_key": "0123456789abcdef",
                       "device_id": "bf1234567890abcdef5b", "name": "Back"})",
            "bad_request", "/mac"},
        BadRequest{
            kPair,
            R"({"mac": "DC:23:4D:00:00:02", "uuid": "tuyab10f2d3c4e5b", "local_key": "0123456789abcdef",
                       "device_id": "bf1234567890abcdef5b", "name": "Back", "protocol": 5})",
            "bad_request", "/protocol"},
        BadRequest{
            kPair,
            R"({"mac": "DC:23:4D:00:00:02", "uuid": "tuyab10f2d3c4e5b", "local_key": "0123456789abcdef",
                       "device_id": "bf1234567890abcdef5b", "name": "Back", "profile": "no-such-profile"})",
            "bad_request", "/profile"},
        BadRequest{
            kPair,
            R"({"mac": "DC:23:4D:00:00:01", "uuid": "tuyab10f2d3c4e5b", "local_key": "0123456789abcdef",
                       "device_id": "bf1234567890abcdef5b", "name": "Again"})",
            "conflict", "DC:23:4D:00:00:01"},
        BadRequest{"lock/rename", "{\"name\": \"Main\"}", "bad_request", "/lock"},
        BadRequest{"lock/rename", "{\"lock\": \"garage\", \"name\": \"Main\"}", "not_found",
                   "garage"},
        BadRequest{"lock/rename", "{\"lock\": \"front\", \"name\": \"\"}", "bad_request", "/name"},
        BadRequest{"lock/remove", "{\"lock\": 7}", "bad_request", "/lock"},
        BadRequest{"lock/remove", "{\"lock\": \"garage\"}", "not_found", "garage"},
        BadRequest{"lock/set_policy", "{\"lock\": \"front\", \"mode\": \"sometimes\"}",
                   "bad_request", "/mode"},
        BadRequest{"lock/set_policy", "{\"lock\": \"front\", \"keep_alive_s\": -1}", "bad_request",
                   "/keep_alive_s"},
        BadRequest{"user/set", "{\"name\": \"\"}", "bad_request", "/name"},
        BadRequest{"user/set", "{\"name\": 3}", "bad_request", "/name"},
        BadRequest{"user/set", "{\"name\": \"Alice\", \"arrived\": \"yes\"}", "bad_request",
                   "/arrived"},
        BadRequest{"user/set", "{\"user\": 9, \"name\": \"Zed\"}", "not_found", "9"},
        BadRequest{"user/remove", "{\"user\": \"Nobody\"}", "not_found", "Nobody"},
        BadRequest{"user/remove", "{\"user\": 0}", "bad_request", "/user"},
        BadRequest{"credential/assign",
                   R"({"lock": "front", "method": "telepathy", "credential": 1, "user": 1})",
                   "bad_request", "/method"},
        BadRequest{"credential/assign",
                   R"({"lock": "front", "method": "card", "credential": 4294967296, "user": 1})",
                   "bad_request", "/credential"},
        BadRequest{"credential/assign",
                   R"({"lock": "garage", "method": "card", "credential": 1, "user": 1})",
                   "not_found", "garage"},
        BadRequest{"credential/list", "{\"lock\": \"garage\"}", "not_found", "garage"},
        BadRequest{"credential/remove", R"({"lock": "front", "method": "card", "credential": 9})",
                   "not_found", "card credential 9"}));

}  // namespace
}  // namespace lockhub
