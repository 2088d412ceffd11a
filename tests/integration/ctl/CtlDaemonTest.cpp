// lockhubctl against the whole system: mosquitto, a private dbus-daemon, lockhub-sim and lockhubd
// (SimulatedHub). Every subcommand the daemon serves, in tables and --json, and the exit
// statuses 0, 1, 2 and 3.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "integration/ctl/CtlProcess.h"
#include "scenarios/SimulatedHub.h"

namespace lockhub::testing {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

// The VALUE column of the KEY row of a two-column table.
std::string valueOf(const std::string& table, const std::string& key) {
    std::istringstream lines(table);
    std::string line;
    while (std::getline(lines, line)) {
        if (line.starts_with(key + " ")) {
            return line.substr(line.find_first_not_of(' ', key.size()));
        }
    }
    return "(no row " + key + ")";
}

class CtlAgainstDaemon : public ::testing::Test {
protected:
    void TearDown() override {
        if (HasFailure()) {
            std::cerr << hub_.diagnostics();
        }
    }

    CtlResult ctl(std::vector<std::string> args, std::map<std::string, std::string> env = {}) {
        args.insert(args.begin(), {"--broker", hub_.broker().uri()});
        return runCtl(dir_.path(), args, env);
    }

    // The output of a command that must succeed with --json.
    json ctlJson(std::vector<std::string> args) {
        args.push_back("--json");
        const auto result = ctl(args);
        EXPECT_EQ(result.code, 0) << result.err;
        return json::parse(result.out, nullptr, false);
    }

    void pairFront() {
        const auto lock = hub_.credentials(0);
        const auto result =
            ctl({"pair", "--mac", lock["mac"], "--uuid", lock["uuid"], "--local-key",
                 lock["local_key"], "--device-id", lock["device_id"], "--name", "Front Door",
                 "--protocol", std::to_string(lock["protocol"].get<int>())});
        ASSERT_EQ(result.code, 0) << result.err;
        ASSERT_TRUE(hub_.probe().waitFor("lockhub/front-door/availability", 20s,
                                         [](const auto& m) { return m.payload == "online"; }));
    }

