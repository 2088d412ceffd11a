// UserDirectory: users and the credentials they hold, over the bridge API. Every answer is
// checked whole; every refused request leaves the store as it was.
#include <gtest/gtest.h>

#include "app/UserDirectory.h"
#include "tests/unit/app/ServiceHarness.h"

namespace lockhub {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;
using ports::Credential;
using ports::User;

using test::kBackMac;

class UserDirectoryTest : public ::testing::Test {
protected:
    void SetUp() override {
        hub_.radio.addLock(kBackMac, test::lockSideOf("5b"));
        ASSERT_TRUE(hub_.store.addLock(test::recordOf("back", kBackMac, "5b"), 0));
        hub_.startWithLock("front");  // ids: back 1, front 2
    }
    json request(const std::string& op, const json& body) {
        hub_.broker.deliver("lockhub/bridge/request/" + op, body.dump());
        hub_.scheduler.advance(10ms);
        return hub_.lastJson("lockhub/bridge/response/" + op);
    }
    // For operations that wait for a lock: send now, read the answer later.
    void send(const std::string& op, const json& body) {
        hub_.broker.deliver("lockhub/bridge/request/" + op, body.dump());
    }
    json response(const std::string& op) {
        auto answer = hub_.lastJson("lockhub/bridge/response/" + op);
        EXPECT_EQ(answer["status"], "ok") << op << " → " << answer;
        return answer["data"];
    }
    json ok(const std::string& op, const json& body) {
        auto response = request(op, body);
        EXPECT_EQ(response["status"], "ok") << op << " " << body.dump() << " → " << response;
        return response["data"];
    }
    void addAlice() { ok("user/set", {{"name", "Alice"}, {"arrived", true}}); }
    std::vector<User> users() { return hub_.userStore.users().value(); }
    std::vector<Credential> credentials() { return hub_.userStore.credentials().value(); }

