#include "tests/fakes/FakeBroker.h"

namespace lockhub::fakes {

void FakeBroker::subscribe(const std::string& filter, Completion done) {
    subscriptions.push_back(filter);
    if (done) {
        const bool ok = connected_;
        scheduler_.after(std::chrono::milliseconds(0), [done, ok] { done(ok); });
    }
}

void FakeBroker::publish(const std::string& topic, const std::string& payload, int qos,
                         bool retained, Completion done) {
    if (!connected_) {
        if (done) {
            scheduler_.after(std::chrono::milliseconds(0), [done] { done(false); });
        }
        return;
    }
    Message message{topic, payload, qos, retained};
    if (onPublish) {
        onPublish(message);
    }
    published.push_back(std::move(message));
    if (!done) {
        return;
    }
    if (refusePublishes) {
        scheduler_.after(std::chrono::milliseconds(0), [done] { done(false); });
    } else if (autoAcknowledge) {
        scheduler_.after(std::chrono::milliseconds(0), [done] { done(true); });
    } else {
        pending_.push_back(std::move(done));
    }
}

void FakeBroker::connect() {
    connected_ = true;
    if (handlers_.connected) {
        handlers_.connected();
    }
}

void FakeBroker::disconnect(const std::string& reason) {
    connected_ = false;
    if (handlers_.disconnected) {
        handlers_.disconnected(reason);
    }
}

void FakeBroker::deliver(const std::string& topic, const std::string& payload,
                         const Origin& origin) {
    if (handlers_.message) {
        handlers_.message(topic, payload, origin);
    }
}

std::size_t FakeBroker::complete(bool delivered, std::size_t count) {
    std::size_t done = 0;
    while (!pending_.empty() && done < count) {
        auto completion = std::move(pending_.front());
        pending_.pop_front();
        completion(delivered);
        ++done;
    }
    return done;
}

std::vector<FakeBroker::Message> FakeBroker::on(const std::string& topic) const {
    std::vector<Message> out;
    for (const auto& message : published) {
        if (message.topic == topic) {
            out.push_back(message);
        }
    }
    return out;
}

std::vector<std::string> FakeBroker::payloadsOn(const std::string& topic) const {
    std::vector<std::string> out;
    for (const auto& message : on(topic)) {
        out.push_back(message.payload);
    }
    return out;
}

}  // namespace lockhub::fakes
