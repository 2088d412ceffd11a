// Home Assistant MQTT discovery (design §2 `HomeAssistant`, docs/home-assistant.md): the hub's
// own device and one retained device document per paired lock on
// `<discovery_prefix>/device/<object id>/config`, kept in step with the locks and the users
// holding their credentials, cleared when a lock goes, and sent again with every retained state
// when Home Assistant announces `online` on `<discovery_prefix>/status` (HA forgets discovered
// entities whose documents it does not receive again after a restart of its broker link).
#pragma once

#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "app/BridgeService.h"
#include "app/DiscoveryDocument.h"
#include "app/LockRegistry.h"
#include "app/StatePublisher.h"
#include "app/UserDirectory.h"
#include "ports/Broker.h"

namespace lockhub {

struct HomeAssistantOptions {
    bool enabled = true;  // false: nothing is published or subscribed
    std::string discoveryPrefix = "homeassistant";
    std::string baseTopic = "lockhub";
    std::string hubId;
    std::string swVersion;
    std::string supportUrl;  // homeassistant.support_url; empty: the origin has none
    // access.require_code_for_unlock: the lock entity asks for a code and sends it along.
    bool requireCode = false;
};

class HomeAssistant {
public:
    HomeAssistant(HomeAssistantOptions options, LockRegistry& registry, UserDirectory& users,
                  StatePublisher& state, BridgeService& bridge, ports::Broker& broker);
    HomeAssistant(const HomeAssistant&) = delete;
    HomeAssistant& operator=(const HomeAssistant&) = delete;

    std::string statusTopic() const { return options_.discoveryPrefix + "/status"; }
    // Another retained state to send again when Home Assistant comes online (LockoutPublisher).
    void republishOnBirth(std::function<void()> republish) {
        republishOnBirth_.push_back(std::move(republish));
    }

private:
    std::string configTopic(const std::string& objectId) const;
    // Publishes every document (again, when `force`), discovery before the states it describes.
    void publishAll(bool force);
    void publishLock(const PairedLock& lock, bool force);
    void publish(const std::string& topic, const nlohmann::json& document, bool force);
    void lockRemoved(const PairedLock& lock);

    HomeAssistantOptions options_;
    DiscoveryContext context_;
    LockRegistry& registry_;
    UserDirectory& users_;
    StatePublisher& state_;
    ports::Broker& broker_;
    std::map<std::string, nlohmann::json> published_;  // by config topic: the last document sent
    std::vector<std::function<void()>> republishOnBirth_;
};

}  // namespace lockhub
