#include "app/ConnectionSlots.h"

#include <algorithm>

#include "app/LockLink.h"

namespace lockhub {

bool ConnectionSlots::acquire(LockLink& link, SlotPriority priority) {
    if (closed_) {
        return false;
    }
    if (std::find(holders_.begin(), holders_.end(), &link) != holders_.end()) {
        return true;
    }
    auto queued = std::find_if(waiting_.begin(), waiting_.end(),
                               [&](const Waiter& w) { return w.link == &link; });
    std::uint64_t order = nextOrder_++;
    if (queued != waiting_.end()) {
        order = queued->order;  // keeps its place among equals when its priority changes
        waiting_.erase(queued);
    } else if (holders_.size() < limit_ && waiting_.empty()) {
        holders_.push_back(&link);
        return true;
    }
    const Waiter waiter{&link, priority, order};
    waiting_.insert(std::upper_bound(waiting_.begin(), waiting_.end(), waiter,
                                     [](const Waiter& a, const Waiter& b) {
                                         return a.priority != b.priority ? a.priority < b.priority
                                                                         : a.order < b.order;
                                     }),
                    waiter);
    grant();
    if (priority != SlotPriority::Standing && holders_.size() >= limit_) {
        askToYield();
    }
    return false;
}

void ConnectionSlots::askToYield() {
    // One standing holder per waiter above standing priority: its release grants the head.
    for (LockLink* holder : holders_) {
        if (holder->standingOnly()) {
            holder->yieldSlot();
            return;
        }
    }
}

void ConnectionSlots::grant() {
    if (closed_) {
        return;
    }
    while (holders_.size() < limit_ && !waiting_.empty()) {
        LockLink* next = waiting_.front().link;
        waiting_.pop_front();
        holders_.push_back(next);
        next->onSlotGranted();
    }
}

bool ConnectionSlots::wantedByAnother() const {
    return holders_.size() >= limit_ && !waiting_.empty() &&
           waiting_.front().priority != SlotPriority::Standing;
}

void ConnectionSlots::release(LockLink& link) {
    holders_.erase(std::remove(holders_.begin(), holders_.end(), &link), holders_.end());
    waiting_.erase(std::remove_if(waiting_.begin(), waiting_.end(),
                                  [&](const Waiter& w) { return w.link == &link; }),
                   waiting_.end());
    grant();
}

}  // namespace lockhub
