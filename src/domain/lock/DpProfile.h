// A lock model's DP map as data (reference §5.7: DP ids and layouts vary per product, so none
// are hard-coded): what each DP means, its wire type, how its values map to states and events,
// and which write flows lock and unlock the lock. Loaded from profiles/*.json by the app.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/Error.h"
#include "domain/lock/LockEvent.h"
#include "domain/lock/LockState.h"

namespace lockhub::domain {

enum class DpRole {
    Motor,            // bolt position (values → lock state)
    Battery,          // percent
    BatteryLevel,     // values → battery level
    Door,             // values → door state, plus a door_opened/door_closed event
    UnlockRecord,     // value = credential id; an unlock event with the DP's method
    Alarm,            // values → alarm kind; wrong-credential alarms become wrong_code events
    Duress,           // true → duress event
    Doorbell,         // true → doorbell event
    UnlockRequest,    // someone at the door asks to be let in
    OfflineCode,      // 16-byte offline-code record (DP 65/66/67)
    BleUnlock,        // DP 6 write `open, member`; its report is the command reply
    ManualLock,       // DP 46 write `true`
    RemoteSetKey,     // DP 60 write; its report is the reply
    RemoteUnlock,     // DP 61 write; its report is the reply
    CheckCodeUnlock,  // DP 71 write; its report is the reply
    Ignore,           // known, carries nothing to publish (its payload echoes a secret)
    // DP 1 write enrols a credential; its reports are the progress and the result.
    UnlockMethodCreate,
    // DP 2 write deletes one; its report is the reply.
    UnlockMethodDelete,
    // DP 51 / 52 / 53 writes create, delete and modify a temporary password; each reply is
    // `hardware_id, result`.
    TempPasswordCreate,
    TempPasswordDelete,
    TempPasswordModify,
};

// Where an unlock record's credential id comes from.
enum class CredentialSource {
    None,        // the value carries no id (mechanical key, dynamic code)
    HardwareId,  // the lock's id of the credential (fingerprint, password, card, …)
    MemberId,    // the Tuya member id (BLE and remote unlocks)
};

// How the hub drives the bolt over BLE (reference §2.3).
enum class CommandFlow {
    None,        // the profile cannot do this command
    BleUnlock,   // DP 6 `open(1), member(1)`
    ManualLock,  // DP 46 = true (lock only)
    RemoteKey,   // DP 60 one-time key, then DP 61 with that key
    CheckCode,   // DP 71 with the lock's check code (master/slave ids + 8-byte srand)
};

struct DpSpec {
    std::uint8_t id = 0;
    DpRole role = DpRole::Ignore;
    std::uint8_t type = 0;  // the wire type code the lock must use (dptype::k*)
    std::string name;       // the Tuya dp code, for logs and docs

    // UnlockRecord
    std::optional<UnlockMethod> method;
    CredentialSource credential = CredentialSource::None;
    // Subtracted from the reported id: some firmware numbers e.g. temporary passwords from an
    // offset (the Wi-Fi "+900" rule, design §6).
    std::uint32_t idOffset = 0;

    // Value tables, keyed by the DP's integer value (bool: 0/1); only the role's table is used.
    std::map<std::uint32_t, LockState> lockStates;        // Motor
    std::map<std::uint32_t, BatteryLevel> batteryLevels;  // BatteryLevel
    std::map<std::uint32_t, DoorState> doorStates;        // Door
    std::map<std::uint32_t, AlarmKind> alarms;            // Alarm
    // Command replies: result code → reason; the reason "ok" means success.
    std::map<std::uint32_t, std::string> results;

    std::optional<OfflineCodeAction> codeAction;  // OfflineCode

    bool operator==(const DpSpec&) const = default;
};

struct DpProfile {
    std::string name;
    std::string description;
    CommandFlow unlockFlow = CommandFlow::None;
    CommandFlow lockFlow = CommandFlow::None;
    std::vector<DpSpec> dps;
    // Battery percentage at or below which the hub raises `low_battery` itself (the lock's own
    // DP 21 low_battery and a DP 9 level of low or exhausted raise it too).
    int lowBatteryPercent = 20;

    const DpSpec* find(std::uint8_t id) const;
    const DpSpec* findRole(DpRole role) const;

    bool operator==(const DpProfile&) const = default;
};

// Config unless the profile is usable: unique DP ids, each role's table and type present and
// plausible, and every DP its command flows write is present.
Result<void> validateProfile(const DpProfile& profile);

// Whether the standard Tuya BLE layout of DP `id` (reference §2.2-§2.3) carries a secret: a PIN
// (DP 1 and 3 enrol and modify credentials, 51 and 53 temporary passwords), a remote-unlock key
// (60, 61, 73), the check code's srand (70, 71, 72, 73), or a used offline code encrypted with
// the lock's key (65-67: a timed code stays valid after use). Listed by the written layout too:
// firmware varies in what its reports echo, and DP 72 echoes a whole DP 71 request. A profile
// that does not map such a DP never gets it published raw.
bool standardDpCarriesSecret(std::uint8_t id);

// The DP roles each flow writes, in write order.
std::vector<DpRole> rolesWrittenBy(CommandFlow flow);

std::string_view dpRoleName(DpRole role);
std::optional<DpRole> parseDpRole(std::string_view name);
std::string_view credentialSourceName(CredentialSource source);
std::optional<CredentialSource> parseCredentialSource(std::string_view name);
std::string_view commandFlowName(CommandFlow flow);
std::optional<CommandFlow> parseCommandFlow(std::string_view name);

}  // namespace lockhub::domain
