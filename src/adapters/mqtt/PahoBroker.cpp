#include "adapters/mqtt/PahoBroker.h"

#include <mqtt/async_client.h>

#include "adapters/mqtt/TlsProbe.h"
#include "adapters/systemd/EventLoop.h"
#include "app/Log.h"

namespace lockhub::adapters::mqtt {
namespace {

constexpr std::string_view kTag = "mqtt";
// Bursts of events (replayed records) must not hit Paho's default cap of 100 buffered messages
// (toolchain gotcha 1).
constexpr int kMaxBufferedMessages = 10000;

std::string serverUri(const MqttConfig& config) {
    return std::string(config.tls.enabled ? "ssl://" : "tcp://") + config.host + ":" +
           std::to_string(config.port);
}

ports::Broker::Origin originOf(const ::mqtt::message& message) {
    ports::Broker::Origin origin;
    const auto& properties = message.get_properties();
    const auto count = properties.count(::mqtt::property::USER_PROPERTY);
    for (std::size_t i = 0; i < count; ++i) {
        auto [name, value] =
            ::mqtt::get<::mqtt::string_pair>(properties, ::mqtt::property::USER_PROPERTY, i);
        origin.userProperties.emplace_back(std::move(name), std::move(value));
    }
    return origin;
}

}  // namespace

// Turns Paho's completion callbacks (on Paho's thread) into calls on the loop. Paho keeps using
// the listener briefly after calling it, so the broker owns it and frees it on the loop.
class PahoBroker::Listener final : public ::mqtt::iaction_listener {
public:
    Listener(PahoBroker& owner, std::function<void(bool)> done)
        : owner_(owner), alive_(owner.alive_), done_(std::move(done)) {}

    void on_success(const ::mqtt::token&) override { finish(true); }
    void on_failure(const ::mqtt::token&) override { finish(false); }

private:
    void finish(bool ok) {
        owner_.loop_.post([alive = alive_, owner = &owner_, self = this, ok] {
            if (auto a = alive.lock(); a && *a) {
                if (self->done_) {
                    self->done_(ok);
                }
                owner->inflight_.erase(self);
            }
        });
    }

    PahoBroker& owner_;
    std::weak_ptr<bool> alive_;
    std::function<void(bool)> done_;
};

// Paho C++ 1.2 reports a successful connect twice (the C library's onSuccess and again from
// async_client::on_connected; paho.mqtt.cpp issue #129), so this listener lives as long as the
// client and ignores success: the connected handler already covers it.
class PahoBroker::ConnectListener final : public ::mqtt::iaction_listener {
public:
    explicit ConnectListener(PahoBroker& owner) : owner_(owner), alive_(owner.alive_) {}

