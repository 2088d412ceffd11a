// CloudLink against two fake brokers (local and upstream) and the manual clock (issue 11 §9):
// the link state and its retained state and heartbeat upstream, code/issue forwarded and the
// answer relayed, local issuance marked issued_offline when the upstream is down or silent, the
// journal sent once when the link returns, and the event mirror with its own outbox, which only
// an upstream acknowledgement empties and which never holds up local delivery.
#include <gtest/gtest.h>

#include "app/CloudLink.h"
#include "tests/unit/app/CodeHarness.h"

namespace lockhub {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;
using protocol::tuya::Dp;
using test::at;
using test::kFrontMac;
using test::kHubId;

const std::string kUp = std::string("cloud/") + kHubId;
constexpr std::int64_t kCloudLockTime = 1'700'003'000;

class CloudLinkTest : public ::testing::Test {
protected:
    CloudLinkTest() {
        hub_.store.mirrorEventsTo(mirrorStore_, "lockhub", kUp);
        hub_.events.onCommitted([this] { cloud_.mirrored(); });
        cloud_.onChanged([this] { ++changes_; });
        cloud_.start();
        hub_.startFront();
    }

    void connectUpstream() {
        upstream_.connect();
        hub_.scheduler.settle();
    }
    // Sends code/issue on the local broker; the answer, if any came within `wait`.
    std::optional<json> issue(json body, std::chrono::milliseconds wait = 10ms) {
        body["lock"] = "front";
        const auto before = answers().size();
        hub_.broker.deliver("lockhub/bridge/request/code/issue", body.dump());
        hub_.scheduler.advance(wait);
        const auto after = answers();
        EXPECT_LE(after.size(), before + 1);
        return after.size() > before ? std::optional(json::parse(after.back())) : std::nullopt;
    }
    std::vector<std::string> answers() const {
        return hub_.broker.payloadsOn("lockhub/bridge/response/code/issue");
    }
    std::vector<json> forwarded() const {
        std::vector<json> requests;
        for (const auto& payload : upstream_.payloadsOn(kUp + "/request/code/issue")) {
            requests.push_back(json::parse(payload));
        }
        return requests;
    }
    json codes() { return hub_.request("code/list", {{"lock", "front"}})["data"]["codes"]; }
    std::size_t mirrorRows() { return mirrorStore_.pendingOutbox(100).value().size(); }

