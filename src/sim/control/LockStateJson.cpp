#include "sim/control/LockStateJson.h"

#include "domain/Hex.h"
#include "protocol/tuya/DpCodec.h"

namespace lockhub::sim {
namespace {

using nlohmann::json;
namespace codes = domain::codes;

json validityToJson(const Validity& validity) {
    return {{"effective", validity.effective}, {"expiry", validity.expiry}};
}

const char* entryStatus(codes::OfflineEntryStatus status) {
    switch (status) {
        case codes::OfflineEntryStatus::Unused:
            return "unused";
        case codes::OfflineEntryStatus::Invalid:
            return "invalid";
        case codes::OfflineEntryStatus::Valid:
            return "valid";
    }
    return "unknown";
}

// The value bytes as the DP travels (the record without its id, type and length header).
std::vector<std::uint8_t> valueBytes(const Dp& dp) {
    constexpr std::size_t kV4Header = 4;  // id, type, 2-byte length
    const auto encoded = protocol::tuya::encodeDps({&dp, 1}, protocol::tuya::ProtocolVersion::V4);
    if (!encoded || encoded->size() < kV4Header) {
        return {};
    }
    return {encoded->begin() + kV4Header, encoded->end()};
}

}  // namespace

json recordToJson(const LockRecord& record) {
    const auto& dp = record.dps.front();
    return {{"id", record.id},
            {"dp", dp.id},
            {"value_hex", domain::toHex(valueBytes(dp))},
            {"lock_time", record.lockTime}};
}

json dpToJson(const Dp& dp) {
    json out{{"id", dp.id}};
    std::visit(
        [&](const auto& value) {
            using T = std::decay_t<decltype(value)>;
            if constexpr (std::is_same_v<T, std::vector<std::uint8_t>>) {
                out["type"] = "raw";
                out["value"] = domain::toHex(value);
            } else if constexpr (std::is_same_v<T, bool>) {
                out["type"] = "bool";
                out["value"] = value;
            } else if constexpr (std::is_same_v<T, std::int32_t>) {
                out["type"] = "value";
                out["value"] = value;
            } else if constexpr (std::is_same_v<T, std::string>) {
                out["type"] = "string";
                out["value"] = value;
            } else if constexpr (std::is_same_v<T, protocol::tuya::DpEnum>) {
                out["type"] = "enum";
                out["value"] = value.value;
            } else {
                out["type"] = "bitmap";
                out["value"] = value.bits;
            }
        },
        dp.value);
    return out;
}

json lockStateToJson(const VirtualLock& lock, protocol::tuya::UtcTime hostUtc) {
    const auto& firmware = lock.firmware();
    json state{{"name", lock.identity().name},
               {"mac", lock.identity().mac},
               {"protocol", static_cast<int>(lock.identity().protocol)},
               {"bound", lock.bound()},
               {"in_range", lock.inRange()},
               {"connected", lock.linked()},
               {"power", lock.identity().power.battery() ? "battery" : "mains"},
               {"connect_request", lock.wantsConnection()},
               {"paired", lock.paired()},
               {"lock_time", lock.lockTime(hostUtc)},
               {"t0", firmware.t0()},
               {"battery", firmware.battery()},
               {"locked", firmware.locked()},
               {"dropped_records", lock.droppedRecords()},
               {"acked_records", lock.ackedRecords().size()},
               {"abandoned_reports", lock.abandonedReports()},
               {"dropped_frames", lock.droppedFrames()},
               {"last_record_id", lock.lastRecordId()}};

    json pending = json::array();
    for (const auto& record : lock.pendingRecords()) {
        json dps = json::array();
        for (const auto& dp : record.dps) {
            dps.push_back(dpToJson(dp));
        }
        pending.push_back({{"id", record.id},
                           {"lock_time", record.lockTime},
                           {"in_flight", record.inFlight.has_value()},
                           {"dps", dps}});
    }
    state["pending_records"] = pending;

    json temps = json::array();
    for (const auto& [id, temp] : firmware.tempPasswords()) {
        temps.push_back({{"hardware_id", id},
                         {"type", temp.type},
                         {"validity", validityToJson(temp.validity)},
                         {"uses_left", temp.usesLeft},
                         {"used_up", temp.usedUp},
                         {"pin_length", temp.pin.size()}});
    }
    state["temp_passwords"] = temps;

    json credentials = json::array();
    for (const auto& credential : firmware.credentials()) {
        credentials.push_back({{"type", static_cast<int>(credential.type)},
                               {"hardware_id", credential.hardwareId},
                               {"member_id", credential.memberId},
                               {"admin", credential.admin},
                               {"validity", validityToJson(credential.validity)}});
    }
    state["credentials"] = credentials;
    const auto enrolling = firmware.enrolling();
    state["enrolling"] = enrolling ? json(static_cast<int>(*enrolling)) : json(nullptr);

    json table = json::array();
    const auto& entries = firmware.offlineTable().entries();
    for (std::size_t slot = 0; slot < entries.size(); ++slot) {
        const auto& entry = entries[slot];
        if (entry.status == codes::OfflineEntryStatus::Unused) {
            continue;
        }
        char body[10];
        std::snprintf(body, sizeof body, "%09u", entry.body);
        table.push_back({{"slot", slot},
                         {"status", entryStatus(entry.status)},
                         {"type", static_cast<int>(entry.type)},
                         {"body", body}});
    }
    state["offline_table"] = table;

    if (const auto& last = firmware.lastUnlock()) {
        state["last_unlock"] = {{"method", last->method},
                                {"credential", last->credential},
                                {"lock_time", last->lockTime}};
    } else {
        state["last_unlock"] = nullptr;
    }
    json masters = json::array();
    for (const auto& [master, code] : firmware.checkCodes()) {
        masters.push_back(master);
    }
    state["check_code_masters"] = masters;
    const auto& remote = firmware.remoteKey();
    state["remote_key"] = {{"valid", remote.valid},
                           {"member_id", remote.memberId},
                           {"begin", remote.begin},
                           {"end", remote.end},
                           {"uses_left", remote.usesLeft}};
    return state;
}

}  // namespace lockhub::sim
