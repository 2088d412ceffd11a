// Issue 10, end to end: enrolment through the lock and deletion at the lock, with lockhub-sim's
// firmware doing what a Tuya lock does with DP 1 and DP 2 (a fingerprint waits for its touches),
// a real mosquitto and a real lockhubd. What the lock holds is asked of the sim itself.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <thread>

#include "scenarios/SimulatedHub.h"

namespace lockhub::testing {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

constexpr const char* kEvents = "lockhub/front-door/event";
constexpr const char* kEnrolResponse = "lockhub/bridge/response/credential/enrol";

// What the sim's lock holds: (type, hardware id) of every credential.
std::vector<std::pair<int, int>> heldBy(const json& inspected) {
    std::vector<std::pair<int, int>> held;
    for (const auto& credential : inspected["credentials"]) {
        held.emplace_back(credential["type"].get<int>(), credential["hardware_id"].get<int>());
    }
    return held;
}

class EnrolmentFlow : public ::testing::Test {
protected:
    explicit EnrolmentFlow(SimulatedHubOptions options = {}) : hub_(std::move(options)) {}

    void TearDown() override {
        if (HasFailure()) {
            std::cerr << hub_.diagnostics();
        }
    }

    void pairFront() {
        const auto front = hub_.pair(0, "Front Door");
        ASSERT_EQ(front["status"], "ok") << front.dump();
        ASSERT_TRUE(hub_.probe().waitFor("lockhub/front-door/availability", 30s,
                                         [](const auto& m) { return m.payload == "online"; }));
    }
    std::int64_t addUser(const std::string& name) {
        const auto user = hub_.request("user/set", {{"name", name}});
        EXPECT_EQ(user["status"], "ok") << user.dump();
        return user["data"]["id"].get<std::int64_t>();
    }
    std::size_t eventCount() { return hub_.probe().messagesOn(kEvents).size(); }
    // The next event from index `from` that `match` accepts.
    std::optional<json> waitEvent(std::size_t from, const std::function<bool(const json&)>& match,
                                  std::chrono::milliseconds timeout = 15s) {
        auto found = hub_.probe().waitFor(
            kEvents, timeout, [&](const ReceivedMessage& m) { return match(parse(m)); }, from);
        return found ? std::optional(parse(*found)) : std::nullopt;
    }
    std::optional<json> waitProgress(std::size_t from, const std::string& stage,
                                     std::optional<int> count = std::nullopt) {
        return waitEvent(from, [&](const json& e) {
            return e["event"] == "enrol_progress" && e["stage"] == stage &&
                   (!count || e["count"] == *count);
        });
    }

    // Enrols Alice's fingerprint, touching the sim's sensor once per progress step.
    json enrolFingerprint(std::int64_t user, std::vector<json>* steps = nullptr) {
        const auto before = eventCount();
        const auto responses = hub_.probe().messagesOn(kEnrolResponse).size();
        hub_.probe().publish(
            "lockhub/bridge/request/credential/enrol",
            json{{"lock", "front-door"}, {"user", user}, {"method", "fingerprint"}}.dump());
        auto started = waitProgress(before, "started");
        EXPECT_TRUE(started);
        EXPECT_TRUE(waitUntil([&] { return hub_.inspect("lock1")["enrolling"] == 3; }, 10s))
            << "the lock is not waiting for a finger";
        for (int touch = 1; touch <= 4; ++touch) {
            hub_.ctl({"fingerprint", "lock1", "0"});
            auto running = waitProgress(before, "running", touch);
            EXPECT_TRUE(running) << "touch " << touch;
            if (steps != nullptr && running) {
                steps->push_back(*running);
            }
        }
        auto response = hub_.probe().waitFor(kEnrolResponse, 15s, nullptr, responses);
        EXPECT_TRUE(response);
        return response ? parse(*response) : json();
    }

