#include "app/TransactionCache.h"

#include <utility>

namespace lockhub {

void TransactionCache::forgetOld(std::chrono::steady_clock::time_point now) {
    std::erase_if(entries_, [now](const auto& entry) {
        return entry.second.result && now - entry.second.seen > kMemory;
    });
}

TransactionCache::Seen TransactionCache::check(const std::string& key,
                                               std::chrono::steady_clock::time_point now) {
    forgetOld(now);
    auto [it, inserted] = entries_.try_emplace(key, Entry{now, std::nullopt, 0});
    if (inserted) {
        return Seen::New;
    }
    if (!it->second.result) {
        ++it->second.waiting;
        return Seen::Running;
    }
    return Seen::Done;
}

int TransactionCache::finish(const std::string& key, std::string result,
                             std::chrono::steady_clock::time_point now) {
    auto it = entries_.find(key);
    if (it == entries_.end()) {
        return 0;
    }
    it->second.result = std::move(result);
    it->second.seen = now;  // remembered for a minute after the answer
    return std::exchange(it->second.waiting, 0);
}

const std::string* TransactionCache::result(const std::string& key) const {
    auto it = entries_.find(key);
    return it == entries_.end() || !it->second.result ? nullptr : &*it->second.result;
}

}  // namespace lockhub
