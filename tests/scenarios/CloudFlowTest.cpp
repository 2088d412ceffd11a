// The cloud link end to end (issue 11 §9): a real lockhubd with codes.issuer "cloud" between two
// real mosquitto brokers, the local one and an upstream, and lockhub-sim. An upstream probe plays
// the cloud: it sees the hub's state, requests, journal and mirrored events under
// cloud/<hub id>/…, and answers a code/issue when a test wants it to.
#include <gtest/gtest.h>

#include <thread>

#include "scenarios/SimulatedHub.h"

namespace lockhub::testing {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

constexpr int kTimeoutS = 2;

class CloudFlow : public ::testing::Test {
protected:
    void SetUp() override {
        hubId_ = hub_.request("health", json::object())["data"]["hub_id"].get<std::string>();
        up_ = "cloud/" + hubId_;
        auto paired = hub_.pair(0, "Front Door");
        ASSERT_EQ(paired["status"], "ok") << paired.dump();
        ASSERT_TRUE(hub_.probe().waitFor("lockhub/front-door/availability", 20s,
                                         [](const auto& m) { return m.payload == "online"; }));
        // With the cloud as issuer the hub does not own T0: the host gives it.
        const auto t0 = unixNow() / 3600 * 3600 - 3600;
        ASSERT_EQ(hub_.request("lock/update", {{"lock", "front-door"}, {"t0", t0}})["status"],
                  "ok");
        ASSERT_TRUE(waitLink("up"));
    }
    void TearDown() override {
        if (HasFailure()) {
            std::cerr << hub_.diagnostics() << "\nupstream broker:\n" << upstream_.log();
        }
    }

    static SimulatedHubOptions options(std::uint16_t upstreamPort) {
        auto options = codeHubOptions();
        options.daemonConfig["codes"]["issuer"] = "cloud";
        options.daemonConfig["cloud"] = {{"uri", "tcp://127.0.0.1:" + std::to_string(upstreamPort)},
                                         {"topic_prefix", "cloud"},
                                         {"timeout_s", kTimeoutS},
                                         {"reconnect_max_s", 1}};
        return options;
    }
    // bridge/info (retained, republished on every change of the link) says `state`.
    bool waitLink(const std::string& state) {
        return hub_.probe()
            .waitFor("lockhub/bridge/info", 20s,
                     [&](const ReceivedMessage& m) {
                         const auto info = json::parse(m.payload, nullptr, false);
                         return info.is_object() && info.value("issuer", "") == "cloud" &&
                                info["cloud"].is_object() && info["cloud"]["state"] == state;
                     })
            .has_value();
    }
    json issue(json body) {
        body["lock"] = "front-door";
        auto response = hub_.request("code/issue", body);
        EXPECT_EQ(response["status"], "ok") << response.dump();
        if (response["data"].contains("code")) {
            hub_.watchCode(response["data"]["code"].get<std::string>());
        }
        return response["data"];
    }
    // What the journal must say about a code the hub issued: its metadata, never the digits.
    static json journalOf(const json& issued, const std::string& reason, const std::string& hub) {
        json code;
        for (const char* key :
             {"id", "lock", "type", "name", "user", "window", "serial", "state", "issued_at"}) {
            code[key] = issued[key];
        }
        return {
            {"entry", "code_issued_offline"}, {"hub_id", hub}, {"reason", reason}, {"code", code}};
    }
    std::optional<json> waitUpstream(const std::string& topic,
                                     const std::function<bool(const json&)>& match,
                                     std::chrono::milliseconds timeout = 20s) {
        const auto message = cloud_.waitFor(topic, timeout, [&](const ReceivedMessage& m) {
            const auto doc = json::parse(m.payload, nullptr, false);
            return !doc.is_discarded() && match(doc);
        });
        return message ? std::optional(json::parse(message->payload)) : std::nullopt;
    }
    void restartUpstream() {
        upstream_.start();
        cloud_.reconnect();
    }

