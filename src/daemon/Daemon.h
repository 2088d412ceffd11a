// The composition root: builds the adapters, wires them to the use cases and runs the loop.
// Nothing here decides behaviour; it only connects the pieces that do.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "adapters/bluez/BluezCentral.h"
#include "adapters/mqtt/PahoBroker.h"
#include "adapters/sodium/SodiumSeal.h"
#include "adapters/sqlite/HmacCodeHasher.h"
#include "adapters/sqlite/SecretsKey.h"
#include "adapters/sqlite/SqliteAuditStore.h"
#include "adapters/sqlite/SqliteCloudOutbox.h"
#include "adapters/sqlite/SqliteCodeStore.h"
#include "adapters/sqlite/SqliteLockStore.h"
#include "adapters/sqlite/SqliteRecordStore.h"
#include "adapters/sqlite/SqliteStore.h"
#include "adapters/sqlite/SqliteTempPasswordStore.h"
#include "adapters/sqlite/SqliteUserStore.h"
#include "adapters/systemd/AdjtimexClockSync.h"
#include "adapters/systemd/EventLoop.h"
#include "adapters/systemd/LoopScheduler.h"
#include "adapters/systemd/Notifier.h"
#include "adapters/systemd/OsRandom.h"
#include "app/AlarmTracker.h"
#include "app/AuditLog.h"
#include "app/BridgeService.h"
#include "app/CloudLink.h"
#include "app/CodeService.h"
#include "app/CommandService.h"
#include "app/Config.h"
#include "app/EnrolmentService.h"
#include "app/EventPipeline.h"
#include "app/HomeAssistant.h"
#include "app/LockCredentialEraser.h"
#include "app/LockDiagnostics.h"
#include "app/LockRegistry.h"
#include "app/LockT0.h"
#include "app/LockTimeline.h"
#include "app/LockoutPublisher.h"
#include "app/OutboxPump.h"
#include "app/PairingService.h"
#include "app/RecordRetention.h"
#include "app/RecordService.h"
#include "app/ReplyDispatcher.h"
#include "app/SealedFields.h"
#include "app/StatePublisher.h"
#include "app/TempPasswordAttribution.h"
#include "app/TempPasswordService.h"
#include "app/UnlockRequests.h"
#include "app/UserDirectory.h"
#include "daemon/CommandLine.h"

namespace lockhub::daemon {

// Exit statuses (sysexits.h): 78 keeps systemd from restart-looping on a bad configuration.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;
inline constexpr int kExitUsage = 64;
inline constexpr int kExitConfig = 78;

class Daemon {
public:
    Daemon(Options options, Config config, SecretString mqttPassword,
           std::filesystem::path stateDir);
    ~Daemon();

    int run();

private:
    nlohmann::json info();
    Result<nlohmann::json> health(const nlohmann::json& body);
    void shutdown();
    void reload();
    void publishStatus();
    void scheduleInfoRefresh();
    Result<void> startLocks();
    // The upstream connection and its outbox, when the configuration has a `cloud` section.
    Result<void> openCloud();
    void startCloud();
    void stopLocks();

    Options options_;
    Config config_;
    SecretString mqttPassword_;
    std::filesystem::path stateDir_;
    // Declaration order is teardown order reversed: the locks go before the adapters they use.
    std::unique_ptr<adapters::systemd::EventLoop> loop_;
    std::unique_ptr<adapters::systemd::LoopScheduler> scheduler_;
    adapters::systemd::OsRandom random_;
    std::optional<adapters::sqlite::SqliteStore> store_;
    std::unique_ptr<adapters::sqlite::SqliteLockStore> lockStore_;
    std::unique_ptr<adapters::sqlite::SqliteUserStore> userStore_;
    std::unique_ptr<adapters::sqlite::SqliteRecordStore> recordStore_;
    std::unique_ptr<adapters::sqlite::SqliteAuditStore> auditStore_;
    std::unique_ptr<adapters::sqlite::SqliteCodeStore> codeStore_;
    std::unique_ptr<adapters::sqlite::HmacCodeHasher> codeHasher_;
    std::unique_ptr<adapters::sodium::SodiumSeal> seal_;
    std::unique_ptr<adapters::sqlite::SqliteTempPasswordStore> tempPasswordStore_;
    adapters::systemd::AdjtimexClockSync clockSync_;
    std::unique_ptr<adapters::mqtt::PahoBroker> broker_;
    std::unique_ptr<adapters::sqlite::SqliteCloudOutbox> cloudOutbox_;
    std::unique_ptr<adapters::mqtt::PahoBroker> upstream_;
    std::unique_ptr<adapters::bluez::BluezCentral> bluetooth_;
    std::unique_ptr<SealedFields> sealedFields_;
    std::unique_ptr<BridgeService> bridge_;
    // The services, in dependency order (destroyed in reverse, before what they use).
    std::unique_ptr<OutboxPump> outbox_;
    std::unique_ptr<LockRegistry> registry_;
    std::unique_ptr<StatePublisher> state_;
    std::unique_ptr<UnlockRequests> requests_;
    std::unique_ptr<CommandService> commands_;
    std::unique_ptr<LockCredentialEraser> eraser_;
    std::unique_ptr<UserDirectory> users_;
    std::unique_ptr<EnrolmentService> enrolment_;
    std::unique_ptr<ReplyDispatcher> replies_;
    std::unique_ptr<LockTimeline> timeline_;
    std::unique_ptr<EventPipeline> events_;
    std::unique_ptr<RecordService> records_;
    std::unique_ptr<RecordRetention> retention_;
    std::unique_ptr<PairingService> pairing_;
    std::unique_ptr<HomeAssistant> homeAssistant_;
    std::unique_ptr<AlarmTracker> alarms_;
    std::unique_ptr<LockDiagnostics> diagnostics_;
    std::unique_ptr<AuditLog> audit_;
    std::unique_ptr<CodeService> codes_;
    std::unique_ptr<LockoutPublisher> lockouts_;
    std::unique_ptr<LockT0> t0_;
    std::unique_ptr<TempPasswordService> tempPasswords_;
    std::unique_ptr<TempPasswordAttribution> tempAttribution_;
    std::unique_ptr<OutboxPump> cloudPump_;
    std::unique_ptr<CloudLink> cloud_;
    adapters::systemd::Notifier notifier_;
    std::chrono::steady_clock::time_point started_;
    bool shuttingDown_ = false;
};

// Loads and validates the file named by the options; `missingIsDefault` when it was not named
// explicitly.
Result<Config> loadConfig(const Options& options);
Result<SecretString> loadMqttPassword(const MqttConfig& mqtt);
// cloud.password_file, or the systemd credential `cloud-password`.
Result<SecretString> loadCloudPassword(const CloudConfig& cloud);
std::filesystem::path chooseStateDir(const Options& options);

}  // namespace lockhub::daemon
