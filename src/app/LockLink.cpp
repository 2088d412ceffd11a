#include "app/LockLink.h"

#include <algorithm>

#include "app/ConnectionSlots.h"
#include "app/Log.h"
#include "app/ScannedAdvertisement.h"

namespace lockhub {
namespace {

constexpr std::string_view kLinkTag = "link";
using protocol::tuya::HubEvent;
using std::chrono::duration_cast;
using std::chrono::milliseconds;

// Bit 0 of the v3 manufacturer data's flags (protocol/tuya/Advertisement.h).
constexpr std::uint8_t kV3ConnectRequestFlag = 0x01;

// A uniform value in [0, 1) for the back-off jitter.
double unitRandom(protocol::tuya::RandomSource& random) {
    std::uint8_t bytes[4];
    random.fill(bytes);
    const std::uint32_t value = (std::uint32_t{bytes[0]} << 24) | (std::uint32_t{bytes[1]} << 16) |
                                (std::uint32_t{bytes[2]} << 8) | bytes[3];
    return static_cast<double>(value) / 4294967296.0;
}

template <class... Ts>
struct Overloaded : Ts... {
    using Ts::operator()...;
};
template <class... Ts>
Overloaded(Ts...) -> Overloaded<Ts...>;

}  // namespace

std::string_view linkModeName(LinkPolicy::Mode mode) {
    switch (mode) {
        case LinkPolicy::Mode::KeepAlive:
            return "keep_alive";
        case LinkPolicy::Mode::Always:
            return "always";
        case LinkPolicy::Mode::OnDemand:
            break;
    }
    return "on_demand";
}

std::optional<LinkPolicy::Mode> parseLinkMode(std::string_view name) {
    for (auto mode :
         {LinkPolicy::Mode::OnDemand, LinkPolicy::Mode::KeepAlive, LinkPolicy::Mode::Always}) {
        if (linkModeName(mode) == name) {
            return mode;
        }
    }
    return std::nullopt;
}

std::string_view linkStateName(LinkState state) {
    switch (state) {
        case LinkState::Idle:
            return "idle";
        case LinkState::Waiting:
            return "waiting";
        case LinkState::Connecting:
            return "connecting";
        case LinkState::Handshake:
            return "handshake";
        case LinkState::Ready:
            return "ready";
        case LinkState::Backoff:
            return "backoff";
    }
    return "idle";
}

std::string_view outcomeName(CommandResult::Outcome outcome) {
    switch (outcome) {
        case CommandResult::Outcome::Ok:
            return "ok";
        case CommandResult::Outcome::Rejected:
            return "rejected";
        case CommandResult::Outcome::Failed:
            return "failed";
        case CommandResult::Outcome::Timeout:
            return "timeout";
    }
    return "failed";
}

LockLink::LockLink(LockIdentity identity, LinkPolicy policy, ports::BleCentral& ble,
                   ports::Scheduler& scheduler, protocol::tuya::RandomSource& random,
                   ConnectionSlots& slots, Events events)
    : identity_(std::move(identity)),
      policy_(policy),
      ble_(ble),
      scheduler_(scheduler),
      random_(random),
      slots_(slots),
      events_(std::move(events)),
      backoff_(policy.backoffInitial, policy.backoffMax) {}

LockLink::~LockLink() {
    *alive_ = false;
    for (auto timer : {retryTimer_, sessionTimer_, idleTimer_, pollTimer_, availabilityTimer_}) {
        scheduler_.cancel(timer);
    }
    for (auto& command : commands_) {
        scheduler_.cancel(command.deadlineTimer);
    }
    if (gatt_) {
        gatt_->disconnect();
    }
    slots_.release(*this);
}

protocol::tuya::Now LockLink::now() const {
    return {scheduler_.now(), scheduler_.utcNow()};
}

void LockLink::start() {
    started_ = true;
    // Not heard from yet: the lock gets its availability timeout to show up, as if just seen.
    lastHeard_ = scheduler_.now();
    scheduleAvailability();
    schedulePoll();
    evaluate();
}

void LockLink::stop(const std::string& why) {
    started_ = false;
    for (auto* timer : {&retryTimer_, &pollTimer_, &availabilityTimer_}) {
        scheduler_.cancel(*timer);
        *timer = 0;
    }
    drop(why, false);
    while (!commands_.empty()) {
        finish(commands_.front().serial, {CommandResult::Outcome::Failed, why});
    }
}

bool LockLink::wantsConnection() const {
    if (!started_) {
        return false;
    }
    return policy_.mode == LinkPolicy::Mode::Always || !commands_.empty() || holds_ > 0 ||
           wakeRequested_ || connectRequested_ || scheduler_.now() < keepUntil_;
}

SlotPriority LockLink::priority() const {
    if (!commands_.empty() || holds_ > 0) {
        return SlotPriority::Command;
    }
    if (policy_.pairing) {
        return SlotPriority::Pairing;
    }
    if (connectRequested_) {
        return SlotPriority::ConnectRequest;
    }
    return wakeRequested_ ? SlotPriority::Poll : SlotPriority::Standing;
}

bool LockLink::standingOnly() const {
    return holdsSlot_ && state_ == LinkState::Ready && priority() == SlotPriority::Standing;
}

void LockLink::yieldSlot() {
    if (!standingOnly()) {
        return;
    }
    drop("yielding its connection to a lock that needs one", false);
    evaluate();  // queues again, behind what it yielded to
}

void LockLink::setState(LinkState state) {
    if (state_ == state) {
        return;
    }
    state_ = state;
    log::debug(kLinkTag, "link " + std::string(linkStateName(state)),
               {{"LOCK_MAC", identity_.mac}});
    if (events_.stateChanged) {
        events_.stateChanged(state);
    }
}

void LockLink::setOnline(bool online) {
    if (online_ == online) {
        return;
    }
    online_ = online;
    log::info(kLinkTag, std::string("lock ") + (online ? "reachable" : "unreachable"),
              {{"LOCK_MAC", identity_.mac}});
    if (events_.availability) {
        events_.availability(online);
    }
}

void LockLink::evaluate() {
    if (state_ == LinkState::Waiting) {
        // Already in line: a command or a connect request moves it up.
        if (slots_.acquire(*this, priority())) {
            onSlotGranted();
        }
        return;
    }
    if (state_ != LinkState::Idle || !wantsConnection()) {
        return;
    }
    setState(LinkState::Waiting);
    if (slots_.acquire(*this, priority())) {
        onSlotGranted();
    }
}

void LockLink::onSlotGranted() {
    holdsSlot_ = true;
    if (!wantsConnection()) {
        holdsSlot_ = false;
        slots_.release(*this);
        setState(LinkState::Idle);
        return;
    }
    connect();
}

void LockLink::connect() {
    setState(LinkState::Connecting);
    const auto attempt = ++attempt_;
    std::weak_ptr<bool> alive = alive_;
    ble_.connect(
        identity_.mac, policy_.connectTimeout,
        [this, alive, attempt](Result<std::unique_ptr<ports::GattLink>> link) {
            if (alive.expired() || attempt != attempt_ || state_ != LinkState::Connecting) {
                if (link && *link) {
                    (*link)->disconnect();
                }
                return;
            }
            onConnected(std::move(link));
        });
}

void LockLink::onConnected(Result<std::unique_ptr<ports::GattLink>> link) {
    if (!link) {
        log::info(kLinkTag, "connect failed: " + link.error().message,
                  {{"LOCK_MAC", identity_.mac}});
        // An `always` lock is meant to be connected: not reaching it means it is gone. A lock
        // that sleeps misses a connection now and then; only the availability timeout tells.
        if (link.error().code != Errc::Unavailable && policy_.mode == LinkPolicy::Mode::Always) {
            setOnline(false);
        }
        // Only a wake wanted this connection: after a few tries, wait to hear from the lock.
        const bool onlyWoken = commands_.empty() && holds_ == 0 &&
                               policy_.mode != LinkPolicy::Mode::Always &&
                               scheduler_.now() >= keepUntil_;
        if (onlyWoken && ++failedWakes_ >= kWakeAttempts) {
            log::info(kLinkTag,
                      "not reachable after " + std::to_string(failedWakes_) +
                          " attempts; waiting to hear from it",
                      {{"LOCK_MAC", identity_.mac}});
            failedWakes_ = 0;
            wakeRequested_ = false;
            connectRequested_ = false;
            awaitingSighting_ = true;
        }
        drop("connect failed", true);
        if (events_.connectFailed) {
            events_.connectFailed(link.error());
        }
        return;
    }
    gatt_ = std::move(*link);
    protocol::tuya::HubSessionConfig config;
    config.uuid = identity_.uuid;
    config.loginKey = identity_.loginKey;
    config.deviceId = identity_.deviceId;
    config.version = identity_.version;
    config.requestTimeout = duration_cast<milliseconds>(policy_.handshakeTimeout);
    session_ = std::make_unique<protocol::tuya::HubSession>(std::move(config), random_);
    setState(LinkState::Handshake);
    session_->start(now());
    flush();
}

void LockLink::flush() {
    while (session_) {
        auto output = session_->takeOutput();
        if (output.empty()) {
            break;
        }
        const auto attempt = attempt_;
        std::weak_ptr<bool> alive = alive_;
        for (const auto& packet : output.packets) {
            gatt_->write(packet, [this, alive, attempt](const Result<void>& written) {
                if (!written && !alive.expired() && attempt == attempt_ && gatt_) {
                    log::warning(kLinkTag, "write failed: " + written.error().message,
                                 {{"LOCK_MAC", identity_.mac}});
                    drop("write failed", true);
                }
            });
        }
        for (const auto& event : output.events) {
            if (!session_) {
                break;
            }
            handle(event);
        }
        if (output.disconnect && session_) {
            const std::string reason(protocol::tuya::disconnectReasonName(*output.disconnect));
            const bool duringHandshake = state_ == LinkState::Handshake;
            log::warning(kLinkTag, "session ended: " + reason, {{"LOCK_MAC", identity_.mac}});
            drop(reason, true);
            if (duringHandshake && events_.handshakeFailed) {
                events_.handshakeFailed(reason);
            }
        }
    }
    scheduleSessionPoll();
}

void LockLink::handle(const HubEvent& event) {
    std::visit(Overloaded{
                   [this](const protocol::tuya::HandshakeDone& done) {
                       device_ = done.device;
                       setState(LinkState::Ready);
                       backoff_.reset();
                       wakeRequested_ = false;
                       connectRequested_ = false;
                       awaitingSighting_ = false;
                       failedWakes_ = 0;
                       touch();
                       setOnline(true);
                       // The lock re-reports every DP, which refreshes the published state.
                       (void)session_->queryStatus(now());
                       if (events_.ready) {
                           events_.ready();
                       }
                       sendNextCommand();
                       scheduleIdle();
                   },
                   [this](const protocol::tuya::CommandDone& done) {
                       touch();
                       if (!commands_.empty() && commands_.front().inFlight == done.id) {
                           const auto serial = commands_.front().serial;
                           if (done.status == 0) {
                               finish(serial, {CommandResult::Outcome::Ok, {}});
                           } else {
                               finish(serial, {CommandResult::Outcome::Rejected,
                                               "the lock refused the command (status " +
                                                   std::to_string(done.status) + ")"});
                           }
                       }
                       sendNextCommand();
                       scheduleIdle();
                   },
                   [this](const protocol::tuya::CommandTimedOut& timedOut) {
                       // During the handshake the session itself asks to disconnect right after.
                       if (state_ == LinkState::Handshake) {
                           return;
                       }
                       if (!commands_.empty() && commands_.front().inFlight == timedOut.id) {
                           finish(commands_.front().serial,
                                  {CommandResult::Outcome::Timeout, "the lock did not answer"});
                       }
                       drop("request unanswered", true);
                   },
                   [this](const protocol::tuya::ReportReceived& received) {
                       touch();
                       if (events_.report) {
                           events_.report(ReportHandle{attempt_, received.token}, received.report);
                       }
                       scheduleIdle();
                   },
                   [this](const protocol::tuya::ReportRepeated& repeated) {
                       touch();
                       if (events_.report) {
                           events_.report(ReportHandle{attempt_, 0, true}, repeated.report);
                       }
                       scheduleIdle();
                   },
                   [this](const protocol::tuya::TimeAnswered&) {
                       log::debug(kLinkTag, "answered the lock's time request (UTC)",
                                  {{"LOCK_MAC", identity_.mac}});
                   },
                   [this](const protocol::tuya::FrameDropped& dropped) {
                       log::warning(
                           kLinkTag,
                           "dropped a frame: " +
                               std::string(protocol::tuya::protocolErrorName(dropped.error)),
                           {{"LOCK_MAC", identity_.mac}});
                   },
               },
               event);
}

void LockLink::submit(std::vector<protocol::tuya::Dp> dps, milliseconds deadline,
                      CommandDone done) {
    const auto serial = nextSerial_++;
    PendingCommand command{serial, std::move(dps), std::move(done), 0, std::nullopt};
    std::weak_ptr<bool> alive = alive_;
    command.deadlineTimer = scheduler_.after(deadline, [this, alive, serial, deadline] {
        if (alive.expired()) {
            return;
        }
        auto it = std::find_if(commands_.begin(), commands_.end(),
                               [serial](const auto& c) { return c.serial == serial; });
        if (it == commands_.end()) {
            return;
        }
        it->deadlineTimer = 0;
        const std::string seconds = std::to_string(deadline.count() / 1000) + " s";
        finish(serial, {CommandResult::Outcome::Timeout,
                        it->inFlight ? "the lock did not confirm within " + seconds
                                     : "no connection to the lock within " + seconds});
    });
    commands_.push_back(std::move(command));
    evaluate();
    sendNextCommand();
}

void LockLink::sendNextCommand() {
    while (state_ == LinkState::Ready && session_ && !commands_.empty() &&
           !commands_.front().inFlight) {
        auto id = session_->writeDps(commands_.front().dps, now());
        if (id) {
            commands_.front().inFlight = *id;
            flush();
            return;
        }
        finish(commands_.front().serial,
               {CommandResult::Outcome::Failed,
                "cannot send the command: " +
                    std::string(protocol::tuya::protocolErrorName(id.error()))});
    }
}

void LockLink::finish(std::uint64_t serial, CommandResult result) {
    auto it = std::find_if(commands_.begin(), commands_.end(),
                           [serial](const auto& c) { return c.serial == serial; });
    if (it == commands_.end()) {
        return;
    }
    scheduler_.cancel(it->deadlineTimer);
    auto done = std::move(it->done);
    commands_.erase(it);
    if (done) {
        done(result);
    }
}

void LockLink::drop(const std::string& why, bool failure) {
    scheduler_.cancel(sessionTimer_);
    scheduler_.cancel(idleTimer_);
    sessionTimer_ = idleTimer_ = 0;
    ++attempt_;
    const bool hadLink = gatt_ != nullptr;
    if (gatt_) {
        lastHeard_ = scheduler_.now();  // the lock was there until now
        gatt_->disconnect();
        gatt_.reset();
    }
    session_.reset();
    // A write the lock may or may not have executed is never sent again: an unlock must not
    // happen twice. Its owner learns that the outcome is unknown.
    while (!commands_.empty() && commands_.front().inFlight) {
        finish(commands_.front().serial,
               {CommandResult::Outcome::Failed,
                "the link dropped before the lock confirmed (" + why + ")"});
    }
    if (holdsSlot_ || state_ == LinkState::Waiting) {
        holdsSlot_ = false;
        slots_.release(*this);
    }
    if (hadLink) {
        log::info(kLinkTag, "disconnected: " + why, {{"LOCK_MAC", identity_.mac}});
    }
    if (failure && wantsConnection()) {
        setState(LinkState::Backoff);
        scheduleRetry();
        return;
    }
    if (!failure) {
        backoff_.reset();
    }
    setState(LinkState::Idle);
}

void LockLink::scheduleRetry() {
    scheduler_.cancel(retryTimer_);
    const auto delay = backoff_.next(unitRandom(random_));
    std::weak_ptr<bool> alive = alive_;
    retryTimer_ = scheduler_.after(delay, [this, alive] {
        if (alive.expired()) {
            return;
        }
        retryTimer_ = 0;
        if (state_ == LinkState::Backoff) {
            setState(LinkState::Idle);
            evaluate();
        }
    });
}

void LockLink::scheduleSessionPoll() {
    scheduler_.cancel(sessionTimer_);
    sessionTimer_ = 0;
    if (!session_) {
        return;
    }
    const auto deadline = session_->nextDeadline();
    if (!deadline) {
        return;
    }
    const auto delay =
        std::max(milliseconds(0), duration_cast<milliseconds>(*deadline - scheduler_.now()));
    std::weak_ptr<bool> alive = alive_;
    sessionTimer_ = scheduler_.after(delay + milliseconds(1), [this, alive] {
        if (alive.expired() || !session_) {
            return;
        }
        sessionTimer_ = 0;
        session_->poll(now());
        flush();
    });
}

void LockLink::touch() {
    const auto window =
        policy_.mode == LinkPolicy::Mode::KeepAlive ? policy_.keepAlive : policy_.linger;
    keepUntil_ = scheduler_.now() + window;
}

void LockLink::scheduleIdle() {
    // A link that queued behind this one while it was busy found no standing holder to ask; now
    // that its own work is done, this one gives way. Deferred: this runs inside session
    // callbacks, which the disconnect must not pull the session from under.
    if (standingOnly() && slots_.wantedByAnother()) {
        std::weak_ptr<bool> alive = alive_;
        scheduler_.after(milliseconds(0), [this, alive] {
            if (!alive.expired() && slots_.wantedByAnother()) {
                yieldSlot();
            }
        });
    }
    // A held link is re-armed when the hold ends.
    if (policy_.mode == LinkPolicy::Mode::Always || state_ != LinkState::Ready || holds_ > 0) {
        return;
    }
    scheduler_.cancel(idleTimer_);
    const auto delay =
        std::max(milliseconds(0), duration_cast<milliseconds>(keepUntil_ - scheduler_.now()));
    std::weak_ptr<bool> alive = alive_;
    idleTimer_ = scheduler_.after(delay + milliseconds(1), [this, alive] {
        if (alive.expired()) {
            return;
        }
        idleTimer_ = 0;
        if (state_ == LinkState::Ready && !wantsConnection()) {
            drop("idle", false);
        } else {
            scheduleIdle();
        }
    });
}

void LockLink::schedulePoll() {
    if (policy_.mode == LinkPolicy::Mode::Always || policy_.pollInterval.count() == 0) {
        return;
    }
    std::weak_ptr<bool> alive = alive_;
    pollTimer_ = scheduler_.after(duration_cast<milliseconds>(policy_.pollInterval), [this, alive] {
        if (alive.expired()) {
            return;
        }
        pollTimer_ = 0;
        wake();
        schedulePoll();
    });
}

void LockLink::retryNow() {
    if (state_ == LinkState::Backoff) {
        scheduler_.cancel(retryTimer_);
        retryTimer_ = 0;
        setState(LinkState::Idle);
    }
    evaluate();
}

void LockLink::heard() {
    lastHeard_ = scheduler_.now();
    if (events_.seen) {
        events_.seen();
    }
    if (availabilityTimer_ == 0) {
        scheduleAvailability();
    }
}

std::chrono::milliseconds LockLink::availabilityTimeout() const {
    if (policy_.availabilityTimeout.count() > 0) {
        return policy_.availabilityTimeout;
    }
    const auto twice = advertisingInterval_ ? *advertisingInterval_ * 2 : milliseconds(0);
    return std::max<milliseconds>(kMinAvailabilityTimeout, twice);
}

std::chrono::steady_clock::time_point LockLink::availabilityDue() const {
    // An open GATT link is a sighting that lasts.
    const auto seen = gatt_ ? scheduler_.now() : lastHeard_;
    return seen + availabilityTimeout();
}

// One timer per link, armed from start() on and re-armed for the remainder when it fires early,
// instead of once per advertisement. It ends once the lock is offline; the next sighting arms it.
void LockLink::scheduleAvailability() {
    scheduler_.cancel(availabilityTimer_);
    const auto delay = std::max(milliseconds(0),
                                duration_cast<milliseconds>(availabilityDue() - scheduler_.now()));
    std::weak_ptr<bool> alive = alive_;
    availabilityTimer_ = scheduler_.after(delay + milliseconds(1), [this, alive] {
        if (alive.expired()) {
            return;
        }
        availabilityTimer_ = 0;
        if (!started_) {
            return;
        }
        if (scheduler_.now() < availabilityDue()) {
            scheduleAvailability();
        } else if (online_ != false) {
            log::info(kLinkTag,
                      "not heard from in " +
                          std::to_string(
                              duration_cast<std::chrono::seconds>(availabilityTimeout()).count()) +
                          " s",
                      {{"LOCK_MAC", identity_.mac}});
            setOnline(false);
        }
    });
}

void LockLink::setPolicy(LinkPolicy policy) {
    policy_ = policy;
    scheduler_.cancel(pollTimer_);
    pollTimer_ = 0;
    if (started_) {
        schedulePoll();
        // The timeout may be shorter now: a timer armed for the old one would fire too late.
        scheduleAvailability();
    }
    if (state_ == LinkState::Ready) {
        touch();
        scheduleIdle();
    }
    evaluate();
}

void LockLink::wake() {
    if (!started_) {
        return;
    }
    wakeRequested_ = true;
    evaluate();
}

bool LockLink::relocate(const std::string& mac) {
    if (state_ == LinkState::Connecting || state_ == LinkState::Handshake ||
        state_ == LinkState::Ready) {
        return false;
    }
    log::info(kLinkTag, "the lock now advertises as " + mac, {{"LOCK_MAC", identity_.mac}});
    identity_.mac = mac;
    return true;
}

void LockLink::hold() {
    ++holds_;
    evaluate();
}

void LockLink::releaseHold() {
    if (holds_ == 0) {
        return;
    }
    --holds_;
    if (holds_ == 0 && state_ == LinkState::Ready) {
        touch();
        scheduleIdle();
    }
}

void LockLink::onAdvertisement(const ports::Advertisement& advertisement) {
    if (advertisement.rssi) {
        rssi_ = advertisement.rssi;
        // An RSSI update is one advertising event: it dates the lock's advertising interval.
        const auto now = scheduler_.now();
        if (lastAdvertisement_) {
            const auto gap = std::chrono::duration_cast<milliseconds>(now - *lastAdvertisement_);
            advertisingInterval_ =
                advertisingInterval_ ? (*advertisingInterval_ * 3 + gap) / 4 : gap;
        }
        lastAdvertisement_ = now;
        heard();
    }
    const auto parsed = parseScanned(advertisement);
    const bool asks = parsed && parsed->flags && parsed->flags->connectRequest;
    // The connect-request bit (v3: in the manufacturer data's flags) coming and going is not news.
    auto data = advertisement.tuyaManufacturerData;
    if (data && !data->empty() && parsed &&
        parsed->generation == protocol::tuya::AdvertisementGeneration::V3) {
        (*data)[0] &= static_cast<std::uint8_t>(~kV3ConnectRequestFlag);
    }
    const bool changed = data && lastManufacturerData_ && *data != *lastManufacturerData_;
    if (data) {
        lastManufacturerData_ = std::move(data);
    }
    // The lock asks for a connection (it has records or replies waiting), or older firmware
    // without the connect-request bit changed its advertisement: connect to find out. An
    // unreachable lock seen again is back in range.
    const bool connected = state_ == LinkState::Connecting || state_ == LinkState::Handshake ||
                           state_ == LinkState::Ready;
    if (parsed && parsed->flags && !parsed->flags->connectRequest) {
        connectRequested_ = false;  // drained, or it changed its mind
    }
    if (asks && !connectRequested_ && !connected) {
        log::debug(kLinkTag, "the lock asks for a connection", {{"LOCK_MAC", identity_.mac}});
        connectRequested_ = true;
        retryNow();
    } else if ((changed || online_ == false || awaitingSighting_) && !connected) {
        awaitingSighting_ = false;
        wake();
    }
}

void LockLink::acknowledge(const ReportHandle& handle) {
    // A report of an earlier connection cannot be acknowledged any more: the lock sends it again
    // on the next one, and the store recognises it.
    if (session_ && handle.attempt == attempt_) {
        session_->acknowledge(handle.token);
        flush();
    }
}

bool LockLink::pushTime() {
    if (!session_ || state_ != LinkState::Ready || !session_->pushTime(now())) {
        return false;
    }
    flush();
    return true;
}

void LockLink::release(const ReportHandle& handle) {
    if (session_ && handle.attempt == attempt_) {
        session_->release(handle.token);
    }
}

void LockLink::onNotification(const ports::Bytes& packet) {
    if (!session_) {
        return;
    }
    heard();
    session_->receive(packet, now());
    flush();
}

void LockLink::onLinkLost(const std::string& reason) {
    if (!gatt_) {
        return;
    }
    const bool duringHandshake = state_ == LinkState::Handshake;
    drop("link lost: " + reason, true);
    if (duringHandshake && events_.handshakeFailed) {
        events_.handshakeFailed("the lock disconnected during the handshake (" + reason + ")");
    }
}

void LockLink::onAdapterAvailable(bool available) {
    if (!available) {
        if (gatt_ || state_ == LinkState::Connecting) {
            drop("bluetooth unavailable", true);
        }
        return;
    }
    // BlueZ is back: try at once instead of waiting out a long back-off.
    backoff_.reset();
    if (state_ == LinkState::Backoff) {
        scheduler_.cancel(retryTimer_);
        retryTimer_ = 0;
        setState(LinkState::Idle);
    }
    evaluate();
}

}  // namespace lockhub
