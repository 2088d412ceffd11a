// One lock's BLE link, as an explicit state machine (design §3):
//   Idle → Waiting (for a connection slot) → Connecting → Handshake → Ready → Idle | Backoff
// It decides when to connect from its policy, runs the Tuya hub session over the GATT link,
// queues commands with deadlines so each ends in exactly one result, and reports what the lock
// says. Single-threaded: everything runs on the event loop.
#pragma once

#include <chrono>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "app/ConnectionSlots.h"
#include "domain/Backoff.h"
#include "domain/Secret.h"
#include "ports/BleCentral.h"
#include "ports/Scheduler.h"
#include "protocol/tuya/HubSession.h"

namespace lockhub {

enum class LinkState { Idle, Waiting, Connecting, Handshake, Ready, Backoff };
std::string_view linkStateName(LinkState state);

struct LinkPolicy {
    enum class Mode { OnDemand, KeepAlive, Always };
    Mode mode = Mode::OnDemand;
    // How long a link stays up after the last activity (KeepAlive; OnDemand uses linger).
    std::chrono::seconds keepAlive{30};
    std::chrono::seconds linger{5};
    // OnDemand and KeepAlive connect this often to refresh the state (0: never).
    std::chrono::seconds pollInterval{3600};
    std::chrono::milliseconds connectTimeout{15000};
    std::chrono::milliseconds handshakeTimeout{10000};
    // Delays are drawn from the upper half of the doubling base, so at the maximum a lock that
    // stays away is tried at most once a minute.
    std::chrono::milliseconds backoffInitial{1000};
    std::chrono::milliseconds backoffMax{120000};
    // Offline after this long without an advertisement, a frame or a connection (a failed
    // connection attempt alone makes only an Always link offline); 0: twice the advertising
    // interval seen, at least kMinAvailabilityTimeout.
    std::chrono::seconds availabilityTimeout{0};
    // A pairing attempt's link: served before connect requests and polls.
    bool pairing = false;
};

// The modes as the configuration, the store and the API name them: "on_demand", "keep_alive",
// "always". nullopt for any other name (those layers refuse it before it gets here).
std::string_view linkModeName(LinkPolicy::Mode mode);
std::optional<LinkPolicy::Mode> parseLinkMode(std::string_view name);

inline constexpr std::chrono::seconds kMinAvailabilityTimeout{600};
// Connection attempts for a wake (poll, connect request) before the link waits to hear from the
// lock again: a lock whose battery died must not be dialled forever.
inline constexpr int kWakeAttempts = 3;

struct LockIdentity {
    std::string mac;
    std::string uuid;
    std::string deviceId;
    SecretString loginKey;  // local_key[:6]
    protocol::tuya::ProtocolVersion version = protocol::tuya::ProtocolVersion::V3;
};

// A report the lock is waiting to have acknowledged: the connection it came on and its token.
struct ReportHandle {
    std::uint64_t attempt = 0;
    protocol::tuya::ReportToken token = 0;
    // The same content as the report before, already acknowledged: a retransmission after a lost
    // ack, or (v3 has no serial number) the same report again. Its records are not new.
    bool repeat = false;
};

struct CommandResult {
    enum class Outcome { Ok, Rejected, Failed, Timeout };
    Outcome outcome = Outcome::Ok;
    std::string reason;  // empty for Ok
};
std::string_view outcomeName(CommandResult::Outcome outcome);

class LockLink {
public:
    struct Events {
        std::function<void()> ready;  // handshake done (on every connection)
        // Acknowledge (or release) it once its records are stored (or could not be).
        std::function<void(const ReportHandle&, const protocol::tuya::DpReport&)> report;
        std::function<void(bool online)> availability;
        std::function<void(LinkState)> stateChanged;
        // The connection attempt reached the lock but the handshake failed (wrong keys, most
        // likely) — distinct from "out of range".
        std::function<void(const std::string& reason)> handshakeFailed;
        // A connection attempt failed before reaching the lock (out of range, unknown device).
        std::function<void(const Error& error)> connectFailed;
        // Any frame or advertisement: the lock is alive.
        std::function<void()> seen;
    };
    using CommandDone = std::function<void(const CommandResult&)>;

    LockLink(LockIdentity identity, LinkPolicy policy, ports::BleCentral& ble,
             ports::Scheduler& scheduler, protocol::tuya::RandomSource& random,
             ConnectionSlots& slots, Events events);
    ~LockLink();
    LockLink(const LockLink&) = delete;
    LockLink& operator=(const LockLink&) = delete;

    void start();
    // Drops the link, ends queued commands as failed, stops every timer.
    void stop(const std::string& why);