    TempDir upstreamDir_;
    // The cloud's consumer keeps its session across the upstream's restart: the hub may be back
    // (it retries every second) before the probe has subscribed again.
    Mosquitto upstream_{upstreamDir_.path(), {.username = {}, .password = {}, .persistent = true}};
    MqttProbe cloud_{upstream_.uri(), "cloud/#", 4, MqttProbe::Session::Persistent};
    SimulatedHub hub_{options(upstream_.port())};
    std::string hubId_;
    std::string up_;
};

TEST_F(CloudFlow, WithTheUpstreamStoppedTheHubIssuesLocallyAndJournalsWhenItReturns) {
    upstream_.stop();
    ASSERT_TRUE(waitLink("down"));
    const auto issued = issue({{"type", "one_time"}, {"name", "Plumber"}});
    EXPECT_EQ(issued["state"], "issued_offline");
    EXPECT_EQ(issued["offline_reason"], "link_down");
    EXPECT_EQ(issued["code"].get<std::string>().size(), 10u);
    const auto listed = hub_.request("code/list", {{"lock", "front-door"}});
    ASSERT_EQ(listed["data"]["codes"].size(), 1u);
    EXPECT_EQ(listed["data"]["codes"][0]["state"], "issued_offline");

    const auto before = cloud_.messagesOn(up_ + "/journal").size();
    restartUpstream();
    ASSERT_TRUE(waitLink("up"));
    const auto journal = waitUpstream(up_ + "/journal", [](const json&) { return true; });
    ASSERT_TRUE(journal) << "no journal entry upstream";
    EXPECT_EQ(*journal, journalOf(issued, "link_down", hubId_));
    // Acknowledged, so sent once: not again on the next connection.
    std::this_thread::sleep_for(1s);
    upstream_.stop();
    ASSERT_TRUE(waitLink("down"));
    restartUpstream();
    ASSERT_TRUE(waitLink("up"));
    std::this_thread::sleep_for(1s);
    EXPECT_EQ(cloud_.messagesOn(up_ + "/journal").size(), before + 1);
}

TEST_F(CloudFlow, AnUpstreamThatNeverAnswersGetsTheCodeIssuedHereAfterTheTimeout) {
    const auto start = std::chrono::steady_clock::now();
    const auto issued = issue({{"type", "dynamic"}, {"name", "Courier"}});
    EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::seconds(kTimeoutS));
    EXPECT_EQ(issued["state"], "issued_offline");
    EXPECT_EQ(issued["offline_reason"], "no_answer");
    // The request went upstream with a transaction of the hub's, and nobody answered it.
    const auto requests = cloud_.messagesOn(up_ + "/request/code/issue");
    ASSERT_EQ(requests.size(), 1u);
    const auto request = json::parse(requests[0].payload);
    EXPECT_TRUE(request["transaction"].get<std::string>().starts_with(hubId_ + "-"));
    EXPECT_EQ(request["name"], "Courier");
    const auto journal = waitUpstream(up_ + "/journal", [](const json&) { return true; });
    ASSERT_TRUE(journal);
    EXPECT_EQ(*journal, journalOf(issued, "no_answer", hubId_));
}

TEST_F(CloudFlow, TheUpstreamsAnswerIsRelayedToTheLocalRequester) {
    const json data = {{"code", "48213907"}, {"type", "dynamic"}, {"name", "Courier"}};
    hub_.watchCode("48213907");
    std::thread cloud([&] {
        const auto request = cloud_.waitFor(up_ + "/request/code/issue", 10s);
        if (request) {
            const auto body = json::parse(request->payload);
            cloud_.publish(
                up_ + "/response/code/issue",
                json({{"status", "ok"}, {"data", data}, {"transaction", body["transaction"]}})
                    .dump());
        }
    });
    auto response = hub_.request("code/issue", {{"lock", "front-door"},
                                                {"type", "dynamic"},
                                                {"name", "Courier"},
                                                {"transaction", "mine"}});
    cloud.join();
    EXPECT_EQ(response, json({{"status", "ok"}, {"data", data}, {"transaction", "mine"}}));
    // The cloud's code is not the hub's: nothing issued here.
    EXPECT_EQ(hub_.request("code/list", {{"lock", "front-door"}})["data"]["codes"], json::array());
}

TEST_F(CloudFlow, EventsAreMirroredUpstreamAndADownUpstreamDelaysNothingLocally) {
    hub_.ctl({"fingerprint", "lock1", "3"});
    const auto local = hub_.probe().waitFor("lockhub/front-door/event", 15s);
    ASSERT_TRUE(local);
    const auto localEvent = json::parse(local->payload);
    const auto mirrored = waitUpstream(up_ + "/front-door/event", [&](const json& e) {
        return e["event_id"] == localEvent["event_id"];
    });
    ASSERT_TRUE(mirrored) << "the unlock did not reach the upstream";
    EXPECT_EQ(*mirrored, localEvent);

    upstream_.stop();
    ASSERT_TRUE(waitLink("down"));
    const auto seen = hub_.probe().messagesOn("lockhub/front-door/event").size();
    const auto sent = std::chrono::steady_clock::now();
    hub_.ctl({"fingerprint", "lock1", "4"});
    const auto second = hub_.probe().waitFor("lockhub/front-door/event", 5s, nullptr, seen);
    ASSERT_TRUE(second) << "a down upstream held up local delivery";
    EXPECT_LT(std::chrono::steady_clock::now() - sent, 5s);
    const auto secondEvent = json::parse(second->payload);
    EXPECT_EQ(secondEvent["credential"], 4);

    restartUpstream();
    const auto late = waitUpstream(up_ + "/front-door/event", [&](const json& e) {
        return e["event_id"] == secondEvent["event_id"];
    });
    ASSERT_TRUE(late) << "the event stored while the upstream was down never reached it";
    EXPECT_EQ(*late, secondEvent);
}

}  // namespace
}  // namespace lockhub::testing
