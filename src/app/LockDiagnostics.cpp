#include "app/LockDiagnostics.h"

#include <algorithm>
#include <cstdio>

#include "app/JsonReader.h"

namespace lockhub {
namespace {

using OrderedJson = nlohmann::ordered_json;
using std::chrono::duration_cast;
using std::chrono::milliseconds;

OrderedJson item(OrderedJson facts, std::optional<bool> ok, std::string verdict) {
    facts["ok"] = ok ? OrderedJson(*ok) : OrderedJson(nullptr);
    facts["verdict"] = std::move(verdict);
    return facts;
}

std::string version(std::uint8_t major, std::uint8_t minor) {
    return std::to_string(major) + "." + std::to_string(minor);
}

std::string percent(double rate) {
    char text[16];
    std::snprintf(text, sizeof text, "%.0f %%", rate * 100);
    return text;
}

OrderedJson stringOrNull(const OrderedJson& message, const char* key) {
    const auto it = message.find(key);
    return it != message.end() && it->is_string() ? *it : OrderedJson();
}

// From the stored records_lost events (LockTimeline): each an estimate, found when a replay
// filled the lock's store; `since` and `until` are the lock times around the newest gap.
OrderedJson recordsLostItem(const ports::LostRecords& lost) {
    OrderedJson last;
    std::string span;
    if (lost.latest) {
        const auto message = OrderedJson::parse(lost.latest->payload, nullptr, false);
        last = {{"hub_time", isoUtcMillis(lost.latest->hubTimeMs)},
                {"since", stringOrNull(message, "since")},
                {"until", stringOrNull(message, "until")}};
        if (last["since"].is_string() && last["until"].is_string()) {
            span = ", the latest between " + last["since"].get<std::string>() + " and " +
                   last["until"].get<std::string>();
        }
    }
    const bool none = lost.gaps == 0;
    return item(
        {{"count", lost.estimated}, {"estimate", true}, {"gaps", lost.gaps}, {"last", last}}, none,
        none ? "No lost records found in the history the hub keeps: the lock's store "
               "did not fill while the hub was away."
             : "About " + std::to_string(lost.estimated) + " record(s) were lost in " +
                   std::to_string(lost.gaps) + " gap(s)" + span +
                   ": the lock's own store filled while the hub could not reach it. Keep "
                   "the lock in range of the hub, or poll it more often.");
}

}  // namespace

LockDiagnostics::LockDiagnostics(LockRegistry& registry, ports::RecordStore& records,
                                 const StatePublisher& state, const AlarmTracker& alarms,
                                 ports::Scheduler& scheduler, BridgeService& bridge)
    : registry_(registry),
      records_(records),
      state_(state),
      alarms_(alarms),
      scheduler_(scheduler) {
    bridge.addOperation("lock/diagnose",
                        [this](const nlohmann::json& body) { return diagnose(body); });
    registry_.subscribe({
        .added = nullptr,
        .removing = [this](PairedLock& lock) { facts_.erase(lock.record.id); },
        .report = nullptr,
        .ready = nullptr,
        .availability = nullptr,
        .linkState = [this](PairedLock& lock, LinkState now) { linkState(lock, now); },
        .seen =
            [this](PairedLock& lock, std::optional<std::int16_t> rssi) {
                if (rssi) {
                    facts_[lock.record.id].rssi = *rssi;
                }
            },
    });
}

// An attempt starts when the link starts connecting and succeeds when it is ready (handshake
// included); anything else that ends it (back-off, idle) is a failure.
void LockDiagnostics::linkState(const PairedLock& lock, LinkState state) {
    Facts& facts = facts_[lock.record.id];
    switch (state) {
        case LinkState::Connecting:
            ++facts.attempts;
            facts.attemptStarted = scheduler_.now();
            break;
        case LinkState::Ready:
            if (facts.attemptStarted) {
                ++facts.connects;
                facts.connectTotal +=
                    duration_cast<milliseconds>(scheduler_.now() - *facts.attemptStarted);
            }
            facts.attemptStarted.reset();
            break;
        case LinkState::Idle:
        case LinkState::Backoff:
            facts.attemptStarted.reset();
            break;
        default:
            break;
    }
}

void LockDiagnostics::annotate(PairedLock& lock, const domain::DpRecord&,
                               const domain::LockEvent& event, EventNote& note) {
    if (event.kind != domain::EventKind::WrongCode) {
        return;
    }
    remember(lock.record.id, {event.method ? std::string(domain::unlockMethodName(*event.method))
                                           : std::string("unknown"),
                              note.envelope.hubTimeMs,
                              note.envelope.user,
                              std::nullopt,
                              std::nullopt,
                              {}});
}

void LockDiagnostics::codeRefused(std::int64_t lockId, std::string_view source, const Error& why) {
    remember(lockId, {"code", scheduler_.unixMillis(), std::nullopt, std::string(source), why.code,
                      why.message});
}

void LockDiagnostics::remember(std::int64_t lockId, Failure failure) {
    auto& failures = facts_[lockId].failures;
    failures.push_back(std::move(failure));
    if (failures.size() > kFailuresKept) {
        failures.pop_front();
    }
}

void LockDiagnostics::reported(PairedLock& lock, std::span<const domain::StateUpdate>,
                               std::optional<std::int64_t> lockTime) {
    if (!lockTime) {
        return;
    }
    auto& drift = facts_[lock.record.id].driftS;
    drift.push_back(*lockTime - scheduler_.unixSeconds());
    if (drift.size() > kDriftSamples) {
        drift.pop_front();
    }
}

Result<nlohmann::json> LockDiagnostics::diagnose(const nlohmann::json& body) const {
    std::string name;
    JsonReader reader(body, "");
    reader.skip("transaction");
    reader.required("lock");
    reader.nonEmptyString("lock", name);
    reader.rejectUnknownKeys();
    if (auto verdict = reader.verdict(); !verdict) {
        return tl::unexpected(verdict.error());
    }
    auto found = registry_.lockCalled(name);
    if (!found) {
        return tl::unexpected(found.error());
    }
    PairedLock* lock = *found;
    auto lost = records_.lostRecords(lock->record.id);
    if (!lost) {
        return tl::unexpected(std::move(lost.error()));
    }
    auto it = facts_.find(lock->record.id);
    return describe(*lock, it != facts_.end() ? it->second : Facts{}, *lost);
}

nlohmann::json LockDiagnostics::describe(const PairedLock& lock, const Facts& facts,
                                         const ports::LostRecords& lost) const {
    OrderedJson out;
    out["lock"] = lock.record.topic;

    // A replayed backlog record is older than the report it came in, so the largest difference
    // of the latest reports is the live one.
    if (facts.driftS.empty()) {
        out["clock"] = item({{"drift_s", nullptr}}, std::nullopt,
                            "No report with the lock's time yet: its clock is not known.");
    } else {
        const auto drift = *std::max_element(facts.driftS.begin(), facts.driftS.end());
        const bool ok = std::abs(drift) <= kDriftOkS;
        out["clock"] = item(
            {{"drift_s", drift}}, ok,
            ok ? "The lock's clock is within " + std::to_string(std::abs(drift)) +
                     " s of the hub's."
               : "The lock's clock is " + std::to_string(std::abs(drift)) + " s " +
                     (drift > 0 ? "ahead" : "behind") +
                     ": dynamic and offline codes are worked out for the wrong time and "
                     "fail. The hub sets the lock's clock when it connects; if this stays, the "
                     "lock's RTC is faulty.");
    }

    const auto& t0 = lock.record.t0;
    out["t0"] = item(
        {{"known", t0.has_value()}, {"t0", t0 ? OrderedJson(isoUtcSeconds(*t0)) : OrderedJson()}},
        t0.has_value(),
        t0 ? "The offline-code epoch (T0) is known."
           : "T0 is not known: offline codes cannot be issued or checked until "
             "the lock reports it (pair the lock again if this stays).");

    OrderedJson failures = OrderedJson::array();
    for (const auto& failure : facts.failures) {
        failures.push_back(
            {{"by", failure.source ? "hub" : "lock"},
             {"method", failure.method},
             {"source", failure.source ? OrderedJson(*failure.source) : OrderedJson()},
             {"reason", failure.reason ? OrderedJson(errcName(*failure.reason)) : OrderedJson()},
             {"detail", failure.source ? OrderedJson(failure.detail) : OrderedJson()},
             {"hub_time", isoUtcMillis(failure.hubMs)},
             {"user", failure.user
                          ? OrderedJson{{"id", failure.user->id}, {"name", failure.user->name}}
                          : OrderedJson()}});
    }
    std::string failureVerdict = "No refused credential since the hub started.";
    if (!facts.failures.empty()) {
        const auto& last = facts.failures.back();
        failureVerdict =
            std::to_string(facts.failures.size()) + " refused lately; the last: " +
            (last.source ? "the hub refused a code (" + *last.source + "): " + last.detail + "."
                         : "the lock refused a " + last.method +
                               ". The lock does not say why; a dynamic code is "
                               "valid for 5 minutes and depends on the clock item "
                               "above.");
    }
    out["code_failures"] = item({{"recent", failures}}, facts.failures.empty(), failureVerdict);

    const bool tried = facts.attempts > 0;
    const double rate = tried ? static_cast<double>(facts.connects) / facts.attempts : 0.0;
    const OrderedJson mean = facts.connects > 0
                                 ? OrderedJson(facts.connectTotal.count() / facts.connects)
                                 : OrderedJson();
    std::string linkVerdict;
    std::optional<bool> linkOk;
    if (!facts.rssi && !tried) {
        linkVerdict = "The hub has not heard from the lock since it started.";
    } else {
        const bool weak = facts.rssi && *facts.rssi < kWeakRssi;
        const bool flaky = tried && rate < kReliableRate;
        linkOk = !weak && !flaky;
        linkVerdict = weak ? "The signal is weak (" + std::to_string(*facts.rssi) +
                                 " dBm): move the hub closer or add a hub near the lock."
                      : flaky ? "Only " + percent(rate) +
                                    " of connection attempts succeed: the lock is at the edge "
                                    "of range or busy."
                              : "The link is good.";
    }
    out["link"] = item({{"rssi", facts.rssi ? OrderedJson(*facts.rssi) : OrderedJson()},
                        {"attempts", facts.attempts},
                        {"connects", facts.connects},
                        {"success_rate", tried ? OrderedJson(rate) : OrderedJson()},
                        {"mean_connect_ms", mean}},
                       linkOk, linkVerdict);

    out["records_lost"] = recordsLostItem(lost);

    const auto status = state_.status(lock);
    const auto& snapshot = status.snapshot;
    const auto active = alarms_.active(lock);
    const bool low = std::find(active.begin(), active.end(), "low_battery") != active.end();
    const bool knownBattery = snapshot.battery || snapshot.batteryLevel;
    out["battery"] =
        item({{"percent", snapshot.battery ? OrderedJson(*snapshot.battery) : OrderedJson()},
              {"level", snapshot.batteryLevel
                            ? OrderedJson(domain::batteryLevelName(*snapshot.batteryLevel))
                            : OrderedJson()}},
             knownBattery ? std::optional(!low) : std::nullopt,
             !knownBattery ? "The lock has not reported its battery yet."
             : low ? "The battery is low: replace it soon; a lock low on power may refuse to move "
                     "the bolt."
                   : "The battery is fine.");

    const auto& device = lock.link->device();
    out["firmware"] = item(
        {{"firmware",
          device ? OrderedJson(version(device->firmwareVersion[0], device->firmwareVersion[1]))
                 : OrderedJson()},
         {"hardware",
          device ? OrderedJson(version(device->hardwareVersion[0], device->hardwareVersion[1]))
                 : OrderedJson()},
         {"protocol", device ? OrderedJson(version(device->protocolMajor, device->protocolMinor))
                             : OrderedJson(std::to_string(lock.record.protocolVersion))}},
        std::nullopt,
        device ? "As the lock reported it in its last handshake."
               : "Not connected since the hub started: the protocol is the one it was paired "
                 "with.");
    out["alarms_active"] = active;
    return out;
}

}  // namespace lockhub
