#include "app/IsoTime.h"

#include <chrono>

namespace lockhub {
namespace {

// Reads exactly `digits` decimal digits at `pos`.
std::optional<int> number(std::string_view text, std::size_t pos, std::size_t digits) {
    if (pos + digits > text.size()) {
        return std::nullopt;
    }
    int value = 0;
    for (std::size_t i = pos; i < pos + digits; ++i) {
        if (text[i] < '0' || text[i] > '9') {
            return std::nullopt;
        }
        value = value * 10 + (text[i] - '0');
    }
    return value;
}

bool at(std::string_view text, std::size_t pos, char c) {
    return pos < text.size() && text[pos] == c;
}

}  // namespace

std::optional<std::int64_t> parseIsoMillis(std::string_view text) {
    using namespace std::chrono;
    const auto y = number(text, 0, 4);
    const auto mo = number(text, 5, 2);
    const auto d = number(text, 8, 2);
    const auto h = number(text, 11, 2);
    const auto mi = number(text, 14, 2);
    const auto s = number(text, 17, 2);
    if (!y || !mo || !d || !h || !mi || !s || !at(text, 4, '-') || !at(text, 7, '-') ||
        !at(text, 10, 'T') || !at(text, 13, ':') || !at(text, 16, ':') || *y < 1970 || *h > 23 ||
        *mi > 59 || *s > 59) {
        return std::nullopt;
    }
    const year_month_day date{year(*y), month(static_cast<unsigned>(*mo)),
                              day(static_cast<unsigned>(*d))};
    if (!date.ok()) {
        return std::nullopt;
    }
    std::size_t pos = 19;
    std::int64_t millis = 0;
    if (at(text, pos, '.')) {
        std::size_t digits = 0;
        ++pos;
        while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
            if (++digits > 3) {
                return std::nullopt;
            }
            millis = millis * 10 + (text[pos++] - '0');
        }
        if (digits == 0) {
            return std::nullopt;
        }
        for (; digits < 3; ++digits) {
            millis *= 10;
        }
    }
    std::int64_t offsetMinutes = 0;
    if (at(text, pos, 'Z')) {
        ++pos;
    } else if (at(text, pos, '+') || at(text, pos, '-')) {
        const auto oh = number(text, pos + 1, 2);
        const auto om = number(text, pos + 4, 2);
        if (!oh || !om || !at(text, pos + 3, ':') || *oh > 23 || *om > 59) {
            return std::nullopt;
        }
        offsetMinutes = (text[pos] == '+' ? 1 : -1) * (*oh * 60 + *om);
        pos += 6;
    } else {
        return std::nullopt;
    }
    if (pos != text.size()) {
        return std::nullopt;
    }
    const auto dayMs = duration_cast<milliseconds>(sys_days(date).time_since_epoch()).count();
    return dayMs + ((*h * 60 + *mi - offsetMinutes) * 60 + *s) * std::int64_t{1000} + millis;
}

}  // namespace lockhub
