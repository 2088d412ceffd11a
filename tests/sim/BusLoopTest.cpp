// BusLoop: two sdbus-c++ 1.2 connections (a server and a client) on one sd-event loop thread.
#include <gtest/gtest.h>
#include <sdbus-c++/sdbus-c++.h>

#include <cstdlib>
#include <optional>
#include <stdexcept>

#include "adapters/bluez/BusLoop.h"
#include "adapters/systemd/EventLoop.h"
#include "support/PrivateBus.h"
#include "support/TempDir.h"

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#include <sanitizer/lsan_interface.h>
#define LOCKHUB_LEAK_CHECKED 1
#endif
#endif

namespace lockhub::adapters::bluez {
namespace {

using std::chrono::milliseconds;

class BusLoopTest : public ::testing::Test {
protected:
    BusLoopTest()
        : bus(std::make_unique<testing::PrivateBus>(dir.path())),
          loop(std::move(*systemd::EventLoop::create())) {
        server = sdbus::createSessionBusConnectionWithAddress(bus->address());
        client = sdbus::createSessionBusConnectionWithAddress(bus->address());
        server->requestName("org.lockhub.BusLoopTest");
        object = sdbus::createObject(*server, "/t");
        object->registerMethod("Echo")
            .onInterface("org.lockhub.T")
            .implementedAs([](const std::string& text) { return text; });
        object->registerSignal("Tick").onInterface("org.lockhub.T").withParameters<int>();
        object->finishRegistration();
        ::unsetenv("JOURNAL_STREAM");  // it would prefix the fault lines the tests compare
        // A watchdog so a broken loop fails the test instead of hanging it.
        loop->addTimer(milliseconds(5000), [this] { loop->exit(99); });
    }

