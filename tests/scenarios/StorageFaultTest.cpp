// The disk under the state directory fails: writes to the database return EIO (an LD_PRELOAD
// shim built for these tests), or the directory is a small tmpfs that fills up. Either way the
// daemon must keep running (same process, no restart loop), say `degraded` in its STATUS= line
// and the storage error in bridge/info, still publish what locks report, leave every unstored
// record with the lock (no ack), and store everything once the disk works again.
#include <gtest/gtest.h>
#include <sched.h>
#include <sys/mount.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <thread>

#include "scenarios/HubInspection.h"
#include "scenarios/SimulatedHub.h"
#include "support/NotifySocket.h"

namespace lockhub::testing {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

constexpr std::size_t kBurst = 8;

std::set<std::string> eventIds(SimulatedHub& hub) {
    std::set<std::string> ids;
    for (const auto& m : hub.probe().messagesOn("lockhub/front/event")) {
        ids.insert(json::parse(m.payload)["event_id"].get<std::string>());
    }
    return ids;
}

// The first bridge/info from index `from` on whose storage status is `status`.
std::optional<json> storageInInfo(SimulatedHub& hub, const std::string& status,
                                  std::size_t from = 0) {
    const auto info = hub.probe().waitFor(
        "lockhub/bridge/info", 15s,
        [&](const ReceivedMessage& m) {
            return json::parse(m.payload)["storage"]["status"] == status;
        },
        from);
    return info ? std::optional(json::parse(info->payload)["storage"]) : std::nullopt;
}

class StorageFault : public ::testing::Test {
protected:
    std::unique_ptr<SimulatedHub> start(std::map<std::string, std::string> env) {
        env["NOTIFY_SOCKET"] = notify_.address();
        SimulatedHubOptions options;
        options.daemonEnv = std::move(env);
        return std::make_unique<SimulatedHub>(std::move(options));
    }

    void pairAndStoreABurst(SimulatedHub& hub) {
        const auto paired = hub.pair(0, "Front");
        ASSERT_EQ(paired["status"], "ok") << paired.dump();
        ASSERT_TRUE(waitUntil([&] { return hub.inspect("lock1")["paired"] == true; }, 20s));
        hub.ctl({"burst", "lock1", std::to_string(kBurst)});
        ASSERT_TRUE(waitUntil([&] { return hub.inspect("lock1")["pending_records"].empty(); }, 30s))
            << hub.diagnostics();
        ASSERT_EQ(storedRecords(hub.database()).size(), kBurst);
    }

    // With the disk failing. The lock uploads its records one at a time, each after the previous
    // one's ack, so of a burst only the first reaches the hub: it is published live, once, and
    // neither it nor any behind it is acknowledged.
    void expectDegraded(SimulatedHub& hub, const std::string& errorText) {
        const auto pid = hub.daemon().process().pid();
        const auto idsBefore = eventIds(hub);
        hub.ctl({"burst", "lock1", std::to_string(kBurst)});
        const auto storage = storageInInfo(hub, "error");
        ASSERT_TRUE(storage) << hub.diagnostics();
        EXPECT_NE(storage->value("message", "").find(errorText), std::string::npos)
            << storage->dump();
        const auto status = notify_.waitForStatus(
            [](const std::string& s) { return s.rfind("degraded: storage error: ", 0) == 0; }, 10s);
        ASSERT_TRUE(status) << "STATUS= lines: " << json(notify_.statuses()).dump();
        EXPECT_NE(status->find(errorText), std::string::npos) << *status;
        ASSERT_TRUE(waitUntil([&] { return eventIds(hub).size() == idsBefore.size() + 1; }, 15s))
            << "the live event was not published while the store fails\n"
            << hub.diagnostics();
        // Two of the lock's retry intervals: it keeps sending, the hub keeps refusing to ack.
        std::this_thread::sleep_for(13s);
        EXPECT_EQ(json::parse(hub.ctl({"acked", "lock1"})).size(), kBurst)
            << "an unstored record was acknowledged";
        EXPECT_EQ(hub.inspect("lock1")["pending_records"].size(), kBurst);
        EXPECT_EQ(storedRecords(hub.database()).size(), kBurst);
        EXPECT_EQ(eventIds(hub).size(), idsBefore.size() + 1)
            << "a resent record was published live twice";
        ASSERT_TRUE(hub.daemon().process().running()) << hub.diagnostics();
        EXPECT_EQ(hub.daemon().process().pid(), pid);
        idsDuringFault_ = eventIds(hub).size();
        infoDuringFault_ = hub.probe().messagesOn("lockhub/bridge/info").size();
    }

