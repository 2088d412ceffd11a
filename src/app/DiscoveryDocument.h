// Home Assistant's device-based MQTT discovery documents (docs/home-assistant.md): pure
// functions of what the hub knows, so the HomeAssistant service only decides when to publish.
// Every key is one that Home Assistant's discovery schema accepts; an unknown key at the root, in
// `device`, in `origin` or in an availability entry makes HA reject the whole device, so
// tests/unit/app/data/ha-discovery-keys.json (with the HA source of each list) checks them all.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "domain/lock/DpProfile.h"
#include "ports/UserStore.h"

namespace lockhub {

struct DiscoveryContext {
    std::string baseTopic;
    std::string hubId;
    std::string swVersion;
    std::string supportUrl;
    // `<lock>/set` wants a code with UNLOCK (access.require_code_for_unlock): HA asks for one.
    bool requireCode = false;
};

struct DiscoveredLock {
    std::string topic;  // the <lock> level of its topics
    std::string name;
    std::string mac;
    std::string productId;  // may be empty
    const domain::DpProfile& profile;
    std::vector<ports::User> holders;  // users with a credential on this lock
};

// The object ids of the discovery topics `<prefix>/device/<object id>/config`.
std::string hubObjectId(const std::string& hubId);
std::string lockObjectId(const std::string& hubId, const std::string& lockTopic);

// The hub's own device: what every lock's `via_device` names, with a connectivity sensor.
nlohmann::json hubDiscovery(const DiscoveryContext& context);
nlohmann::json lockDiscovery(const DiscoveryContext& context, const DiscoveredLock& lock);

// `next` plus every component of `previous` it no longer has, reduced to its platform: HA drops
// a device's component only when told so (a component left out is kept).
nlohmann::json withRemovals(const nlohmann::json& next, const nlohmann::json& previous);

}  // namespace lockhub
