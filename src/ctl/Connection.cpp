#include "ctl/Connection.h"

#include <pwd.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "app/Config.h"

namespace lockhub::ctl {
namespace {

Outcome<std::string> readText(const std::string& path, const std::string& what) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        return failure(Exit::Failed, "cannot read " + what + " " + path);
    }
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

// The configuration to start from: the daemon's defaults unless a file is named or installed.
Outcome<MqttConfig> daemonMqttConfig(const Invocation& invocation, const Environment& environment,
                                     const std::string& defaultPath) {
    auto path = invocation.flag("config");
    if (!path) {
        path = environment("LOCKHUB_CONFIG");
    }
    if (!path) {
        if (!std::filesystem::exists(defaultPath)) {
            return MqttConfig{};
        }
        path = defaultPath;
    }
    auto text = readText(*path, "configuration file");
    if (!text) {
        return tl::unexpected(text.error());
    }
    auto config = parseConfig(*text);
    if (!config) {
        return failure(Exit::Failed, *path + ": " + config.error().message);
    }
    return config->mqtt;
}

// The first of: flag, environment variable, configured value.
std::string pick(const Invocation& invocation, const std::string& flag,
                 const Environment& environment, const std::string& variable,
                 const std::string& configured) {
    if (auto value = invocation.flag(flag)) {
        return *value;
    }
    if (auto value = environment(variable)) {
        return *value;
    }
    return configured;
}

Outcome<SecretString> password(const Invocation& invocation, const Environment& environment,
                               const MqttConfig& config) {
    std::string file;
    if (auto flag = invocation.flag("password-file")) {
        file = *flag;
    } else if (auto variable = environment("LOCKHUB_MQTT_PASSWORD_FILE")) {
        file = *variable;
    } else if (auto direct = environment("LOCKHUB_MQTT_PASSWORD")) {
        return SecretString(*direct);
    } else {
        file = config.passwordFile;
    }
    if (file.empty()) {
        return SecretString{};
    }
    auto text = readText(file, "password file");
    if (!text) {
        return tl::unexpected(text.error());
    }
    // Files written with echo end in a newline that is not part of the password.
    while (!text->empty() && (text->back() == '\n' || text->back() == '\r')) {
        text->pop_back();
    }
    return SecretString(std::move(*text));
}

}  // namespace

Environment processEnvironment() {
    return [](const std::string& name) -> std::optional<std::string> {
        const char* value = std::getenv(name.c_str());
        if (!value || !*value) {
            return std::nullopt;
        }
        return std::string(value);
    };
}

Outcome<ConnectionSettings> resolveConnection(const Invocation& invocation,
                                              const Environment& environment,
                                              const std::string& defaultConfigPath) {
    auto config = daemonMqttConfig(invocation, environment, defaultConfigPath);
    if (!config) {
        return tl::unexpected(config.error());
    }
    ConnectionSettings settings;
    settings.caFile =
        pick(invocation, "ca-file", environment, "LOCKHUB_MQTT_CA_FILE", config->tls.caFile);
    settings.certFile =
        pick(invocation, "cert-file", environment, "LOCKHUB_MQTT_CERT_FILE", config->tls.certFile);
    settings.keyFile =
        pick(invocation, "key-file", environment, "LOCKHUB_MQTT_KEY_FILE", config->tls.keyFile);
    settings.verifyHostname = config->tls.verifyHostname;
    const std::string configuredUri = (config->tls.enabled ? "ssl://" : "tcp://") + config->host +
                                      ":" + std::to_string(config->port);
    settings.uri = pick(invocation, "broker", environment, "LOCKHUB_BROKER", configuredUri);
    if (!settings.uri.starts_with("tcp://") && !settings.uri.starts_with("ssl://")) {
        return usage("--broker: expected tcp://HOST:PORT or ssl://HOST:PORT, got \"" +
                     settings.uri + "\"");
    }
    if (settings.certFile.empty() != settings.keyFile.empty()) {
        return usage("--cert-file and --key-file must be given together");
    }
    // Naming any TLS file means TLS: a CA file on a plain connection would be ignored silently.
    settings.tls = settings.uri.starts_with("ssl://") || !settings.caFile.empty() ||
                   !settings.certFile.empty();
    if (settings.tls && settings.uri.starts_with("tcp://")) {
        settings.uri = "ssl://" + settings.uri.substr(6);
    }
    settings.baseTopic =
        pick(invocation, "base-topic", environment, "LOCKHUB_BASE_TOPIC", config->baseTopic);
    settings.username =
        pick(invocation, "username", environment, "LOCKHUB_MQTT_USERNAME", config->username);
    auto secret = password(invocation, environment, *config);
    if (!secret) {
        return tl::unexpected(secret.error());
    }
    settings.password = std::move(*secret);
    return settings;
}

std::string actorName() {
    std::string login;
    // getlogin() names who logged in even under sudo; without a terminal it fails.
    if (const char* name = ::getlogin()) {
        login = name;
    } else if (const passwd* entry = ::getpwuid(::geteuid())) {
        login = entry->pw_name;
    } else if (const char* user = std::getenv("USER")) {
        login = user;
    } else {
        login = std::to_string(::geteuid());
    }
    return "lockhubctl:" + login;
}

}  // namespace lockhub::ctl