    // The disk works again. A lock gives a report up after three unacknowledged sends and keeps
    // its record for the next connection; the link is broken so that the next one comes now.
    void expectRecovered(SimulatedHub& hub) {
        hub.ctl({"drop", "lock1"});
        ASSERT_TRUE(waitUntil([&] { return hub.inspect("lock1")["pending_records"].empty(); }, 40s))
            << hub.diagnostics();
        EXPECT_EQ(json::parse(hub.ctl({"acked", "lock1"})).size(), 2 * kBurst);
        EXPECT_EQ(storedRecords(hub.database()).size(), 2 * kBurst);
        // The live event's stored copy came with the same event_id: one id per record.
        EXPECT_TRUE(
            waitUntil([&] { return eventIds(hub).size() == idsDuringFault_ + kBurst - 1; }, 10s))
            << hub.diagnostics();
        EXPECT_TRUE(storageInInfo(hub, "ok", infoDuringFault_)) << hub.diagnostics();
        ASSERT_FALSE(notify_.statuses().empty());
        EXPECT_TRUE(waitUntil(
            [&] { return notify_.statuses().back().find("degraded") == std::string::npos; }, 10s))
            << notify_.statuses().back();
        EXPECT_EQ(queryDatabase(hub.database(), "PRAGMA integrity_check")[0]["integrity_check"],
                  "ok");
    }

    std::size_t idsDuringFault_ = 0;
    std::size_t infoDuringFault_ = 0;
    TempDir notifyDir_;
    NotifySocket notify_{notifyDir_.path() / "notify.sock"};
};

TEST_F(StorageFault, DatabaseIoErrorsDegradeTheHubWithoutLosingARecord) {
    const auto control = notifyDir_.path() / "io-fault";
    auto hub = start({{"LD_PRELOAD", LOCKHUB_IO_FAULT_SHIM},
                      {"LOCKHUB_IO_FAULT_CONTROL", control.string()},
                      {"ASAN_OPTIONS", "verify_asan_link_order=0"}});
    pairAndStoreABurst(*hub);
    std::ofstream(control) << "EIO\n";
    expectDegraded(*hub, "I/O error");
    std::filesystem::remove(control);
    expectRecovered(*hub);
}

TEST_F(StorageFault, AFullStateDirectoryDegradesTheHubUntilSpaceReturns) {
    if (geteuid() != 0) {
        GTEST_SKIP() << "mounting a tmpfs needs root (CI runs as root)";
    }
    // A mount namespace of this test process alone: the tmpfs is gone when the test ends.
    ASSERT_EQ(unshare(CLONE_NEWNS), 0) << std::strerror(errno);
    ASSERT_EQ(mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr), 0)
        << std::strerror(errno);
    auto hub = start({});
    // The daemon's state directory moves onto an 8 MiB tmpfs, contents and all.
    hub->stopDaemon();
    const auto state = hub->database().parent_path();
    const auto aside = hub->dir() / "state-aside";
    std::filesystem::rename(state, aside);
    std::filesystem::create_directory(state);
    ASSERT_EQ(mount("tmpfs", state.c_str(), "tmpfs", 0, "size=8m,mode=0700"), 0)
        << std::strerror(errno);
    std::filesystem::copy(aside, state, std::filesystem::copy_options::recursive);
    hub->startDaemon();
    pairAndStoreABurst(*hub);
    // Fill every free byte; the WAL can then grow no further.
    const auto filler = state / "filler";
    {
        std::ofstream out(filler, std::ios::binary);
        const std::string block(64 * 1024, 'x');
        while (out.write(block.data(), static_cast<std::streamsize>(block.size()))) {
        }
    }
    {
        std::ofstream out(state / "filler-tail", std::ios::binary);
        while (out.put('x')) {
        }
    }
    expectDegraded(*hub, "full");
    std::filesystem::remove(filler);
    std::filesystem::remove(state / "filler-tail");
    expectRecovered(*hub);
    hub->stopDaemon();
    umount2(state.c_str(), MNT_DETACH);
}

}  // namespace
}  // namespace lockhub::testing
