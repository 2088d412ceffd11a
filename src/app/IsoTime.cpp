#include "app/IsoTime.h"

#include <cctype>
#include <chrono>

namespace lockhub {
namespace {

class Cursor {
public:
    explicit Cursor(std::string_view text) : text_(text) {}
    bool done() const { return at_ == text_.size(); }
    char peek() const { return done() ? '\0' : text_[at_]; }
    bool take(char c) {
        if (peek() != c) {
            return false;
        }
        ++at_;
        return true;
    }
    std::optional<int> digits(std::size_t count) {
        if (text_.size() - at_ < count) {
            return std::nullopt;
        }
        int value = 0;
        for (std::size_t i = 0; i < count; ++i) {
            const char c = text_[at_ + i];
            if (std::isdigit(static_cast<unsigned char>(c)) == 0) {
                return std::nullopt;
            }
            value = value * 10 + (c - '0');
        }
        at_ += count;
        return value;
    }
    void skipDigits() {
        while (std::isdigit(static_cast<unsigned char>(peek())) != 0) {
            ++at_;
        }
    }

private:
    std::string_view text_;
    std::size_t at_ = 0;
};

}  // namespace

std::optional<std::int64_t> parseIsoTime(std::string_view text) {
    Cursor in(text);
    const auto year = in.digits(4);
    if (!year || !in.take('-')) {
        return std::nullopt;
    }
    const auto month = in.digits(2);
    if (!month || !in.take('-')) {
        return std::nullopt;
    }
    const auto day = in.digits(2);
    if (!day || !(in.take('T') || in.take('t') || in.take(' '))) {
        return std::nullopt;
    }
    const auto hour = in.digits(2);
    if (!hour || !in.take(':')) {
        return std::nullopt;
    }
    const auto minute = in.digits(2);
    int second = 0;
    if (!minute) {
        return std::nullopt;
    }
    if (in.take(':')) {
        const auto s = in.digits(2);
        if (!s) {
            return std::nullopt;
        }
        second = *s;
        if (in.take('.') || in.take(',')) {
            in.skipDigits();
        }
    }
    int offsetMinutes = 0;
    if (!(in.take('Z') || in.take('z'))) {
        const int sign = in.take('+') ? 1 : in.take('-') ? -1 : 0;
        const auto offsetHours = sign == 0 ? std::nullopt : in.digits(2);
        if (!offsetHours) {
            return std::nullopt;
        }
        in.take(':');
        const auto offsetMins = in.digits(2);
        if (!offsetMins || *offsetHours > 23 || *offsetMins > 59) {
            return std::nullopt;
        }
        offsetMinutes = sign * (*offsetHours * 60 + *offsetMins);
    }
    using namespace std::chrono;
    const year_month_day date{std::chrono::year{*year},
                              std::chrono::month{static_cast<unsigned>(*month)},
                              std::chrono::day{static_cast<unsigned>(*day)}};
    if (!in.done() || !date.ok() || *hour > 23 || *minute > 59 || second > 59 || *year < 1970) {
        return std::nullopt;
    }
    const auto days = sys_days{date}.time_since_epoch().count();
    const std::int64_t local =
        static_cast<std::int64_t>(days) * 86400 + *hour * 3600 + *minute * 60 + second;
    const std::int64_t utc = local - std::int64_t{offsetMinutes} * 60;
    if (utc < 0) {
        return std::nullopt;
    }
    return utc;
}

}  // namespace lockhub
