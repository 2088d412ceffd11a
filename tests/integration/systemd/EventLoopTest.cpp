// The exception firewall on the event loop (design §2): whatever kind of source a throwing
// callback came from, run() returns kExitAppFault and stderr names the source.
#include <gtest/gtest.h>
#include <sys/epoll.h>
#include <unistd.h>

#include <csignal>
#include <cstdlib>
#include <stdexcept>

#include "adapters/systemd/EventLoop.h"

namespace lockhub::adapters::systemd {
namespace {

using std::chrono::milliseconds;

class EventLoopFaultTest : public ::testing::Test {
protected:
    EventLoopFaultTest() : loop(std::move(*EventLoop::create())) {
        // The fault line's format depends on it: a suite run from a systemd unit inherits it.
        ::unsetenv("JOURNAL_STREAM");
        // A watchdog so a fault that does not stop the loop fails the test instead of hanging it.
        loop->addTimer(milliseconds(5000), [this] { loop->exit(99); });
    }

    // Runs the loop and returns its status; `log` receives what it wrote to stderr.
    int run(std::string& log) {
        ::testing::internal::CaptureStderr();
        const int status = loop->run();
        log = ::testing::internal::GetCapturedStderr();
        return status;
    }

    std::unique_ptr<EventLoop> loop;
};

TEST_F(EventLoopFaultTest, ATimerThatThrowsStopsTheLoopWithTheFaultStatus) {
    loop->addTimer(milliseconds(0), [] { throw std::runtime_error("timer bug"); });
    std::string log;
    EXPECT_EQ(run(log), kExitAppFault);
    EXPECT_EQ(log,
              "error loop: uncaught exception in timer: timer bug; stopping with exit status 70\n");
}

TEST_F(EventLoopFaultTest, PostedWorkThatThrowsStopsTheRestOfItsBatch) {
    bool laterRan = false;
    loop->post([] { throw std::logic_error("posted bug"); });
    loop->post([&] { laterRan = true; });
    std::string log;
    EXPECT_EQ(run(log), kExitAppFault);
    EXPECT_FALSE(laterRan);
    EXPECT_EQ(log,
              "error loop: uncaught exception in posted work: posted bug; stopping with exit "
              "status 70\n");
}

TEST_F(EventLoopFaultTest, AnIoCallbackThatThrowsIsReportedWithItsDescriptor) {
    int fds[2];
    ASSERT_EQ(::pipe(fds), 0);
    ASSERT_EQ(::write(fds[1], "x", 1), 1);
    loop->addIo(fds[0], EPOLLIN, [](std::uint32_t) { throw std::runtime_error("io bug"); });
    std::string log;
    EXPECT_EQ(run(log), kExitAppFault);
    EXPECT_EQ(log, "error loop: uncaught exception in I/O (fd " + std::to_string(fds[0]) +
                       "): io bug; stopping with exit status 70\n");
    ::close(fds[0]);
    ::close(fds[1]);
}

TEST_F(EventLoopFaultTest, ASignalCallbackThatThrowsIsReportedWithItsSignal) {
    ASSERT_TRUE(loop->onSignal(SIGUSR1, [] { throw std::runtime_error("signal bug"); }));
    ASSERT_EQ(::raise(SIGUSR1), 0);  // blocked by onSignal: it waits for the loop's signalfd
    std::string log;
    EXPECT_EQ(run(log), kExitAppFault);
    EXPECT_EQ(log,
              "error loop: uncaught exception in signal (SIGUSR1): signal bug; stopping with exit "
              "status 70\n");
}

TEST_F(EventLoopFaultTest, AnythingThrownCountsNotOnlyStandardExceptions) {
    loop->addTimer(milliseconds(0), [] { throw 42; });
    std::string log;
    EXPECT_EQ(run(log), kExitAppFault);
    EXPECT_EQ(log,
              "error loop: uncaught exception in timer: an exception not derived from "
              "std::exception; stopping with exit status 70\n");
}

TEST_F(EventLoopFaultTest, ACleanStopRequestedAfterAFaultDoesNotHideIt) {
    loop->addTimer(milliseconds(0), [this] {
        loop->firewall().run({"D-Bus reply", "Connect"},
                             [] { throw std::runtime_error("reply bug"); });
        loop->exit(0);  // e.g. a shutdown the same callback goes on to request
    });
    std::string log;
    EXPECT_EQ(run(log), kExitAppFault);
    EXPECT_EQ(log,
              "error loop: uncaught exception in D-Bus reply (Connect): reply bug; stopping with "
              "exit status 70\n");
}

// journald reads a "<3>" prefix on a stderr line as its priority: error.
TEST_F(EventLoopFaultTest, UnderSystemdTheFaultLineHasErrorPriority) {
    ASSERT_EQ(::setenv("JOURNAL_STREAM", "8:12345", 1), 0);
    loop->addTimer(milliseconds(0), [] { throw std::runtime_error("timer bug"); });
    std::string log;
    const int status = run(log);
    ::unsetenv("JOURNAL_STREAM");
    EXPECT_EQ(status, kExitAppFault);
    EXPECT_EQ(log,
              "<3>error loop: uncaught exception in timer: timer bug; stopping with exit status "
              "70\n");
}

TEST_F(EventLoopFaultTest, CallbacksThatReturnLeaveTheStatusToExit) {
    loop->addTimer(milliseconds(0), [this] { loop->exit(3); });
    std::string log;
    EXPECT_EQ(run(log), 3);
    EXPECT_EQ(log, "");
    EXPECT_FALSE(loop->firewall().tripped());
}

}  // namespace
}  // namespace lockhub::adapters::systemd
