#include "app/Log.h"

#include <atomic>
#include <iostream>
#include <mutex>
#include <vector>

namespace lockhub::log {
namespace {

std::atomic<Level> gLevel{Level::Info};
// Paho's threads may log through the adapter, so the sink is guarded.
std::mutex gSinkMutex;

void stderrSink(Level level, std::string_view tag, std::string_view message,
                std::span<const Field> fields) {
    std::string line;
    line.append(levelName(level)).append(" ").append(tag).append(": ").append(message);
    for (const auto& field : fields) {
        line.append(" ").append(field.key).append("=").append(field.value);
    }
    line.push_back('\n');
    std::cerr << line << std::flush;
}

Sink& sink() {
    static Sink current = stderrSink;
    return current;
}

}  // namespace

std::string_view levelName(Level level) {
    switch (level) {
        case Level::Debug:
            return "debug";
        case Level::Info:
            return "info";
        case Level::Warning:
            return "warning";
        case Level::Error:
            return "error";
    }
    return "info";
}

std::optional<Level> parseLevel(std::string_view name) {
    for (Level l : {Level::Debug, Level::Info, Level::Warning, Level::Error}) {
        if (levelName(l) == name) {
            return l;
        }
    }
    return std::nullopt;
}

void setSink(Sink newSink) {
    std::lock_guard lock(gSinkMutex);
    sink() = std::move(newSink);
}

void setLevel(Level newLevel) {
    gLevel = newLevel;
}

Level level() {
    return gLevel;
}

void write(Level messageLevel, std::string_view tag, std::string_view message,
           std::initializer_list<Field> fields) {
    if (messageLevel < gLevel.load()) {
        return;
    }
    std::lock_guard lock(gSinkMutex);
    sink()(messageLevel, tag, message, std::span<const Field>(fields.begin(), fields.size()));
}

}  // namespace lockhub::log
