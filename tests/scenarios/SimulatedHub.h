// The whole system as a user has it, minus the radio: a private dbus-daemon, lockhub-sim owning
// org.bluez with two virtual locks, a real mosquitto and a real lockhubd, plus an MQTT probe.
#pragma once

#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "integration/daemon/LockhubdProcess.h"
#include "support/Mosquitto.h"
#include "support/MqttProbe.h"
#include "support/PrivateBus.h"
#include "support/TempDir.h"

namespace lockhub::testing {

struct SimulatedHubOptions {
    // lockhub-sim's --config locks (identity overrides such as "power": "battery"); empty: two
    // mains locks.
    nlohmann::json simLocks = nlohmann::json::array();
    std::string policy = "always";  // the daemon's default locks.policy
    int maxConnections = 5;
    // Merged into the daemon's configuration (JSON merge patch), e.g. {"codes": {...}}.
    nlohmann::json daemonConfig = nlohmann::json::object();
    // Added to the daemon's environment (NOTIFY_SOCKET, LD_PRELOAD, ...).
    std::map<std::string, std::string> daemonEnv = {};
};

// For code scenarios: the test machine's clock may not be NTP-synchronised, so the daemon mints
// codes without it (the rule itself is unit-tested).
SimulatedHubOptions codeHubOptions();
// The Unix time now, and a Unix time as "2026-12-01T14:00:00Z".
std::int64_t unixNow();
std::string isoUtc(std::int64_t unixSeconds);

class SimulatedHub {
public:
    explicit SimulatedHub(SimulatedHubOptions options = {});
    // The secrets canary (issue 13): fails the test when a lock's local key (as text or hex)
    // appears in anything a broker client or an admin can read: what the hub published (requests
    // and commands are the clients' own), the daemon's output of every run, the database files;
    // or a watched code anywhere but the code/issue or code/revoke response that handed it out;
    // or a code that response handed out sealed (watchSealedCode) anywhere at all.
    ~SimulatedHub();
    SimulatedHub(const SimulatedHub&) = delete;
    SimulatedHub& operator=(const SimulatedHub&) = delete;
    void watchCode(const std::string& code) { codes_.push_back(code); }
    void watchSealedCode(const std::string& code) { sealedCodes_.push_back(code); }

    void startSim();
    void stopSim();
    // SIGKILL, as a crashing bluetoothd.
    void killSim();
    // Stops mosquitto and starts it again on the same port after `down`; the probe reconnects
    // (what it had received is kept).
    void restartBroker(std::chrono::milliseconds down);
    void startDaemon();
    void stopDaemon();
    // SIGKILL: no flush, no clean close, as a power cut or the OOM killer would.
    void killDaemon();
    std::filesystem::path database() const;
    // The database with its -wal, -shm and -journal files, as bytes.
    std::string storedBytes() const;
    // stdout and stderr of every daemon run so far.
    std::string daemonOutput() const;
    const std::filesystem::path& dir() const { return dir_.path(); }

    // `lockhub-sim ctl …`; returns its stdout, fails the test on a non-zero exit.
    std::string ctl(const std::vector<std::string>& args);
    nlohmann::json inspect(const std::string& simLock);
    // Pairs sim lock `index` (0-based, from the credentials file) under `name`.
    nlohmann::json pair(std::size_t index, const std::string& name);
    nlohmann::json request(const std::string& op, const nlohmann::json& body);
    nlohmann::json credentials(std::size_t index) const;

    MqttProbe& probe() { return *probe_; }
    Mosquitto& broker() { return broker_; }
    LockhubdProcess& daemon() { return *daemon_; }
    std::string diagnostics();

private:
    TempDir dir_;
    PrivateBus bus_{dir_.path()};
    Mosquitto broker_{dir_.path()};
    std::unique_ptr<Process> sim_;
    std::unique_ptr<LockhubdProcess> daemon_;
    std::unique_ptr<MqttProbe> probe_;
    int generation_ = 0;
    SimulatedHubOptions options_;
    std::vector<std::string> codes_;
    std::vector<std::string> sealedCodes_;
    std::string pastDaemonOutput_;  // of the runs before the current one
};

// A published message's payload as JSON, discarded (is_discarded()) when it is not JSON.
inline nlohmann::json parse(const ReceivedMessage& message) {
    return nlohmann::json::parse(message.payload, nullptr, false);
}

}  // namespace lockhub::testing