    TempDir dir_;
    SimulatedHub hub_;
};

TEST_F(CtlAgainstDaemon, StatusShowsHealthAndTheRetainedInfo) {
    const auto status = ctlJson({"status"});
    EXPECT_EQ(status["health"]["healthy"], true);
    EXPECT_EQ(status["health"]["mqtt"], "connected");
    EXPECT_EQ(status["info"]["hub_id"], status["health"]["hub_id"]);
    EXPECT_EQ(status["info"]["storage"]["status"], "ok");

    const auto table = ctl({"status"});
    EXPECT_EQ(table.code, 0) << table.err;
    EXPECT_TRUE(table.out.starts_with("KEY ")) << table.out;
    EXPECT_EQ(valueOf(table.out, "healthy"), "yes") << table.out;
    EXPECT_EQ(valueOf(table.out, "storage"), "ok") << table.out;
    EXPECT_EQ(valueOf(table.out, "hub_id"), status["health"]["hub_id"]) << table.out;
}

TEST_F(CtlAgainstDaemon, PairWithFlagsAndListTheLocks) {
    const auto lock = hub_.credentials(0);
    const auto paired =
        ctl({"pair", "--mac", lock["mac"], "--uuid", lock["uuid"], "--local-key", lock["local_key"],
             "--device-id", lock["device_id"], "--name", "Front Door", "--protocol",
             std::to_string(lock["protocol"].get<int>()), "--policy", "always"});
    ASSERT_EQ(paired.code, 0) << paired.err;
    EXPECT_TRUE(paired.out.starts_with("LOCK        NAME        MAC"));
    EXPECT_NE(paired.out.find("front-door  Front Door  " + lock["mac"].get<std::string>()),
              std::string::npos)
        << paired.out;
    EXPECT_EQ(paired.out.find(lock["local_key"].get<std::string>()), std::string::npos);
    // The local key crossed the broker only sealed to the hub's seal_key.
    const auto request = hub_.probe().messagesOn("lockhub/bridge/request/lock/pair").at(0).payload;
    EXPECT_NE(request.find("\"local_key\":{\"sealed\":\""), std::string::npos) << request;
    EXPECT_EQ(request.find(lock["local_key"].get<std::string>()), std::string::npos) << request;

    const auto locks = ctlJson({"locks"});
    ASSERT_EQ(locks["locks"].size(), 1u) << locks.dump();
    EXPECT_EQ(locks["locks"][0]["lock"], "front-door");
    EXPECT_EQ(locks["locks"][0]["mac"], lock["mac"]);
    EXPECT_EQ(locks["locks"][0]["policy"]["mode"], "always");
}

TEST_F(CtlAgainstDaemon, PairFromTinytuyaDevicesJsonByName) {
    const std::string sample = std::string(LOCKHUB_CTL_SAMPLES) + "/devices.json";
    // The sample holds lockhub-sim's second lock (--seed 7) as tinytuya's wizard writes it.
    const auto sim = hub_.credentials(1);
    const auto file = json::parse(std::ifstream(sample));
    ASSERT_EQ(file[1]["key"], sim["local_key"]) << "the sample no longer matches lockhub-sim";
    ASSERT_EQ(file[1]["uuid"], sim["uuid"]);

    const auto both = ctl({"pair", "--from", sample});
    EXPECT_EQ(both.code, 2) << "two devices and none named";
    EXPECT_NE(both.err.find("\"Hall Plug\", \"Back Door\""), std::string::npos) << both.err;
    const auto unknown = ctl({"pair", "--from", sample, "Garage"});
    EXPECT_EQ(unknown.code, 1);
    EXPECT_NE(unknown.err.find("no device is called or has the id \"Garage\""), std::string::npos);

    const auto paired = ctl({"pair", "--from", sample, "Back Door", "--json"});
    ASSERT_EQ(paired.code, 0) << paired.err;
    const auto lock = json::parse(paired.out);
    EXPECT_EQ(lock["lock"], "back-door");
    EXPECT_EQ(lock["name"], "Back Door");
    EXPECT_EQ(lock["mac"], "DC:23:87:64:00:01");
    EXPECT_EQ(lock["product_id"], "pdlqumdp");

    // Selected by id, the same lock again: the hub's conflict is an error response.
    const auto again = ctl({"pair", "--from", sample, "bfykp87mrhsn9qhtm1xddl"});
    EXPECT_EQ(again.code, 1);
    EXPECT_NE(again.err.find("conflict: "), std::string::npos) << again.err;
}

TEST_F(CtlAgainstDaemon, ScanListsBothSimulatedLocks) {
    const auto scan = ctlJson({"scan", "--duration", "2"});
    std::set<std::string> macs;
    for (const auto& lock : scan["locks"]) {
        macs.insert(lock["mac"].get<std::string>());
    }
    EXPECT_TRUE(macs.contains(hub_.credentials(0)["mac"])) << scan.dump();
    EXPECT_TRUE(macs.contains(hub_.credentials(1)["mac"])) << scan.dump();
}

TEST_F(CtlAgainstDaemon, RenameRemoveAndTheNotFoundError) {
    pairFront();
    const auto renamed = ctlJson({"rename", "front-door", "Main Door"});
    EXPECT_EQ(renamed["name"], "Main Door");
    EXPECT_EQ(renamed["lock"], "front-door");

    const auto removed = ctl({"remove", "front-door"});
    EXPECT_EQ(removed.code, 0) << removed.err;
    EXPECT_NE(removed.out.find("front-door  Main Door"), std::string::npos) << removed.out;
    EXPECT_TRUE(ctlJson({"locks"})["locks"].empty());

    const auto missing = ctl({"remove", "front-door"});
    EXPECT_EQ(missing.code, 1);
    EXPECT_TRUE(missing.out.empty());
    EXPECT_TRUE(missing.err.starts_with("lockhubctl: not_found: ")) << missing.err;
}

TEST_F(CtlAgainstDaemon, DiagnosePrintsTheLocksChecklist) {
    pairFront();
    const auto diagnosed = ctl({"diagnose", "front-door"});
    EXPECT_EQ(diagnosed.code, 0) << diagnosed.err;
    EXPECT_TRUE(diagnosed.out.starts_with("CHECK ")) << diagnosed.out;
    // A fresh pairing: T0 written by the hub, nothing lost, no alarm.
    EXPECT_NE(diagnosed.out.find("\nt0             ok"), std::string::npos) << diagnosed.out;
    EXPECT_NE(diagnosed.out.find("\nrecords_lost   ok"), std::string::npos) << diagnosed.out;
    EXPECT_TRUE(diagnosed.out.ends_with("\nactive alarms: none\n")) << diagnosed.out;
    EXPECT_EQ(ctlJson({"diagnose", "front-door"})["lock"], "front-door");

    const auto missing = ctl({"diagnose", "garage"});
    EXPECT_EQ(missing.code, 1);
    EXPECT_TRUE(missing.err.starts_with("lockhubctl: not_found: ")) << missing.err;
}

TEST_F(CtlAgainstDaemon, UnlockAndLockWaitForTheirResult) {
    pairFront();
    const auto unlocked = ctl({"unlock", "front-door"});
    EXPECT_EQ(unlocked.code, 0) << unlocked.err;
    EXPECT_EQ(unlocked.out, "UNLOCK front-door: ok\n");
    EXPECT_TRUE(hub_.probe().waitFor("lockhub/front-door/state", 10s, [](const auto& m) {
        return json::parse(m.payload, nullptr, false).value("lock", "") == "unlocked";
    }));

    const auto locked = ctlJson({"lock", "front-door"});
    EXPECT_EQ(locked["state"], "LOCK");
    EXPECT_EQ(locked["result"], "ok");
    EXPECT_TRUE(locked["transaction"].get<std::string>().starts_with("lockhubctl-"));

    const auto unknown = ctl({"unlock", "garage"});
    EXPECT_EQ(unknown.code, 1);
    EXPECT_TRUE(unknown.err.starts_with("lockhubctl: UNLOCK garage: rejected")) << unknown.err;
}

TEST_F(CtlAgainstDaemon, UsersCredentialsAndAWatchedUnlockByName) {
    pairFront();
    const auto alice = ctlJson({"users", "set", "Alice", "--arrived"});
    EXPECT_EQ(alice, (json{{"id", 1}, {"name", "Alice"}, {"arrived", true}}));
    const auto users = ctl({"users", "list"});
    EXPECT_EQ(users.out, "ID  NAME   ARRIVED\n1   Alice  yes\n");

    const auto assigned =
        ctlJson({"credentials", "assign", "front-door", "fingerprint", "3", "Alice"});
    EXPECT_EQ(assigned["user"], (json{{"id", 1}, {"name", "Alice"}}));
    EXPECT_EQ(assigned["duress"], false);
    const auto listed = ctl({"credentials", "list", "--user", "1"});
    EXPECT_EQ(listed.out,
              "LOCK        METHOD       CREDENTIAL  USER   DURESS\n"
              "front-door  fingerprint  3           Alice  no\n");

    auto watch = startCtl(dir_.path(), {"--broker", hub_.broker().uri(), "watch", "--count", "1"});
    ASSERT_TRUE(
        waitUntil([&] { return watch->stderrText().find("watching") != std::string::npos; }, 10s))
        << describe(*watch);
    hub_.ctl({"fingerprint", "lock1", "3"});
    const auto status = watch->waitExit(20s);
    ASSERT_TRUE(status && status->exited) << describe(*watch);
    EXPECT_EQ(status->code, 0);
    const std::string line = watch->stdoutText();
    EXPECT_NE(line.find("  front-door  unlock  fingerprint #3  Alice\n"), std::string::npos)
        << line;

    const auto renamed = ctlJson({"users", "set", "Alicia", "--id", "1"});
    EXPECT_EQ(renamed["name"], "Alicia");
    // A mechanical key is only known to the hub, so removing it asks nothing of the lock (a hub
    // that deletes credentials at the lock would refuse fingerprint 3: the sim never enrolled it).
    ctlJson({"credentials", "assign", "front-door", "key", "1", "Alicia"});
    const auto dropped = ctlJson({"credentials", "remove", "front-door", "key", "1"});
    EXPECT_EQ(dropped["method"], "key");
    EXPECT_EQ(dropped["user"]["name"], "Alicia");
    const auto left = ctlJson({"credentials", "list"})["credentials"];
    ASSERT_EQ(left.size(), 1u) << left.dump();
    EXPECT_EQ(left[0]["method"], "fingerprint");

    ctlJson({"users", "set", "Bob"});
    const auto removed = ctl({"users", "remove", "Bob"});
    EXPECT_EQ(removed.code, 0) << removed.err;
    EXPECT_EQ(removed.out, "removed user 2 Bob\n");
    const auto gone = ctl({"users", "remove", "Bob"});
    EXPECT_EQ(gone.code, 1);
    EXPECT_EQ(gone.err, "lockhubctl: not_found: no user is called \"Bob\"\n");
}

TEST_F(CtlAgainstDaemon, CredentialsEnrolAPasswordAndAFingerprintAtTheSimulatedLock) {
    pairFront();
    ctlJson({"users", "set", "Alice"});
    const auto held = hub_.inspect("lock1")["credentials"].size();
    const auto password =
        ctlJson({"credentials", "enrol", "front-door", "Alice", "password", "--pin", "246801"});
    EXPECT_EQ(password, (json{{"lock", "front-door"},
                              {"method", "password"},
                              {"credential", 0},
                              {"user", {{"id", 1}, {"name", "Alice"}}},
                              {"duress", false}}));
    EXPECT_EQ(hub_.inspect("lock1")["credentials"].size(), held + 1) << hub_.inspect("lock1");

    // A fingerprint: the live display shows every touch the sim's sensor takes.
    auto enrol = startCtl(dir_.path(), {"--broker", hub_.broker().uri(), "credentials", "enrol",
                                        "front-door", "Alice", "fingerprint"});
    ASSERT_TRUE(waitUntil([&] { return hub_.inspect("lock1")["enrolling"] == 3; }, 15s))
        << describe(*enrol);
    for (int touch = 1; touch <= 4; ++touch) {
        const auto shown =
            "running, " + std::to_string(touch) + (touch == 1 ? " touch" : " touches");
        hub_.ctl({"fingerprint", "lock1", "0"});
        ASSERT_TRUE(
            waitUntil([&] { return enrol->stdoutText().find(shown) != std::string::npos; }, 10s))
            << describe(*enrol);
    }
    const auto status = enrol->waitExit(20s);
    ASSERT_TRUE(status && status->exited) << describe(*enrol);
    EXPECT_EQ(status->code, 0) << describe(*enrol);
    const auto out = enrol->stdoutText();
    EXPECT_NE(out.find("fingerprint enrolment for Alice: started\n"), std::string::npos) << out;
    EXPECT_NE(out.find("fingerprint enrolment for Alice: complete, 4 touches, credential #"),
              std::string::npos)
        << out;
    EXPECT_NE(out.find("front-door  fingerprint"), std::string::npos) << out;
    EXPECT_EQ(hub_.inspect("lock1")["credentials"].size(), held + 2) << hub_.inspect("lock1");
}

TEST_F(CtlAgainstDaemon, BrokerSettingsFromTheDaemonsConfigFileAndTheEnvironment) {
    const auto config = dir_.path() / "lockhubd.json";
    std::ofstream(config) << "// the daemon's own file, comments and all\n"
                          << json{{"mqtt", {{"port", hub_.broker().port()}}}}.dump();
    const auto fromFile = runCtl(dir_.path(), {"--config", config.string(), "locks", "--json"});
    EXPECT_EQ(fromFile.code, 0) << fromFile.err;
    EXPECT_EQ(json::parse(fromFile.out, nullptr, false), (json{{"locks", json::array()}}));

    const auto fromEnv = runCtl(dir_.path(), {"locks"}, {{"LOCKHUB_BROKER", hub_.broker().uri()}});
    EXPECT_EQ(fromEnv.code, 0) << fromEnv.err;
    EXPECT_EQ(fromEnv.out, "LOCK  NAME  MAC  STATE  LINK  AVAILABLE  BATTERY  POLICY\n");

    // Another base topic: nobody answers there.
    const auto elsewhere =
        runCtl(dir_.path(), {"--timeout", "1", "locks"},
               {{"LOCKHUB_CONFIG", config.string()}, {"LOCKHUB_BASE_TOPIC", "other"}});
    EXPECT_EQ(elsewhere.code, 3);

    std::ofstream(dir_.path() / "bad.json") << R"({"mqtt": {"port": "1883"}})";
    const auto bad =
        runCtl(dir_.path(), {"--config", (dir_.path() / "bad.json").string(), "locks"});
    EXPECT_EQ(bad.code, 1);
    EXPECT_NE(bad.err.find("/mqtt/port"), std::string::npos) << bad.err;
}

TEST_F(CtlAgainstDaemon, ExitStatusesForUsageAndForNoAnswer) {
    const auto unknown = ctl({"frobnicate"});
    EXPECT_EQ(unknown.code, 2);
    EXPECT_EQ(unknown.err, "lockhubctl: unknown command \"frobnicate\" (see lockhubctl --help)\n");
    const auto missing = ctl({"rename", "front-door"});
    EXPECT_EQ(missing.code, 2);
    EXPECT_NE(missing.err.find("missing NAME"), std::string::npos) << missing.err;
    const auto badFlag = ctl({"locks", "--verbose"});
    EXPECT_EQ(badFlag.code, 2);

    const auto help = ctl({"credentials", "enrol", "--help"});
    EXPECT_EQ(help.code, 0);
    EXPECT_NE(help.out.find("--enrol-timeout SECONDS"), std::string::npos) << help.out;

    hub_.stopDaemon();
    const auto silent = ctl({"--timeout", "1", "locks"});
    EXPECT_EQ(silent.code, 3);
    EXPECT_NE(silent.err.find("no answer from lockhubd to lock/list within 1 s"), std::string::npos)
        << silent.err;
    const auto noBroker = runCtl(dir_.path(), {"--broker", "tcp://127.0.0.1:1", "locks"});
    EXPECT_EQ(noBroker.code, 3);
    EXPECT_NE(noBroker.err.find("cannot connect to the broker tcp://127.0.0.1:1"),
              std::string::npos)
        << noBroker.err;
}

}  // namespace
}  // namespace lockhub::testing
