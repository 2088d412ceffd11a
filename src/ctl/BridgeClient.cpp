#include "ctl/BridgeClient.h"

#include <mqtt/async_client.h>
#include <unistd.h>

#include <atomic>
#include <csignal>
#include <random>

namespace lockhub::ctl {
namespace {

std::atomic<bool> gInterrupted{false};

void onSignal(int) {
    gInterrupted = true;
}

std::string randomHex() {
    std::random_device device;
    std::uniform_int_distribution<std::uint32_t> digits;
    char text[9];
    std::snprintf(text, sizeof text, "%08x", digits(device));
    return text;
}

::mqtt::connect_options connectOptions(const ConnectionSettings& settings,
                                       std::chrono::milliseconds timeout) {
    auto builder = ::mqtt::connect_options_builder()
                       .mqtt_version(MQTTVERSION_5)
                       .clean_start(true)
                       .keep_alive_interval(std::chrono::seconds(30))
                       .connect_timeout(std::chrono::duration_cast<std::chrono::seconds>(timeout) +
                                        std::chrono::seconds(1));
    if (!settings.username.empty()) {
        builder.user_name(settings.username);
        builder.password(settings.password.reveal());
    }
    if (settings.tls) {
        auto ssl = ::mqtt::ssl_options_builder();
        if (!settings.caFile.empty()) {
            ssl.trust_store(settings.caFile);
        }
        if (!settings.certFile.empty()) {
            ssl.key_store(settings.certFile);
            ssl.private_key(settings.keyFile);
        }
        ssl.enable_server_cert_auth(true);
        ssl.verify(settings.verifyHostname);
        builder.ssl(ssl.finalize());
    }
    return builder.finalize();
}

}  // namespace

void installInterruptHandler() {
    std::signal(SIGINT, onSignal);
    std::signal(SIGTERM, onSignal);
}

bool interrupted() {
    return gInterrupted;
}

void clearInterrupt() {
    gInterrupted = false;
}

Outcome<std::unique_ptr<BridgeClient>> BridgeClient::connect(const ConnectionSettings& settings,
                                                             std::string actor,
                                                             std::chrono::milliseconds timeout) {
    const std::string clientId = "lockhubctl-" + std::to_string(::getpid()) + "-" + randomHex();
    try {
        auto client = std::make_unique<::mqtt::async_client>(settings.uri, clientId,
                                                             ::mqtt::create_options(MQTTVERSION_5));
        client->start_consuming();
        auto token = client->connect(connectOptions(settings, timeout));
        if (!token->wait_for(timeout + std::chrono::seconds(1))) {
            return failure(Exit::NoAnswer, "the broker " + settings.uri +
                                               " did not answer within " +
                                               std::to_string(timeout.count() / 1000) + " s");
        }
        return std::unique_ptr<BridgeClient>(
            new BridgeClient(std::move(client), settings.baseTopic, std::move(actor), timeout));
    } catch (const ::mqtt::exception& e) {
        // A CONNACK reason of 0x80 or more is the broker refusing us (credentials, ACL): retrying
        // will not help. Anything else is the broker not being there.
        const bool refused = e.get_reason_code() >= 0x80;
        return failure(refused ? Exit::Failed : Exit::NoAnswer,
                       "cannot connect to the broker " + settings.uri + ": " + e.what());
    }
}

BridgeClient::BridgeClient(std::unique_ptr<::mqtt::async_client> client, std::string base,
                           std::string actor, std::chrono::milliseconds timeout)
    : client_(std::move(client)),
      base_(std::move(base)),
      actor_(std::move(actor)),
      timeout_(timeout),
      runId_(std::to_string(::getpid()) + "-" + randomHex()) {}

BridgeClient::~BridgeClient() {
    try {
        if (client_->is_connected()) {
            client_->disconnect()->wait_for(std::chrono::seconds(2));
        }
    } catch (const ::mqtt::exception&) {
        // The broker went away first; there is nothing left to close.
    }
}

std::string BridgeClient::topic(const std::string& suffix) const {
    return base_ + "/" + suffix;
}

Outcome<void> BridgeClient::subscribe(const std::string& filter) {
    try {
        if (client_->subscribe(filter, 1)->wait_for(timeout_)) {
            return {};
        }
    } catch (const ::mqtt::exception& e) {
        return failure(Exit::Failed, "cannot subscribe to " + filter + ": " + e.what());
    }
    return failure(Exit::NoAnswer, "the broker did not confirm the subscription to " + filter);
}

Outcome<void> BridgeClient::unsubscribe(const std::string& filter) {
    try {
        if (client_->unsubscribe(filter)->wait_for(timeout_)) {
            return {};
        }
    } catch (const ::mqtt::exception& e) {
        return failure(Exit::Failed, "cannot unsubscribe from " + filter + ": " + e.what());
    }
    return failure(Exit::NoAnswer, "the broker did not confirm leaving " + filter);
}

Outcome<void> BridgeClient::publish(const std::string& topic, const std::string& payload) {
    auto message = ::mqtt::make_message(topic, payload, 1, false);
    message->set_properties(
        ::mqtt::properties{::mqtt::property(::mqtt::property::USER_PROPERTY, "actor", actor_)});
    try {
        if (client_->publish(message)->wait_for(timeout_)) {
            return {};
        }
    } catch (const ::mqtt::exception& e) {
        return failure(Exit::Failed, "cannot publish to " + topic + ": " + e.what());
    }
    return failure(Exit::NoAnswer, "the broker did not acknowledge the message to " + topic);
}

Outcome<std::optional<Message>> BridgeClient::next(Deadline deadline) {
    // Short slices so Ctrl-C ends a long wait promptly.
    constexpr auto kSlice = std::chrono::milliseconds(100);
    while (!interrupted()) {
        const auto now = std::chrono::steady_clock::now();
        if (now >= deadline) {
            return std::nullopt;
        }
        ::mqtt::const_message_ptr message;
        const auto wait = std::min<std::chrono::steady_clock::duration>(deadline - now, kSlice);
        if (!client_->try_consume_message_for(&message, wait)) {
            continue;
        }
        // Paho queues a null message when the connection is lost.
        if (!message) {
            return failure(Exit::NoAnswer, "lost the connection to the broker");
        }
        return Message{message->get_topic(), message->to_string()};
    }
    return std::nullopt;
}

std::string BridgeClient::newTransaction() {
    return "lockhubctl-" + runId_ + "-" + std::to_string(++counter_);
}

}  // namespace lockhub::ctl
