// A hub session and a lock session joined by an in-memory pipe that can fragment (the sessions'
// own MTU), interleave frames, repeat packets and drop packets or whole frames. Time only moves
// when a test advances it.
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <random>
#include <variant>
#include <vector>

#include "TestSupport.h"
#include "protocol/tuya/HubSession.h"
#include "protocol/tuya/LockSession.h"

namespace lockhub::protocol::tuya::test {

inline constexpr const char* kUuid = "tuyab10f2d3c4e5a";
inline constexpr const char* kLoginKey = "a3f6b2";
inline constexpr const char* kDeviceId = "bf1234567890abcdefgh";

struct PipeFaults {
    bool interleave = false;         // frames of one batch go out packet by packet, round robin
    std::size_t repeatEvery = 0;     // every Nth packet is delivered twice in a row
    std::uint32_t dropPerMille = 0;  // each packet is lost with this probability
};

inline HubSessionConfig hubConfig(ProtocolVersion version) {
    HubSessionConfig config;
    config.uuid = kUuid;
    config.loginKey = SecretString(kLoginKey);
    config.deviceId = kDeviceId;
    config.version = version;
    return config;
}

inline LockSessionConfig lockConfig(ProtocolVersion version, bool bound = true) {
    LockSessionConfig config;
    config.identity.uuid = kUuid;
    config.identity.loginKey = SecretString(kLoginKey);
    config.identity.deviceId = kDeviceId;
    config.identity.bound = bound;
    config.identity.version = version;
    config.identity.deviceInfo.firmwareVersion = {1, 5};
    config.identity.deviceInfo.hardwareVersion = {1, 0};
    config.identity.deviceInfo.authKey.fill(0x5A);
    return config;
}

class SessionPair {
public:
    SessionPair(HubSessionConfig hub, LockSessionConfig lock)
        : hub_(std::move(hub), hubRandom_), lock_(std::move(lock), lockRandom_) {}
    explicit SessionPair(ProtocolVersion version = ProtocolVersion::V3, bool bound = true)
        : SessionPair(hubConfig(version), lockConfig(version, bound)) {}

    HubSession& hub() { return hub_; }
    LockSession& lock() { return lock_; }
    Now now() const { return Now{mono_, utc_}; }
    MonoTime mono() const { return mono_; }

    void advance(Duration by) {
        mono_ += by;
        utc_ += by;
    }
    // Advances, lets both sessions see the time, and delivers what that produced.
    void tick(Duration by) {
        advance(by);
        hub_.poll(now());
        lock_.poll(mono_);
        pump();
    }

    // Moves packets both ways until neither side has anything more to say.
    void pump() {
        for (int round = 0; round < 1000; ++round) {
            std::vector<Bytes> toLock = carry(collectHub(), dropHubFrames);
            std::vector<Bytes> toHub = carry(collectLock(), dropLockFrames);
            if (toLock.empty() && toHub.empty()) {
                return;
            }
            for (const Bytes& packet : toLock) {
                lock_.receive(packet, mono_);
            }
            for (const Bytes& packet : toHub) {
                hub_.receive(packet, now());
            }
        }
        ADD_FAILURE() << "pipe never went quiet";
    }

    void handshake() {
        hub_.start(now());
        pump();
    }

    template <typename Event>
    std::vector<Event> hubEventsOf() const {
        return eventsOf<Event>(hubEvents);
    }
    template <typename Event>
    std::vector<Event> lockEventsOf() const {
        return eventsOf<Event>(lockEvents);
    }

    PipeFaults faults;
    int dropHubFrames = 0;                    // whole hub->lock frames still to lose
    int dropLockFrames = 0;                   // whole lock->hub frames still to lose
    bool answerWrites = true;                 // plays the firmware: accepts every DP write at once
    bool acknowledgeReports = true;           // plays the app: acknowledges every report at once
    std::vector<ReportToken> unacknowledged;  // surfaced while acknowledgeReports was false
    std::vector<HubEvent> hubEvents;
    std::vector<LockEvent> lockEvents;
    std::optional<DisconnectReason> hubDisconnect;
    std::optional<DisconnectReason> lockDisconnect;

private:
    template <typename Event, typename Variant>
    static std::vector<Event> eventsOf(const std::vector<Variant>& events) {
        std::vector<Event> out;
        for (const Variant& event : events) {
            if (const auto* match = std::get_if<Event>(&event)) {
                out.push_back(*match);
            }
        }
        return out;
    }

