// The cloud link's own outbox (docs/reliability.md "The cloud mirror"): the `cloud_outbox` table
// behind ports::OutboxStore, drained to the upstream by a second OutboxPump. SqliteLockStore
// copies every `<local base>/<lock>/event` message into it inside the transaction that stores the
// record (mirror), under `<upstream base>/<lock>/event` (app/CloudTopics.h); the cloud link adds
// its journal with enqueueOutbox. Rows leave only on the upstream's PUBACK, so a down upstream
// holds nothing of the local outbox, and the bound (the configuration's outbox_limit) keeps it from
// filling the disk.
#pragma once

#include <cstddef>
#include <optional>
#include <string>

#include "adapters/sqlite/Database.h"
#include "adapters/sqlite/OutboxTable.h"
#include "ports/OutboxStore.h"

namespace lockhub::adapters::sqlite {

class SqliteCloudOutbox final : public ports::OutboxStore {
public:
    // `upstreamBase` is `<cloud.topic_prefix>/<hub id>`.
    SqliteCloudOutbox(Database& db, std::size_t limit, std::string localBase,
                      std::string upstreamBase);

    // BadRequest for a QoS other than 0, 1 or 2.
    Result<std::int64_t> enqueueOutbox(const ports::OutboxMessage& message) override;
    Result<std::vector<ports::OutboxEntry>> pendingOutbox(std::size_t limit,
                                                          std::int64_t afterId = 0) override;
    Result<void> removeOutbox(std::span<const std::int64_t> ids) override;
    void removeOutboxLater(std::span<const std::int64_t> ids) override;
    Result<std::int64_t> droppedOutbox() override;

    // In the caller's transaction: the upstream copy of a lock's event; any other message is not
    // mirrored and writes nothing.
    Result<void> mirror(const ports::OutboxMessage& message,
                        std::optional<std::int64_t> createdAtS);
    // After the caller committed what it mirrored: the bound, in a transaction of its own.
    Result<void> trim();

private:
    Database& db_;
    OutboxTable table_;
    std::string localBase_;
    std::string upstreamBase_;
};

}  // namespace lockhub::adapters::sqlite
