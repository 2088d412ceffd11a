#include "daemon/Daemon.h"

#include <csignal>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "adapters/sqlite/HubSealKey.h"
#include "app/JsonReader.h"
#include "app/Log.h"
#include "app/ProfileLoader.h"

namespace lockhub::daemon {
namespace {

constexpr std::string_view kTag = "daemon";
// SIGTERM must end within 2 s; this leaves time to close the database after the broker.
constexpr auto kFlushDeadline = std::chrono::milliseconds(1500);
constexpr auto kInfoRefresh = std::chrono::seconds(60);
// The upstream gets what is left of the 2 s before the local broker's share: its outbox keeps
// what it does not acknowledge in time.
constexpr auto kCloudFlushDeadline = std::chrono::milliseconds(250);

Result<std::string> readWholeFile(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        return fail(Errc::Config, "cannot read " + path.string() + ": " + std::strerror(errno));
    }
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

}  // namespace

Result<Config> loadConfig(const Options& options) {
    if (!options.configGiven && !std::filesystem::exists(options.configPath)) {
        return parseConfig("{}");
    }
    auto text = readWholeFile(options.configPath);
    if (!text) {
        return tl::unexpected(text.error());
    }
    auto config = parseConfig(*text);
    if (!config) {
        return fail(Errc::Config, options.configPath + ": " + config.error().message);
    }
    return config;
}

namespace {

// `configured`, or else the systemd credential `credential` when it exists; no password at all
// when neither is there.
Result<SecretString> loadPassword(const std::string& configured, const char* credential,
                                  const std::string& key) {
    std::filesystem::path file = configured;
    if (file.empty()) {
        const char* credentials = std::getenv("CREDENTIALS_DIRECTORY");
        if (credentials == nullptr ||
            !std::filesystem::exists(std::filesystem::path(credentials) / credential)) {
            return SecretString();
        }
        file = std::filesystem::path(credentials) / credential;
    }
    auto text = readWholeFile(file);
    if (!text) {
        return fail(Errc::Config, key + ": " + text.error().message);
    }
    // Files written by editors and `echo` end in a newline that is not part of the password.
    while (!text->empty() && (text->back() == '\n' || text->back() == '\r')) {
        text->pop_back();
    }
    return SecretString(std::move(*text));
}

}  // namespace

Result<SecretString> loadMqttPassword(const MqttConfig& mqtt) {
    return loadPassword(mqtt.passwordFile, "mqtt-password", "/mqtt/password_file");
}

Result<SecretString> loadCloudPassword(const CloudConfig& cloud) {
    return loadPassword(cloud.passwordFile, "cloud-password", "/cloud/password_file");
}

std::filesystem::path chooseStateDir(const Options& options) {
    if (options.stateDir) {
        return *options.stateDir;
    }
    // systemd passes StateDirectory= here; with several entries the first is ours.
    if (const char* dir = std::getenv("STATE_DIRECTORY"); dir != nullptr && *dir != '\0') {
        std::string first(dir);
        return first.substr(0, first.find(':'));
    }
    return "/var/lib/lockhub";
}

Daemon::Daemon(Options options, Config config, SecretString mqttPassword,
               std::filesystem::path stateDir)
    : options_(std::move(options)),
      config_(std::move(config)),
      mqttPassword_(std::move(mqttPassword)),
      stateDir_(std::move(stateDir)),
      started_(std::chrono::steady_clock::now()) {}

Daemon::~Daemon() = default;

int Daemon::run() {
    auto loop = adapters::systemd::EventLoop::create();
    if (!loop) {
        log::error(kTag, loop.error().message);
        return kExitFailure;
    }
    loop_ = std::move(*loop);
    // Signals are blocked before any library starts a thread, so only the loop receives them.
    for (int signo : {SIGTERM, SIGINT}) {
        if (auto r = loop_->onSignal(signo, [this] { shutdown(); }); !r) {
            log::error(kTag, r.error().message);
            return kExitFailure;
        }
    }
    if (auto r = loop_->onSignal(SIGHUP, [this] { reload(); }); !r) {
        log::error(kTag, r.error().message);
        return kExitFailure;
    }

    auto store = adapters::sqlite::SqliteStore::open(stateDir_);
    if (!store) {
        log::error(kTag, store.error().message);
        return kExitFailure;
    }
    store_.emplace(std::move(*store));
    auto secrets = adapters::sqlite::loadSecretBox(
        stateDir_, adapters::sqlite::credentialsDirectoryFromEnvironment());
    if (!secrets) {
        log::error(kTag, secrets.error().message);
        return kExitFailure;
    }
    auto seal = adapters::sqlite::loadHubSealKey(store_->database(), *secrets)
                    .and_then(adapters::sodium::SodiumSeal::fromPrivateKey);
    if (!seal) {
        log::error(kTag, seal.error().message);
        return kExitFailure;
    }
    seal_ = std::make_unique<adapters::sodium::SodiumSeal>(std::move(*seal));
    sealedFields_ = std::make_unique<SealedFields>(*seal_, config_.mqtt.requireSealedSecrets);
    codeHasher_ = std::make_unique<adapters::sqlite::HmacCodeHasher>(
        secrets->derive(adapters::sqlite::kCodeHashPurpose));
    tempPasswordStore_ = std::make_unique<adapters::sqlite::SqliteTempPasswordStore>(
        store_->database(),
        adapters::sqlite::SecretBox(secrets->derive(adapters::sqlite::kTempPasswordSealPurpose)));
    lockStore_ = std::make_unique<adapters::sqlite::SqliteLockStore>(
        store_->database(), std::move(*secrets), static_cast<std::size_t>(config_.outboxLimit));
    userStore_ = std::make_unique<adapters::sqlite::SqliteUserStore>(store_->database());
    recordStore_ = std::make_unique<adapters::sqlite::SqliteRecordStore>(store_->database());
    auditStore_ = std::make_unique<adapters::sqlite::SqliteAuditStore>(store_->database());
    codeStore_ = std::make_unique<adapters::sqlite::SqliteCodeStore>(store_->database());
    scheduler_ = std::make_unique<adapters::systemd::LoopScheduler>(*loop_);
    if (auto cloud = openCloud(); !cloud) {
        log::error(kTag, cloud.error().message);
        return cloud.error().code == Errc::Config ? kExitConfig : kExitFailure;
    }

    const std::string base = config_.mqtt.baseTopic;
    broker_ = std::make_unique<adapters::mqtt::PahoBroker>(*loop_, config_.mqtt, mqttPassword_,
                                                           base + "/bridge/state");
    bridge_ =
        std::make_unique<BridgeService>(*broker_, *scheduler_, base, [this] { return info(); });
    bridge_->sealSecrets(*sealedFields_);
    bridge_->addOperation("health", [this](const nlohmann::json& body) { return health(body); });
    bridge_->attach();
    if (auto started = startLocks(); !started) {
        log::error(kTag, started.error().message);
        return started.error().code == Errc::Config ? kExitConfig : kExitFailure;
    }
    broker_->start();
    if (cloud_) {
        cloud_->start();
    }

    loop_->enableWatchdog();
    // READY=1 once the loop actually runs, so "ready" means requests can be served.
    loop_->addTimer(std::chrono::microseconds(0), [this] {
        notifier_.ready();
        publishStatus();
    });
    scheduleInfoRefresh();
    log::info(kTag, "started", {{"HUB_ID", store_->hubId()}, {"STATE_DIR", stateDir_.string()}});
    const int rc = loop_->run();
    return rc < 0 ? kExitFailure : rc;
}

Result<void> Daemon::startLocks() {
    auto profiles = loadProfiles(builtinProfiles(), config_.profilesDir);
    if (!profiles) {
        return fail(Errc::Config, "/profiles_dir: " + profiles.error().message);
    }
    LockRegistryOptions options;
    options.policy.mode = parseLinkMode(config_.locks.policy).value_or(LinkPolicy::Mode::OnDemand);
    options.policy.keepAlive = std::chrono::seconds(config_.locks.keepAliveS);
    options.policy.pollInterval = std::chrono::seconds(config_.locks.pollIntervalS);
    options.policy.availabilityTimeout = std::chrono::seconds(config_.locks.availabilityTimeoutS);
    options.maxConnections = static_cast<std::size_t>(config_.bluetooth.maxConnections);
    // The default profile is built in, so every lock has one whatever profiles_dir holds.
    options.profiles = std::move(*profiles);
    const std::string base = config_.mqtt.baseTopic;
    bluetooth_ = std::make_unique<adapters::bluez::BluezCentral>(
        *loop_, adapters::bluez::BluezOptions{.bus = config_.bluetooth.bus,
                                              .adapter = config_.bluetooth.adapter});
    outbox_ = std::make_unique<OutboxPump>(*lockStore_, *broker_, *scheduler_);
    registry_ = std::make_unique<LockRegistry>(std::move(options), *lockStore_, *bluetooth_,
                                               *scheduler_, random_);
    state_ = std::make_unique<StatePublisher>(base, *broker_, *scheduler_, *registry_);
    // Before CommandService: the first to subscribe `<lock>/set`, it takes APPROVE / DENY.
    requests_ = std::make_unique<UnlockRequests>(
        UnlockRequestsOptions{.baseTopic = base}, *registry_, *scheduler_, *outbox_, *bridge_,
        [this](PairedLock& lock, const std::string& shownAs, const nlohmann::json& transaction) {
            commands_->unlockAs(lock, shownAs, transaction);
        });
    commands_ = std::make_unique<CommandService>(
        CommandServiceOptions{.baseTopic = base,
                              .timeout = std::chrono::seconds(config_.locks.commandTimeoutS)},
        *registry_, *lockStore_, *broker_, *scheduler_, random_, *outbox_, *bridge_);
    eraser_ = std::make_unique<LockCredentialEraser>(
        *registry_, *scheduler_, std::chrono::seconds(config_.locks.commandTimeoutS));
    // Before the pipeline, which asks it whose credential each event used.
    users_ = std::make_unique<UserDirectory>(*userStore_, *registry_, *bridge_, *eraser_);
    if (auto loaded = users_->load(); !loaded) {
        return loaded;
    }
    enrolment_ = std::make_unique<EnrolmentService>(base, *registry_, *users_, *codeHasher_,
                                                    *broker_, *scheduler_, *bridge_);
    replies_ = std::make_unique<ReplyDispatcher>(*commands_);
    replies_->route(domain::DpRole::UnlockMethodCreate, *enrolment_);
    replies_->route(domain::DpRole::UnlockMethodDelete, *eraser_);
    events_ = std::make_unique<EventPipeline>(
        EventPipelineOptions{.baseTopic = base,
                             .hubId = store_->hubId(),
                             .arrivedQuiet = std::chrono::seconds(config_.users.arrivedQuietS)},
        *registry_, *lockStore_, *broker_, *scheduler_, *outbox_, *state_, *replies_, *users_);
    events_->onStorageProblemChanged([this] {
        if (broker_->connected()) {
            bridge_->publishInfo();
        }
        publishStatus();
    });
    timeline_ = std::make_unique<LockTimeline>(LockTimelineOptions{}, *registry_, *recordStore_,
                                               *state_, *scheduler_);
    events_->attachTimeline(*timeline_);
    records_ = std::make_unique<RecordService>(*recordStore_, *userStore_, *registry_, *bridge_);
    retention_ = std::make_unique<RecordRetention>(
        RecordRetentionOptions{.maxPerLock = config_.records.retentionCount,
                               .maxAgeDays = config_.records.retentionDays},
        *recordStore_, *scheduler_);
    retention_->start();
    pairing_ = std::make_unique<PairingService>(*registry_, *state_, *lockStore_, *bluetooth_,
                                                *scheduler_, *bridge_);
    alarms_ = std::make_unique<AlarmTracker>(
        AlarmTrackerOptions{.baseTopic = base, .hubId = store_->hubId()}, *registry_, *broker_,
        *scheduler_, *outbox_, *bridge_);
    diagnostics_ = std::make_unique<LockDiagnostics>(*registry_, *recordStore_, *state_, *alarms_,
                                                     *scheduler_, *bridge_);
    events_->addObserver(*alarms_);
    events_->addObserver(*requests_);
    events_->addObserver(*diagnostics_);
    codes_ = std::make_unique<CodeService>(
        CodeServiceOptions{.baseTopic = base,
                           .hubId = store_->hubId(),
                           .requireClockSync = config_.codes.requireClockSync,
                           .lockout = {.limit = static_cast<int>(config_.codes.wrongCodeLimit),
                                       .baseMs = config_.codes.lockoutS * 1000,
                                       .maxMs = config_.codes.lockoutMaxS * 1000,
                                       .windowMs = config_.codes.lockoutMaxS * 1000}},
        CodeServicePorts{*lockStore_, *codeStore_, *userStore_, *codeHasher_, clockSync_,
                         *scheduler_},
        *registry_, *outbox_, *bridge_,
        [this](PairedLock& lock, const nlohmann::json& transaction) {
            commands_->unlockAs(lock, "UNLOCK", transaction);
        });
    codes_->watchClocks([this](std::int64_t lockId) { return timeline_->drift(lockId); });
    codes_->watchRefusals(
        [this](const PairedLock& lock, std::string_view source, const Error& why) {
            diagnostics_->codeRefused(lock.record.id, source, why);
        });
    lockouts_ =
        std::make_unique<LockoutPublisher>(base, *codeStore_, *broker_, *scheduler_, *registry_);
    codes_->watchLockouts([this](const PairedLock& lock) { lockouts_->started(lock); });
    bridge_->onConnected([this] { lockouts_->publishAll(); });
    tempPasswords_ = std::make_unique<TempPasswordService>(
        TempPasswordServiceOptions{.baseTopic = base,
                                   .timeout = std::chrono::seconds(config_.locks.commandTimeoutS)},
        TempPasswordServicePorts{*tempPasswordStore_, *userStore_, *codeHasher_, *scheduler_},
        *registry_, *broker_, *bridge_);
    codes_->revokeTempPasswordsWith(
        [this](const nlohmann::json& body) { return tempPasswords_->remove(body); });
    for (auto role : {domain::DpRole::TempPasswordCreate, domain::DpRole::TempPasswordDelete,
                      domain::DpRole::TempPasswordModify}) {
        replies_->route(role, *tempPasswords_);
    }
    // The code service's attribution, with temporary-password unlocks (DP 55) in front of it.
    tempAttribution_ =
        std::make_unique<TempPasswordAttribution>(*tempPasswords_, codes_->attribution());
    events_->setCodeAttribution(*tempAttribution_);
    t0_ = std::make_unique<LockT0>(config_.codes.issuer == "hub", *registry_, *lockStore_,
                                   *scheduler_, *bridge_);
    if (t0_->hubOwnsT0()) {
        pairing_->setHandshakeStep(
            [this](LockLink& link, ports::LockRecord& record, std::function<void()> done) {
                t0_->writeOnPairing(link, record, std::move(done));
            });
    }
    bridge_->onConnected([this] {
        state_->publishAll();
        outbox_->connectionRestarted();
    });
    homeAssistant_ = std::make_unique<HomeAssistant>(
        HomeAssistantOptions{.enabled = config_.homeAssistant.enabled,
                             .discoveryPrefix = config_.homeAssistant.discoveryPrefix,
                             .baseTopic = base,
                             .hubId = store_->hubId(),
                             .swVersion = LOCKHUB_VERSION,
                             .supportUrl = config_.homeAssistant.supportUrl,
                             .requireCode = config_.access.requireCodeForUnlock},
        *registry_, *users_, *state_, *bridge_, *broker_);
    homeAssistant_->republishOnBirth([this] { lockouts_->publishAll(); });
    startCloud();
    // Access control last: the allow-list is checked against every registered op.
    audit_ = std::make_unique<AuditLog>(*auditStore_, *scheduler_, *bridge_);
    if (config_.access.requireCodeForUnlock) {
        commands_->requireCodes(*codes_);
    }
    auto policy = AccessPolicy::make(config_.access.deniedOps, bridge_->operationNames());
    if (!policy) {
        return tl::unexpected(policy.error());
    }
    bridge_->guard(std::move(*policy), audit_.get());
    return registry_->start();
}

Result<void> Daemon::openCloud() {
    if (!config_.cloud) {
        return {};
    }
    auto password = loadCloudPassword(*config_.cloud);
    if (!password) {
        return tl::unexpected(password.error());
    }
    const std::string upstreamBase = config_.cloud->topicPrefix + "/" + store_->hubId();
    cloudOutbox_ = std::make_unique<adapters::sqlite::SqliteCloudOutbox>(
        store_->database(), static_cast<std::size_t>(config_.outboxLimit), config_.mqtt.baseTopic,
        upstreamBase);
    lockStore_->mirrorEventsTo(*cloudOutbox_);
    upstream_ = std::make_unique<adapters::mqtt::PahoBroker>(
        *loop_, cloudConnection(*config_.cloud, store_->hubId()), std::move(*password),
        upstreamBase + "/state");
    return {};
}

void Daemon::startCloud() {
    if (!upstream_) {
        return;
    }
    cloudPump_ = std::make_unique<OutboxPump>(*cloudOutbox_, *upstream_, *scheduler_);
    cloud_ = std::make_unique<CloudLink>(
        CloudLinkOptions{.upstreamBase = config_.cloud->topicPrefix + "/" + store_->hubId(),
                         .hubId = store_->hubId(),
                         .cloudIssues = config_.codes.issuer == "cloud",
                         .timeout = std::chrono::seconds(config_.cloud->timeoutS),
                         .heartbeat = std::chrono::seconds(config_.cloud->heartbeatS)},
        *upstream_, *scheduler_, *cloudPump_, *bridge_,
        [this](const nlohmann::json& body) { return codes_->issue(body, /*offline=*/true); });
    cloud_->onChanged([this] {
        if (broker_->connected()) {
            bridge_->publishInfo();
        }
    });
    events_->onCommitted([this] {
        if (cloud_) {  // gone first at shutdown
            cloud_->mirrored();
        }
    });
}

void Daemon::stopLocks() {
    cloud_.reset();
    cloudPump_.reset();
    diagnostics_.reset();
    alarms_.reset();
    homeAssistant_.reset();
    if (bridge_) {
        bridge_->guard(AccessPolicy(), nullptr);
    }
    audit_.reset();  // stores what it still holds
    t0_.reset();
    tempAttribution_.reset();
    tempPasswords_.reset();
    codes_.reset();
    lockouts_.reset();
    pairing_.reset();
    retention_.reset();
    records_.reset();
    events_.reset();
    replies_.reset();
    enrolment_.reset();
    eraser_.reset();
    timeline_.reset();
    users_.reset();
    commands_.reset();
    requests_.reset();
    state_.reset();
    registry_.reset();
    outbox_.reset();
}

nlohmann::json Daemon::info() {
    const auto uptime = std::chrono::duration_cast<std::chrono::seconds>(
        std::chrono::steady_clock::now() - started_);
    nlohmann::json doc = {
        {"version", LOCKHUB_VERSION},
        {"hub_id", store_->hubId()},
        {"uptime_s", uptime.count()},
    };
    doc["issuer"] = config_.codes.issuer;
    doc["cloud"] = cloud_ ? cloud_->info() : nlohmann::json();
    // Reports the store refused stay with the locks, which send them again; say why.
    const auto problem = events_ ? events_->storageProblem() : std::nullopt;
    doc["storage"] = problem ? nlohmann::json{{"status", "error"}, {"message", *problem}}
                             : nlohmann::json{{"status", "ok"}};
    if (auto counts = store_->counts()) {
        doc["locks"] = counts->locks;
        doc["counts"] = {
            {"locks", counts->locks}, {"records", counts->records}, {"outbox", counts->outbox}};
    } else {
        log::warning(kTag, "cannot count stored rows: " + counts.error().message);
    }
    return doc;
}

Result<nlohmann::json> Daemon::health(const nlohmann::json& body) {
    JsonReader reader(body, "");
    reader.skip("transaction");
    reader.rejectUnknownKeys();
    if (!reader.ok()) {
        return fail(Errc::BadRequest, reader.error());
    }
    auto doc = info();
    const bool databaseOk = doc.contains("counts");
    return nlohmann::json{
        {"healthy", databaseOk && broker_->connected()},
        {"version", doc["version"]},
        {"hub_id", doc["hub_id"]},
        {"uptime_s", doc["uptime_s"]},
        {"mqtt", broker_->connected() ? "connected" : "disconnected"},
        {"database", databaseOk ? "ok" : "error"},
        {"locks", doc.value("locks", 0)},
    };
}

void Daemon::publishStatus() {
    // Says what bridge/info's `storage` says: degraded while the store refuses lock records.
    const auto problem = events_ ? events_->storageProblem() : std::nullopt;
    notifier_.status((problem ? "degraded: storage error: " + *problem + "; " : std::string()) +
                     "mqtt " + (broker_->connected() ? "connected" : "disconnected") + ", " +
                     std::to_string(info().value("locks", 0)) + " locks");
}

void Daemon::scheduleInfoRefresh() {
    loop_->addTimer(kInfoRefresh, [this] {
        if (broker_->connected()) {
            bridge_->publishInfo();
        }
        publishStatus();
        scheduleInfoRefresh();
    });
}

void Daemon::shutdown() {
    if (shuttingDown_) {
        return;
    }
    shuttingDown_ = true;
    log::info(kTag, "stopping");
    notifier_.stopping();
    if (cloud_) {
        cloud_->stop(kCloudFlushDeadline);
    }
    bridge_->publishOffline();
    broker_->stop(kFlushDeadline);
    stopLocks();
    if (auto r = store_->close(); !r) {
        log::error(kTag, r.error().message);
        loop_->exit(kExitFailure);
        return;
    }
    loop_->exit(kExitOk);
}

void Daemon::reload() {
    notifier_.reloading();
    auto reloaded = loadConfig(options_);
    if (!reloaded) {
        log::error(
            kTag, "reload ignored, keeping the running configuration: " + reloaded.error().message);
    } else {
        log::setLevel(reloaded->logLevel);
        for (const auto& key : keysNeedingRestart(config_, *reloaded)) {
            log::warning(kTag, "changed " + key + " takes effect after a restart");
        }
        config_.logLevel = reloaded->logLevel;
        log::info(kTag, "configuration reloaded");
    }
    notifier_.ready();
}

}  // namespace lockhub::daemon
