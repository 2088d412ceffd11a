#include "adapters/sqlite/SqliteCloudOutbox.h"

#include <utility>

#include "adapters/sqlite/Transaction.h"
#include "app/CloudTopics.h"

namespace lockhub::adapters::sqlite {
SqliteCloudOutbox::SqliteCloudOutbox(Database& db, std::size_t limit, std::string localBase,
                                     std::string upstreamBase)
    : db_(db),
      table_(db, limit, {.table = "cloud_outbox", .droppedKey = "cloud_outbox_dropped"}),
      localBase_(std::move(localBase)),
      upstreamBase_(std::move(upstreamBase)) {}

Result<std::int64_t> SqliteCloudOutbox::enqueueOutbox(const ports::OutboxMessage& message) {
    if (message.qos < 0 || message.qos > 2) {
        return fail(Errc::BadRequest,
                    "outbox message QoS " + std::to_string(message.qos) + " is not 0, 1 or 2");
    }
    auto tx = Transaction::begin(db_);
    if (!tx) {
        return tl::unexpected(std::move(tx.error()));
    }
    auto id = table_.insert(message, std::nullopt);
    if (!id) {
        return id;
    }
    if (auto committed = table_.trimAndCommit(*tx); !committed) {
        return tl::unexpected(std::move(committed.error()));
    }
    return id;
}

Result<std::vector<ports::OutboxEntry>> SqliteCloudOutbox::pendingOutbox(std::size_t limit,
                                                                         std::int64_t afterId) {
    return table_.pending(limit, afterId);
}

Result<void> SqliteCloudOutbox::removeOutbox(std::span<const std::int64_t> ids) {
    return table_.remove(ids);
}

void SqliteCloudOutbox::removeOutboxLater(std::span<const std::int64_t> ids) {
    table_.removeLater(ids);
}

Result<std::int64_t> SqliteCloudOutbox::droppedOutbox() {
    return table_.dropped();
}

Result<void> SqliteCloudOutbox::mirror(const ports::OutboxMessage& message,
                                       std::optional<std::int64_t> createdAtS) {
    auto topic = upstreamEventTopic(message.topic, localBase_, upstreamBase_);
    if (!topic) {
        return {};
    }
    auto id = table_.insert({*topic, message.payload, message.qos, message.retained}, createdAtS);
    if (!id) {
        return tl::unexpected(std::move(id.error()));
    }
    return {};
}

Result<void> SqliteCloudOutbox::trim() {
    auto tx = Transaction::begin(db_);
    if (!tx) {
        return tl::unexpected(std::move(tx.error()));
    }
    return table_.trimAndCommit(*tx);
}

}  // namespace lockhub::adapters::sqlite
