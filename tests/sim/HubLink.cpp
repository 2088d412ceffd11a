#include "tests/sim/HubLink.h"

#include <fstream>

#include "sim/host/IdentityJson.h"

namespace lockhub::sim::test {
namespace tuya = protocol::tuya;
namespace {

tuya::Now now() {
    return {std::chrono::steady_clock::now(), std::chrono::system_clock::now()};
}

}  // namespace

std::vector<LockCredentials> readCredentials(const std::filesystem::path& file) {
    std::ifstream in(file);
    const auto json = nlohmann::json::parse(in);
    std::vector<LockCredentials> out;
    for (const auto& lock : json.at("locks")) {
        auto identity = identityFromJson(lock, SimLockIdentity{});
        if (!identity) {
            throw std::runtime_error("bad credentials entry: " + identity.error().message);
        }
        out.push_back({identity->name, identity->mac, *identity});
    }
    return out;
}

HubLink::HubLink(SimProcess& sim, const SimLockIdentity& identity)
    : sim_(sim), identity_(identity), devicePath_(sim.devicePath(identity.mac)) {}

HubLink::~HubLink() {
    try {
        disconnect();
    } catch (const sdbus::Error&) {
        // Already gone.
    }
}

bool HubLink::connect() {
    try {
        sim_.call(devicePath_, "org.bluez.Device1", "Connect");
    } catch (const sdbus::Error& e) {
        lastError_ = e.getName();
        return false;
    }
    for (const auto& [path, interfaces] : sim_.managedObjects()) {
        const auto chr = interfaces.find("org.bluez.GattCharacteristic1");
        if (chr == interfaces.end() || path.find(devicePath_ + "/") != 0) {
            continue;
        }
        const auto flags = chr->second.at("Flags").get<std::vector<std::string>>();
        if (std::find(flags.begin(), flags.end(), "notify") != flags.end()) {
            notifyPath_ = path;
        } else {
            writePath_ = path;
        }
    }
    consumed_ = sim_.signalCount();
    try {
        sim_.call(notifyPath_, "org.bluez.GattCharacteristic1", "StartNotify");
    } catch (const sdbus::Error& e) {
        if (e.getMessage() != "Already notifying") {  // a bonded device keeps our session
            throw;
        }
    }
    session_ = std::make_unique<tuya::HubSession>(hubConfigFor(identity_), random_);
    events_.clear();
    recordCount_ = 0;
    return true;
}

bool HubLink::handshake() {
    session_->start(now());
    flush();
    return pumpUntil(
        [&] { return count<tuya::HandshakeDone>() == 1 && count<tuya::TimeAnswered>() == 1; });
}

void HubLink::disconnect() {
    if (session_) {
        session_.reset();
        sim_.call(devicePath_, "org.bluez.Device1", "Disconnect");
    }
}

std::optional<tuya::RequestId> HubLink::write(const std::vector<Dp>& dps) {
    auto id = session_->writeDps(dps, now());
    flush();
    if (!id) {
        return std::nullopt;
    }
    return *id;
}

bool HubLink::pumpUntil(const std::function<bool()>& done, std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!done()) {
        const auto remaining = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (remaining.count() <= 0) {
            return false;
        }
        const std::size_t seen = consumed_;
        sim_.waitFor([&](const std::vector<Signal>& all) { return all.size() > seen; }, remaining);
        for (const auto& signal : sim_.signalsSince(consumed_)) {
            ++consumed_;
            if (signal.member == "PropertiesChanged" && signal.path == notifyPath_ &&
                signal.changed.contains("Value") && session_) {
                const auto value = signal.changed.at("Value").get<std::vector<std::uint8_t>>();
                session_->receive(value, now());
                flush();
            }
        }
    }
    return true;
}

void HubLink::flush() {
    auto output = session_->takeOutput();
    for (auto& event : output.events) {
        // Plays the app, which stores each report at once and then acknowledges it.
        if (const auto* report = std::get_if<tuya::ReportReceived>(&event)) {
            recordCount_ += report->report.time ? 1 : 0;
            session_->acknowledge(report->token);
        }
        events_.push_back(std::move(event));
    }
    auto acks = session_->takeOutput();
    output.packets.insert(output.packets.end(), acks.packets.begin(), acks.packets.end());
    for (const auto& packet : output.packets) {
        sim_.call(writePath_, "org.bluez.GattCharacteristic1", "WriteValue", packet,
                  Variants{{"type", sdbus::Variant(std::string("command"))}});
    }
}

std::vector<tuya::DpReport> HubLink::reports() const {
    std::vector<tuya::DpReport> out;
    for (const auto& event : events_) {
        if (const auto* report = std::get_if<tuya::ReportReceived>(&event)) {
            out.push_back(report->report);
        }
    }
    return out;
}

std::vector<tuya::DpReport> HubLink::records() const {
    auto out = reports();
    std::erase_if(out, [](const tuya::DpReport& r) { return !r.time; });
    return out;
}

}  // namespace lockhub::sim::test
