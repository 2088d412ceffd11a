// Each lock's wrong-code lockout as a retained level on `<lock>/lockout` (docs/mqtt-api.md), so
// Home Assistant and other dashboards show it for as long as it lasts, not just the one `lockout`
// event that started it. The state is CodeLockout's, read from the CodeStore: what a restart
// finds there is what is shown, and a lockout that ended while the hub was down shows inactive.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "app/LockRegistry.h"
#include "ports/Broker.h"
#include "ports/CodeStore.h"
#include "ports/Scheduler.h"

namespace lockhub {

class LockoutPublisher {
public:
    LockoutPublisher(std::string baseTopic, ports::CodeStore& codes, ports::Broker& broker,
                     ports::Scheduler& scheduler, LockRegistry& registry);
    ~LockoutPublisher();
    LockoutPublisher(const LockoutPublisher&) = delete;
    LockoutPublisher& operator=(const LockoutPublisher&) = delete;

    // A lockout has just been stored for `lock` (CodeService::watchLockouts).
    void started(const PairedLock& lock);
    // Every lock's retained lockout again (broker connection, Home Assistant's birth).
    void publishAll();

private:
    // Publishes what the store holds when `publish`, and arms the end of an active lockout.
    void refresh(const PairedLock& lock, bool publish);
    void ended(std::int64_t lockId);
    std::string topicOf(const PairedLock& lock) const;

    std::string base_;
    ports::CodeStore& codes_;
    ports::Broker& broker_;
    ports::Scheduler& scheduler_;
    LockRegistry& registry_;
    std::map<std::int64_t, ports::Scheduler::TimerId> endTimers_;  // by lock id
};

}  // namespace lockhub
