// The lock history on the bridge API (issue 12 "History", docs/mqtt-api.md "records/query"):
// filters by lock, user, method, event and hub time, in (hub time, id) order, one page at a time
// with an opaque cursor. Each record is the `<lock>/event` message as it was published, with its
// row id, its lock's topic and `time_corrected`; its user is named as the directory names them at
// query time, not as they were called when the record came in.
#pragma once

#include <nlohmann/json.hpp>

#include "app/BridgeService.h"
#include "app/LockRegistry.h"
#include "ports/RecordStore.h"
#include "ports/UserStore.h"

namespace lockhub {

class RecordService {
public:
    static constexpr std::int64_t kDefaultLimit = 100;
    static constexpr std::int64_t kMaxLimit = 500;

    RecordService(ports::RecordStore& records, ports::UserStore& users, LockRegistry& registry,
                  BridgeService& bridge);
    RecordService(const RecordService&) = delete;
    RecordService& operator=(const RecordService&) = delete;

    Result<nlohmann::json> query(const nlohmann::json& body);

private:
    ports::RecordStore& records_;
    ports::UserStore& users_;
    LockRegistry& registry_;
};

}  // namespace lockhub
