// MQTT over TLS against a mosquitto that requires client certificates: a CA, the broker's and the
// hub's certificates are made here with openssl. The daemon connects with the right CA and its
// certificate, and refuses a broker signed by another CA or holding an expired certificate, saying
// which in its log. The probe watches through a second, plain listener on the same broker.
#include <gtest/gtest.h>

#include <fstream>
#include <thread>

#include "integration/daemon/LockhubdProcess.h"
#include "support/MqttProbe.h"
#include "support/Network.h"
#include "support/TempDir.h"

namespace lockhub::testing {
namespace {

using namespace std::chrono_literals;

class Tls : public ::testing::Test {
protected:
    void SetUp() override {
        std::filesystem::create_directories(pki_ / "db");
        makeCa("ca");
        makeCa("other-ca");
        // The server certificate names 127.0.0.1 as an IP and as a DNS name, so the hub's
        // hostname check (verify_hostname) passes whichever one the TLS library matches.
        makeRequest("server", "/CN=127.0.0.1", "subjectAltName=IP:127.0.0.1,DNS:127.0.0.1");
        makeRequest("client", "/CN=lockhub", "");
        openssl({"x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key",
                 "-CAcreateserial", "-days", "2", "-copy_extensions", "copy", "-out",
                 "server.crt"});
        openssl({"x509", "-req", "-in", "client.csr", "-CA", "ca.crt", "-CAkey", "ca.key",
                 "-CAcreateserial", "-days", "2", "-out", "client.crt"});
        // OpenSSL 3.0 has no -not_before for x509; `openssl ca` takes explicit dates.
        std::ofstream(pki_ / "db" / "index.txt");
        std::ofstream(pki_ / "db" / "serial") << "1000\n";
        std::ofstream(pki_ / "ca.cnf") << "[ca]\ndefault_ca = test\n[test]\n"
                                          "database = db/index.txt\nnew_certs_dir = db\n"
                                          "serial = db/serial\ndefault_md = sha256\n"
                                          "policy = any\ncopy_extensions = copy\n"
                                          "unique_subject = no\n[any]\ncommonName = supplied\n";
        openssl({"ca", "-batch", "-config", "ca.cnf", "-cert", "ca.crt", "-keyfile", "ca.key",
                 "-in", "server.csr", "-startdate", "20200101000000Z", "-enddate",
                 "20200102000000Z", "-notext", "-out", "expired.crt"});
    }

    // openssl run inside pki_, so the file names stay relative.
    void openssl(std::vector<std::string> args) {
        args.insert(args.begin(), {"sh", "-c", "cd \"$0\" && exec openssl \"$@\"", pki_.string()});
        Process run("openssl-" + std::to_string(++runs_), args, pki_);
        const auto status = run.waitExit(30s);
        ASSERT_TRUE(status && status->exited && status->code == 0) << describe(run);
    }
    void makeCa(const std::string& name) {
        openssl({"req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                 "-keyout", name + ".key", "-out", name + ".crt", "-subj", "/CN=" + name, "-days",
                 "2"});
    }
    void makeRequest(const std::string& name, const std::string& subject,
                     const std::string& extension) {
        std::vector<std::string> args{
            "req",    "-newkey", "ec",          "-pkeyopt", "ec_paramgen_curve:P-256",
            "-nodes", "-keyout", name + ".key", "-out",     name + ".csr",
            "-subj",  subject};
        if (!extension.empty()) {
            args.insert(args.end(), {"-addext", extension});
        }
        openssl(args);
    }