    test::ServiceHarness hub_;
};

TEST_F(UserDirectoryTest, UserSetCreatesThenRenamesKeepingTheArrivedFlag) {
    EXPECT_EQ(ok("user/set", {{"name", "Alice"}, {"arrived", true}}),
              (json{{"id", 1}, {"name", "Alice"}, {"arrived", true}}));
    EXPECT_EQ(ok("user/set", {{"name", "Bob"}}),
              (json{{"id", 2}, {"name", "Bob"}, {"arrived", false}}));
    EXPECT_EQ(ok("user/set", {{"user", 1}, {"name", "Alicia"}}),
              (json{{"id", 1}, {"name", "Alicia"}, {"arrived", true}}));
    EXPECT_EQ(ok("user/set", {{"user", 1}, {"name", "Alicia"}, {"arrived", false}}),
              (json{{"id", 1}, {"name", "Alicia"}, {"arrived", false}}));
    EXPECT_EQ(ok("user/list", json::object()),
              (json{{"users",
                     {{{"id", 1}, {"name", "Alicia"}, {"arrived", false}},
                      {{"id", 2}, {"name", "Bob"}, {"arrived", false}}}}}));
    EXPECT_EQ(users(), (std::vector<User>{{1, "Alicia", false}, {2, "Bob", false}}));
}

TEST_F(UserDirectoryTest, ADuplicateNameConflictsOnCreateAndRenameAndStoresNothing) {
    addAlice();
    ok("user/set", {{"name", "Bob"}});
    for (const json& body : {json{{"name", "Alice"}}, json{{"user", 2}, {"name", "Alice"}}}) {
        const auto response = request("user/set", body);
        EXPECT_EQ(response["error"],
                  (json{{"code", "conflict"},
                        {"message", "the name \"Alice\" is already used by user 1"}}))
            << body;
    }
    EXPECT_EQ(users(), (std::vector<User>{{1, "Alice", true}, {2, "Bob", false}}));
}

TEST_F(UserDirectoryTest, AssignNamesTheUserByNameOrIdAndAUserHoldsCredentialsOnSeveralLocks) {
    addAlice();
    EXPECT_EQ(
        ok("credential/assign",
           {{"lock", "front"}, {"method", "fingerprint"}, {"credential", 3}, {"user", "Alice"}}),
        (json{{"lock", "front"},
              {"method", "fingerprint"},
              {"credential", 3},
              {"user", {{"id", 1}, {"name", "Alice"}}},
              {"duress", false}}));
    ok("credential/assign",
       {{"lock", "back"}, {"method", "card"}, {"credential", 7}, {"user", 1}, {"duress", true}});
    EXPECT_EQ(credentials(), (std::vector<Credential>{{1, "card", 7, 1, true, {}},
                                                      {2, "fingerprint", 3, 1, false, {}}}));
    // The back lock (id 1) sorts first.
    EXPECT_EQ(ok("credential/list", {{"user", "Alice"}})["credentials"].size(), 2u);
}

TEST_F(UserDirectoryTest, AssigningATakenSlotAgainMovesItToTheNewUser) {
    addAlice();
    ok("user/set", {{"name", "Bob"}});
    const json slot = {{"lock", "front"}, {"method", "password"}, {"credential", 2}};
    auto toAlice = slot;
    toAlice["user"] = "Alice";
    auto toBob = slot;
    toBob["user"] = "Bob";
    ok("credential/assign", toAlice);
    EXPECT_EQ(ok("credential/assign", toBob)["user"], (json{{"id", 2}, {"name", "Bob"}}));
    EXPECT_EQ(credentials(), (std::vector<Credential>{{2, "password", 2, 2, false, {}}}));
}

TEST_F(UserDirectoryTest, HardwareIdsRangeFromZeroTo2Pow32Minus1) {
    addAlice();
    for (std::int64_t id : {std::int64_t{0}, std::int64_t{4294967295}}) {
        ok("credential/assign",
           {{"lock", "front"}, {"method", "card"}, {"credential", id}, {"user", 1}});
    }
    for (const json& id : {json(-1), json(4294967296), json(18446744073709551615u)}) {
        const auto response =
            request("credential/assign",
                    {{"lock", "front"}, {"method", "card"}, {"credential", id}, {"user", 1}});
        EXPECT_EQ(response["error"]["code"], "bad_request") << id;
        EXPECT_EQ(response["error"]["message"],
                  "/credential: expected an integer from 0 to 4294967295, got " + id.dump());
    }
    EXPECT_EQ(credentials(), (std::vector<Credential>{{2, "card", 0, 1, false, {}},
                                                      {2, "card", 4294967295, 1, false, {}}}));
}

TEST_F(UserDirectoryTest, CredentialListFiltersByLockAndUser) {
    addAlice();
    ok("user/set", {{"name", "Bob"}});
    ok("credential/assign",
       {{"lock", "front"}, {"method", "fingerprint"}, {"credential", 3}, {"user", "Alice"}});
    ok("credential/assign",
       {{"lock", "back"}, {"method", "fingerprint"}, {"credential", 3}, {"user", "Bob"}});
    const json bobs = {{"lock", "back"},
                       {"method", "fingerprint"},
                       {"credential", 3},
                       {"user", {{"id", 2}, {"name", "Bob"}}},
                       {"duress", false}};
    EXPECT_EQ(ok("credential/list", {{"lock", "back"}}), (json{{"credentials", {bobs}}}));
    EXPECT_EQ(ok("credential/list", {{"user", 2}}), (json{{"credentials", {bobs}}}));
    EXPECT_EQ(ok("credential/list", {{"lock", "back"}, {"user", "Alice"}}),
              (json{{"credentials", json::array()}}));
    EXPECT_EQ(ok("credential/list", json::object())["credentials"].size(), 2u);
}

TEST_F(UserDirectoryTest, RemovingAUserDeletesTheirCredentialsAtEveryLockFirst) {
    addAlice();
    ok("user/set", {{"name", "Bob"}});
    ok("credential/assign",
       {{"lock", "front"}, {"method", "fingerprint"}, {"credential", 3}, {"user", "Alice"}});
    ok("credential/assign", {{"lock", "back"}, {"method", "card"}, {"credential", 1}, {"user", 1}});
    ok("credential/assign", {{"lock", "back"}, {"method", "card"}, {"credential", 2}, {"user", 2}});
    send("user/remove", {{"user", "Alice"}});
    EXPECT_TRUE(hub_.broker.on("lockhub/bridge/response/user/remove").empty());  // waits
    // DP 2: type, stage 0, admin 0, member 1, hardware id, style 1 (single).
    using DpPayload = std::vector<std::uint8_t>;
    EXPECT_EQ(hub_.answerDeletions(kBackMac), (std::vector<DpPayload>{{2, 0, 0, 1, 1, 1}}));
    EXPECT_EQ(hub_.answerDeletions(test::kFrontMac), (std::vector<DpPayload>{{3, 0, 0, 1, 3, 1}}));
    EXPECT_EQ(response("user/remove"),
              (json{{"user", {{"id", 1}, {"name", "Alice"}, {"arrived", true}}},
                    {"removed", true},
                    {"deleted",
                     {{{"lock", "back"}, {"method", "card"}, {"credential", 1}, {"result", "ok"}},
                      {{"lock", "front"},
                       {"method", "fingerprint"},
                       {"credential", 3},
                       {"result", "ok"}}}}}));
    EXPECT_EQ(users(), (std::vector<User>{{2, "Bob", false}}));
    EXPECT_EQ(credentials(), (std::vector<Credential>{{1, "card", 2, 2, false, {}}}));
    EXPECT_EQ(request("user/remove", {{"user", 1}})["error"],
              (json{{"code", "not_found"}, {"message", "no user has id 1"}}));
}

TEST_F(UserDirectoryTest, AUserALockCouldNotDeleteForIsKeptWithWhatThatLockStillAccepts) {
    addAlice();
    ok("credential/assign",
       {{"lock", "front"}, {"method", "fingerprint"}, {"credential", 3}, {"user", 1}});
    ok("credential/assign", {{"lock", "back"}, {"method", "card"}, {"credential", 1}, {"user", 1}});
    hub_.radio.lock(kBackMac).inRange = false;
    hub_.radio.dropLink(kBackMac);
    send("user/remove", {{"user", 1}});
    hub_.answerDeletions(test::kFrontMac);
    hub_.scheduler.advance(31s);  // the back lock never answers
    EXPECT_EQ(response("user/remove"),
              (json{{"user", {{"id", 1}, {"name", "Alice"}, {"arrived", true}}},
                    {"removed", false},
                    {"deleted",
                     {{{"lock", "back"},
                       {"method", "card"},
                       {"credential", 1},
                       {"result", "timeout"},
                       {"message", "the lock did not confirm the deletion within 30 s"}},
                      {{"lock", "front"},
                       {"method", "fingerprint"},
                       {"credential", 3},
                       {"result", "ok"}}}}}));
    EXPECT_EQ(users(), (std::vector<User>{{1, "Alice", true}}));
    EXPECT_EQ(credentials(), (std::vector<Credential>{{1, "card", 1, 1, false, {}}}));
}

TEST_F(UserDirectoryTest, AtLockFalseForgetsWithoutAskingTheLocks) {
    addAlice();
    ok("credential/assign", {{"lock", "back"}, {"method", "card"}, {"credential", 1}, {"user", 1}});
    ok("credential/assign",
       {{"lock", "front"}, {"method", "card"}, {"credential", 2}, {"user", 1}});
    const auto writesBefore = hub_.radio.lock(kBackMac).writes.size();
    EXPECT_EQ(ok("credential/remove", {{"lock", "front"},
                                       {"method", "card"},
                                       {"credential", 2},
                                       {"at_lock", false}})["credential"],
              2);
    EXPECT_EQ(
        ok("user/remove", {{"user", 1}, {"at_lock", false}}),
        (json{
            {"user", {{"id", 1}, {"name", "Alice"}, {"arrived", true}}},
            {"removed", true},
            {"deleted",
             {{{"lock", "back"}, {"method", "card"}, {"credential", 1}, {"result", "skipped"}}}}}));
    EXPECT_EQ(hub_.radio.lock(kBackMac).writes.size(), writesBefore);
    EXPECT_TRUE(hub_.answerDeletions(test::kFrontMac).empty());
    EXPECT_TRUE(users().empty());
    EXPECT_TRUE(credentials().empty());
}

TEST_F(UserDirectoryTest, CredentialRemoveDeletesAtTheLockThenAnswersTheCredential) {
    addAlice();
    const json slot = {{"lock", "front"}, {"method", "card"}, {"credential", 9}};
    auto assignment = slot;
    assignment["user"] = "Alice";
    const auto assigned = ok("credential/assign", assignment);
    send("credential/remove", slot);
    EXPECT_EQ(hub_.answerDeletions(test::kFrontMac),
              (std::vector<std::vector<std::uint8_t>>{{2, 0, 0, 1, 9, 1}}));
    EXPECT_EQ(response("credential/remove"), assigned);
    EXPECT_TRUE(credentials().empty());
    EXPECT_EQ(
        request("credential/remove", slot)["error"],
        (json{{"code", "not_found"}, {"message", "lock \"front\" has no card credential 9"}}));
}

TEST_F(UserDirectoryTest, ACredentialTheLockRefusesToDeleteIsKept) {
    addAlice();
    const json slot = {{"lock", "front"}, {"method", "fingerprint"}, {"credential", 4}};
    auto assignment = slot;
    assignment["user"] = 1;
    ok("credential/assign", assignment);
    send("credential/remove", slot);
    hub_.answerDeletions(test::kFrontMac, 1);
    EXPECT_EQ(hub_.lastJson("lockhub/bridge/response/credential/remove")["error"],
              (json{{"code", "rejected"},
                    {"message",
                     "not deleted at the lock, so the hub keeps it: the lock answered result_1"}}));
    EXPECT_EQ(credentials(), (std::vector<Credential>{{2, "fingerprint", 4, 1, false, {}}}));
}

TEST_F(UserDirectoryTest, CredentialsOfMethodsTheLockDoesNotEnrolAreOnlyForgotten) {
    addAlice();
    const json slot = {{"lock", "front"}, {"method", "ble"}, {"credential", 1}};
    auto assignment = slot;
    assignment["user"] = 1;
    ok("credential/assign", assignment);
    EXPECT_EQ(ok("credential/remove", slot)["method"], "ble");
    EXPECT_TRUE(hub_.answerDeletions(test::kFrontMac).empty());
    EXPECT_TRUE(credentials().empty());
}

TEST_F(UserDirectoryTest, RemovingALockForgetsItsCredentials) {
    addAlice();
    ok("credential/assign",
       {{"lock", "front"}, {"method", "card"}, {"credential", 1}, {"user", 1}});
    ok("credential/assign", {{"lock", "back"}, {"method", "card"}, {"credential", 1}, {"user", 1}});
    ok("lock/remove", {{"lock", "front"}});
    EXPECT_EQ(credentials(), (std::vector<Credential>{{1, "card", 1, 1, false, {}}}));
    EXPECT_EQ(ok("credential/list", json::object())["credentials"].size(), 1u);
}

TEST_F(UserDirectoryTest, AStoreFailureAnswersStorageAndChangesNothing) {
    addAlice();
    hub_.userStore.failWrites(true);
    EXPECT_EQ(request("user/set", {{"user", 1}, {"name", "Alicia"}})["error"]["code"], "storage");
    EXPECT_EQ(request("credential/assign", {{"lock", "front"},
                                            {"method", "card"},
                                            {"credential", 1},
                                            {"user", 1}})["error"]["code"],
              "storage");
    hub_.userStore.failWrites(false);
    EXPECT_EQ(ok("user/list", json::object())["users"][0]["name"], "Alice");
    EXPECT_EQ(ok("credential/list", json::object())["credentials"], json::array());
}

struct BadUserInput {
    const char* op;
    json body;
    const char* code;
    const char* message;
};

// Alice (id 1) exists, with fingerprint 3 on the front lock; each request must be refused with
// exactly this error and change nothing.
const std::vector<BadUserInput>& badUserInputs() {
    static const std::vector<BadUserInput> cases = {
        {"user/set", json::object(), "bad_request", "/name: required key is missing"},
        {"user/set",
         {{"name", ""}},
         "bad_request",
         "/name: expected a non-empty string, got an empty string"},
        {"user/set",
         {{"name", 7}},
         "bad_request",
         "/name: expected a non-empty string, got an integer"},
        {"user/set",
         {{"name", std::string(65, 'a')}},
         "bad_request",
         "/name: expected at most 64 bytes, got 65"},
        {"user/set",
         {{"name", "Bob"}, {"arrived", "yes"}},
         "bad_request",
         "/arrived: expected a boolean (true or false), got a string"},
        {"user/set",
         {{"name", "Bob"}, {"user", "Alice"}},
         "bad_request",
         "/user: expected an integer from 1 to 9223372036854775807, got a string"},
        {"user/set",
         {{"name", "Bob"}, {"user", 0}},
         "bad_request",
         "/user: expected an integer from 1 to 9223372036854775807, got 0"},
        {"user/set", {{"name", "Bob"}, {"user", 9}}, "not_found", "no user has id 9"},
        {"user/set", {{"name", "Bob"}, {"nick", "B"}}, "bad_request", "/nick: unknown key"},
        {"user/set",
         {{"name", "Alice"}},
         "conflict",
         "the name \"Alice\" is already used by user 1"},
        {"user/remove", json::object(), "bad_request", "/user: required key is missing"},
        {"user/remove",
         {{"user", true}},
         "bad_request",
         "/user: expected a user id (an integer from 1) or a user name (a non-empty string), got "
         "a boolean"},
        {"user/remove",
         {{"user", -1}},
         "bad_request",
         "/user: expected a user id (an integer from 1) or a user name (a non-empty string), got "
         "-1"},
        {"user/remove",
         {{"user", ""}},
         "bad_request",
         "/user: expected a user id (an integer from 1) or a user name (a non-empty string), got "
         "a string"},
        {"user/remove", {{"user", "Zed"}}, "not_found", "no user is called \"Zed\""},
        {"user/list", {{"all", true}}, "bad_request", "/all: unknown key"},
        {"credential/assign",
         {{"method", "card"}, {"credential", 1}, {"user", 1}},
         "bad_request",
         "/lock: required key is missing"},
        {"credential/assign",
         {{"lock", "front"}, {"credential", 1}, {"user", 1}},
         "bad_request",
         "/method: required key is missing"},
        {"credential/assign",
         {{"lock", "front"}, {"method", "card"}, {"user", 1}},
         "bad_request",
         "/credential: required key is missing"},
        {"credential/assign",
         {{"lock", "front"}, {"method", "card"}, {"credential", 1}},
         "bad_request",
         "/user: required key is missing"},
        {"credential/assign",
         {{"lock", "front"}, {"method", "retina"}, {"credential", 1}, {"user", 1}},
         "bad_request",
         "/method: \"retina\" is not an unlock method (fingerprint, password, card, key, ble, "
         "temporary, dynamic, offline, remote, voice, face, iris, palm, finger_vein, inside)"},
        {"credential/assign",
         {{"lock", "front"}, {"method", 3}, {"credential", 1}, {"user", 1}},
         "bad_request",
         "/method: expected a non-empty string, got an integer"},
        {"credential/assign",
         {{"lock", "front"}, {"method", "card"}, {"credential", "1"}, {"user", 1}},
         "bad_request",
         "/credential: expected an integer from 0 to 4294967295, got a string"},
        {"credential/assign",
         {{"lock", "front"}, {"method", "card"}, {"credential", 1.5}, {"user", 1}},
         "bad_request",
         "/credential: expected an integer from 0 to 4294967295, got a number with a fraction"},
        {"credential/assign",
         {{"lock", "front"}, {"method", "card"}, {"credential", 1}, {"user", 1}, {"duress", 1}},
         "bad_request",
         "/duress: expected a boolean (true or false), got an integer"},
        {"credential/assign",
         {{"lock", "front"}, {"method", "card"}, {"credential", 1}, {"user", json::array()}},
         "bad_request",
         "/user: expected a user id (an integer from 1) or a user name (a non-empty string), got "
         "an array"},
        {"credential/assign",
         {{"lock", ""}, {"method", "card"}, {"credential", 1}, {"user", 1}},
         "bad_request",
         "/lock: expected a non-empty string, got an empty string"},
        {"credential/assign",
         {{"lock", "garage"}, {"method", "card"}, {"credential", 1}, {"user", 1}},
         "not_found",
         "no paired lock is called \"garage\""},
        {"credential/assign",
         {{"lock", "front"}, {"method", "card"}, {"credential", 1}, {"user", "Zed"}},
         "not_found",
         "no user is called \"Zed\""},
        {"credential/assign",
         {{"lock", "front"}, {"method", "card"}, {"credential", 1}, {"user", 5}},
         "not_found",
         "no user has id 5"},
        {"credential/assign",
         {{"lock", "front"}, {"method", "card"}, {"credential", 1}, {"user", 1}, {"pin", "1"}},
         "bad_request",
         "/pin: unknown key"},
        {"credential/list",
         {{"lock", 1}},
         "bad_request",
         "/lock: expected a non-empty string, got an integer"},
        {"credential/list",
         {{"lock", "garage"}},
         "not_found",
         "no paired lock is called \"garage\""},
        {"credential/list", {{"user", "Zed"}}, "not_found", "no user is called \"Zed\""},
        {"credential/list",
         {{"user", nullptr}},
         "bad_request",
         "/user: expected a user id (an integer from 1) or a user name (a non-empty string), got "
         "null"},
        {"credential/remove",
         {{"lock", "front"}, {"method", "fingerprint"}},
         "bad_request",
         "/credential: required key is missing"},
        {"credential/remove",
         {{"lock", "front"}, {"method", "fingerprint"}, {"credential", 4}},
         "not_found",
         "lock \"front\" has no fingerprint credential 4"},
        {"credential/remove",
         {{"lock", "back"}, {"method", "fingerprint"}, {"credential", 3}},
         "not_found",
         "lock \"back\" has no fingerprint credential 3"},
        {"credential/remove",
         {{"lock", "garage"}, {"method", "fingerprint"}, {"credential", 3}},
         "not_found",
         "no paired lock is called \"garage\""},
        {"credential/remove",
         {{"lock", "front"}, {"method", "palms"}, {"credential", 3}},
         "bad_request",
         "/method: \"palms\" is not an unlock method (fingerprint, password, card, key, ble, "
         "temporary, dynamic, offline, remote, voice, face, iris, palm, finger_vein, inside)"},
        {"credential/remove",
         {{"lock", "front"}, {"method", "fingerprint"}, {"credential", 3}, {"user", 1}},
         "bad_request",
         "/user: unknown key"},
        {"credential/remove",
         {{"lock", "front"}, {"method", "fingerprint"}, {"credential", 3}, {"at_lock", "no"}},
         "bad_request",
         "/at_lock: expected a boolean (true or false), got a string"},
        {"user/remove",
         {{"user", 1}, {"at_lock", 0}},
         "bad_request",
         "/at_lock: expected a boolean (true or false), got an integer"},
    };
    return cases;
}

TEST_F(UserDirectoryTest, EveryBadInputGetsItsExactErrorAndStoresNothing) {
    ASSERT_GE(badUserInputs().size(), 30u);
    addAlice();
    ok("credential/assign",
       {{"lock", "front"}, {"method", "fingerprint"}, {"credential", 3}, {"user", 1}});
    const auto usersBefore = users();
    const auto credentialsBefore = credentials();
    int transaction = 0;
    for (const auto& bad : badUserInputs()) {
        auto body = bad.body;
        body["transaction"] = ++transaction;  // a repeated one would get the first answer
        const auto response = request(bad.op, body);
        EXPECT_EQ(response, (json{{"status", "error"},
                                  {"error", {{"code", bad.code}, {"message", bad.message}}},
                                  {"transaction", transaction}}))
            << bad.op << " " << bad.body;
        EXPECT_EQ(users(), usersBefore) << bad.op << " " << bad.body;
        EXPECT_EQ(credentials(), credentialsBefore) << bad.op << " " << bad.body;
    }
    // Still serving.
    EXPECT_EQ(ok("user/list", json::object())["users"].size(), 1u);
}

}  // namespace
}  // namespace lockhub
