// How a lock is addressed: its Bluetooth MAC, and the <lock> level of its MQTT topics. One set
// of rules for the pairing request, the store and the BlueZ adapter, so a lock one accepts the
// others never refuse.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace lockhub::domain {

// ASCII upper case; other bytes unchanged. BlueZ and the store spell MACs in upper case.
std::string upper(std::string text);

// "aa:bb:cc:dd:ee:ff" in either case → "AA:BB:CC:DD:EE:FF"; nullopt for anything else.
std::optional<std::string> normalizedMac(std::string_view mac);

// 1 to 64 of a-z, 0-9, '_' and '-', and not "bridge", whose topics are the bridge's own.
bool isTopic(std::string_view topic);

}  // namespace lockhub::domain
