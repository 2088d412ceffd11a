#include "scenarios/AckedRecords.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <utility>

namespace lockhub::testing {

using namespace std::chrono_literals;

AckedRecords::AckedRecords(SimulatedHub& hub, std::string simLock)
    : hub_(hub), simLock_(std::move(simLock)) {}

void AckedRecords::collect() {
    const auto records = nlohmann::json::parse(hub_.ctl({"acked", simLock_}));
    count_ += records.size();
    for (const auto& record : records) {
        keys_.insert(recordKeyOf(record));
    }
}

void AckedRecords::expectStoredAndDelivered() const {
    const auto stored = storedRecords(hub_.database());
    for (const auto& key : keys_) {
        EXPECT_TRUE(stored.contains(key))
            << "acknowledged but not stored: dp " << std::get<0>(key) << " " << std::get<1>(key);
    }
    EXPECT_TRUE(waitUntil(
        [&] {
            return queryDatabase(hub_.database(), "SELECT count(*) AS n FROM outbox")[0]["n"] == 0;
        },
        20s))
        << "events stored but never delivered to the broker";
}

bool relinked(SimulatedHub& hub, const std::string& simLock, std::chrono::milliseconds within) {
    return waitUntil([&] { return hub.inspect(simLock)["paired"] == true; }, within, 50ms);
}

bool drained(SimulatedHub& hub, const std::string& simLock, std::chrono::milliseconds within) {
    return waitUntil([&] { return hub.inspect(simLock)["pending_records"].empty(); }, within, 50ms);
}

}  // namespace lockhub::testing
