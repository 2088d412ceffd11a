#include "app/ConnectionSlots.h"

#include <algorithm>

#include "app/LockLink.h"

namespace lockhub {

bool ConnectionSlots::acquire(LockLink& link) {
    if (std::find(holders_.begin(), holders_.end(), &link) != holders_.end()) {
        return true;
    }
    if (holders_.size() < limit_) {
        holders_.push_back(&link);
        return true;
    }
    if (std::find(waiting_.begin(), waiting_.end(), &link) == waiting_.end()) {
        waiting_.push_back(&link);
    }
    return false;
}

void ConnectionSlots::release(LockLink& link) {
    holders_.erase(std::remove(holders_.begin(), holders_.end(), &link), holders_.end());
    waiting_.erase(std::remove(waiting_.begin(), waiting_.end(), &link), waiting_.end());
    while (holders_.size() < limit_ && !waiting_.empty()) {
        LockLink* next = waiting_.front();
        waiting_.pop_front();
        holders_.push_back(next);
        next->onSlotGranted();
    }
}

}  // namespace lockhub
