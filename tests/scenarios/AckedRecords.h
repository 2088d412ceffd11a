// The records a simulated lock deleted on the hub's acknowledgements, gathered across
// lockhub-sim generations (each generation's list dies with it), and the check that the hub lost
// none of them. Shared by the scenarios that restart the hub's peers.
#pragma once

#include <chrono>
#include <cstddef>
#include <set>
#include <string>

#include "scenarios/HubInspection.h"
#include "scenarios/SimulatedHub.h"

namespace lockhub::testing {

class AckedRecords {
public:
    AckedRecords(SimulatedHub& hub, std::string simLock);

    // Adds what the running lockhub-sim deleted so far: call before it is killed, and at the end.
    void collect();
    std::size_t count() const { return count_; }
    // Every collected record is in the records table, and the outbox empties within 20 s (each
    // stored event reached the broker).
    void expectStoredAndDelivered() const;

private:
    SimulatedHub& hub_;
    std::string simLock_;
    std::set<RecordKey> keys_;
    std::size_t count_ = 0;
};

// The sim lock is paired with a connected hub again / holds no unacknowledged record.
bool relinked(SimulatedHub& hub, const std::string& simLock, std::chrono::milliseconds within);
bool drained(SimulatedHub& hub, const std::string& simLock, std::chrono::milliseconds within);

}  // namespace lockhub::testing
