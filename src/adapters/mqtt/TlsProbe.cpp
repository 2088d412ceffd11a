#include "adapters/mqtt/TlsProbe.h"

#include <netdb.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>

namespace lockhub::adapters::mqtt {
namespace {

using Clock = std::chrono::steady_clock;

struct Fd {
    int fd = -1;
    ~Fd() {
        if (fd >= 0) {
            ::close(fd);
        }
    }
};

int remainingMs(Clock::time_point deadline) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    return left.count() > 0 ? static_cast<int>(left.count()) : 0;
}

// OpenSSL's reason for the last error on this thread, e.g. "certificate verify failed".
std::string opensslReason() {
    const unsigned long error = ERR_peek_last_error();
    ERR_clear_error();
    const char* reason = error != 0 ? ERR_reason_error_string(error) : nullptr;
    return reason != nullptr ? reason : "the connection closed during the handshake";
}

std::optional<std::string> connectTcp(const MqttConfig& config, Clock::time_point deadline,
                                      Fd& socket) {
    addrinfo hints{};
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* found = nullptr;
    const auto port = std::to_string(config.port);
    if (const int rc = ::getaddrinfo(config.host.c_str(), port.c_str(), &hints, &found); rc != 0) {
        return "cannot resolve " + config.host + ": " + ::gai_strerror(rc);
    }
    std::unique_ptr<addrinfo, decltype(&::freeaddrinfo)> addresses(found, ::freeaddrinfo);
    std::string error = "no address for " + config.host;
    for (auto* a = found; a != nullptr; a = a->ai_next) {
        socket.fd = ::socket(a->ai_family, a->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        if (socket.fd < 0) {
            continue;
        }
        if (::connect(socket.fd, a->ai_addr, a->ai_addrlen) == 0) {
            return std::nullopt;
        }
        if (errno == EINPROGRESS) {
            pollfd p{socket.fd, POLLOUT, 0};
            int soError = ETIMEDOUT;
            socklen_t length = sizeof soError;
            if (::poll(&p, 1, remainingMs(deadline)) == 1) {
                ::getsockopt(socket.fd, SOL_SOCKET, SO_ERROR, &soError, &length);
            }
            if (soError == 0) {
                return std::nullopt;
            }
            errno = soError;
        }
        error = "cannot reach " + config.host + ":" + port + ": " + std::strerror(errno);
        ::close(socket.fd);
        socket.fd = -1;
    }
    return error;
}

// Runs `step` (SSL_connect, SSL_read) until it completes, fails or the deadline passes.
template <typename Step>
int drive(SSL* ssl, int fd, Clock::time_point deadline, Step step) {
    for (;;) {
        const int rc = step();
        if (rc > 0) {
            return rc;
        }
        const int why = SSL_get_error(ssl, rc);
        if (why != SSL_ERROR_WANT_READ && why != SSL_ERROR_WANT_WRITE) {
            return rc;
        }
        pollfd p{fd, static_cast<short>(why == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT), 0};
        if (::poll(&p, 1, remainingMs(deadline)) != 1) {
            return 0;  // timed out
        }
    }
}

}  // namespace

std::optional<std::string> probeTls(const MqttConfig& config, std::chrono::milliseconds timeout) {
    const auto deadline = Clock::now() + timeout;
    const auto& tls = config.tls;
    std::unique_ptr<SSL_CTX, decltype(&SSL_CTX_free)> context(SSL_CTX_new(TLS_client_method()),
                                                              SSL_CTX_free);
    if (!context) {
        return "cannot set up TLS: " + opensslReason();
    }
    const bool trusted = tls.caFile.empty() ? SSL_CTX_set_default_verify_paths(context.get()) == 1
                                            : SSL_CTX_load_verify_locations(
                                                  context.get(), tls.caFile.c_str(), nullptr) == 1;
    if (!trusted) {
        return "cannot read the CA certificates " + tls.caFile + ": " + opensslReason();
    }
    if (!tls.certFile.empty() &&
        (SSL_CTX_use_certificate_chain_file(context.get(), tls.certFile.c_str()) != 1 ||
         SSL_CTX_use_PrivateKey_file(context.get(), tls.keyFile.c_str(), SSL_FILETYPE_PEM) != 1 ||
         SSL_CTX_check_private_key(context.get()) != 1)) {
        return "cannot use the client certificate " + tls.certFile + ": " + opensslReason();
    }
    SSL_CTX_set_verify(context.get(), SSL_VERIFY_PEER, nullptr);

    Fd socket;
    if (auto unreachable = connectTcp(config, deadline, socket)) {
        return unreachable;
    }
    std::unique_ptr<SSL, decltype(&SSL_free)> ssl(SSL_new(context.get()), SSL_free);
    SSL_set_fd(ssl.get(), socket.fd);
    SSL_set_tlsext_host_name(ssl.get(), config.host.c_str());
    if (tls.verifyHostname) {
        SSL_set1_host(ssl.get(), config.host.c_str());
    }
    if (drive(ssl.get(), socket.fd, deadline, [&] { return SSL_connect(ssl.get()); }) != 1) {
        if (const long verdict = SSL_get_verify_result(ssl.get()); verdict != X509_V_OK) {
            return std::string("the broker's certificate is not trusted: ") +
                   X509_verify_cert_error_string(verdict);
        }
        return "the TLS handshake failed: " + opensslReason();
    }
    // TLS 1.3 finishes the handshake before the broker has judged our certificate; its refusal
    // arrives as an alert on the first read. Silence until the deadline means it accepted.
    char byte = 0;
    const int read = drive(ssl.get(), socket.fd, deadline,
                           [&] { return SSL_read(ssl.get(), &byte, sizeof byte); });
    if (read <= 0 && SSL_get_error(ssl.get(), read) == SSL_ERROR_SSL) {
        return "the broker refused the TLS session: " + opensslReason();
    }
    return std::nullopt;
}

}  // namespace lockhub::adapters::mqtt
