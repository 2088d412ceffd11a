// A lock's remote unlock request (FAQ 5.x; issue 12 §5): someone at the door asks to be let in
// (the profile's `unlock_request` DP, usually with the doorbell). The request is published as an
// `unlock_request` event with its `expires`, and `<lock>/set` with APPROVE or DENY answers it
// once: APPROVE within the window runs the profile's unlock (CommandService), DENY closes the
// request. The Tuya BLE SDK defines no reply DP for a request, so DENY sends nothing to the lock
// (its own request times out). A late answer gets `expired`, a second one `already_answered`, an
// answer with no request `no_request`; every answer ends in one `<lock>/set/result`.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "app/BridgeService.h"
#include "app/EventObserver.h"
#include "app/OutboxPump.h"
#include "ports/Scheduler.h"

namespace lockhub {

struct UnlockRequestsOptions {
    std::string baseTopic = "lockhub";
    // How long a request stays open when the lock's DP does not say (a bool request DP).
    std::chrono::seconds defaultWindow{60};
};

class UnlockRequests final : public EventObserver {
public:
    // Runs the approved unlock and publishes its result with `state` = shownAs
    // (CommandService::unlockAs).
    using Unlock = std::function<void(PairedLock& lock, const std::string& shownAs,
                                      const nlohmann::json& transaction)>;

    // Construct it before CommandService: the first to subscribe `<lock>/set`, it takes the
    // APPROVE / DENY messages and leaves the rest to CommandService.
    UnlockRequests(UnlockRequestsOptions options, LockRegistry& registry,
                   ports::Scheduler& scheduler, OutboxPump& outbox, BridgeService& bridge,
                   Unlock unlock);

    void annotate(PairedLock& lock, const domain::DpRecord& record, const domain::LockEvent& event,
                  EventNote& note) override;
    void reported(PairedLock&, std::span<const domain::StateUpdate>,
                  std::optional<std::int64_t>) override {}

private:
    struct Request {
        std::string eventId;
        std::int64_t expiresMs = 0;
        std::optional<std::string> answer;  // "APPROVE" or "DENY"
        std::int64_t answeredMs = 0;
    };

    bool onSet(const std::string& topic, const std::string& payload);
    void answer(const std::string& lockTopic, const std::string& verb,
                const nlohmann::json& transaction);
    void publish(const std::string& lockTopic, const std::string& verb, std::string_view result,
                 const std::string& reason, const nlohmann::json& transaction);

    UnlockRequestsOptions options_;
    LockRegistry& registry_;
    ports::Scheduler& scheduler_;
    OutboxPump& outbox_;
    Unlock unlock_;
    std::map<std::int64_t, Request> requests_;  // by lock id: the latest request
};

}  // namespace lockhub
