#include <gtest/gtest.h>

#include "domain/lock/LockSnapshot.h"

namespace lockhub::domain {
namespace {

TEST(LockSnapshot, StartsUnknownWithNothingReported) {
    const LockSnapshot snapshot;
    EXPECT_EQ(snapshot.lock, LockState::Unknown);
    EXPECT_EQ(snapshot.battery, std::nullopt);
    EXPECT_EQ(snapshot.batteryLevel, std::nullopt);
    EXPECT_EQ(snapshot.door, std::nullopt);
}

TEST(LockSnapshot, AppliesOnlyTheFieldsAnUpdateCarriesAndSaysWhetherAnythingChanged) {
    LockSnapshot snapshot;
    EXPECT_TRUE(snapshot.apply({.lock = LockState::Locked, .battery = 80}));
    EXPECT_TRUE(snapshot.apply({.door = DoorState::Closed}));
    EXPECT_EQ(snapshot.lock, LockState::Locked);
    EXPECT_EQ(snapshot.battery, 80);
    EXPECT_EQ(snapshot.door, DoorState::Closed);

    EXPECT_FALSE(snapshot.apply({.battery = 80}));
    EXPECT_FALSE(snapshot.apply({}));
    EXPECT_TRUE(snapshot.apply({.batteryLevel = BatteryLevel::High}));
    EXPECT_EQ(snapshot.battery, 80);
    EXPECT_EQ(snapshot.batteryLevel, BatteryLevel::High);
}

TEST(LockSnapshot, ForgettingTheLockStateKeepsBatteryAndDoor) {
    LockSnapshot snapshot;
    snapshot.apply({.lock = LockState::Locked, .battery = 50, .door = DoorState::Open});
    snapshot.forgetLockState();
    EXPECT_EQ(snapshot.lock, LockState::Unknown);
    EXPECT_EQ(snapshot.battery, 50);
    EXPECT_EQ(snapshot.door, DoorState::Open);
}

TEST(StateUpdate, IsEmptyOnlyWithoutAnyField) {
    EXPECT_TRUE(StateUpdate{}.empty());
    EXPECT_FALSE((StateUpdate{.door = DoorState::Open}.empty()));
}

}  // namespace
}  // namespace lockhub::domain
