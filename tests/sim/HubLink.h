// The hub side of one lock over the simulator's D-Bus API, built from protocol::tuya::HubSession:
// Connect, find the Tuya characteristics by UUID, StartNotify, then every notification goes into
// the session and every packet it produces goes out with WriteValue (write-without-response).
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "protocol/tuya/HubSession.h"
#include "sim/firmware/LockFirmware.h"
#include "tests/sim/SimProcess.h"
#include "tests/sim/SimTestSupport.h"

namespace lockhub::sim::test {

// One entry of the credentials file.
struct LockCredentials {
    std::string name;
    std::string mac;
    SimLockIdentity identity;
};
std::vector<LockCredentials> readCredentials(const std::filesystem::path& file);

// An org.lockhub.Sim1 method that answers JSON (Burst, AckedRecords, Inspect), parsed.
template <typename... Args>
nlohmann::json simJson(SimProcess& sim, const std::string& method, const Args&... args) {
    std::string text;
    sim.sim(method, args...) >> text;
    return nlohmann::json::parse(text);
}

class HubLink {
public:
    HubLink(SimProcess& sim, const SimLockIdentity& identity);
    ~HubLink();

    // Connect + resolve + StartNotify; false if Connect failed (the error name in lastError()).
    bool connect();
    bool handshake();
    void disconnect();

    std::optional<protocol::tuya::RequestId> write(const std::vector<Dp>& dps);
    // Feeds notifications to the session until `done()` or the timeout.
    bool pumpUntil(const std::function<bool()>& done,
                   std::chrono::milliseconds timeout = std::chrono::milliseconds(3000));

    std::vector<protocol::tuya::DpReport> records() const;  // reports with a lock time
    std::vector<protocol::tuya::DpReport> reports() const;
    std::size_t recordCount() const { return recordCount_; }  // records() .size(), in O(1)
    template <typename T>
    std::size_t count() const {
        return static_cast<std::size_t>(
            std::count_if(events_.begin(), events_.end(),
                          [](const auto& e) { return std::holds_alternative<T>(e); }));
    }
    const std::string& devicePath() const { return devicePath_; }
    const std::string& writePath() const { return writePath_; }
    const std::string& notifyPath() const { return notifyPath_; }
    const std::string& lastError() const { return lastError_; }

private:
    void flush();

    SimProcess& sim_;
    SimLockIdentity identity_;
    std::string devicePath_;
    std::string writePath_;
    std::string notifyPath_;
    std::string lastError_;
    CountingRandom random_;
    std::unique_ptr<protocol::tuya::HubSession> session_;
    std::vector<protocol::tuya::HubEvent> events_;
    std::size_t consumed_ = 0;  // signals already fed to the session
    std::size_t recordCount_ = 0;
};

}  // namespace lockhub::sim::test
