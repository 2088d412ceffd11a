// The global limit on simultaneous BLE connections (bluetooth.max_connections), served fairly
// (design §3, issue 9 §4): waiting links are granted in priority order — pending commands,
// pairing, connect requests, polls, then standing links (always / keep_alive) — first come, first
// served within a priority. When a link of higher priority waits and every slot is taken, a
// holder that only keeps a standing connection is asked to yield it (it disconnects gracefully
// and queues again), and a holder busy at that moment yields once its work is done
// (wantedByAnother), so 50 locks share 5 slots without anyone starving.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <vector>

namespace lockhub {

class LockLink;

enum class SlotPriority : std::uint8_t { Command, Pairing, ConnectRequest, Poll, Standing };

class ConnectionSlots {
public:
    explicit ConnectionSlots(std::size_t limit) : limit_(limit) {}
    // Grants at once (returns true) or queues the link at `priority` (again: moves it) until a
    // slot frees; may ask a standing holder to yield.
    bool acquire(LockLink& link, SlotPriority priority);
    // Frees the link's slot or its place in line; grants the slot to the next in line.
    void release(LockLink& link);
    // Every slot is taken and a link above standing priority waits: a holder whose own work is
    // done should yield.
    bool wantedByAnother() const;
    // The links are about to be destroyed: each would hand its slot to the next in line, which
    // would connect and report to services that may be gone already. Nothing is granted after.
    void close() { closed_ = true; }

private:
    struct Waiter {
        LockLink* link;
        SlotPriority priority;
        std::uint64_t order;
    };
    void askToYield();
    void grant();

    std::size_t limit_;
    std::vector<LockLink*> holders_;
    std::deque<Waiter> waiting_;  // sorted by (priority, order)
    std::uint64_t nextOrder_ = 0;
    bool closed_ = false;
};

}  // namespace lockhub