    SimulatedHub hub_;
};

TEST_F(EnrolmentFlow, AliceEnrolsAPasswordAndAFingerprintUnlocksAsHerAndIsDeletedAtTheLock) {
    pairFront();
    const auto alice = addUser("Alice");
    const json aliceRef = {{"id", alice}, {"name", "Alice"}};

    // A password: the lock takes it at once.
    auto before = eventCount();
    const auto password = hub_.request(
        "credential/enrol",
        {{"lock", "front-door"}, {"user", alice}, {"method", "password"}, {"pin", "246801"}});
    ASSERT_EQ(password["status"], "ok") << password.dump();
    EXPECT_EQ(password["data"], (json{{"lock", "front-door"},
                                      {"method", "password"},
                                      {"credential", 0},
                                      {"user", aliceRef},
                                      {"duress", false}}));
    auto complete = waitProgress(before, "complete");
    ASSERT_TRUE(complete);
    EXPECT_EQ(complete->value("credential", json()), 0);
    EXPECT_EQ((*complete)["user"], aliceRef);
    EXPECT_TRUE((*complete)["hub_time"].get<std::string>().ends_with("Z"));

    // A fingerprint: four touches, each one reported.
    std::vector<json> steps;
    const auto fingerprint = enrolFingerprint(alice, &steps);
    ASSERT_EQ(fingerprint["status"], "ok") << fingerprint.dump();
    EXPECT_EQ(fingerprint["data"]["method"], "fingerprint");
    const auto fingerId = fingerprint["data"]["credential"].get<int>();
    ASSERT_EQ(steps.size(), 4u);
    for (std::size_t i = 0; i < steps.size(); ++i) {
        EXPECT_EQ(steps[i]["count"], i + 1);
        EXPECT_EQ(steps[i]["method"], "fingerprint");
        EXPECT_EQ(steps[i]["credential"], nullptr);
        EXPECT_EQ(steps[i]["enrolment"], steps[0]["enrolment"]);
    }

    // The lock holds both; the hub lists both as Alice's.
    EXPECT_EQ(heldBy(hub_.inspect("lock1")),
              (std::vector<std::pair<int, int>>{{1, 0}, {3, fingerId}}));
    const auto listed = hub_.request("credential/list", {{"user", alice}});
    ASSERT_EQ(listed["status"], "ok");
    EXPECT_EQ(listed["data"]["credentials"].size(), 2u);

    // The enrolled PIN opens the door, as Alice.
    before = eventCount();
    const auto keypad = json::parse(hub_.ctl({"keypad", "lock1", "246801"}));
    EXPECT_EQ(keypad["unlocked"], true);
    auto unlock = waitEvent(before, [](const json& e) { return e["event"] == "unlock"; });
    ASSERT_TRUE(unlock);
    EXPECT_EQ((*unlock)["method"], "password");
    EXPECT_EQ((*unlock)["user"], aliceRef);

    // Her finger opens it, as Alice.
    before = eventCount();
    hub_.ctl({"fingerprint", "lock1", std::to_string(fingerId)});
    unlock = waitEvent(before, [](const json& e) { return e["event"] == "unlock"; });
    ASSERT_TRUE(unlock);
    EXPECT_EQ((*unlock)["method"], "fingerprint");
    EXPECT_EQ((*unlock)["credential"], fingerId);
    EXPECT_EQ((*unlock)["user"], aliceRef);

    // Renamed, the next event carries the new name.
    const auto renamed = hub_.request("user/set", {{"user", alice}, {"name", "Alicia"}});
    ASSERT_EQ(renamed["status"], "ok") << renamed.dump();
    // A second later: the same finger in the same lock second is one record (de-duplication).
    std::this_thread::sleep_for(1100ms);
    before = eventCount();
    hub_.ctl({"fingerprint", "lock1", std::to_string(fingerId)});
    unlock = waitEvent(before, [](const json& e) { return e["event"] == "unlock"; });
    ASSERT_TRUE(unlock);
    EXPECT_EQ((*unlock)["user"], (json{{"id", alice}, {"name", "Alicia"}}));

    // Removed, her credentials are deleted at the lock first.
    const auto removed = hub_.request("user/remove", {{"user", alice}});
    ASSERT_EQ(removed["status"], "ok") << removed.dump();
    EXPECT_EQ(removed["data"],
              (json{{"user", {{"id", alice}, {"name", "Alicia"}, {"arrived", false}}},
                    {"removed", true},
                    {"deleted",
                     {{{"lock", "front-door"},
                       {"method", "fingerprint"},
                       {"credential", fingerId},
                       {"result", "ok"}},
                      {{"lock", "front-door"},
                       {"method", "password"},
                       {"credential", 0},
                       {"result", "ok"}}}}}));
    EXPECT_TRUE(heldBy(hub_.inspect("lock1")).empty()) << hub_.inspect("lock1").dump();
    EXPECT_EQ(json::parse(hub_.ctl({"keypad", "lock1", "246801"}))["unlocked"], false);
    const auto users = hub_.request("user/list", json::object());
    EXPECT_EQ(users["data"]["users"], json::array());
}

TEST_F(EnrolmentFlow, CancelStopsTheEnrolmentAtTheLock) {
    pairFront();
    const auto alice = addUser("Alice");
    const auto before = eventCount();
    hub_.probe().publish(
        "lockhub/bridge/request/credential/enrol",
        json{{"lock", "front-door"}, {"user", alice}, {"method", "fingerprint"}}.dump());
    ASSERT_TRUE(waitUntil([&] { return hub_.inspect("lock1")["enrolling"] == 3; }, 10s));
    hub_.ctl({"fingerprint", "lock1", "0"});
    ASSERT_TRUE(waitProgress(before, "running", 1));
    const auto cancelled = hub_.request("credential/enrol_cancel", {{"lock", "front-door"}});
    EXPECT_EQ(cancelled["data"], (json{{"cancelled", true}})) << cancelled.dump();
    auto response = hub_.probe().waitFor(kEnrolResponse, 10s);
    ASSERT_TRUE(response);
    EXPECT_EQ(parse(*response)["error"]["code"], "cancelled");
    ASSERT_TRUE(waitProgress(before, "cancelled"));
    EXPECT_TRUE(waitUntil([&] { return hub_.inspect("lock1")["enrolling"].is_null(); }, 10s));
    EXPECT_TRUE(heldBy(hub_.inspect("lock1")).empty());
}

class CodeRequiredEnrolmentFlow : public EnrolmentFlow {
protected:
    CodeRequiredEnrolmentFlow()
        : EnrolmentFlow(SimulatedHubOptions{
              .daemonConfig = {{"access", {{"require_code_for_unlock", true}}}}}) {}