    std::vector<Bytes> collectHub() {
        HubOutput out = hub_.takeOutput();
        hubEvents.insert(hubEvents.end(), out.events.begin(), out.events.end());
        if (out.disconnect) {
            hubDisconnect = out.disconnect;
        }
        std::vector<Bytes> packets = std::move(out.packets);
        // Plays the app, which acknowledges a report once it is stored.
        for (const HubEvent& event : out.events) {
            if (const auto* report = std::get_if<ReportReceived>(&event); report) {
                unacknowledged.push_back(report->token);
            }
        }
        if (acknowledgeReports) {
            for (ReportToken token : std::exchange(unacknowledged, {})) {
                hub_.acknowledge(token);
            }
            HubOutput acks = hub_.takeOutput();
            packets.insert(packets.end(), acks.packets.begin(), acks.packets.end());
        }
        return packets;
    }

    std::vector<Bytes> collectLock() {
        LockOutput out = lock_.takeOutput();
        for (const LockEvent& event : out.events) {
            lockEvents.push_back(event);
            if (const auto* write = std::get_if<DpWriteReceived>(&event); write && answerWrites) {
                EXPECT_TRUE(lock_.answerDpWrite(write->id, 0).has_value());
            }
        }
        if (out.disconnect) {
            lockDisconnect = out.disconnect;
        }
        std::vector<Bytes> packets = std::move(out.packets);
        // Answers given while handling the events above.
        LockOutput answers = lock_.takeOutput();
        lockEvents.insert(lockEvents.end(), answers.events.begin(), answers.events.end());
        packets.insert(packets.end(), answers.packets.begin(), answers.packets.end());
        return packets;
    }

    // Frames start at packet number 0, which is the single byte 0x00.
    std::vector<Bytes> carry(std::vector<Bytes> packets, int& dropFrames) {
        std::vector<std::deque<Bytes>> frames;
        for (Bytes& packet : packets) {
            if (frames.empty() || packet[0] == 0x00) {
                frames.emplace_back();
            }
            frames.back().push_back(std::move(packet));
        }
        std::vector<std::deque<Bytes>> kept;
        for (auto& frame : frames) {
            if (dropFrames > 0) {
                --dropFrames;
            } else {
                kept.push_back(std::move(frame));
            }
        }
        std::vector<Bytes> out;
        const auto emit = [&](Bytes packet) {
            if (faults.dropPerMille != 0 && rng_() % 1000 < faults.dropPerMille) {
                return;
            }
            ++carried_;
            if (faults.repeatEvery != 0 && carried_ % faults.repeatEvery == 0) {
                out.push_back(packet);
            }
            out.push_back(std::move(packet));
        };
        if (faults.interleave) {
            for (bool any = true; any;) {
                any = false;
                for (auto& frame : kept) {
                    if (!frame.empty()) {
                        emit(std::move(frame.front()));
                        frame.pop_front();
                        any = true;
                    }
                }
            }
        } else {
            for (auto& frame : kept) {
                for (Bytes& packet : frame) {
                    emit(std::move(packet));
                }
            }
        }
        return out;
    }

    CountingRandom hubRandom_{0};
    CountingRandom lockRandom_{128};
    HubSession hub_;
    LockSession lock_;
    MonoTime mono_{std::chrono::hours(1)};
    UtcTime utc_{std::chrono::milliseconds(1700000000123)};
    std::mt19937 rng_{7};  // fixed: every run loses the same packets
    std::size_t carried_ = 0;
};

}  // namespace lockhub::protocol::tuya::test
