// On a real sd-event loop: a cancelled zero-delay timer (how batches end) never runs, and posted
// work is never lost however the posts and the loop's wake-ups (one per batch of posts) interleave.
#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

#include "adapters/systemd/EventLoop.h"

namespace lockhub::adapters::systemd {
namespace {

using std::chrono::milliseconds;

class EventLoopOrderTest : public ::testing::Test {
protected:
    EventLoopOrderTest() : loop(std::move(*EventLoop::create())) {
        // Stops a test whose loop would otherwise never exit.
        loop->addTimer(milliseconds(5000), [this] { loop->exit(99); });
    }

    std::unique_ptr<EventLoop> loop;
    std::vector<std::string> order;
};

TEST_F(EventLoopOrderTest, ACancelledZeroDelayTimerNeverRuns) {
    const auto id = loop->addTimer(milliseconds(0), [this] { order.push_back("cancelled"); });
    loop->addTimer(milliseconds(0), [this] { order.push_back("kept"); });
    loop->cancel(id);
    loop->addTimer(milliseconds(20), [this] { loop->exit(0); });
    ASSERT_EQ(loop->run(), 0);
    EXPECT_EQ(order, (std::vector<std::string>{"kept"}));
}

TEST_F(EventLoopOrderTest, WorkPostedWhileEarlierWorkWaitsOrRunsIsAllDone) {
    // Two posts share one wake-up; the third is posted while the first batch runs and needs its
    // own.
    loop->post([this] {
        order.push_back("first");
        loop->post([this] {
            order.push_back("third");
            loop->exit(0);
        });
    });
    loop->post([this] { order.push_back("second"); });
    ASSERT_EQ(loop->run(), 0);
    EXPECT_EQ(order, (std::vector<std::string>{"first", "second", "third"}));
}

TEST_F(EventLoopOrderTest, WorkPostedFromManyThreadsAtOnceIsAllDone) {
    constexpr int kThreads = 4;
    constexpr int kPosts = 500;
    int done = 0;
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([this, &done] {
            for (int i = 0; i < kPosts; ++i) {
                loop->post([this, &done] {
                    if (++done == kThreads * kPosts) {
                        loop->exit(0);
                    }
                });
            }
        });
    }
    const int status = loop->run();
    for (auto& thread : threads) {
        thread.join();
    }
    ASSERT_EQ(status, 0);
    EXPECT_EQ(done, kThreads * kPosts);
}

}  // namespace
}  // namespace lockhub::adapters::systemd
