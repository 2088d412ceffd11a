// A paired lock that starts advertising under another address (a new random static MAC, or a
// replaced radio module) is the same lock: the registry knows it by the device UUID its
// advertisement carries encrypted (reference §1.2), stores the new MAC and connects there.
#include <gtest/gtest.h>

#include "tests/unit/app/ServiceHarness.h"

namespace lockhub {
namespace {

using namespace std::chrono_literals;
using protocol::tuya::Dp;
using test::at;
using test::kFrontMac;

constexpr const char* kNewMac = "DC:23:4D:00:00:77";

class LockAddressChangeTest : public ::testing::Test {
protected:
    LockAddressChangeTest() : hub_(LinkPolicy::Mode::OnDemand) {}

    test::ServiceHarness hub_;
};

TEST_F(LockAddressChangeTest, ALockAdvertisingItsUuidUnderANewMacIsMovedThereAndDelivers) {
    hub_.startWithLock();
    hub_.scheduler.advance(60s);  // the start-up wake is over; the on_demand link sleeps
    ASSERT_EQ(hub_.registry.byMac(kFrontMac)->link->state(), LinkState::Idle);

    hub_.radio.moveLock(kFrontMac, kNewMac);
    hub_.radio.advertise(kNewMac, /*connectRequest=*/true);
    hub_.scheduler.advance(1s);

    EXPECT_EQ(hub_.registry.byMac(kFrontMac), nullptr);
    auto* lock = hub_.registry.byMac(kNewMac);
    ASSERT_NE(lock, nullptr);
    EXPECT_EQ(lock->record.topic, "front");
    EXPECT_EQ(lock->link->mac(), kNewMac);
    EXPECT_EQ(hub_.store.locks().value().at(0).mac, kNewMac);
    EXPECT_EQ(hub_.radio.lock(kNewMac).connections, 2);  // start-up, then the connect request

    hub_.radio.report(kNewMac, {Dp::integer(12, 3)}, at(1700000000));
    hub_.scheduler.advance(1s);
    const auto event = hub_.lastJson("lockhub/front/event");
    EXPECT_EQ(event["event"], "unlock");
    EXPECT_EQ(event["credential"], 3);
}

TEST_F(LockAddressChangeTest, ATuyaDeviceWhoseUuidIsNotPairedChangesNothing) {
    hub_.startWithLock();
    hub_.scheduler.advance(60s);
    hub_.radio.addLock(kNewMac, test::lockSideOf("77"));  // a neighbour's lock
    hub_.radio.advertise(kNewMac, true);
    hub_.radio.advertise(kNewMac, true);
    hub_.scheduler.advance(1s);

    EXPECT_EQ(hub_.registry.byMac(kNewMac), nullptr);
    EXPECT_EQ(hub_.store.locks().value().at(0).mac, kFrontMac);
    EXPECT_EQ(hub_.radio.lock(kNewMac).connections, 0);
}

TEST_F(LockAddressChangeTest, ALockStillConnectedAtItsOldAddressIsNotMoved) {
    hub_.startWithLock();
    hub_.registry.byMac(kFrontMac)->link->wake();
    hub_.scheduler.settle();
    ASSERT_NE(hub_.registry.byMac(kFrontMac)->link->state(), LinkState::Idle);

    // The same UUID heard at another address while the link is up: a stale or spoofed
    // advertisement, not a move.
    hub_.radio.addLock(kNewMac, test::lockSideOf("5a"));
    hub_.radio.advertise(kNewMac, true);
    hub_.scheduler.settle();

    EXPECT_NE(hub_.registry.byMac(kFrontMac), nullptr);
    EXPECT_EQ(hub_.store.locks().value().at(0).mac, kFrontMac);
}

TEST_F(LockAddressChangeTest, AMoveTheStoreRefusesLeavesTheLockWhereItWas) {
    hub_.startWithLock();
    hub_.scheduler.advance(60s);
    hub_.radio.moveLock(kFrontMac, kNewMac);
    hub_.store.failNext(Errc::Storage, "disk I/O error");
    hub_.radio.advertise(kNewMac, true);
    hub_.scheduler.advance(1s);

    EXPECT_NE(hub_.registry.byMac(kFrontMac), nullptr);
    EXPECT_EQ(hub_.registry.byMac(kNewMac), nullptr);
    EXPECT_EQ(hub_.store.locks().value().at(0).mac, kFrontMac);

    // Its next advertisement, once the store takes writes again, completes the move.
    hub_.radio.advertise(kNewMac, true);
    hub_.scheduler.advance(1s);
    EXPECT_NE(hub_.registry.byMac(kNewMac), nullptr);
    EXPECT_EQ(hub_.store.locks().value().at(0).mac, kNewMac);
}

}  // namespace
}  // namespace lockhub
