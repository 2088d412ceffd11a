// Port: MQTT messages kept until their PUBACK (design §5). The local outbox is part of
// ports::LockStore, because a record and its message commit together; the cloud link's mirror
// (docs/reliability.md "The cloud mirror") is a second outbox of its own behind the same port, so
// one OutboxPump type drains either.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "domain/Error.h"

namespace lockhub::ports {

// An MQTT message waiting in the outbox for its PUBACK.
struct OutboxMessage {
    std::string topic;
    std::string payload;
    int qos = 1;
    bool retained = false;
};

struct OutboxEntry {
    // Only ever grows: a new row never takes the id of a deleted one, so a reader paging with
    // afterId = the last id it saw cannot miss a row.
    std::int64_t id = 0;
    OutboxMessage message;
};

class OutboxStore {
public:
    virtual ~OutboxStore() = default;

    // A message not tied to a record (a command's set/result), in its own transaction.
    // BadRequest for a QoS other than 0, 1 or 2.
    virtual Result<std::int64_t> enqueueOutbox(const OutboxMessage& message) = 0;
    // Rows with id > afterId, oldest first, at most `limit`. When the outbox is full, inserting
    // drops the oldest rows (never a record), counts and logs them; droppedOutbox() reports the
    // count since the database was created.
    virtual Result<std::vector<OutboxEntry>> pendingOutbox(std::size_t limit,
                                                           std::int64_t afterId = 0) = 0;
    // Deletes delivered rows, and those passed to removeOutboxLater() before, in one
    // transaction; ids already gone are ignored.
    virtual Result<void> removeOutbox(std::span<const std::int64_t> ids) = 0;
    // Delivered rows whose delete may wait for the next transaction that adds rows to this
    // outbox (a record batch), so that it costs no sync of its own, or for the next
    // removeOutbox(), whichever comes first. Until then they are still stored and read by
    // pendingOutbox(); a crash before leaves them to be sent once more, under the same event_id.
    virtual void removeOutboxLater(std::span<const std::int64_t> ids) = 0;
    virtual Result<std::int64_t> droppedOutbox() = 0;
};

}  // namespace lockhub::ports
