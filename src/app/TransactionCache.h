// "A transaction seen twice within a minute gets the first result again and never runs twice"
// (issue 8): remembers, per key, that a request is running or what it answered. Requests without
// a transaction are never cached: nothing says two of them are the same request.
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>

namespace lockhub {

class TransactionCache {
public:
    static constexpr auto kMemory = std::chrono::minutes(1);

    enum class Seen {
        New,      // run it; call finish() with its result
        Running,  // the first is still running: its result will be answered again (finish)
        Done,     // answered before: send result() again
    };

    // `now` is the loop's monotonic clock.
    Seen check(const std::string& key, std::chrono::steady_clock::time_point now);
    // Records the answer; returns how many duplicates arrived while it ran (each gets a copy).
    int finish(const std::string& key, std::string result,
               std::chrono::steady_clock::time_point now);
    const std::string* result(const std::string& key) const;

private:
    struct Entry {
        std::chrono::steady_clock::time_point seen;
        std::optional<std::string> result;
        int waiting = 0;
    };
    void forgetOld(std::chrono::steady_clock::time_point now);

    std::map<std::string, Entry> entries_;
};

}  // namespace lockhub