    // Queues a DP write; `done` is called exactly once, at the latest after `deadline`.
    void submit(std::vector<protocol::tuya::Dp> dps, std::chrono::milliseconds deadline,
                CommandDone done);
    // Asks for a connection now (a poll).
    void wake();
    // Keeps the link connected, at command priority, until the hold is released: a flow that
    // waits for the lock between writes (an enrolment waits for fingerprint touches) must not
    // let a battery lock go back to sleep. Holds nest.
    void hold();
    void releaseHold();
    // Takes effect at once: a link that should no longer be up drops, one that should connects.
    void setPolicy(LinkPolicy policy);
    const LinkPolicy& policy() const { return policy_; }
    // What the lock said of itself in its last handshake (firmware and protocol version).
    const std::optional<protocol::tuya::DeviceInfo>& device() const { return device_; }

    // The report's records are durably stored: the lock may delete them.
    void acknowledge(const ReportHandle& handle);
    // They could not be stored: the lock keeps them and sends them again.
    void release(const ReportHandle& handle);
    // Sets the lock's clock to the hub's (UTC) now over the current connection; false when the
    // link is not ready.
    bool pushTime();

    void onAdvertisement(const ports::Advertisement& advertisement);
    void onNotification(const ports::Bytes& packet);
    void onLinkLost(const std::string& reason);
    void onAdapterAvailable(bool available);
    // Called by ConnectionSlots when this link may connect.
    void onSlotGranted();
    // True while the link holds a slot only to stay connected (always / keep_alive), with no
    // command, pairing, connect request or poll to serve: ConnectionSlots may ask it to yield.
    bool standingOnly() const;
    // Disconnects gracefully and queues again for a slot.
    void yieldSlot();

    // The lock advertises under another address now (recognised by its device UUID); the next
    // connection goes there. Only while not connecting or connected: false then.
    bool relocate(const std::string& mac);

    LinkState state() const { return state_; }
    const std::string& mac() const { return identity_.mac; }
    std::optional<std::int16_t> rssi() const { return rssi_; }

private:
    struct PendingCommand {
        std::uint64_t serial;
        std::vector<protocol::tuya::Dp> dps;
        CommandDone done;
        ports::Scheduler::TimerId deadlineTimer = 0;
        std::optional<protocol::tuya::RequestId> inFlight;
    };

    bool wantsConnection() const;
    SlotPriority priority() const;
    void heard();
    void retryNow();
    void scheduleAvailability();
    std::chrono::steady_clock::time_point availabilityDue() const;
    std::chrono::milliseconds availabilityTimeout() const;
    void evaluate();
    void setState(LinkState state);
    void setOnline(bool online);
    void connect();
    void onConnected(Result<std::unique_ptr<ports::GattLink>> link);
    void flush();
    void handle(const protocol::tuya::HubEvent& event);
    void sendNextCommand();
    void finish(std::uint64_t serial, CommandResult result);
    void drop(const std::string& why, bool failure);
    void scheduleRetry();
    void scheduleSessionPoll();
    void scheduleIdle();
    void schedulePoll();
    void touch();
    protocol::tuya::Now now() const;

    LockIdentity identity_;
    LinkPolicy policy_;
    ports::BleCentral& ble_;
    ports::Scheduler& scheduler_;
    protocol::tuya::RandomSource& random_;
    ConnectionSlots& slots_;
    Events events_;

    LinkState state_ = LinkState::Idle;
    std::optional<bool> online_;
    std::optional<protocol::tuya::DeviceInfo> device_;
    bool started_ = false;
    bool holdsSlot_ = false;
    bool wakeRequested_ = false;
    int holds_ = 0;
    bool connectRequested_ = false;  // the lock's advertisement asks for a connection
    int failedWakes_ = 0;
    // The last wake went unanswered: the next advertisement tries again.
    bool awaitingSighting_ = false;
    std::chrono::steady_clock::time_point lastHeard_{};
    std::optional<std::chrono::steady_clock::time_point> lastAdvertisement_;
    std::optional<std::chrono::milliseconds> advertisingInterval_;  // smoothed
    std::unique_ptr<ports::GattLink> gatt_;
    std::unique_ptr<protocol::tuya::HubSession> session_;
    std::deque<PendingCommand> commands_;
    std::uint64_t nextSerial_ = 1;
    Backoff backoff_;
    std::optional<std::int16_t> rssi_;
    std::optional<ports::Bytes> lastManufacturerData_;
    std::chrono::steady_clock::time_point keepUntil_{};
    ports::Scheduler::TimerId retryTimer_ = 0;
    ports::Scheduler::TimerId sessionTimer_ = 0;
    ports::Scheduler::TimerId idleTimer_ = 0;
    ports::Scheduler::TimerId pollTimer_ = 0;
    ports::Scheduler::TimerId availabilityTimer_ = 0;
    // Bumped on every connection attempt so late callbacks of an abandoned attempt are ignored.
    std::uint64_t attempt_ = 0;
    std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace lockhub
