#include "app/IsoTime.h"

#include <chrono>

namespace lockhub {
namespace {

// Reads exactly `width` digits at `at`; advances it.
std::optional<int> digits(std::string_view text, std::size_t& at, std::size_t width) {
    if (at + width > text.size()) {
        return std::nullopt;
    }
    int value = 0;
    for (std::size_t i = 0; i < width; ++i) {
        const char c = text[at + i];
        if (c < '0' || c > '9') {
            return std::nullopt;
        }
        value = value * 10 + (c - '0');
    }
    at += width;
    return value;
}

bool expect(std::string_view text, std::size_t& at, char c) {
    if (at < text.size() && text[at] == c) {
        ++at;
        return true;
    }
    return false;
}

}  // namespace

std::optional<std::int64_t> parseIsoMillis(std::string_view text) {
    using namespace std::chrono;
    std::size_t at = 0;
    const auto year = digits(text, at, 4);
    if (!year || !expect(text, at, '-')) {
        return std::nullopt;
    }
    const auto month = digits(text, at, 2);
    if (!month || !expect(text, at, '-')) {
        return std::nullopt;
    }
    const auto day = digits(text, at, 2);
    if (!day || !expect(text, at, 'T')) {
        return std::nullopt;
    }
    const auto hour = digits(text, at, 2);
    if (!hour || !expect(text, at, ':')) {
        return std::nullopt;
    }
    const auto minute = digits(text, at, 2);
    if (!minute || !expect(text, at, ':')) {
        return std::nullopt;
    }
    const auto second = digits(text, at, 2);
    if (!second) {
        return std::nullopt;
    }
    std::int64_t millis = 0;
    if (expect(text, at, '.')) {
        const std::size_t first = at;
        int scale = 100;
        while (at < text.size() && text[at] >= '0' && text[at] <= '9') {
            millis += (text[at] - '0') * scale;
            scale /= 10;
            ++at;
        }
        if (at == first) {
            return std::nullopt;
        }
    }
    std::int64_t offsetMinutes = 0;
    if (!expect(text, at, 'Z')) {
        const bool east = expect(text, at, '+');
        if (!east && !expect(text, at, '-')) {
            return std::nullopt;
        }
        const auto offsetHours = digits(text, at, 2);
        if (!offsetHours || !expect(text, at, ':')) {
            return std::nullopt;
        }
        const auto offsetMins = digits(text, at, 2);
        if (!offsetMins || *offsetHours > 23 || *offsetMins > 59) {
            return std::nullopt;
        }
        offsetMinutes = (*offsetHours * 60 + *offsetMins) * (east ? 1 : -1);
    }
    const year_month_day date{std::chrono::year{*year},
                              std::chrono::month(static_cast<unsigned>(*month)),
                              std::chrono::day(static_cast<unsigned>(*day))};
    if (at != text.size() || *year < 1970 || !date.ok() || *hour > 23 || *minute > 59 ||
        *second > 59) {
        return std::nullopt;
    }
    const auto seconds = sys_days{date}.time_since_epoch() + hours(*hour) + minutes(*minute) +
                         std::chrono::seconds(*second) - minutes(offsetMinutes);
    const std::int64_t result = duration_cast<milliseconds>(seconds).count() + millis;
    if (result < 0) {
        return std::nullopt;  // 1970-01-01 with an offset east of UTC
    }
    return result;
}

}  // namespace lockhub
