#include "domain/lock/DpProfile.h"

#include <algorithm>
#include <iterator>
#include <set>

#include "domain/lock/DpRecord.h"
#include "domain/lock/NameTable.h"

namespace lockhub::domain {
namespace {

constexpr NameTable<DpRole, 21> kRoles = {{
    {DpRole::Motor, "motor"},
    {DpRole::Battery, "battery"},
    {DpRole::BatteryLevel, "battery_level"},
    {DpRole::Door, "door"},
    {DpRole::UnlockRecord, "unlock_record"},
    {DpRole::Alarm, "alarm"},
    {DpRole::Duress, "duress"},
    {DpRole::Doorbell, "doorbell"},
    {DpRole::UnlockRequest, "unlock_request"},
    {DpRole::OfflineCode, "offline_code"},
    {DpRole::BleUnlock, "ble_unlock"},
    {DpRole::ManualLock, "manual_lock"},
    {DpRole::RemoteSetKey, "remote_set_key"},
    {DpRole::RemoteUnlock, "remote_unlock"},
    {DpRole::CheckCodeUnlock, "check_code_unlock"},
    {DpRole::Ignore, "ignore"},
    {DpRole::UnlockMethodCreate, "unlock_method_create"},
    {DpRole::UnlockMethodDelete, "unlock_method_delete"},
    {DpRole::TempPasswordCreate, "temp_password_create"},
    {DpRole::TempPasswordDelete, "temp_password_delete"},
    {DpRole::TempPasswordModify, "temp_password_modify"},
}};

constexpr NameTable<CredentialSource, 3> kCredentialSources = {{
    {CredentialSource::None, "none"},
    {CredentialSource::HardwareId, "hardware_id"},
    {CredentialSource::MemberId, "member_id"},
}};

constexpr NameTable<CommandFlow, 5> kFlows = {{
    {CommandFlow::None, "none"},
    {CommandFlow::BleUnlock, "ble_unlock"},
    {CommandFlow::ManualLock, "manual_lock"},
    {CommandFlow::RemoteKey, "remote_key"},
    {CommandFlow::CheckCode, "check_code"},
}};

bool isTempPasswordRole(DpRole role) {
    return role == DpRole::TempPasswordCreate || role == DpRole::TempPasswordDelete ||
           role == DpRole::TempPasswordModify;
}

bool isCommandRole(DpRole role) {
    return role == DpRole::BleUnlock || role == DpRole::ManualLock ||
           role == DpRole::RemoteSetKey || role == DpRole::RemoteUnlock ||
           role == DpRole::CheckCodeUnlock || role == DpRole::UnlockMethodCreate ||
           role == DpRole::UnlockMethodDelete || isTempPasswordRole(role);
}

bool isScalarType(std::uint8_t type) {
    return type == dptype::kBool || type == dptype::kValue || type == dptype::kEnum;
}

// The wire types a role can be decoded from.
bool typeFits(const DpSpec& spec) {
    switch (spec.role) {
        case DpRole::Battery:
            return spec.type == dptype::kValue;
        case DpRole::OfflineCode:
        case DpRole::BleUnlock:
        case DpRole::RemoteSetKey:
        case DpRole::RemoteUnlock:
        case DpRole::CheckCodeUnlock:
        case DpRole::UnlockMethodCreate:
        case DpRole::UnlockMethodDelete:
        case DpRole::TempPasswordCreate:
        case DpRole::TempPasswordDelete:
        case DpRole::TempPasswordModify:
            return spec.type == dptype::kRaw;
        case DpRole::ManualLock:
            return spec.type == dptype::kBool;
        case DpRole::Ignore:
            return spec.type <= dptype::kBitmap;
        default:
            return isScalarType(spec.type);
    }
}

// An empty string when the role has what it needs, else what is missing.
std::string missingPart(const DpSpec& spec) {
    switch (spec.role) {
        case DpRole::Motor:
            return spec.lockStates.empty() ? "a value table of lock states" : "";
        case DpRole::BatteryLevel:
            return spec.batteryLevels.empty() ? "a value table of battery levels" : "";
        case DpRole::Door:
            return spec.doorStates.empty() ? "a value table of door states" : "";
        case DpRole::Alarm:
            return spec.alarms.empty() ? "a value table of alarms" : "";
        case DpRole::UnlockRecord:
            return spec.method ? "" : "an unlock method";
        case DpRole::OfflineCode:
            return spec.codeAction ? "" : "an offline-code action";
        case DpRole::BleUnlock:
        case DpRole::RemoteSetKey:
        case DpRole::RemoteUnlock:
        case DpRole::CheckCodeUnlock:
        case DpRole::TempPasswordCreate:
        case DpRole::TempPasswordDelete:
        case DpRole::TempPasswordModify: {
            const bool hasOk = std::any_of(spec.results.begin(), spec.results.end(),
                                           [](const auto& entry) { return entry.second == "ok"; });
            return hasOk ? "" : "a result table with an \"ok\" entry";
        }
        default:
            return "";
    }
}

std::string describe(const DpSpec& spec) {
    return "dp " + std::to_string(spec.id) + " (" + std::string(dpRoleName(spec.role)) + ")";
}

Result<void> checkFlow(const DpProfile& profile, CommandFlow flow, std::string_view command) {
    for (DpRole role : rolesWrittenBy(flow)) {
        if (profile.findRole(role) == nullptr) {
            return fail(Errc::Config, std::string(command) + " flow " +
                                          std::string(commandFlowName(flow)) + " needs a " +
                                          std::string(dpRoleName(role)) + " dp");
        }
    }
    return {};
}

}  // namespace

const DpSpec* DpProfile::find(std::uint8_t id) const {
    auto it = std::find_if(dps.begin(), dps.end(), [id](const DpSpec& s) { return s.id == id; });
    return it == dps.end() ? nullptr : &*it;
}

const DpSpec* DpProfile::findRole(DpRole role) const {
    auto it =
        std::find_if(dps.begin(), dps.end(), [role](const DpSpec& s) { return s.role == role; });
    return it == dps.end() ? nullptr : &*it;
}

bool standardDpCarriesSecret(std::uint8_t id) {
    static constexpr std::uint8_t kSecretDps[] = {1, 3, 51, 53, 60, 61, 65, 66, 67, 70, 71, 72, 73};
    return std::find(std::begin(kSecretDps), std::end(kSecretDps), id) != std::end(kSecretDps);
}

std::vector<DpRole> rolesWrittenBy(CommandFlow flow) {
    switch (flow) {
        case CommandFlow::None:
            return {};
        case CommandFlow::BleUnlock:
            return {DpRole::BleUnlock};
        case CommandFlow::ManualLock:
            return {DpRole::ManualLock};
        case CommandFlow::RemoteKey:
            return {DpRole::RemoteSetKey, DpRole::RemoteUnlock};
        case CommandFlow::CheckCode:
            return {DpRole::CheckCodeUnlock};
    }
    return {};
}

Result<void> validateProfile(const DpProfile& profile) {
    if (profile.name.empty()) {
        return fail(Errc::Config, "profile has no name");
    }
    std::set<std::uint8_t> ids;
    std::set<DpRole> commandRoles;
    for (const auto& spec : profile.dps) {
        if (spec.id == 0) {
            return fail(Errc::Config, "dp ids start at 1");
        }
        if (!ids.insert(spec.id).second) {
            return fail(Errc::Config, "dp " + std::to_string(spec.id) + " is listed twice");
        }
        if (isCommandRole(spec.role) && !commandRoles.insert(spec.role).second) {
            return fail(Errc::Config, describe(spec) + ": only one dp may have this role");
        }
        if (!typeFits(spec)) {
            return fail(Errc::Config, describe(spec) + ": type " +
                                          std::string(dpTypeName(spec.type)) +
                                          " does not fit this role");
        }
        if (auto missing = missingPart(spec); !missing.empty()) {
            return fail(Errc::Config, describe(spec) + ": needs " + missing);
        }
        if (spec.role == DpRole::UnlockRecord && spec.type == dptype::kBool &&
            spec.credential != CredentialSource::None) {
            return fail(Errc::Config, describe(spec) + ": a bool record carries no credential id");
        }
    }
    if (profile.unlockFlow == CommandFlow::ManualLock) {
        return fail(Errc::Config, "unlock flow manual_lock can only lock");
    }
    if (auto ok = checkFlow(profile, profile.unlockFlow, "unlock"); !ok) {
        return ok;
    }
    return checkFlow(profile, profile.lockFlow, "lock");
}

std::string_view dpRoleName(DpRole role) {
    return nameIn(kRoles, role);
}
std::optional<DpRole> parseDpRole(std::string_view name) {
    return parseIn(kRoles, name);
}
std::string_view credentialSourceName(CredentialSource source) {
    return nameIn(kCredentialSources, source);
}
std::optional<CredentialSource> parseCredentialSource(std::string_view name) {
    return parseIn(kCredentialSources, name);
}
std::string_view commandFlowName(CommandFlow flow) {
    return nameIn(kFlows, flow);
}
std::optional<CommandFlow> parseCommandFlow(std::string_view name) {
    return parseIn(kFlows, name);
}

}  // namespace lockhub::domain
