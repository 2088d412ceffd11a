// TempPasswordService: temp_password/create|modify|delete|list against a lock in memory. The DP 51,
// 52 and 53 writes are checked byte for byte, the lock's `[hardware_id, result]` replies are
// played as the reference firmware sends them, and the answers, the `temp_password` events and
// the stored rows are checked: the limit of 10, the states, the revision, the queue that waits for
// the lock (also across a restart), and the attribution of a DP 55 unlock record.
#include <gtest/gtest.h>

#include "app/TempPasswordAttribution.h"
#include "app/TempPasswordService.h"
#include "tests/fakes/FakeCodePorts.h"
#include "tests/fakes/InMemoryTempPasswordStore.h"
#include "tests/unit/app/ServiceHarness.h"

namespace lockhub {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;
using Bytes = std::vector<std::uint8_t>;
using protocol::tuya::Dp;
using test::kFrontMac;

// The services start at 2023-11-14T23:13:20Z on the manual clock.
constexpr std::int64_t kStart = 1'700'002'800;  // 2023-11-14T23:00:00Z
constexpr std::int64_t kEnd = 1'700'089'200;    // 2023-11-15T23:00:00Z
const std::string kStartIso = "2023-11-14T23:00:00Z";
const std::string kEndIso = "2023-11-15T23:00:00Z";

// No offline codes here: only temporary passwords are attributed.
class NoCodes final : public CodeAttribution {
public:
    std::optional<AttributedCodes> attribute(const PairedLock&, const domain::LockEvent&,
                                             std::span<const std::uint8_t>, std::int64_t) override {
        return std::nullopt;
    }
    void wrongCodeAtLock(const PairedLock&) override {}
};

void putU32(Bytes& out, std::uint32_t value) {
    for (int shift = 24; shift >= 0; shift -= 8) {
        out.push_back(static_cast<std::uint8_t>(value >> shift));
    }
}

// type 0, the validity block (no repeat, 00:00-23:59), valid_num, pwd_len, digit values.
Bytes body(std::uint32_t start, std::uint32_t end, std::uint8_t uses, const Bytes& digits) {
    Bytes out = {0};
    putU32(out, start);
    putU32(out, end);
    out.insert(out.end(), {0, 0, 0, 0, 0, 0, 0, 23, 59});
    out.push_back(uses);
    out.push_back(static_cast<std::uint8_t>(digits.size()));
    out.insert(out.end(), digits.begin(), digits.end());
    return out;
}

class TempHarness : public test::ServiceHarness {
public:
    explicit TempHarness(fakes::InMemoryTempPasswordStore& temps,
                         LinkPolicy::Mode mode = LinkPolicy::Mode::Always)
        : ServiceHarness(mode),
          passwords({.baseTopic = "lockhub", .timeout = 30s}, {temps, userStore, hasher, scheduler},
                    registry, broker, bridge),
          attribution(passwords, noCodes) {
        for (auto role : {domain::DpRole::TempPasswordCreate, domain::DpRole::TempPasswordDelete,
                          domain::DpRole::TempPasswordModify}) {
            replies.route(role, passwords);
        }
        events.setCodeAttribution(attribution);
    }

    fakes::FakeCodeHasher hasher;
    NoCodes noCodes;
    TempPasswordService passwords;
    TempPasswordAttribution attribution;
};

class TempPasswordServiceTest : public ::testing::Test {
protected:
    TempPasswordServiceTest() { hub_->startWithLock("front"); }