    // mosquitto with a TLS listener that requires a client certificate signed by ca.crt, and a
    // plain one for the probe.
    void startBroker(const std::string& serverCert) {
        tlsPort_ = freeTcpPort();
        plainPort_ = freeTcpPort();
        std::ofstream(dir_.path() / "tls.conf")
            << "per_listener_settings false\nallow_anonymous true\npersistence false\n"
            << "log_dest stderr\nlog_type all\nuser root\n"
            << "listener " << plainPort_ << " 127.0.0.1\n"
            << "listener " << tlsPort_ << " 127.0.0.1\n"
            << "cafile " << (pki_ / "ca.crt").string() << "\n"
            << "certfile " << (pki_ / serverCert).string() << "\n"
            << "keyfile " << (pki_ / "server.key").string() << "\n"
            << "require_certificate true\n";
        broker_ = std::make_unique<Process>(
            "mosquitto-tls",
            std::vector<std::string>{"mosquitto", "-c", (dir_.path() / "tls.conf").string()},
            dir_.path());
        ASSERT_TRUE(waitForListener(tlsPort_, 10s)) << describe(*broker_);
        ASSERT_TRUE(waitForListener(plainPort_, 10s)) << describe(*broker_);
        probe_ = std::make_unique<MqttProbe>("tcp://127.0.0.1:" + std::to_string(plainPort_),
                                             "lockhub/bridge/state");
    }

    std::unique_ptr<LockhubdProcess> startDaemon(const std::string& caFile, bool clientCert) {
        const std::string cert = clientCert ? (pki_ / "client.crt").string() : "";
        const std::string key = clientCert ? (pki_ / "client.key").string() : "";
        const std::string tls = R"(, "host": "127.0.0.1", "tls": {"enabled": true, "ca_file": ")" +
                                (pki_ / caFile).string() + R"(", "cert_file": ")" + cert +
                                R"(", "key_file": ")" + key + R"(", "verify_hostname": true})";
        return std::make_unique<LockhubdProcess>(dir_.path(), brokerConfig(tlsPort_, tls));
    }

    // Refused: no "online" for a few reconnect attempts, the daemon keeps trying, and its log
    // says why in OpenSSL's words (TlsProbe), once.
    void expectRefused(LockhubdProcess& daemon, const std::string& why) {
        EXPECT_FALSE(probe_->waitFor("lockhub/bridge/state", 5s, isOnline))
            << "connected to a broker it must not trust\n"
            << daemon.process().stderrText();
        EXPECT_TRUE(daemon.process().running()) << describe(daemon.process());
        EXPECT_NE(daemon.process().stderrText().find("retrying ssl://127.0.0.1:"),
                  std::string::npos)
            << daemon.process().stderrText();
        const std::string line =
            "warning mqtt: TLS to ssl://127.0.0.1:" + std::to_string(tlsPort_) + " fails: " + why +
            "\n";
        const auto& log = daemon.process().stderrText();
        const auto first = log.find(line);
        EXPECT_NE(first, std::string::npos) << log;
        EXPECT_EQ(log.find(line, first + 1), std::string::npos) << "said once per failing run";
    }

    TempDir dir_;
    std::filesystem::path pki_ = dir_.path() / "pki";
    std::uint16_t tlsPort_ = 0;
    std::uint16_t plainPort_ = 0;
    std::unique_ptr<Process> broker_;
    std::unique_ptr<MqttProbe> probe_;
    int runs_ = 0;
};

TEST_F(Tls, ConnectsWithTheRightCaAndItsClientCertificate) {
    startBroker("server.crt");
    auto daemon = startDaemon("ca.crt", true);
    EXPECT_TRUE(probe_->waitFor("lockhub/bridge/state", 15s, isOnline))
        << daemon->process().stderrText() << "\n--- mosquitto ---\n"
        << broker_->stderrText();
}

TEST_F(Tls, TheBrokerRefusesAHubWithoutAClientCertificate) {
    startBroker("server.crt");
    auto daemon = startDaemon("ca.crt", false);
    expectRefused(*daemon, "the broker refused the TLS session: tlsv13 alert certificate required");
}

TEST_F(Tls, RefusesABrokerSignedByAnotherCa) {
    startBroker("server.crt");
    auto daemon = startDaemon("other-ca.crt", true);
    expectRefused(*daemon,
                  "the broker's certificate is not trusted: self-signed certificate in "
                  "certificate chain");
}

TEST_F(Tls, RefusesABrokerWithAnExpiredCertificate) {
    startBroker("expired.crt");
    auto daemon = startDaemon("ca.crt", true);
    expectRefused(*daemon, "the broker's certificate is not trusted: certificate has expired");
}

}  // namespace
}  // namespace lockhub::testing
