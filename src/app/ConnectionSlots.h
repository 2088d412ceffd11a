// A global limit on simultaneous BLE connections (bluetooth.max_connections), granted first come,
// first served; a link waits in line until a holder releases its slot.
#pragma once

#include <cstddef>
#include <deque>
#include <vector>

namespace lockhub {

class LockLink;

class ConnectionSlots {
public:
    explicit ConnectionSlots(std::size_t limit) : limit_(limit) {}
    // Grants at once (returns true) or queues the link until a slot frees.
    bool acquire(LockLink& link);
    // Frees the link's slot or its place in line; grants the slot to the next in line.
    void release(LockLink& link);

private:
    std::size_t limit_;
    std::vector<LockLink*> holders_;
    std::deque<LockLink*> waiting_;
};

}  // namespace lockhub