    json request(const std::string& op, const json& body) {
        const auto before = hub_->broker.on("lockhub/bridge/response/" + op).size();
        hub_->broker.deliver("lockhub/bridge/request/" + op, body.dump());
        hub_->scheduler.advance(10ms);
        const auto after = hub_->broker.on("lockhub/bridge/response/" + op);
        EXPECT_EQ(after.size(), before + 1) << "no answer to " << op;
        return after.size() > before ? json::parse(after.back().payload) : json();
    }
    json ok(const std::string& op, const json& body) {
        auto response = request(op, body);
        EXPECT_EQ(response["status"], "ok") << op << " " << body.dump() << " → " << response;
        return response["data"];
    }
    std::string errorOf(const std::string& op, const json& body) {
        auto response = request(op, body);
        return response["status"] == "ok" ? "ok" : response["error"]["code"].get<std::string>();
    }
    json create(const std::string& name, const std::string& password, json extra = json::object()) {
        json body = {{"lock", "front"},
                     {"name", name},
                     {"password", password},
                     {"start", kStartIso},
                     {"end", kEndIso}};
        body.update(extra);
        return ok("temp_password/create", body);
    }
    // The raw payloads written on `dp` so far.
    std::vector<Bytes> writesOn(std::uint8_t dp) {
        std::vector<Bytes> out;
        for (const auto& write : hub_->radio.lock(kFrontMac).writes) {
            for (const auto& record : write) {
                if (record.id == dp) {
                    out.push_back(std::get<Bytes>(record.value));
                }
            }
        }
        return out;
    }
    void lockAnswers(std::uint8_t dp, std::uint8_t hardwareId, std::uint8_t result) {
        hub_->radio.report(kFrontMac, {Dp::raw(dp, {hardwareId, result})});
        hub_->scheduler.advance(10ms);
    }
    // Creates `name` and has the lock take it under `hardwareId`.
    json createActive(const std::string& name, const std::string& password,
                      std::uint8_t hardwareId) {
        const auto created = create(name, password);
        lockAnswers(51, hardwareId, 0);
        return created;
    }
    std::vector<json> tempEvents() {
        std::vector<json> out;
        for (const auto& message : hub_->broker.on("lockhub/front/event")) {
            auto event = json::parse(message.payload);
            if (event["event"] == "temp_password") {
                event.erase("hub_time");
                out.push_back(event);
            }
        }
        return out;
    }
    json listed() { return ok("temp_password/list", {{"lock", "front"}}); }
    ports::TempPassword stored(std::int64_t id) {
        const auto rows = store_.tempPasswords(1).value();
        for (const auto& row : rows) {
            if (row.id == id) {
                return row;
            }
        }
        ADD_FAILURE() << "no row " << id;
        return {};
    }
    void outOfRange() {
        hub_->radio.lock(kFrontMac).inRange = false;
        hub_->radio.dropLink(kFrontMac);
        hub_->scheduler.advance(10ms);
    }