    void on_success(const ::mqtt::token&) override {}
    void on_failure(const ::mqtt::token&) override {
        owner_.loop_.post([alive = alive_, owner = &owner_] {
            // A second failure report for the same attempt finds connecting_ already false.
            if (auto a = alive.lock(); a && *a && owner->connecting_) {
                owner->connecting_ = false;
                owner->scheduleReconnect("connect failed");
                owner->diagnoseTls();
            }
        });
    }

private:
    PahoBroker& owner_;
    std::weak_ptr<bool> alive_;
};

PahoBroker::Listener& PahoBroker::track(std::function<void(bool)> done) {
    auto listener = std::make_unique<Listener>(*this, std::move(done));
    Listener& ref = *listener;
    inflight_.emplace(&ref, std::move(listener));
    return ref;
}

PahoBroker::PahoBroker(systemd::EventLoop& loop, MqttConfig config, SecretString password,
                       std::string willTopic)
    : loop_(loop),
      config_(std::move(config)),
      password_(std::move(password)),
      willTopic_(std::move(willTopic)),
      backoff_(std::chrono::seconds(1), std::chrono::seconds(config_.reconnectMaxS)),
      jitter_(std::random_device{}()),
      alive_(std::make_shared<bool>(true)),
      connectListener_(std::make_unique<ConnectListener>(*this)) {
    // MQTT v5 for the user properties of requests (the audit's `actor`); a v3.1.1 client
    // talking to the same broker is served alike. Paho C needs the version at creation too, or
    // a v5 connect fails with MQTTASYNC_WRONG_MQTT_VERSION.
    ::mqtt::create_options options(MQTTVERSION_5, kMaxBufferedMessages);
    client_ = std::make_unique<::mqtt::async_client>(serverUri(config_), config_.clientId, options);
    std::weak_ptr<bool> alive = alive_;
    auto onLoop = [this, alive](std::function<void()> work) {
        loop_.post([alive, work = std::move(work)] {
            if (auto a = alive.lock(); a && *a) {
                work();
            }
        });
    };
    client_->set_connected_handler(
        [onLoop, this](const std::string&) { onLoop([this] { onConnected(); }); });
    client_->set_connection_lost_handler([onLoop, this](const std::string& cause) {
        onLoop([this, cause] {
            connected_ = false;
            if (handlers_.disconnected) {
                handlers_.disconnected(cause.empty() ? "connection lost" : cause);
            }
            scheduleReconnect("connection lost");
        });
    });
    client_->set_message_callback([onLoop, this](::mqtt::const_message_ptr message) {
        onLoop([this, message] {
            if (handlers_.message) {
                handlers_.message(message->get_topic(), message->to_string(), originOf(*message));
            }
        });
    });
}

PahoBroker::~PahoBroker() {
    *alive_ = false;
    loop_.cancel(reconnectTimer_);
    if (tlsProbe_.joinable()) {
        tlsProbe_.join();
    }
}

void PahoBroker::diagnoseTls() {
    if (!config_.tls.enabled || tlsDiagnosed_) {
        return;
    }
    tlsDiagnosed_ = true;
    if (tlsProbe_.joinable()) {
        tlsProbe_.join();  // the last run's, long finished: a new run follows a connect
    }
    // Off the loop: the probe blocks for up to its timeout.
    tlsProbe_ = std::thread([&loop = loop_, config = config_, alive = std::weak_ptr(alive_)] {
        auto reason = probeTls(config, std::chrono::seconds(3));
        if (!reason) {
            return;
        }
        loop.post([alive, uri = serverUri(config), reason = std::move(*reason)] {
            if (auto a = alive.lock(); a && *a) {
                log::warning(kTag, "TLS to " + uri + " fails: " + reason);
            }
        });
    });
}

void PahoBroker::setHandlers(Handlers handlers) {
    handlers_ = std::move(handlers);
}

::mqtt::connect_options PahoBroker::connectOptions() const {
    // v5 has clean start instead of clean session: Paho C refuses a v5 connect with
    // cleansession set (MQTTASYNC_BAD_MQTT_OPTION), and Paho C++ 1.2's clean_session() sets it
    // whatever the version, so it is never called here. Without a session expiry interval the
    // broker drops the session at disconnect, as clean session did.
    auto builder = ::mqtt::connect_options_builder()
                       .mqtt_version(MQTTVERSION_5)
                       .clean_start(true)
                       .keep_alive_interval(std::chrono::seconds(config_.keepaliveS))
                       .connect_timeout(std::chrono::seconds(10))
                       .will(::mqtt::message(willTopic_, "offline", 1, true));
    if (!config_.username.empty()) {
        builder.user_name(config_.username);
        builder.password(password_.reveal());
    }
    if (config_.tls.enabled) {
        auto ssl = ::mqtt::ssl_options_builder();
        if (!config_.tls.caFile.empty()) {
            ssl.trust_store(config_.tls.caFile);
        }
        if (!config_.tls.certFile.empty()) {
            ssl.key_store(config_.tls.certFile);
            ssl.private_key(config_.tls.keyFile);
        }
        ssl.enable_server_cert_auth(true);
        ssl.verify(config_.tls.verifyHostname);
        builder.ssl(ssl.finalize());
    }
    return builder.finalize();
}

void PahoBroker::start() {
    connect();
}

void PahoBroker::connect() {
    if (stopping_ || connecting_) {
        return;
    }
    connecting_ = true;
    try {
        client_->connect(connectOptions(), nullptr, *connectListener_);
    } catch (const ::mqtt::exception& e) {
        connecting_ = false;
        scheduleReconnect(std::string("connect failed: ") + e.what());
    }
}

void PahoBroker::scheduleReconnect(const std::string& why) {
    if (stopping_ || connected_) {
        return;
    }
    const auto delay = backoff_.next(std::uniform_real_distribution<double>(0.0, 1.0)(jitter_));
    log::info(kTag, why + "; retrying " + serverUri(config_) + " in " +
                        std::to_string(delay.count()) + " ms");
    loop_.cancel(reconnectTimer_);
    reconnectTimer_ = loop_.addTimer(delay, [this] {
        reconnectTimer_ = 0;
        connect();
    });
}

void PahoBroker::onConnected() {
    connected_ = true;
    connecting_ = false;
    tlsDiagnosed_ = false;
    backoff_.reset();
    log::info(kTag, "connected to " + serverUri(config_));
    if (handlers_.connected) {
        handlers_.connected();
    }
}

bool PahoBroker::connected() const {
    return connected_;
}

void PahoBroker::send(const std::string& what, ::mqtt::token::Type type, Completion done,
                      const std::function<void(::mqtt::iaction_listener&)>& start) {
    if (!connected_) {
        if (done) {
            done(false);
        }
        return;
    }
    Listener& listener = track(std::move(done));
    try {
        start(listener);
    } catch (const ::mqtt::exception& e) {
        log::warning(kTag, what + " failed: " + e.what());
        listener.on_failure(::mqtt::token(type, *client_));
    }
}

void PahoBroker::subscribe(const std::string& filter, Completion done) {
    send("subscribe to " + filter, ::mqtt::token::Type::SUBSCRIBE, std::move(done),
         [&](::mqtt::iaction_listener& listener) {
             // QoS 0: requests and lock commands are acted on at most once (a redelivered
             // UNLOCK must not unlock twice), and no PUBACK of ours goes out just before the
             // response, where Nagle would hold the response until the broker's delayed ACK.
             client_->subscribe(filter, 0, nullptr, listener);
         });
}

void PahoBroker::publish(const std::string& topic, const std::string& payload, int qos,
                         bool retained, Completion done) {
    send("publish to " + topic, ::mqtt::token::Type::PUBLISH, std::move(done),
         [&](::mqtt::iaction_listener& listener) {
             client_->publish(::mqtt::make_message(topic, payload, qos, retained), nullptr,
                              listener);
         });
}

void PahoBroker::stop(std::chrono::milliseconds deadline) {
    stopping_ = true;
    loop_.cancel(reconnectTimer_);
    if (!client_->is_connected()) {
        return;
    }
    const auto until = std::chrono::steady_clock::now() + deadline;
    try {
        for (const auto& token : client_->get_pending_delivery_tokens()) {
            const auto left = until - std::chrono::steady_clock::now();
            if (left <= decltype(left)::zero()) {
                break;
            }
            token->wait_for(std::chrono::duration_cast<std::chrono::milliseconds>(left));
        }
        const auto left =
            std::max(until - std::chrono::steady_clock::now(),
                     std::chrono::steady_clock::duration(std::chrono::milliseconds(100)));
        client_->disconnect()->wait_for(
            std::chrono::duration_cast<std::chrono::milliseconds>(left));
    } catch (const ::mqtt::exception& e) {
        log::warning(kTag, std::string("clean disconnect failed: ") + e.what());
    }
    connected_ = false;
}

}  // namespace lockhub::adapters::mqtt
