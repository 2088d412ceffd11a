#include "app/CommandService.h"

#include "app/BridgeRequest.h"
#include "app/DpConvert.h"
#include "app/Json.h"
#include "app/JsonReader.h"
#include "app/Log.h"
#include "app/SecretFields.h"
#include "app/SetTopic.h"

namespace lockhub {
namespace {

constexpr std::string_view kCommandsTag = "commands";
using std::chrono::duration_cast;
using std::chrono::milliseconds;

}  // namespace

CommandService::CommandService(CommandServiceOptions options, LockRegistry& registry,
                               ports::LockStore& store, ports::Broker& broker,
                               ports::Scheduler& scheduler, protocol::tuya::RandomSource& random,
                               OutboxPump& outbox, BridgeService& bridge)
    : options_(std::move(options)),
      registry_(registry),
      store_(store),
      broker_(broker),
      scheduler_(scheduler),
      random_(random),
      outbox_(outbox),
      bridge_(bridge) {
    bridge.addSubscription(options_.baseTopic + "/+/set",
                           [this](const std::string& topic, const std::string& payload) {
                               return onSet(topic, payload);
                           });
    registry_.subscribe({
        .added = nullptr,
        .removing = [this](PairedLock& lock) { failAll(lock, "lock removed"); },
        .report = nullptr,
        .ready = nullptr,
        .availability = nullptr,
        .linkState = nullptr,
        .seen = nullptr,
    });
}

CommandService::~CommandService() {
    for (auto& [id, queue] : queues_) {
        for (auto& command : queue) {
            scheduler_.cancel(command.deadline);
        }
    }
}

bool CommandService::onSet(const std::string& topic, const std::string& payload) {
    const auto lockName = lockOfSetTopic(options_.baseTopic, topic);
    if (!lockName) {
        return false;
    }
    const std::string& name = *lockName;
    // Home Assistant sends the bare words; scripts may send JSON with a transaction.
    std::string state;
    nlohmann::json transaction;
    std::optional<SecretString> code;
    const std::string source = bridge_.source();
    if (payload == "LOCK" || payload == "UNLOCK") {
        state = payload;
    } else {
        auto parsed = parseBridgeRequest(payload);
        transaction = parsed.transaction;
        std::string problem;
        std::string message;  // set when `problem` is an error code (a sealed code's)
        if (!parsed.request) {
            problem = parsed.request.error().message;
        } else {
            Result<SealedFields::Opened> opened =
                SealedFields::Opened{parsed.request->body, std::nullopt};
            if (const auto* sealed = bridge_.sealedFields()) {
                opened = sealed->open(kSetTopicOp, parsed.request->body);
            }
            if (!opened) {
                problem = errcName(opened.error().code);
                message = opened.error().message;
            } else {
                JsonReader reader(opened->body, "");
                reader.skip("transaction");
                reader.skip("code");
                reader.required("state");
                reader.oneOf("state", {"LOCK", "UNLOCK"}, state);
                reader.rejectUnknownKeys();
                problem = reader.ok() ? readUnlockCode(opened->body, code) : reader.error();
            }
        }
        if (!problem.empty()) {
            nlohmann::json result = {{"result", "rejected"}, {"reason", problem}};
            if (!message.empty()) {
                result["message"] = message;
            }
            if (!transaction.is_null()) {
                result["transaction"] = transaction;
            }
            emit(topic + "/result", toJson(result));
            audit(source, state, name, message.empty() ? "rejected" : problem);
            return true;
        }
    }
    const std::string cacheKey = transaction.is_null() ? "" : name + "\n" + toJson(transaction);
    if (!cacheKey.empty()) {
        switch (transactions_.check(cacheKey, scheduler_.now())) {
            case TransactionCache::Seen::New:
                break;
            case TransactionCache::Seen::Running:
                log::info(kCommandsTag,
                          "repeated transaction; answering with the first one's result",
                          {{"LOCK", name}});
                return true;
            case TransactionCache::Seen::Done:
                log::info(kCommandsTag, "repeated transaction; sending its result again",
                          {{"LOCK", name}});
                emit(topic + "/result", *transactions_.result(cacheKey));
                return true;
        }
    }
    auto paired = registry_.lockCalled(name);
    if (!paired) {
        nlohmann::json result = {
            {"state", state}, {"result", "rejected"}, {"reason", paired.error().message}};
        if (!transaction.is_null()) {
            result["transaction"] = transaction;
        }
        publishResult(name, result, cacheKey);
        audit(source, state, name, "rejected");
        return true;
    }
    PairedLock* lock = *paired;
    // Access control (CommandAccess), before anything reaches the lock.
    std::optional<CodeMatch> match;
    if (auto refusal = access_.authorize(lock->record.id, state, code, source, match)) {
        nlohmann::json result = {
            {"state", state}, {"result", "rejected"}, {"reason", refusal->reason}};
        if (!refusal->message.empty()) {
            result["message"] = refusal->message;
        }
        if (!transaction.is_null()) {
            result["transaction"] = transaction;
        }
        publishResult(name, result, cacheKey);
        // A payload problem (no message) audits as plain `rejected`, a code refusal by its reason.
        audit(source, state, name, refusal->message.empty() ? "rejected" : refusal->reason);
        return true;
    }
    enqueue(*lock, state, transaction, cacheKey, match ? codeMatchJson(*match) : nullptr);
    return true;
}

void CommandService::unlockAs(PairedLock& lock, const std::string& shownAs,
                              const nlohmann::json& transaction) {
    enqueue(lock, "UNLOCK", transaction, "", nullptr, shownAs);
}

void CommandService::audit(const std::string& source, const std::string& state,
                           const std::string& lock, const std::string& result) {
    bridge_.audit(source, state.empty() ? "set" : "set/" + state, lock, result);
}

void CommandService::enqueue(PairedLock& lock, const std::string& state,
                             const nlohmann::json& transaction, const std::string& cacheKey,
                             const nlohmann::json& code, const std::string& shownAs) {
    const std::int64_t id = lock.record.id;
    topics_[id] = lock.record.topic;
    Command command;
    command.serial = nextSerial_++;
    command.state = state;
    command.shownAs = shownAs;
    command.transaction = transaction;
    command.cacheKey = cacheKey;
    command.source = bridge_.source();
    command.code = code;
    command.deadlineAt = scheduler_.now() + options_.timeout;
    const auto serial = command.serial;
    command.deadline =
        scheduler_.after(options_.timeout, [this, id, serial] { expire(id, serial); });
    auto& queue = queues_[id];
    queue.push_back(std::move(command));
    if (queue.size() == 1) {
        startNext(id);
    }
}

void CommandService::startNext(std::int64_t lockId) {
    auto queue = queues_.find(lockId);
    PairedLock* lock = registry_.byId(lockId);
    if (queue == queues_.end() || queue->second.empty() || lock == nullptr) {
        return;
    }
    Command& command = queue->second.front();
    domain::CommandContext context;
    context.now = scheduler_.unixSeconds();
    random_.fill(context.random);
    auto encoded = lock->encoder.encode(
        command.state == "LOCK" ? domain::LockCommand::Lock : domain::LockCommand::Unlock, context);
    if (!encoded) {
        return finish(lockId, command.serial,
                      {CommandResult::Outcome::Rejected, encoded.error().message});
    }
    for (const auto& record : encoded->writes) {
        auto dp = toProtocolDp(record);
        if (!dp) {
            return finish(lockId, command.serial,
                          {CommandResult::Outcome::Failed, dp.error().message});
        }
        command.dps.push_back(*dp);
    }
    command.replyDp = encoded->replyDp;
    command.replyEcho = encoded->replyEcho;
    command.stage = Stage::Writing;
    log::info(kCommandsTag, "command " + command.state, {{"LOCK", lock->record.topic}});
    const auto left = std::max(milliseconds(0),
                               duration_cast<milliseconds>(command.deadlineAt - scheduler_.now()));
    const auto serial = command.serial;
    lock->link->submit(command.dps, left, [this, lockId, serial](const CommandResult& result) {
        written(lockId, serial, result);
    });
}

void CommandService::written(std::int64_t lockId, std::uint64_t serial,
                             const CommandResult& result) {
    auto queue = queues_.find(lockId);
    if (queue == queues_.end() || queue->second.empty() || queue->second.front().serial != serial) {
        return;  // it already ended (timeout, lock removed)
    }
    Command& command = queue->second.front();
    if (result.outcome != CommandResult::Outcome::Ok || !command.replyDp) {
        return finish(lockId, serial, result);
    }
    // The write went through; from now on the lock's report on the reply DP is this command's.
    command.stage = Stage::AwaitingReply;
}

void CommandService::onReply(PairedLock& lock, std::uint8_t dp, const domain::CommandReply& reply) {
    auto queue = queues_.find(lock.record.id);
    if (queue != queues_.end() && !queue->second.empty()) {
        const Command& command = queue->second.front();
        if (command.stage == Stage::AwaitingReply && command.replyDp == dp &&
            (command.replyEcho.empty() || command.replyEcho == reply.echo)) {
            return finish(lock.record.id, command.serial,
                          reply.ok() ? CommandResult{CommandResult::Outcome::Ok, {}}
                                     : CommandResult{CommandResult::Outcome::Rejected,
                                                     "the lock answered " + reply.reason});
        }
    }
    log::warning(kCommandsTag,
                 "dp " + std::to_string(dp) +
                     " answers no waiting command (a late reply to one that timed out?); "
                     "dropped",
                 {{"LOCK", lock.record.topic}});
}

void CommandService::expire(std::int64_t lockId, std::uint64_t serial) {
    auto queue = queues_.find(lockId);
    if (queue == queues_.end()) {
        return;
    }
    for (auto& command : queue->second) {
        if (command.serial != serial) {
            continue;
        }
        command.deadline = 0;
        const std::string seconds = std::to_string(options_.timeout.count() / 1000) + " s";
        switch (command.stage) {
            case Stage::Queued:
                return finish(
                    lockId, serial,
                    {CommandResult::Outcome::Timeout,
                     "an earlier command to this lock was still running after " + seconds});
            case Stage::Writing:
                return finish(lockId, serial,
                              {CommandResult::Outcome::Timeout,
                               "the lock did not confirm the command within " + seconds});
            case Stage::AwaitingReply:
                return finish(lockId, serial,
                              {CommandResult::Outcome::Timeout,
                               "the lock accepted the command but did not report its outcome"});
        }
    }
}

void CommandService::finish(std::int64_t lockId, std::uint64_t serial,
                            const CommandResult& result) {
    auto queue = queues_.find(lockId);
    if (queue == queues_.end()) {
        return;
    }
    auto& commands = queue->second;
    auto it = std::find_if(commands.begin(), commands.end(),
                           [serial](const Command& c) { return c.serial == serial; });
    if (it == commands.end()) {
        return;
    }
    const bool wasHead = it == commands.begin();
    Command command = std::move(*it);
    commands.erase(it);
    scheduler_.cancel(command.deadline);
    nlohmann::json payload = {{"state", command.shownAs.empty() ? command.state : command.shownAs},
                              {"result", outcomeName(result.outcome)}};
    if (!result.reason.empty()) {
        payload["reason"] = result.reason;
    }
    if (!command.code.is_null()) {
        payload["code"] = command.code;
    }
    if (!command.transaction.is_null()) {
        payload["transaction"] = command.transaction;
    }
    const std::string topic = topics_[lockId];
    audit(command.source, command.state, topic, std::string(outcomeName(result.outcome)));
    log::info(kCommandsTag,
              "command " + command.state + ": " + std::string(outcomeName(result.outcome)) +
                  (result.reason.empty() ? "" : " (" + result.reason + ")"),
              {{"LOCK", topic}});
    publishResult(topic, payload, command.cacheKey);
    if (wasHead) {
        startNext(lockId);
    }
}

void CommandService::failAll(PairedLock& lock, const std::string& reason) {
    auto queue = queues_.find(lock.record.id);
    while (queue != queues_.end() && !queue->second.empty()) {
        // The head is finished last, so finishing it starts nothing new.
        finish(lock.record.id, queue->second.back().serial,
               {CommandResult::Outcome::Failed, reason});
    }
}

void CommandService::publishResult(const std::string& lockTopic, const nlohmann::json& payload,
                                   const std::string& cacheKey) {
    const std::string topic = options_.baseTopic + "/" + lockTopic + "/set/result";
    const std::string text = toJson(payload);
    int copies = 1;
    if (!cacheKey.empty()) {
        copies += transactions_.finish(cacheKey, text, scheduler_.now());
    }
    for (int i = 0; i < copies; ++i) {
        emit(topic, text);
    }
}

void CommandService::emit(const std::string& topic, const std::string& payload) {
    ports::OutboxMessage message{topic, payload, 1, false};
    auto id = store_.enqueueOutbox(message);
    if (!id) {
        // The caller waits for this answer: better undurable than never.
        log::error(kCommandsTag,
                   "cannot store a command result, publishing it unstored: " + id.error().message);
        broker_.publish(topic, payload, 1, false);
        return;
    }
    outbox_.send({{*id, std::move(message)}});
}

}  // namespace lockhub
