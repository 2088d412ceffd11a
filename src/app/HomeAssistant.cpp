#include "app/HomeAssistant.h"

#include "app/Json.h"
#include "app/Log.h"

namespace lockhub {
namespace {

constexpr std::string_view kHomeAssistantTag = "homeassistant";

}  // namespace

HomeAssistant::HomeAssistant(HomeAssistantOptions options, LockRegistry& registry,
                             UserDirectory& users, StatePublisher& state, BridgeService& bridge,
                             ports::Broker& broker)
    : options_(std::move(options)),
      context_{.baseTopic = options_.baseTopic,
               .hubId = options_.hubId,
               .swVersion = options_.swVersion,
               .supportUrl = options_.supportUrl,
               .requireCode = options_.requireCode},
      registry_(registry),
      users_(users),
      state_(state),
      broker_(broker) {
    if (!options_.enabled) {
        return;
    }
    registry_.subscribe({
        .added =
            [this](PairedLock& lock) {
                // At start-up the broker is not connected yet; connecting publishes everything.
                if (broker_.connected()) {
                    publishLock(lock, false);
                }
            },
        .removing = [this](PairedLock& lock) { lockRemoved(lock); },
        .report = nullptr,
        .ready = nullptr,
        .availability = nullptr,
        .linkState = nullptr,
        .seen = nullptr,
    });
    // The device is named as the lock: HA shows a new name once it gets the document.
    registry_.onRenamed([this](PairedLock& lock) {
        if (broker_.connected()) {
            publishLock(lock, false);
        }
    });
    users_.onChange([this] {
        if (broker_.connected()) {
            for (PairedLock* lock : registry_.all()) {
                publishLock(*lock, false);
            }
        }
    });
    bridge.addSubscription(
        statusTopic(), [this](const std::string& topic, const std::string& payload) {
            if (topic != statusTopic()) {
                return false;
            }
            if (payload == "online") {
                log::info(kHomeAssistantTag,
                          "Home Assistant is online: publishing discovery and states again");
                publishAll(true);
                state_.publishAll();
                for (const auto& republish : republishOnBirth_) {
                    republish();
                }
            }
            return true;
        });
    bridge.onConnected([this] { publishAll(true); });
}

std::string HomeAssistant::configTopic(const std::string& objectId) const {
    return options_.discoveryPrefix + "/device/" + objectId + "/config";
}

void HomeAssistant::publishAll(bool force) {
    publish(configTopic(hubObjectId(options_.hubId)), hubDiscovery(context_), force);
    for (PairedLock* lock : registry_.all()) {
        publishLock(*lock, force);
    }
}

void HomeAssistant::publishLock(const PairedLock& lock, bool force) {
    const auto& record = lock.record;
    const DiscoveredLock discovered{.topic = record.topic,
                                    .name = record.name,
                                    .mac = record.mac,
                                    .productId = record.productId,
                                    .profile = lock.translator.profile(),
                                    .holders = users_.holdersOf(record.id)};
    const std::string topic = configTopic(lockObjectId(options_.hubId, record.topic));
    auto document = lockDiscovery(context_, discovered);
    auto previous = published_.find(topic);
    if (previous != published_.end() && previous->second != document) {
        const auto removing = withRemovals(document, previous->second);
        if (removing != document) {
            // A user who no longer holds a credential here: HA drops the trigger first.
            broker_.publish(topic, toJson(removing), 1, true);
        }
    }
    publish(topic, document, force);
}

void HomeAssistant::publish(const std::string& topic, const nlohmann::json& document, bool force) {
    auto& last = published_[topic];
    if (!force && last == document) {
        return;
    }
    last = document;
    broker_.publish(topic, toJson(document), 1, true);
}

void HomeAssistant::lockRemoved(const PairedLock& lock) {
    const std::string topic = configTopic(lockObjectId(options_.hubId, lock.record.topic));
    published_.erase(topic);
    // An empty retained document removes the device and all its entities from HA.
    broker_.publish(topic, "", 1, true);
}

}  // namespace lockhub
