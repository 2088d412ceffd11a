#include "app/LockT0.h"

#include <charconv>
#include <cstdio>

#include "app/JsonReader.h"
#include "app/LockMessages.h"
#include "app/Log.h"

namespace lockhub {
namespace {

constexpr std::string_view kLockT0Tag = "codes";
constexpr auto kWriteDeadline = std::chrono::seconds(8);
constexpr std::int64_t kMaxT0 = 4294967295;  // the lock keeps T0 in 32 bits

// DP 64 carries T0 as 10 ASCII digits (string, or raw bytes on some firmware).
std::optional<std::int64_t> t0Of(const protocol::tuya::Dp& dp) {
    std::string digits;
    if (const auto* text = std::get_if<std::string>(&dp.value)) {
        digits = *text;
    } else if (const auto* raw = std::get_if<protocol::tuya::Bytes>(&dp.value)) {
        digits.assign(raw->begin(), raw->end());
    }
    std::int64_t value = 0;
    const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
    if (digits.size() != 10 || ec != std::errc() || end != digits.data() + digits.size() ||
        value > kMaxT0) {
        return std::nullopt;
    }
    return value;
}

}  // namespace

LockT0::LockT0(bool hubOwnsT0, LockRegistry& registry, ports::LockStore& store,
               ports::Scheduler& scheduler, BridgeService& bridge)
    : hubOwnsT0_(hubOwnsT0), registry_(registry), store_(store), scheduler_(scheduler) {
    bridge.addOperation("lock/update", [this](const nlohmann::json& body) { return update(body); });
    registry_.subscribe({
        .added = nullptr,
        .removing = nullptr,
        .report = [this](PairedLock& lock, const ReportHandle&,
                         const protocol::tuya::DpReport& report) { onReport(lock, report); },
        .ready = nullptr,
        .availability = nullptr,
        .linkState = nullptr,
        .seen = nullptr,
    });
}

void LockT0::writeOnPairing(LockLink& link, ports::LockRecord& record, std::function<void()> done) {
    const auto t0 = scheduler_.unixSeconds();
    char digits[24];
    std::snprintf(digits, sizeof digits, "%010lld", static_cast<long long>(t0));
    const std::string mac = record.mac;
    // The record lives in the pairing attempt, which the caller keeps until `done`.
    link.submit({protocol::tuya::Dp::string(kDpOfflineT0, digits)}, kWriteDeadline,
                [&record, t0, mac, done = std::move(done)](const CommandResult& result) {
                    if (result.outcome == CommandResult::Outcome::Ok) {
                        record.t0 = t0;
                    } else {
                        log::warning(kLockT0Tag,
                                     "the lock did not take T0 (" +
                                         std::string(outcomeName(result.outcome)) + " " +
                                         result.reason + "); it gets no offline codes",
                                     {{"MAC", mac}});
                    }
                    done();
                });
}

Result<void> LockT0::store(PairedLock& lock, std::int64_t t0) {
    if (auto stored = store_.setT0(lock.record.id, t0); !stored) {
        return stored;
    }
    lock.record.t0 = t0;
    log::info(kLockT0Tag, "T0 is " + isoUtcSeconds(t0), {{"LOCK", lock.record.topic}});
    return {};
}

Result<nlohmann::json> LockT0::update(const nlohmann::json& body) {
    JsonReader reader(body, "");
    reader.skip("transaction");
    std::string name;
    std::int64_t t0 = -1;
    reader.required("lock");
    reader.nonEmptyString("lock", name);
    reader.integer("t0", 1, kMaxT0, t0);
    reader.rejectUnknownKeys();
    if (auto ok = reader.verdict(); !ok) {
        return tl::unexpected(ok.error());
    }
    if (t0 < 0) {
        return fail(Errc::BadRequest, "nothing to update: give t0");
    }
    auto found = registry_.lockCalled(name);
    if (!found) {
        return tl::unexpected(found.error());
    }
    PairedLock* lock = *found;
    if (hubOwnsT0_) {
        return fail(Errc::Conflict,
                    "/t0: the hub owns T0 (codes.issuer is \"hub\"); it is set when the lock is "
                    "paired");
    }
    if (auto stored = store(*lock, t0); !stored) {
        return tl::unexpected(stored.error());
    }
    return nlohmann::json{{"lock", lock->record.topic}, {"t0", t0}, {"t0_time", isoUtcSeconds(t0)}};
}

void LockT0::onReport(PairedLock& lock, const protocol::tuya::DpReport& report) {
    for (const auto& dp : report.dps) {
        if (dp.id != kDpOfflineT0) {
            continue;
        }
        const auto reported = t0Of(dp);
        if (!reported || lock.record.t0 == reported) {
            continue;
        }
        if (hubOwnsT0_ && lock.record.t0) {
            log::warning(kLockT0Tag,
                         "the lock reports a T0 other than the hub's; keeping the hub's",
                         {{"LOCK", lock.record.topic}});
            continue;
        }
        if (auto stored = store(lock, *reported); !stored) {
            log::error(kLockT0Tag, "cannot keep the reported T0: " + stored.error().message,
                       {{"LOCK", lock.record.topic}});
        }
    }
}

}  // namespace lockhub