    json unlockWith(const std::string& code, const std::string& transaction) {
        const auto from = hub_.probe().messagesOn("lockhub/front-door/set/result").size();
        hub_.probe().publish(
            "lockhub/front-door/set",
            json{{"state", "UNLOCK"}, {"code", code}, {"transaction", transaction}}.dump());
        auto result = hub_.probe().waitFor("lockhub/front-door/set/result", 20s, nullptr, from);
        return result ? parse(*result) : json();
    }
};

// issue 10 §4: "a remote unlock must carry a code, checked against the hub's codes and PINs".
TEST_F(CodeRequiredEnrolmentFlow, APinEnrolledThroughTheHubOpensARemoteUnlockAsItsUser) {
    pairFront();
    const auto alice = addUser("Alice");
    hub_.watchCode("246801");  // the canary: in no payload, log or database byte
    const auto enrolled = hub_.request(
        "credential/enrol",
        {{"lock", "front-door"}, {"user", alice}, {"method", "password"}, {"pin", "246801"}});
    ASSERT_EQ(enrolled["status"], "ok") << enrolled.dump();

    EXPECT_EQ(unlockWith("246802", "p1"),
              (json{{"state", "UNLOCK"},
                    {"result", "rejected"},
                    {"reason", "auth_failed"},
                    {"message",
                     "wrong code: neither an enrolled PIN nor an 8-digit "
                     "dynamic or 10-digit offline code of the lock"},
                    {"transaction", "p1"}}));
    EXPECT_EQ(hub_.inspect("lock1")["locked"], true) << "a wrong PIN opens nothing";
    EXPECT_EQ(unlockWith("246801", "p2"),
              (json{{"state", "UNLOCK"},
                    {"result", "ok"},
                    {"code", {{"id", nullptr}, {"name", "Alice"}, {"type", "pin"}}},
                    {"transaction", "p2"}}));
    EXPECT_EQ(hub_.inspect("lock1")["locked"], false);
}

class SleepyEnrolmentFlow : public EnrolmentFlow {
protected:
    SleepyEnrolmentFlow()
        : EnrolmentFlow(
              SimulatedHubOptions{.simLocks = json::array({{{"power", "battery"},
                                                            {"advertising_interval_ms", 1000},
                                                            {"idle_timeout_ms", 3000}}}),
                                  .policy = "on_demand"}) {}
};

// A battery lock sleeps between uses; a slow finger must not lose the enrolment.
TEST_F(SleepyEnrolmentFlow, TheLinkStaysUpBetweenSlowTouches) {
    pairFront();
    const auto alice = addUser("Alice");
    ASSERT_TRUE(waitUntil([&] { return hub_.inspect("lock1")["connected"] == false; }, 20s))
        << "the lock never went to sleep";
    const auto before = eventCount();
    const auto responses = hub_.probe().messagesOn(kEnrolResponse).size();
    hub_.probe().publish(
        "lockhub/bridge/request/credential/enrol",
        json{{"lock", "front-door"}, {"user", alice}, {"method", "fingerprint"}}.dump());
    ASSERT_TRUE(waitUntil([&] { return hub_.inspect("lock1")["enrolling"] == 3; }, 20s));
    for (int touch = 1; touch <= 4; ++touch) {
        std::this_thread::sleep_for(touch == 2 ? 7s : 200ms);  // beyond linger and idle timeout
        EXPECT_EQ(hub_.inspect("lock1")["connected"], true) << "before touch " << touch;
        hub_.ctl({"fingerprint", "lock1", "0"});
        ASSERT_TRUE(waitProgress(before, "running", touch)) << "touch " << touch;
    }
    auto response = hub_.probe().waitFor(kEnrolResponse, 15s, nullptr, responses);
    ASSERT_TRUE(response);
    EXPECT_EQ(parse(*response)["status"], "ok") << response->payload;
    EXPECT_EQ(heldBy(hub_.inspect("lock1")), (std::vector<std::pair<int, int>>{{3, 0}}));
    // Then it may sleep again.
    EXPECT_TRUE(waitUntil([&] { return hub_.inspect("lock1")["connected"] == false; }, 20s));
}

}  // namespace
}  // namespace lockhub::testing