    testing::TempDir dir;
    std::unique_ptr<testing::PrivateBus> bus;
    std::unique_ptr<systemd::EventLoop> loop;
    std::unique_ptr<sdbus::IConnection> server;
    std::unique_ptr<sdbus::IConnection> client;
    std::unique_ptr<sdbus::IObject> object;
};

// The reply to an async call, then a signal emitted from a plain timer (not from inside a D-Bus
// dispatch) must both arrive: the prepare hook flushes what the timer queued.
TEST_F(BusLoopTest, AsyncCallsAndSignalsFromTimersFlowOnOneThread) {
    BusLoop serverLoop(*loop, *server, [](const std::string&) {});
    BusLoop clientLoop(*loop, *client, [](const std::string&) {});
    auto proxy = sdbus::createProxy(*client, "org.lockhub.BusLoopTest", "/t");
    std::optional<int> tick;
    proxy->uponSignal("Tick").onInterface("org.lockhub.T").call([&](int value) {
        tick = value;
        loop->exit(0);
    });
    proxy->finishRegistration();

    std::string reply;
    proxy->callMethodAsync("Echo")
        .onInterface("org.lockhub.T")
        .withArguments(std::string("hi"))
        .uponReplyInvoke([&](const sdbus::Error* error, const std::string& text) {
            ASSERT_EQ(error, nullptr);
            reply = text;
            loop->addTimer(milliseconds(10), [&] {
                object->emitSignal("Tick").onInterface("org.lockhub.T").withArguments(7);
            });
        });
    EXPECT_EQ(loop->run(), 0);
    EXPECT_EQ(reply, "hi");
    EXPECT_EQ(tick, 7);
}

// sdbus-c++ 1.2 lets a non-sdbus exception from a signal callback unwind through sd-bus and out
// of processPendingRequest(): the loop's firewall stops it as an app fault, and the bus is not
// reported lost (which would reconnect and repeat the bug).
TEST_F(BusLoopTest, AnExceptionFromACallbackIsAnAppFaultNotALostBus) {
    bool busLost = false;
    BusLoop serverLoop(*loop, *server, [](const std::string&) {});
    BusLoop clientLoop(*loop, *client, [&](const std::string&) { busLost = true; });
    auto proxy = sdbus::createProxy(*client, "org.lockhub.BusLoopTest", "/t");
    proxy->uponSignal("Tick").onInterface("org.lockhub.T").call([](int) {
        throw std::runtime_error("tick bug");
    });
    proxy->finishRegistration();
    loop->addTimer(milliseconds(10), [&] {
        object->emitSignal("Tick").onInterface("org.lockhub.T").withArguments(1);
    });

    ::testing::internal::CaptureStderr();
    {
#ifdef LOCKHUB_LEAK_CHECKED
        // The exception leaves sd_bus_process through C frames whose cleanups do not run, so the
        // message being dispatched keeps its reference to the bus: what an app fault leaves
        // behind when the daemon exits with 70 right after. Not a leak of a running hub.
        __lsan::ScopedDisabler appFault;
#endif
        EXPECT_EQ(loop->run(), systemd::kExitAppFault);
    }
    EXPECT_EQ(::testing::internal::GetCapturedStderr(),
              "error loop: uncaught exception in D-Bus dispatch (" + client->getUniqueName() +
                  "): tick bug; stopping with exit status 70\n");
    EXPECT_FALSE(busLost);
}

// Why callbacks with app code guard themselves: sdbus-c++ 1.2 swallows an sdbus::Error (a failed
// Variant decode, say) thrown by a reply callback, without a word.
TEST_F(BusLoopTest, SdbusCppSwallowsAnSdbusErrorFromAnUnguardedReply) {
    BusLoop serverLoop(*loop, *server, [](const std::string&) {});
    BusLoop clientLoop(*loop, *client, [](const std::string&) {});
    auto proxy = sdbus::createProxy(*client, "org.lockhub.BusLoopTest", "/t");
    bool replied = false;
    proxy->callMethodAsync("Echo")
        .onInterface("org.lockhub.T")
        .withArguments(std::string("hi"))
        .uponReplyInvoke([&](const sdbus::Error*, const std::string&) {
            replied = true;
            loop->addTimer(milliseconds(10), [&] { loop->exit(0); });
            throw sdbus::Error("org.lockhub.Error.Bug", "unguarded");
        });
    ::testing::internal::CaptureStderr();
    EXPECT_EQ(loop->run(), 0);
    EXPECT_EQ(::testing::internal::GetCapturedStderr(), "");
    EXPECT_TRUE(replied);
}

TEST_F(BusLoopTest, AGuardedReplyThatThrowsAnSdbusErrorIsAnAppFault) {
    BusLoop serverLoop(*loop, *server, [](const std::string&) {});
    BusLoop clientLoop(*loop, *client, [](const std::string&) {});
    auto proxy = sdbus::createProxy(*client, "org.lockhub.BusLoopTest", "/t");
    proxy->callMethodAsync("Echo")
        .onInterface("org.lockhub.T")
        .withArguments(std::string("hi"))
        .uponReplyInvoke([&](const sdbus::Error*, const std::string&) {
            loop->firewall().run({"D-Bus reply", "Echo"},
                                 [] { throw sdbus::Error("org.lockhub.Error.Bug", "guarded"); });
        });
    ::testing::internal::CaptureStderr();
    EXPECT_EQ(loop->run(), systemd::kExitAppFault);
    EXPECT_EQ(::testing::internal::GetCapturedStderr(),
              "error loop: uncaught exception in D-Bus reply (Echo): [org.lockhub.Error.Bug] "
              "guarded; stopping with exit status 70\n");
}

TEST_F(BusLoopTest, ReportsTheBusGoingAway) {
    std::string reason;
    BusLoop clientLoop(*loop, *client, [&](const std::string& why) {
        reason = why;
        loop->exit(0);
    });
    bus.reset();  // dbus-daemon exits: the client's socket hangs up
    EXPECT_EQ(loop->run(), 0);
    EXPECT_TRUE(reason.starts_with("Failed to process bus requests")) << reason;
    EXPECT_FALSE(loop->firewall().tripped());
}

}  // namespace
}  // namespace lockhub::adapters::bluez
