#include "support/MqttProbe.h"

#include <mqtt/async_client.h>

#include <algorithm>
#include <atomic>
#include <stdexcept>

#include "support/Process.h"

namespace lockhub::testing {
namespace {

std::string uniqueClientId() {
    static std::atomic<int> counter{0};
    return "probe-" + std::to_string(::getpid()) + "-" + std::to_string(counter++);
}

}  // namespace

MqttProbe::MqttProbe(const std::string& uri, const std::string& topicFilter, int mqttVersion,
                     Session session)
    : filter_(topicFilter),
      mqttVersion_(mqttVersion),
      session_(session),
      client_(std::make_unique<mqtt::async_client>(uri, uniqueClientId(),
                                                   mqtt::create_options(mqttVersion))) {
    if (session == Session::Persistent && mqttVersion >= MQTTVERSION_5) {
        // A v5 session would also need an expiry interval; no test needs one.
        throw std::invalid_argument("a persistent probe speaks MQTT 3.1.1");
    }
    client_->set_message_callback([this](mqtt::const_message_ptr msg) {
        std::lock_guard lock(mutex_);
        received_.push_back({msg->get_topic(), msg->to_string(), msg->is_retained(),
                             std::chrono::steady_clock::now()});
    });
    connect();
}

void MqttProbe::connect() {
    // v5 has clean start instead of clean session (Paho C refuses cleansession on v5).
    auto options = mqttVersion_ >= MQTTVERSION_5 ? mqtt::connect_options_builder()
                                                       .mqtt_version(MQTTVERSION_5)
                                                       .clean_start(true)
                                                       .finalize()
                                                 : mqtt::connect_options_builder()
                                                       .mqtt_version(mqttVersion_)
                                                       .clean_session(session_ == Session::Clean)
                                                       .finalize();
    client_->connect(options)->wait_for(std::chrono::seconds(10));
    if (!client_->is_connected()) {
        throw std::runtime_error("probe could not connect to " + client_->get_server_uri());
    }
    client_->subscribe(filter_, 1)->wait_for(std::chrono::seconds(10));
}

void MqttProbe::reconnect() {
    try {
        client_->disconnect()->wait_for(std::chrono::seconds(2));
    } catch (const std::exception&) {
        // The old broker is gone; the old session with it.
    }
    connect();
}

MqttProbe::~MqttProbe() {
    try {
        client_->disconnect()->wait_for(std::chrono::seconds(2));
    } catch (const std::exception&) {
        // The broker may already be gone; nothing to clean up then.
    }
}

void MqttProbe::publish(const std::string& topic, const std::string& payload, bool retained) {
    client_->publish(topic, payload, 1, retained)->wait_for(std::chrono::seconds(5));
}

void MqttProbe::publishWithActor(const std::string& topic, const std::string& payload,
                                 const std::string& actor) {
    auto message = mqtt::make_message(topic, payload, 1, false);
    message->set_properties(
        mqtt::properties{mqtt::property(mqtt::property::USER_PROPERTY, "actor", actor)});
    client_->publish(message)->wait_for(std::chrono::seconds(5));
}

std::vector<ReceivedMessage> MqttProbe::messages() const {
    std::lock_guard lock(mutex_);
    return received_;
}

std::vector<ReceivedMessage> MqttProbe::messagesOn(const std::string& topic) const {
    std::lock_guard lock(mutex_);
    std::vector<ReceivedMessage> out;
    for (const auto& m : received_) {
        if (m.topic == topic) {
            out.push_back(m);
        }
    }
    return out;
}

MqttProbe::Tally MqttProbe::tally(
    const std::function<bool(const std::string& topic)>& match) const {
    std::lock_guard lock(mutex_);
    Tally tally;
    for (const auto& m : received_) {
        if (match(m.topic)) {
            ++tally.count;
            tally.last = std::max(tally.last, m.at);
        }
    }
    return tally;
}

std::optional<ReceivedMessage> MqttProbe::waitFor(
    const std::string& topic, std::chrono::milliseconds timeout,
    const std::function<bool(const ReceivedMessage&)>& match, std::size_t from) const {
    std::optional<ReceivedMessage> found;
    waitUntil(
        [&] {
            const auto onTopic = messagesOn(topic);
            for (std::size_t i = from; i < onTopic.size(); ++i) {
                if (!match || match(onTopic[i])) {
                    found = onTopic[i];
                    return true;
                }
            }
            return false;
        },
        timeout);
    return found;
}

void MqttProbe::clear() {
    std::lock_guard lock(mutex_);
    received_.clear();
}

}  // namespace lockhub::testing