    fakes::InMemoryTempPasswordStore store_;
    std::unique_ptr<TempHarness> hub_ = std::make_unique<TempHarness>(store_);
};

TEST_F(TempPasswordServiceTest, CreateWritesDp51AndTheLocksReplyMakesItActive) {
    const auto created = create("Guest", "135790", {{"uses", 2}});
    EXPECT_EQ(created, (json{{"id", 1},
                             {"lock", "front"},
                             {"name", "Guest"},
                             {"user", nullptr},
                             {"window", {{"start", kStartIso}, {"end", kEndIso}}},
                             {"uses", 2},
                             {"revision", 1},
                             {"hardware_id", nullptr},
                             {"state", "pending"},
                             {"queued", "create"},
                             {"error", nullptr},
                             {"created_at", "2023-11-14T23:13:20Z"},
                             {"changed_at", "2023-11-14T23:13:20Z"}}));
    ASSERT_EQ(writesOn(51), (std::vector<Bytes>{body(kStart, kEnd, 2, {1, 3, 5, 7, 9, 0})}));
    EXPECT_EQ(stored(1).pin->reveal(), "135790") << "kept until the lock confirms";

    lockAnswers(51, 4, 0);
    const auto entry = listed()["temp_passwords"].at(0);
    EXPECT_EQ(entry["state"], "active");
    EXPECT_EQ(entry["hardware_id"], 4);
    EXPECT_EQ(entry["queued"], nullptr);
    EXPECT_FALSE(stored(1).pin) << "only the keyed hash once the lock has it";
    EXPECT_EQ(stored(1).hash, hub_->hasher.hash(SecretString("135790")));
    EXPECT_EQ(tempEvents().back(), (json{{"event", "temp_password"},
                                         {"id", 1},
                                         {"name", "Guest"},
                                         {"state", "active"},
                                         {"revision", 1},
                                         {"hardware_id", 4},
                                         {"queued", nullptr},
                                         {"error", nullptr}}));
    for (const auto& message : hub_->broker.published) {
        EXPECT_EQ(message.payload.find("135790"), std::string::npos) << message.topic;
    }
}

TEST_F(TempPasswordServiceTest, TenAreValidTheEleventhIsRefusedAndADeleteFreesASlot) {
    for (int i = 0; i < 10; ++i) {
        createActive("Guest " + std::to_string(i), "20000" + std::to_string(i) + "0",
                     static_cast<std::uint8_t>(i));
    }
    EXPECT_EQ(listed()["valid"], 10);
    auto refused = request("temp_password/create", {{"lock", "front"},
                                                    {"name", "Eleventh"},
                                                    {"password", "999999"},
                                                    {"start", kStartIso},
                                                    {"end", kEndIso}});
    EXPECT_EQ(refused["error"],
              (json{{"code", "limit_reached"},
                    {"message",
                     "lock \"front\" already has 10 valid temporary passwords; delete "
                     "one first"}}));
    EXPECT_EQ(writesOn(51).size(), 10u);

    EXPECT_EQ(ok("temp_password/delete", {{"id", 3}})["state"], "deleting");
    EXPECT_EQ(writesOn(52), (std::vector<Bytes>{{2}})) << "the lock's hardware id";
    lockAnswers(52, 2, 0);
    EXPECT_EQ(tempEvents().back()["state"], "gone");
    EXPECT_EQ(listed()["valid"], 9);
    EXPECT_EQ(create("Eleventh", "999999")["state"], "pending");
    EXPECT_EQ(errorOf("temp_password/delete", {{"id", 3}}), "not_found");
}

TEST_F(TempPasswordServiceTest, ADeleteThatNamesALockOnlyDeletesThatLocksPassword) {
    createActive("Guest", "2000010", 0);
    EXPECT_EQ(request("temp_password/delete", {{"id", 1}, {"lock", "back"}})["error"],
              (json{{"code", "not_found"}, {"message", "lock back has no temporary password 1"}}));
    EXPECT_EQ(listed()["valid"], 1);
    EXPECT_EQ(ok("temp_password/delete", {{"id", 1}, {"lock", "front"}})["state"], "deleting");
}

TEST_F(TempPasswordServiceTest, ExpiredPasswordsFreeTheirSlotAndAreDeletedAtTheLockFirst) {
    for (int i = 0; i < 10; ++i) {
        createActive("Guest " + std::to_string(i), "30000" + std::to_string(i) + "0",
                     static_cast<std::uint8_t>(i));
    }
    ok("temp_password/modify",
       {{"id", 1}, {"end", "2023-11-15T00:00:00Z"}, {"password", "300000"}});
    lockAnswers(53, 0, 0);
    hub_->scheduler.advance(2h);
    EXPECT_EQ(listed()["temp_passwords"].at(0)["state"], "expired");
    EXPECT_EQ(listed()["valid"], 9);
    EXPECT_EQ(writesOn(52), (std::vector<Bytes>{{0}})) << "the lock keeps an expired one's slot";
    create("Another", "777777");
    EXPECT_EQ(writesOn(51).size(), 10u) << "the create waits for the deletion";
    lockAnswers(52, 0, 0);
    EXPECT_EQ(writesOn(51).size(), 11u);
    EXPECT_EQ(listed()["temp_passwords"].at(0)["state"], "expired");
}

TEST_F(TempPasswordServiceTest, EveryChangeBumpsTheRevisionAndTimesRewriteItAtTheLock) {
    createActive("Guest", "246802", 5);
    auto renamed = ok("temp_password/modify", {{"id", 1}, {"name", "Guest (Anna)"}});
    EXPECT_EQ(renamed["revision"], 2);
    EXPECT_EQ(renamed["state"], "active") << "a name is the hub's alone";
    EXPECT_TRUE(writesOn(53).empty());

    auto noPassword = request("temp_password/modify", {{"id", 1}, {"end", "2023-11-16T23:00:00Z"}});
    EXPECT_EQ(noPassword["error"]["code"], "bad_request");
    EXPECT_EQ(noPassword["error"]["message"],
              "/password: changing the window or the uses rewrites the password at the lock; send "
              "the password (the same or a new one)");

    auto moved = ok("temp_password/modify",
                    {{"id", 1}, {"end", "2023-11-16T23:00:00Z"}, {"password", "246802"}});
    EXPECT_EQ(moved["revision"], 3);
    EXPECT_EQ(moved["state"], "pending");
    EXPECT_EQ(moved["queued"], "modify");
    Bytes expected = {5};
    const auto rest = body(kStart, kEnd + 86400, 0, {2, 4, 6, 8, 0, 2});
    expected.insert(expected.end(), rest.begin(), rest.end());
    EXPECT_EQ(writesOn(53), (std::vector<Bytes>{expected}));
    lockAnswers(53, 5, 0);
    const auto entry = listed()["temp_passwords"].at(0);
    EXPECT_EQ(entry["state"], "active");
    EXPECT_EQ(entry["revision"], 3);
    EXPECT_EQ(entry["name"], "Guest (Anna)");
    EXPECT_EQ(entry["window"]["end"], "2023-11-16T23:00:00Z");
    EXPECT_FALSE(stored(1).pin);
}

TEST_F(TempPasswordServiceTest, StaysPendingUntilTheLockIsConnected) {
    outOfRange();
    create("Guest", "112233");
    EXPECT_TRUE(writesOn(51).empty());
    hub_->scheduler.advance(60s);
    EXPECT_EQ(listed()["temp_passwords"].at(0)["state"], "pending");
    EXPECT_EQ(stored(1).pin->reveal(), "112233");

    hub_->radio.lock(kFrontMac).inRange = true;
    for (int s = 0; s < 150 && writesOn(51).empty(); ++s) {
        hub_->scheduler.advance(1s);  // until the link's next attempt
    }
    ASSERT_EQ(writesOn(51).size(), 1u);
    lockAnswers(51, 0, 0);
    EXPECT_EQ(listed()["temp_passwords"].at(0)["state"], "active");
}

TEST_F(TempPasswordServiceTest, ALockWithoutAFreeSlotFailsItWithAClearReason) {
    create("Guest", "445566");
    lockAnswers(51, 0xFF, 2);
    const auto entry = listed()["temp_passwords"].at(0);
    EXPECT_EQ(entry["state"], "failed");
    EXPECT_EQ(entry["error"], "no_free_slot");
    EXPECT_EQ(entry["hardware_id"], nullptr);
    EXPECT_EQ(tempEvents().back()["error"], "no_free_slot");
    EXPECT_EQ(listed()["valid"], 0) << "a failed one holds no slot";
    EXPECT_FALSE(stored(1).pin);
    EXPECT_EQ(errorOf("temp_password/modify", {{"id", 1}, {"name", "Again"}}), "conflict");
}

TEST_F(TempPasswordServiceTest, ARestartSendsTheQueuedOperationsAtTheNextConnection) {
    outOfRange();
    create("Guest", "998877");
    create("Second", "000000");
    hub_.reset();  // the daemon stops; the store keeps the queue

    hub_ = std::make_unique<TempHarness>(store_);
    hub_->startWithLock("front");
    hub_->scheduler.advance(100ms);
    ASSERT_EQ(writesOn(51), (std::vector<Bytes>{body(kStart, kEnd, 0, {9, 9, 8, 8, 7, 7})}));
    lockAnswers(51, 1, 0);
    EXPECT_EQ(writesOn(51).size(), 2u) << "then the next one";
    lockAnswers(51, 2, 0);
    const auto entries = listed()["temp_passwords"];
    EXPECT_EQ(entries.at(0)["state"], "active");
    EXPECT_EQ(entries.at(0)["hardware_id"], 1);
    EXPECT_EQ(entries.at(1)["hardware_id"], 2);
}

TEST_F(TempPasswordServiceTest, AnUnlockRecordNamesThePasswordAndItsUser) {
    ok("user/set", {{"name", "Alice"}});
    const auto created = create("Cleaner", "564738", {{"user", 1}});
    lockAnswers(51, 7, 0);
    hub_->radio.report(kFrontMac, {Dp::integer(55, 7)}, test::at(1'700'000'100));
    hub_->scheduler.advance(100ms);
    const auto event = hub_->lastJson("lockhub/front/event");
    EXPECT_EQ(event["event"], "unlock");
    EXPECT_EQ(event["method"], "temporary");
    EXPECT_EQ(event["credential"], 7);
    EXPECT_EQ(event["code"],
              (json{{"id", created["id"]}, {"name", "Cleaner"}, {"type", "temporary"}}));
    EXPECT_EQ(event["user"], (json{{"id", 1}, {"name", "Alice"}}));
}

TEST_F(TempPasswordServiceTest, BadRequestsGetSpecificErrors) {
    const json base = {{"lock", "front"},
                       {"name", "Guest"},
                       {"password", "123456"},
                       {"start", kStartIso},
                       {"end", kEndIso}};
    auto with = [&](json patch) {
        json body = base;
        body.merge_patch(patch);
        return request("temp_password/create", body)["error"];
    };
    EXPECT_EQ(with({{"password", "12345"}})["message"], "/password: expected 6 to 10 digits 0-9");
    EXPECT_EQ(with({{"password", "12345a"}})["code"], "bad_request");
    EXPECT_EQ(with({{"end", kStartIso}})["message"], "/end: must be after the start");
    EXPECT_EQ(with({{"end", "2023-11-14T23:10:00Z"}})["message"], "/end: already passed");
    EXPECT_EQ(with({{"uses", 256}})["code"], "bad_request");
    EXPECT_EQ(with({{"lock", "back"}})["code"], "not_found");
    EXPECT_EQ(with({{"user", 9}})["code"], "not_found");
    EXPECT_EQ(with({{"start", "tomorrow"}})["code"], "bad_request");
    create("Guest", "123456");
    EXPECT_EQ(with({{"name", "Twin"}})["code"], "conflict") << "the same digits twice";
    EXPECT_EQ(errorOf("temp_password/modify", {{"id", 1}}), "bad_request");
    EXPECT_EQ(errorOf("temp_password/delete", {{"id", 42}}), "not_found");
    for (const auto& message : hub_->broker.published) {
        EXPECT_EQ(message.payload.find("123456"), std::string::npos) << message.topic;
    }
}

TEST_F(TempPasswordServiceTest, AChangeWhileTheCreateIsUnderWayFollowsAsAModifyARenameDoesNot) {
    create("Guest", "135790");
    ok("temp_password/modify", {{"id", 1}, {"name", "Guest (Anna)"}});
    lockAnswers(51, 2, 0);
    EXPECT_EQ(listed()["temp_passwords"].at(0)["state"], "active");
    EXPECT_TRUE(writesOn(53).empty()) << "a rename is the hub's alone";

    create("Second", "246802");
    ok("temp_password/modify", {{"id", 2}, {"end", "2023-11-16T23:00:00Z"}});
    lockAnswers(51, 3, 0);
    ASSERT_EQ(writesOn(53).size(), 1u) << "the new window follows the create";
    EXPECT_EQ(writesOn(53).front().front(), 3) << "under the id the lock gave it";
    EXPECT_EQ(listed()["temp_passwords"].at(1)["state"], "pending");
    lockAnswers(53, 3, 0);
    EXPECT_EQ(listed()["temp_passwords"].at(1)["state"], "active");
}

class SleepingLockTempPasswordTest : public TempPasswordServiceTest {
protected:
    SleepingLockTempPasswordTest() {
        hub_.reset();
        hub_ = std::make_unique<TempHarness>(store_, LinkPolicy::Mode::OnDemand);
        hub_->startWithLock("front");
        hub_->scheduler.advance(60s);  // the link lingers, then sleeps
    }
};

TEST_F(SleepingLockTempPasswordTest, ASleepingLockIsCalledForItsQueuedPassword) {
    ASSERT_NE(hub_->registry.byTopic("front")->link->state(), LinkState::Ready);
    create("Guest", "112358");
    for (int s = 0; s < 30 && writesOn(51).empty(); ++s) {
        hub_->scheduler.advance(1s);
    }
    ASSERT_EQ(writesOn(51).size(), 1u);
    lockAnswers(51, 0, 0);
    EXPECT_EQ(listed()["temp_passwords"].at(0)["state"], "active");
}

}  // namespace
}  // namespace lockhub
