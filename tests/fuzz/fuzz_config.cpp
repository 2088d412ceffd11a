// The daemon's config file (parseConfig): JSON with comments, every key checked. Whatever it
// refuses must be a Config error that names what is wrong; whatever it accepts must parse the same
// a second time (the daemon reads it again on SIGHUP).
#include <cstddef>
#include <cstdint>
#include <string>

#include "app/Config.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    const auto config = lockhub::parseConfig(text);
    if (!config) {
        if (config.error().code != lockhub::Errc::Config || config.error().message.empty()) {
            __builtin_trap();
        }
        return 0;
    }
    const auto again = lockhub::parseConfig(text);
    if (!again || !lockhub::keysNeedingRestart(*config, *again).empty()) {
        __builtin_trap();
    }
    return 0;
}