    test::CodeHarness hub_;
    fakes::FakeBroker upstream_{hub_.scheduler};
    fakes::InMemoryLockStore mirrorStore_;
    OutboxPump mirror_{mirrorStore_, upstream_, hub_.scheduler};
    CloudLink cloud_{{.upstreamBase = kUp,
                      .hubId = kHubId,
                      .cloudIssues = true,
                      .timeout = 10s,
                      .heartbeat = 60s},
                     upstream_,
                     hub_.scheduler,
                     mirror_,
                     hub_.bridge,
                     [this](const json& body) { return hub_.codes.issue(body, true); }};
    int changes_ = 0;
};

TEST_F(CloudLinkTest, TheLinkIsUpOnceTheUpstreamConnectionCanReceiveAnswers) {
    EXPECT_EQ(cloud_.info(), json({{"state", "down"}, {"since", "2023-11-14T23:13:20Z"}}));
    hub_.scheduler.advance(5s);
    upstream_.connect();
    // Not before the SUBACK for the answers.
    EXPECT_FALSE(cloud_.up());
    hub_.scheduler.settle();
    EXPECT_EQ(upstream_.subscriptions, std::vector<std::string>{kUp + "/response/code/issue"});
    EXPECT_EQ(cloud_.info(), json({{"state", "up"}, {"since", "2023-11-14T23:13:25Z"}}));
    EXPECT_EQ(changes_, 1);
    const auto state = upstream_.on(kUp + "/state");
    ASSERT_EQ(state.size(), 1u);
    EXPECT_EQ(state[0].payload, "online");
    EXPECT_TRUE(state[0].retained);

    hub_.scheduler.advance(5s);
    upstream_.disconnect();
    EXPECT_EQ(cloud_.info(), json({{"state", "down"}, {"since", "2023-11-14T23:13:30Z"}}));
    EXPECT_EQ(changes_, 2);
}

TEST_F(CloudLinkTest, AHeartbeatGoesUpstreamOnConnectAndEveryIntervalWhileUp) {
    connectUpstream();
    hub_.scheduler.advance(125s);
    const std::vector<std::string> beats = {
        R"({"at":"2023-11-14T23:13:20Z","hub_id":"0123456789abcdef"})",
        R"({"at":"2023-11-14T23:14:20Z","hub_id":"0123456789abcdef"})",
        R"({"at":"2023-11-14T23:15:20Z","hub_id":"0123456789abcdef"})"};
    EXPECT_EQ(upstream_.payloadsOn(kUp + "/heartbeat"), beats);
    upstream_.disconnect();
    hub_.scheduler.advance(300s);
    EXPECT_EQ(upstream_.payloadsOn(kUp + "/heartbeat").size(), 3u);
}

TEST_F(CloudLinkTest, WhileUpCodeIssueGoesUpstreamAndItsAnswerIsRelayedToTheRequester) {
    connectUpstream();
    EXPECT_FALSE(issue({{"type", "one_time"}, {"name", "Plumber"}, {"transaction", "t1"}}));
    const auto requests = forwarded();
    ASSERT_EQ(requests.size(), 1u);
    const auto transaction = requests[0]["transaction"].get<std::string>();
    EXPECT_TRUE(transaction.starts_with(std::string(kHubId) + "-")) << transaction;
    EXPECT_EQ(requests[0], json({{"lock", "front"},
                                 {"type", "one_time"},
                                 {"name", "Plumber"},
                                 {"transaction", transaction}}));

    const json data = {{"code", "4471920385"}, {"type", "one_time"}, {"name", "Plumber"}};
    upstream_.deliver(
        kUp + "/response/code/issue",
        json({{"status", "ok"}, {"data", data}, {"transaction", transaction}}).dump());
    hub_.scheduler.settle();
    ASSERT_EQ(answers().size(), 1u);
    EXPECT_EQ(json::parse(answers()[0]),
              json({{"status", "ok"}, {"data", data}, {"transaction", "t1"}}));
    // The cloud's code is the cloud's: nothing issued here, nothing journaled, no timeout later.
    hub_.scheduler.advance(20s);
    EXPECT_EQ(answers().size(), 1u);
    EXPECT_EQ(codes(), json::array());
    EXPECT_EQ(mirrorRows(), 0u);
    EXPECT_TRUE(upstream_.on(kUp + "/journal").empty());
}

TEST_F(CloudLinkTest, TheUpstreamsRefusalIsRelayedAsRejected) {
    connectUpstream();
    issue({{"type", "timed"}, {"name", "Guest"}});
    const auto transaction = forwarded().at(0)["transaction"];
    upstream_.deliver(
        kUp + "/response/code/issue",
        json({{"status", "error"},
              {"error", {{"code", "forbidden"}, {"message", "no codes for this unit"}}},
              {"transaction", transaction}})
            .dump());
    hub_.scheduler.settle();
    ASSERT_EQ(answers().size(), 1u);
    const auto answer = json::parse(answers()[0]);
    EXPECT_EQ(answer["error"],
              json({{"code", "rejected"},
                    {"message", "the cloud issuer refused: forbidden: no codes for this unit"}}));
}

TEST_F(CloudLinkTest, AnUpstreamThatNeverAnswersGetsTheCodeIssuedHereAfterTheTimeout) {
    connectUpstream();
    EXPECT_FALSE(issue({{"type", "one_time"}, {"name", "Plumber"}}, 9999ms));
    const auto answer = issue({{"type", "dynamic"}, {"name", "Courier"}}, 1ms);
    // The second request went upstream too; the first one's timeout fired meanwhile.
    ASSERT_TRUE(answer);
    const auto& data = (*answer)["data"];
    EXPECT_EQ(data["name"], "Plumber");
    EXPECT_EQ(data["state"], "issued_offline");
    EXPECT_EQ(data["offline_reason"], "no_answer");
    EXPECT_EQ(data["code"].get<std::string>().size(), 10u);
    EXPECT_EQ(codes().at(0)["state"], "issued_offline");

    // Journaled upstream at once (the link is up), with the metadata and never the digits.
    const auto journal = upstream_.on(kUp + "/journal");
    ASSERT_EQ(journal.size(), 1u);
    EXPECT_EQ(journal[0].qos, 1);
    EXPECT_EQ(journal[0].payload.find(data["code"].get<std::string>()), std::string::npos);
    EXPECT_EQ(json::parse(journal[0].payload), json({{"entry", "code_issued_offline"},
                                                     {"hub_id", kHubId},
                                                     {"reason", "no_answer"},
                                                     {"code",
                                                      {{"id", 1},
                                                       {"lock", "front"},
                                                       {"type", "one_time"},
                                                       {"name", "Plumber"},
                                                       {"user", nullptr},
                                                       {"window", data["window"]},
                                                       {"serial", data["serial"]},
                                                       {"state", "issued_offline"},
                                                       {"issued_at", "2023-11-14T23:13:30Z"}}}}));
    // A late answer to the first request finds nobody waiting.
    const auto first = forwarded().at(0)["transaction"];
    upstream_.deliver(
        kUp + "/response/code/issue",
        json({{"status", "ok"}, {"data", json::object()}, {"transaction", first}}).dump());
    hub_.scheduler.settle();
    EXPECT_EQ(answers().size(), 1u);
}

TEST_F(CloudLinkTest, WhileDownTheHubIssuesAtOnceAndJournalsOnceWhenTheLinkReturns) {
    const auto answer = issue({{"type", "timed"},
                               {"name", "Guest"},
                               {"start", "2023-11-15T00:00:00Z"},
                               {"end", "2023-11-15T04:00:00Z"}});
    ASSERT_TRUE(answer);
    EXPECT_EQ((*answer)["data"]["state"], "issued_offline");
    EXPECT_EQ((*answer)["data"]["offline_reason"], "link_down");
    EXPECT_TRUE(forwarded().empty());
    EXPECT_EQ(mirrorRows(), 1u);  // the journal entry waits for the link

    upstream_.autoAcknowledge = false;
    connectUpstream();
    const auto journal = upstream_.payloadsOn(kUp + "/journal");
    ASSERT_EQ(journal.size(), 1u);
    EXPECT_EQ(json::parse(journal[0])["reason"], "link_down");
    EXPECT_EQ(json::parse(journal[0])["code"]["name"], "Guest");
    // Unacknowledged, it stays; a reconnect sends it again.
    hub_.scheduler.settle();
    EXPECT_EQ(mirrorRows(), 1u);
    upstream_.disconnect();
    connectUpstream();
    EXPECT_EQ(upstream_.payloadsOn(kUp + "/journal").size(), 2u);
    upstream_.complete();
    hub_.scheduler.advance(OutboxPumpOptions{}.removeWithin);
    EXPECT_EQ(mirrorRows(), 0u);
    // Acknowledged: never again.
    upstream_.disconnect();
    connectUpstream();
    EXPECT_EQ(upstream_.payloadsOn(kUp + "/journal").size(), 2u);
}

TEST_F(CloudLinkTest, AnOfflineCodeIsJournaledInTheDatabaseBeforeItsRequesterGetsIt) {
    // Two commits (the code, then its journal entry) and the answer after both: a crash between
    // them leaves a code that nobody was given, never one in a guest's hands that the upstream
    // never hears of.
    std::optional<std::size_t> journaledWhenAnswered;
    hub_.broker.onPublish = [&](const fakes::FakeBroker::Message& message) {
        if (message.topic == "lockhub/bridge/response/code/issue") {
            journaledWhenAnswered = mirrorRows();
        }
    };
    const auto answer = issue({{"type", "one_time"}, {"name", "Cleaner"}});
    ASSERT_TRUE(answer);
    EXPECT_EQ((*answer)["data"]["state"], "issued_offline");
    EXPECT_EQ(journaledWhenAnswered, 1u);
}

TEST_F(CloudLinkTest, ARequestInFlightWhenTheLinkDropsIsIssuedHereAtOnce) {
    connectUpstream();
    EXPECT_FALSE(issue({{"type", "dynamic"}, {"name", "Courier"}}));
    upstream_.disconnect();
    hub_.scheduler.settle();
    ASSERT_EQ(answers().size(), 1u);
    EXPECT_EQ(json::parse(answers()[0])["data"]["offline_reason"], "link_down");
    hub_.scheduler.advance(20s);
    EXPECT_EQ(answers().size(), 1u);
}

TEST_F(CloudLinkTest, VerificationNeverAsksTheUpstream) {
    issue({{"type", "dynamic"}, {"name", "Courier"}});
    const auto code = json::parse(answers().at(0))["data"]["code"];
    connectUpstream();
    const auto published = upstream_.published.size();
    const auto verified = hub_.request("code/verify", {{"lock", "front"}, {"code", code}});
    EXPECT_EQ(verified["data"]["valid"], true);
    EXPECT_EQ(upstream_.published.size(), published);
}

TEST_F(CloudLinkTest, EventsAreMirroredUpstreamAndADownUpstreamDoesNotDelayLocalDelivery) {
    hub_.radio.report(kFrontMac, {Dp::integer(12, 3)}, at(kCloudLockTime));
    hub_.scheduler.advance(OutboxPumpOptions{}.removeWithin);
    const auto local = hub_.broker.on("lockhub/front/event");
    ASSERT_EQ(local.size(), 1u);
    EXPECT_TRUE(hub_.store.pendingOutbox(100).value().empty());
    ASSERT_EQ(mirrorRows(), 1u);

    upstream_.autoAcknowledge = false;
    connectUpstream();
    const auto mirrored = upstream_.on(kUp + "/front/event");
    ASSERT_EQ(mirrored.size(), 1u);
    EXPECT_EQ(mirrored[0].payload, local[0].payload);
    EXPECT_EQ(mirrored[0].qos, 1);
    // The copy stays until the upstream acknowledges it.
    hub_.scheduler.settle();
    EXPECT_EQ(mirrorRows(), 1u);
    upstream_.complete();
    hub_.scheduler.advance(OutboxPumpOptions{}.removeWithin);
    EXPECT_EQ(mirrorRows(), 0u);

    // While up, a new event goes to both at once; a set/result or bridge message is not mirrored.
    upstream_.autoAcknowledge = true;
    hub_.radio.report(kFrontMac, {Dp::integer(12, 3)}, at(kCloudLockTime + 60));
    hub_.scheduler.advance(100ms);
    EXPECT_EQ(hub_.broker.on("lockhub/front/event").size(), 2u);
    EXPECT_EQ(upstream_.on(kUp + "/front/event").size(), 2u);
    EXPECT_EQ(upstream_.on(kUp + "/front/event")[1].payload,
              hub_.broker.on("lockhub/front/event")[1].payload);
    for (const auto& message : upstream_.published) {
        EXPECT_TRUE(message.topic.starts_with(kUp + "/")) << message.topic;
    }
}

}  // namespace
}  // namespace lockhub
