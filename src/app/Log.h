// Logging facade for the app and adapter layers (the pure layers never log). The sink is chosen
// once at start-up: the journal with structured fields under systemd, stderr otherwise.
// Secrets cannot reach a log line by accident: lockhub::Secret has no conversion to string.
#pragma once

#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace lockhub::log {

enum class Level { Debug, Info, Warning, Error };

std::string_view levelName(Level level);
std::optional<Level> parseLevel(std::string_view name);

// Structured context, e.g. {"LOCK_ID", "front-door"}; keys follow journal field rules
// (upper case, digits, underscore).
struct Field {
    std::string_view key;
    std::string value;
};

using Sink = std::function<void(Level, std::string_view tag, std::string_view message,
                                std::span<const Field> fields)>;

void setSink(Sink sink);
void setLevel(Level level);
Level level();

void write(Level level, std::string_view tag, std::string_view message,
           std::initializer_list<Field> fields = {});

inline void debug(std::string_view tag, std::string_view message,
                  std::initializer_list<Field> fields = {}) {
    write(Level::Debug, tag, message, fields);
}
inline void info(std::string_view tag, std::string_view message,
                 std::initializer_list<Field> fields = {}) {
    write(Level::Info, tag, message, fields);
}
inline void warning(std::string_view tag, std::string_view message,
                    std::initializer_list<Field> fields = {}) {
    write(Level::Warning, tag, message, fields);
}
inline void error(std::string_view tag, std::string_view message,
                  std::initializer_list<Field> fields = {}) {
    write(Level::Error, tag, message, fields);
}

}  // namespace lockhub::log
