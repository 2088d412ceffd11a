#include "domain/lock/LockSnapshot.h"

namespace lockhub::domain {

bool LockSnapshot::apply(const StateUpdate& update) {
    const LockSnapshot before = *this;
    if (update.lock) {
        lock = *update.lock;
    }
    if (update.battery) {
        battery = update.battery;
    }
    if (update.batteryLevel) {
        batteryLevel = update.batteryLevel;
    }
    if (update.door) {
        door = update.door;
    }
    return *this != before;
}

}  // namespace lockhub::domain
